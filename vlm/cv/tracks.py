"""Tracks from detections: ByteTrack per object family, re-association after a gap, the life of each track.

Detections, not motion, say what exists. Each family (vehicle, person, bicycle, other) has its own ByteTrack
(Roboflow's ``trackers``), so a cyclist's person box never takes its bicycle's track and a car the detector
calls "truck" on one frame stays one track. ByteTrack associates boxes from one detector run to the next;
this module remembers what each track has been: when it was first and last seen and where, its class votes
with their scores, its colour votes, its best look, whether it stood still and when.

One real object, one track: when ByteTrack starts a new track, it is first compared with tracks of the same
family that were lost inside the picture within ``reid_s``: near where the old track was heading, of a similar
size and (when both have one) a similar appearance. A match continues the old track, so an occlusion or a
few missed detections do not split one person into several.

Motion sharpens the times: a detector needs most of an object in view, so it names a car a little after its
front entered the picture and stops a little before its back leaves. A new track is carried back, and a
finished one forward, along the moving regions that overlap it frame by frame (``motion_history_s`` of them
are kept), so first and last seen are when the object's motion began and ended at the edge.

Standing still: a track whose centre stays within a small radius for ``still_s`` is stationary from the moment
it arrived there; the interval closes when it moves on or the track ends.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
import supervision as sv
from trackers import BIoU, ByteTrackTracker

from common import appearance
from vlm.cv.config import STILL_SWEEPS
from vlm.cv.geometry import touched_edges

FAMILIES = ("vehicle", "person", "bicycle", "other")


@dataclass(slots=True)
class Detection:
    box: np.ndarray  # xyxy, frame pixels
    score: float
    cls: str  # object class (person, car, ...) or "other"
    detector: str  # the detector's own word (COCO name)
    family: str


@dataclass(slots=True)
class Track:
    tid: int
    family: str
    first_seen: float
    last_seen: float
    first_box: np.ndarray
    last_box: np.ndarray
    votes: dict[str, float] = field(default_factory=dict)  # class -> summed detector scores
    words: dict[str, float] = field(default_factory=dict)  # the detector's own words -> summed scores
    colours: dict[str, float] = field(default_factory=dict)  # colour name -> summed scores of the looks
    near_colours: dict[str, float] = field(default_factory=dict)  # hue name -> the same, of looks near that hue
    hits: int = 0
    last_score: float = 0.0
    score_sum: float = 0.0
    best_score: float = 0.0
    pictured_score: float = 0.0  # the score of the look its appearance and thumbnail come from
    pictured_box: tuple[float, ...] | None = None  # where it is in its thumbnail, as fractions of the frame
    appearance: list[float] = field(default_factory=list)
    announced: bool = False
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(2))  # centre, px/s
    anchor: np.ndarray = field(default_factory=lambda: np.zeros(2))  # where it last arrived
    anchor_t: float = 0.0
    anchor_size: float = 1.0  # the box diagonal there (an object coming closer grows)
    moved: bool = False
    stationary: list[tuple[float, float]] = field(default_factory=list)  # closed still intervals
    # per size measure, (time, size) of its first and its last look whose measure the frame's edge does not cut:
    # the box diagonal (a whole box), its width (cut at most at the top or bottom: a person walking toward a
    # camera above them is cut at the bottom from the start) and its height (cut at most at the sides)
    sizes: dict[str, tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=dict)
    pending_stops: list[tuple[float, float]] = field(default_factory=list)  # closed, not yet reported

    @property
    def key(self) -> str:
        return f"track-{self.tid}"

    @property
    def duration(self) -> float:
        return self.last_seen - self.first_seen

    @property
    def growth(self) -> float | None:
        """How many times larger it looked at its last look than at its first, by the size measure the frame's
        edge left uncut the longest (the diagonal where it is as long; None: no measure seen twice)."""
        spans = [(last[0] - first[0], -order, first[1], last[1])
                 for order, (first, last) in enumerate(self.sizes[m] for m in SIZE_MEASURES if m in self.sizes)]
        span, _, first_size, last_size = max(spans, default=(0.0, 0, 0.0, 0.0))
        return last_size / max(first_size, 1.0) if span > 0 else None

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.hits if self.hits else 0.0

    def _top(self, votes: dict[str, float]) -> tuple[str | None, float]:
        if not votes:
            return None, 0.0
        best = max(votes, key=votes.__getitem__)
        return best, votes[best] / sum(votes.values())

    @property
    def label(self) -> str | None:
        """The class the votes give: the top class, or "vehicle" when the vehicle classes split their votes
        (no single type has 60 % of the evidence)."""
        best, share = self._top(self.votes)
        if best is not None and self.family == "vehicle" and share < 0.6:
            return "vehicle"
        return best

    @property
    def label_share(self) -> float:
        return self._top(self.votes)[1]

    @property
    def detector_word(self) -> str | None:
        return self._top(self.words)[0]

    @property
    def colour(self) -> tuple[str | None, float]:
        return self._top(self.colours)

    @property
    def confidence(self) -> float:
        """Share of the label's votes times the mean detector score (0..1)."""
        return float(min(1.0, self.label_share * self.mean_score)) if self.label else 0.0

    def still_since(self, t: float, still_s: float) -> float | None:
        """When the current still interval began, if it has lasted ``still_s`` by ``t``."""
        return self.anchor_t if t - self.anchor_t >= still_s else None


