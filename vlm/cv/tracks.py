"""Track lifecycle on top of ByteTrack: first/last seen, label votes from the detector, closing.

ByteTrack (the maintained implementation in Roboflow's ``trackers``) associates motion regions frame to
frame. This module remembers what each track id has been: when it appeared, where, how the detector
labelled it over its life, and when it should be considered gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import supervision as sv
from scipy.optimize import linear_sum_assignment
from trackers import ByteTrackTracker


@dataclass(slots=True)
class Track:
    tid: int
    first_seen: float
    last_seen: float
    first_box: np.ndarray
    last_box: np.ndarray
    votes: dict[str, float] = field(default_factory=dict)
    looks: int = 0  # detector runs while this track was in view
    hits: int = 0  # detector boxes matched to it
    best_score: float = 0.0
    announced: bool = False
    appearance: list[float] = field(default_factory=list)  # descriptor of the best look (vlm.cv.appearance)

    @property
    def key(self) -> str:
        return f"track-{self.tid}"

    @property
    def duration(self) -> float:
        return self.last_seen - self.first_seen

    @property
    def label(self) -> str | None:
        return max(self.votes, key=self.votes.__getitem__) if self.votes else None

    @property
    def confidence(self) -> float:
        """Share of the label's votes in all votes, times the best detector score (0..1)."""
        label = self.label
        if label is None:
            return 0.0
        return float(self.votes[label] / sum(self.votes.values()) * self.best_score)


@dataclass(slots=True)
class Candidate:
    """One object as the detector saw it: a box and the best score per mapped label."""

    box: np.ndarray
    scores: dict[str, float]


class TrackBook:
    def __init__(self, fps: float, linger_s: float, match_iou: float = 0.15) -> None:
        self._tracker = ByteTrackTracker(
            lost_track_buffer=max(1, round(linger_s * fps)),
            frame_rate=fps,
            minimum_consecutive_frames=2,
            minimum_iou_threshold=0.1,
        )
        self.linger_s = linger_s
        self.match_iou = match_iou
        self.tracks: dict[int, Track] = {}
        self.in_view: list[Track] = []  # tracks matched in the latest frame

    def update(self, t: float, boxes: np.ndarray) -> list[Track]:
        """Feed one frame's motion regions; returns the tracks seen in it."""
        # Motion regions carry no score: confidence=None makes ByteTrack treat each as certain.
        detections = sv.Detections(xyxy=boxes.astype(np.float32).reshape(-1, 4))
        tracked = self._tracker.update(detections)
        seen = []
        ids = tracked.tracker_id if tracked.tracker_id is not None else np.full(len(tracked), -1)
        for box, tid in zip(tracked.xyxy, ids, strict=True):
            if tid < 0:
                continue
            track = self.tracks.get(int(tid))
            if track is None:
                track = self.tracks[int(tid)] = Track(int(tid), t, t, box.copy(), box.copy())
            track.last_seen, track.last_box = t, box.copy()
            seen.append(track)
        self.in_view = seen
        return seen

    def add_look(self, candidates: list[Candidate]) -> list[tuple[Track, Candidate]]:
        """Give detector candidates to the tracks in view, one each (Hungarian on IoU). Returns the matches."""
        for track in self.in_view:
            track.looks += 1
        if not candidates or not self.in_view:
            return []
        iou = sv.box_iou_batch(np.stack([t.last_box for t in self.in_view]), np.stack([c.box for c in candidates]))
        rows, cols = linear_sum_assignment(-iou)
        matches = []
        for r, c in zip(rows, cols, strict=True):
            if iou[r, c] < self.match_iou:
                continue
            track, candidate = self.in_view[r], candidates[c]
            track.hits += 1
            for label, score in candidate.scores.items():
                track.votes[label] = track.votes.get(label, 0.0) + score
            matches.append((track, candidate))
        return matches

    def close_stale(self, now: float) -> list[Track]:
        """Remove and return tracks not seen for longer than the linger time."""
        gone = [t for t in self.tracks.values() if now - t.last_seen > self.linger_s]
        for track in gone:
            del self.tracks[track.tid]
        return gone

    def close_all(self) -> list[Track]:
        gone = list(self.tracks.values())
        self.tracks.clear()
        self.in_view = []
        return gone


def merge_candidates(
    boxes: np.ndarray, labels: list[str | None], scores: np.ndarray, iou: float = 0.6
) -> list[Candidate]:
    """Group detector rows that describe one object (same box, several classes) into candidates."""
    candidates: list[Candidate] = []
    order = np.argsort(-scores)
    for i in order:
        label = labels[i]
        if label is None:
            continue
        for candidate in candidates:
            if sv.box_iou_batch(boxes[i : i + 1], candidate.box[None])[0, 0] >= iou:
                candidate.scores[label] = max(candidate.scores.get(label, 0.0), float(scores[i]))
                break
        else:
            candidates.append(Candidate(boxes[i].copy(), {label: float(scores[i])}))
    return candidates