STILL_RADIUS = 0.08  # of the box diagonal: the centre stays this close to where it stopped while it stands still
STILL_GROWTH = 1.12  # nor does its size change by more than this factor (an object coming closer grows)


class TrackBook:
    """Every family's tracker and the tracks it made; fed one detector run at a time."""

    def __init__(self, width: int, height: int, detect_fps: float, linger_s: float, reid_s: float,
                 still_s: float, activate: float = 0.35, sweep_s: float = 1.0, first_tid: int = 0) -> None:
        self.width, self.height, self.detect_fps = width, height, detect_fps
        self.linger_s, self.reid_s, self.still_s = linger_s, reid_s, still_s
        self.keep_still_s = max(reid_s, STILL_SWEEPS * sweep_s)  # a still object is only looked at by sweeps
        # with timestamps, ByteTrack keeps a lost track lost_track_buffer / 30 seconds
        buffer = max(2, round(max(linger_s, 1.0, 1.5 * sweep_s) * 30))
        self._trackers = {
            # boxes at or above ``activate`` start and carry tracks; weaker ones (down to the detector's
            # threshold) only continue tracks: ByteTrack's second association stage
            # looks come a few per second, not 30: boxes are buffered before IoU (C-BIoU), so an object that
            # moved or grew between two looks still overlaps its track
            f: ByteTrackTracker(lost_track_buffer=buffer, frame_rate=detect_fps, track_activation_threshold=activate,
                                high_conf_det_threshold=activate, minimum_consecutive_frames=1,
                                minimum_iou_threshold=0.1, iou=BIoU(buffer_ratio=0.3))
            for f in FAMILIES
        }
        self._motion: deque[tuple[float, np.ndarray]] = deque()  # (t, moving regions) of the recent frames
        self.motion_history_s = max(linger_s, reid_s) + 2.0  # a track closes this late: its trail is still here
        self._ids: dict[tuple[str, int], int] = {}  # (family, ByteTrack id) -> track id
        # ByteTrack names a track on its second detection: the first waits here to be claimed
        self._unclaimed: dict[str, list[tuple[float, Detection]]] = {f: [] for f in FAMILIES}
        # boxes no track took in the recent runs (weak ones too): earlier evidence of a track that starts now
        self._weak: deque[tuple[float, Detection]] = deque()
        self._next = first_tid
        self.tracks: dict[int, Track] = {}  # open tracks (seen within linger_s, or lost inside within reid_s)
        self.in_view: list[Track] = []  # tracks matched in the latest run

    def update(self, t: float, found: list[Detection], rgb: np.ndarray | None = None) -> list[Track]:
        """One detector run's detections (``rgb``: the frame, for appearance); returns the tracks seen in it."""
        seen: list[Track] = []
        for family in FAMILIES:
            mine = [d for d in found if d.family == family]
            boxes = np.array([d.box for d in mine], np.float32).reshape(-1, 4)
            detections = sv.Detections(xyxy=boxes, confidence=np.array([d.score for d in mine], np.float32),
                                       class_id=np.arange(len(mine)))
            tracked = self._trackers[family].update(detections, timestamp=t)
            if tracked.tracker_id is None or tracked.class_id is None:
                continue
            unclaimed = []
            for tracker_id, index in zip(tracked.tracker_id, tracked.class_id, strict=True):
                detection = mine[int(index)]
                if tracker_id < 0:
                    lost = self._reassociate(family, t, detection, seen)
                    if lost is not None:  # a track that slipped ByteTrack (it moved or grew fast): it goes on
                        self._hit(lost, t, detection, rgb)
                        seen.append(lost)
                    else:
                        unclaimed.append((t, detection))
                    continue
                track = self._track_for(family, int(tracker_id), t, detection, seen)
                self._hit(track, t, detection, rgb)
                seen.append(track)
            self._unclaimed[family] = unclaimed
            self._weak.extend(unclaimed)
        while self._weak and t - self._weak[0][0] > self.motion_history_s:
            self._weak.popleft()
        self.in_view = seen
        return seen

    def note_motion(self, t: float, boxes: np.ndarray) -> None:
        """Every sampled frame's moving regions, kept for ``motion_history_s``."""
        self._motion.append((t, boxes))
        while self._motion and t - self._motion[0][0] > self.motion_history_s:
            self._motion.popleft()

    def _follow_motion(self, track: Track, backwards: bool) -> None:
        """Carry a track's first (or last) sighting along the moving regions overlapping it, frame by frame."""
        t, box = (track.first_seen, track.first_box) if backwards else (track.last_seen, track.last_box)
        frames = [(ft, boxes) for ft, boxes in self._motion if (ft < t if backwards else ft > t)]
        for ft, boxes in sorted(frames, key=lambda f: f[0], reverse=backwards):
            if abs(ft - t) > 0.5 or not len(boxes):
                break  # a frame without the object's motion ends the trail
            near = _overlapping(box, boxes)
            if near is None:
                break
            t, box = ft, near
        if backwards:
            track.first_seen, track.first_box = t, box.copy()
        else:
            track.last_seen, track.last_box = t, box.copy()

    @property
    def unclaimed(self) -> bool:
        """Whether the latest run saw boxes that may start tracks."""
        return any(self._unclaimed.values())

    def _track_for(self, family: str, tracker_id: int, t: float, d: Detection, taken: list[Track]) -> Track:
        tid = self._ids.get((family, tracker_id))
        if tid is not None and tid in self.tracks:
            track = self.tracks[tid]
            if not self._gone(track, t):
                return track
            # re-association followed this object out of the picture after ByteTrack lost it; ByteTrack's own
            # track outlived it and took another object: a new one, not this one back
        claimed = self._claimed_by(family, d.box, t)
        if claimed is not None:  # its first sighting already went on a lost track: this is that track
            self._ids[(family, tracker_id)] = claimed.tid
            return claimed
        lost = self._reassociate(family, t, d, taken)
        if lost is not None:
            self._ids[(family, tracker_id)] = lost.tid
            return lost
        track = Track(self._next, family, t, t, d.box.copy(), d.box.copy(), anchor=_centre(d.box), anchor_t=t,
                      anchor_size=_diagonal(d.box))
        self._next += 1
        self._ids[(family, tracker_id)] = track.tid
        self.tracks[track.tid] = track
        first = self._claim(family, d.box)
        if first is not None:  # its first detection, one run earlier
            t0, d0 = first
            track.first_seen, track.first_box, track.last_seen, track.last_box = t0, d0.box.copy(), t0, d0.box.copy()
            track.anchor, track.anchor_t, track.anchor_size = _centre(d0.box), t0, _diagonal(d0.box)
            self._hit(track, t0, d0, None)
        self._follow_weak(track)
        self._follow_motion(track, backwards=True)
        return track

    def _follow_weak(self, track: Track) -> None:
        """Carry a new track back along boxes of its family that earlier runs saw and no track took (weak ones,
        or the first sightings of an object that was hidden before it could be tracked): in each earlier run the
        one nearest where the track, run backwards at its speed, would have been, back to ``reid_s`` before the
        track began (no farther than a lost track is resumed: step by step, faint boxes at one spot carried a
        motorway car back 4 s along the queue at the vanishing point). Each run gives it one box (it took every
        box within reach, one after another, and kept the last: the right person's track could start on the left
        person's box). Two tracks may start on one box: where the detector saw one of two people side by side,
        taking it from the second left that person "entering" mid-picture a run later.
        """
        runs: dict[float, list[Detection]] = {}
        for wt, d in self._weak:
            if d.family == track.family and wt < track.first_seen:
                runs.setdefault(wt, []).append(d)
        start = track.first_seen
        for wt in sorted(runs, reverse=True):
            gap = track.first_seen - wt
            if start - wt > self.reid_s:
                break
            back = _centre(track.first_box) - track.velocity * gap
            nearest = _nearest(runs[wt], back, _diagonal(track.first_box), gap)
            if nearest is not None:
                # first seen moves back; where it stood still does not (the gap was not watched: a far car
                # coming closer for seconds must not read as standing there)
                track.first_seen, track.first_box = wt, nearest.box.copy()

    def _claim(self, family: str, box: np.ndarray) -> tuple[float, Detection] | None:
        """The unclaimed detection of the previous run that this new track grew from (most overlap)."""
        pool = self._unclaimed[family]
        if not pool:
            return None
        overlaps = sv.box_iou_batch(box[None], np.stack([d.box for _, d in pool]))[0]
        best = int(np.argmax(overlaps))
        return pool.pop(best) if overlaps[best] > 0.1 else None

    def _claimed_by(self, family: str, box: np.ndarray, t: float) -> Track | None:
        """The open track that took this new ByteTrack track's previous sighting (its last box overlaps)."""
        recent = 2.0 / max(self.detect_fps, 0.1)
        for track in self.tracks.values():
            near = float(sv.box_iou_batch(box[None], track.last_box[None])[0, 0]) > 0.1
            if track.family == family and 0 < t - track.last_seen <= recent and near:
                return track
        return None

    def _reassociate(self, family: str, t: float, d: Detection, taken: list[Track]) -> Track | None:
        """A track of this family lost inside the picture recently, where this one now is."""
        best, best_cost = None, 0.5  # within half its size of where it was heading (per second of gap)
        centre = _centre(d.box)
        size = _diagonal(d.box)
        for track in self.tracks.values():
            gap = t - track.last_seen
            if track.family != family or track in taken or gap <= 0 or gap > self.reid_s:
                continue
            if self._gone(track, t):
                continue  # it has left through the edge by now: a new object, not the same one back
            old = _diagonal(track.last_box)
            if not 0.5 <= size / max(old, 1.0) <= 2.0:
                continue
            heading = _centre(track.last_box) + track.velocity * min(gap, 1.0)
            cost = float(np.linalg.norm(centre - heading)) / max(old, size) / (1.0 + gap)
            if cost < best_cost:
                best, best_cost = track, cost
        return best

    def _hit(self, track: Track, t: float, d: Detection, rgb: np.ndarray | None) -> None:
        centre = _centre(d.box)
        dt = t - track.last_seen
        if dt > 0:
            track.velocity = 0.5 * track.velocity + 0.5 * (centre - _centre(track.last_box)) / dt
        track.last_seen, track.last_box = t, d.box.copy()
        track.hits += 1
        track.last_score = d.score
        track.score_sum += d.score
        track.votes[d.cls] = track.votes.get(d.cls, 0.0) + d.score
        track.words[d.detector] = track.words.get(d.detector, 0.0) + d.score
        if rgb is not None and d.score > track.pictured_score:  # the surest look with a picture describes it
            track.appearance = appearance.describe(rgb, d.box)
            track.pictured_score = d.score
        track.best_score = max(track.best_score, d.score)
        self._size_look(track, t, d.box)
        radius = max(2.0, STILL_RADIUS * _diagonal(d.box))  # relative to its size: far objects move few pixels
        grown = _diagonal(d.box) / max(1.0, track.anchor_size)
        if float(np.linalg.norm(centre - track.anchor)) > radius or not 1 / STILL_GROWTH <= grown <= STILL_GROWTH:
            if track.last_seen - track.anchor_t >= self.still_s:
                stop = (track.anchor_t, t)
                track.stationary.append(stop)
                track.pending_stops.append(stop)
            track.anchor, track.anchor_t, track.anchor_size, track.moved = centre, t, _diagonal(d.box), True

    def close_stale(self, now: float) -> list[Track]:
        """Tracks gone for good: unseen past ``linger_s`` (and, if lost inside the picture, past ``reid_s``)."""
        gone = []
        for track in list(self.tracks.values()):
            if now - track.last_seen > self._patience(track):
                gone.append(self._finish(track))
        return gone

    def _patience(self, track: Track) -> float:
        """How long an unseen track stays open: a still one until sweeps have missed it twice; a moving one
        at the edge ``linger_s`` (it left); a moving one inside ``reid_s`` (it may be behind something)."""
        if track.still_since(track.last_seen, self.still_s) is not None:
            return self.keep_still_s
        if self._leaving(track):
            return self.linger_s
        return max(self.linger_s, self.reid_s)

    def _gone(self, track: Track, t: float) -> bool:
        """Unseen since before ``t`` and heading out fast enough to have left the picture by ``t``."""
        return t > track.last_seen and self._leaving(track, within=t - track.last_seen)

    def _size_look(self, track: Track, t: float, box: np.ndarray) -> None:
        """Keep this look's sizes that the frame's edge does not cut (where it touches an edge the object may be
        partly outside, and that side's extent is not its own)."""
        cut = set(touched_edges(box, self.width, self.height, margin=0.01))
        sizes = {"diagonal": _diagonal(box) if not cut else None,
                 "width": float(box[2] - box[0]) if not cut & {"left", "right"} else None,
                 "height": float(box[3] - box[1]) if not cut & {"top", "bottom"} else None}
        for measure, size in sizes.items():
            if size is not None:
                first = track.sizes[measure][0] if measure in track.sizes else (t, size)
                track.sizes[measure] = (first, (t, size))

    def _leaving(self, track: Track, within: float | None = None) -> bool:
        """Last seen heading out of the picture: at an edge moving through it, or moving fast enough that its
        centre would be outside within ``within`` seconds (default ``linger_s``; one coming in from an edge is
        not leaving)."""
        box, (vx, vy) = track.last_box, track.velocity
        w, h, m = self.width, self.height, 0.02
        at_edge = bool((box[0] <= m * w and vx < 0) or (box[2] >= (1 - m) * w and vx > 0)
                       or (box[1] <= m * h and vy < 0) or (box[3] >= (1 - m) * h and vy > 0))
        x, y = _centre(box) + track.velocity * (self.linger_s if within is None else within)
        return at_edge or not (0 <= x <= w and 0 <= y <= h)

    def close_all(self) -> list[Track]:
        gone = [self._finish(track) for track in list(self.tracks.values())]
        self.in_view = []
        return gone

    def _finish(self, track: Track) -> Track:
        del self.tracks[track.tid]
        if track.moved:
            self._follow_motion(track, backwards=False)
        if track.last_seen - track.anchor_t >= self.still_s:  # still at the end: the interval closes with it
            stop = (track.anchor_t, track.last_seen)
            track.stationary.append(stop)
            track.pending_stops.append(stop)
        return track


def _overlapping(box: np.ndarray, regions: np.ndarray) -> np.ndarray | None:
    """The moving region that covers most of ``box`` or lies mostly inside it (a fifth either way: an object
    near the camera moves far between two sampled frames)."""
    ix = np.clip(np.minimum(regions[:, 2], box[2]) - np.maximum(regions[:, 0], box[0]), 0, None)
    iy = np.clip(np.minimum(regions[:, 3], box[3]) - np.maximum(regions[:, 1], box[1]), 0, None)
    inter = ix * iy
    own = max(1.0, float((box[2] - box[0]) * (box[3] - box[1])))
    theirs = np.maximum(1.0, (regions[:, 2] - regions[:, 0]) * (regions[:, 3] - regions[:, 1]))
    share = np.maximum(inter / own, inter / theirs)
    best = int(np.argmax(share))
    return regions[best] if share[best] >= 0.2 else None


def _buffered(box: np.ndarray, ratio: float = 0.3) -> np.ndarray:
    w, h = box[2] - box[0], box[3] - box[1]
    return np.array([box[0] - ratio * w, box[1] - ratio * h, box[2] + ratio * w, box[3] + ratio * h], np.float32)


def _nearest(detections: list[Detection], at: np.ndarray, size: float, gap: float) -> Detection | None:
    """The detection nearest ``at`` among those of a similar size (half to twice ``size``, a box's diagonal)
    within half the larger diagonal times (1 + ``gap`` in seconds); the first of equals."""
    best: tuple[float, Detection] | None = None
    for d in detections:
        diagonal = _diagonal(d.box)
        distance = float(np.linalg.norm(_centre(d.box) - at))
        if (0.5 <= diagonal / max(size, 1.0) <= 2.0 and distance <= 0.5 * max(size, diagonal) * (1.0 + gap)
                and (best is None or distance < best[0])):
            best = (distance, d)
    return None if best is None else best[1]


def _centre(box: np.ndarray) -> np.ndarray:
    return np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2], float)


SIZE_MEASURES = ("diagonal", "width", "height")  # in the order preferred where their spans are as long


def _diagonal(box: np.ndarray) -> float:
    return float(np.hypot(box[2] - box[0], box[3] - box[1]))


