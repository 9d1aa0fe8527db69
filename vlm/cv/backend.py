"""The offline perception backend: detector-driven tracks -> entities with class, colour, stops -> events.

What exists comes from the detector; motion only decides when frames must be looked at. The whole frame is
swept on the first frame, then at least every ``sweep_s`` while anything is in view (so objects present from
the start, and objects that stand still, are found and kept) and every ``idle_sweep_s`` when nothing is in
view and nothing moves (whatever arrives later moves in, and its motion calls for a look). Something new, or
not yet confirmed, is looked at ``detect_fps`` times a second; confirmed objects that move at half that; one
that moves so fast it would not overlap itself between two looks, on every sampled frame. A static stretch
costs a sweep now and then; each passing object a few detector runs a second while it is in view.

A track becomes an entity once the detector has confirmed it: ``confirm_hits`` looks, one of them scoring at
least ``confirm_score`` (sure once), or twice as many looks averaging the track threshold (fairly sure, every
time: a parked car far away); its first-seen time is its first detection, not the confirmation. Its class is the
vote of all its looks, weighted by score ("vehicle" when vehicle types split the vote); its colour the vote
of its looks' colours. A track of a class vidgraph does not count (a chair, or what the detector calls a
"cell phone") is an ``object`` entity only if it moves, and carries the detector's word.

Without a model file the backend runs motion-only: moving regions are tracked as ``object`` entities.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import supervision as sv

from common.pictures import jpeg
from ingest.chunker import Chunk
from ingest.frames import Frame
from vlm.base import PerceptionBackend, PerceptionContext
from vlm.cv import colour
from vlm.cv.caption import caption, said_at
from vlm.cv.config import CVSettings
from vlm.cv.geometry import direction, gap_metres, nearest_edge, touched_edges
from vlm.cv.labels import OTHER, VEHICLE_CLASSES, LabelMap, family_of
from vlm.cv.tracks import Detection, Track, TrackBook
from vlm.cv.zones import ZoneHit, ZoneWatcher
from vlm.schema import EntityObservation, EventObservation, Observation
from vlm.vlm_base import TrackContext, TrackedObject

log = logging.getLogger(__name__)

_PROXIMITY_GAP_S = 1.0  # a person-vehicle pair apart for less than this is still one proximity event
_COLOUR_SCORE = 0.35  # looks at least this sure vote for the colour
# an object whose last whole look is this many times the size of its first came closer to the camera (a car
# from the vanishing point, a person walking up); the inverse, farther away. Perspective makes the size change
# with distance whatever the camera; looking straight down it barely changes ("neither": within SAME_SIZE).
# Between the two it is "unclear" (two people walking up for 3 s grew 1.4 times): not read either way
APPROACH_GROWTH = 1.5
SAME_SIZE = 1.15
_NEAR_SHARE = 0.25  # a hue name the looks were near, with this share of the colour vote, is what it may be
_RIDER_SHARE = 0.4  # a person on this share of a bicycle's looks is its rider


@dataclass(slots=True)
class _Near:
    """A person and a vehicle within the proximity distance: since, until, the closest gap and its look."""

    t0: float
    t1: float
    metres: float
    image: np.ndarray | None = None  # the closest look's frame (RGB) and the two boxes on it
    boxes: list[tuple[np.ndarray, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Pending:
    events: list[EventObservation] = field(default_factory=list)
    entities: dict[str, EntityObservation] = field(default_factory=dict)
    seen: dict[int, Track] = field(default_factory=dict)  # announced tracks seen in the chunk
    boxes: dict[float, list[tuple[str, np.ndarray]]] = field(default_factory=dict)  # for a VLM in hybrid mode
    detected: dict[str, float] = field(default_factory=dict)  # class -> best score of any box, confirmed or not
    moving: float = 0.0  # moving area (pixels) on the frames the detector looked at
    unexplained: float = 0.0  # the part of it in moving regions no detection covered (see _unexplained)


class CVPerception(PerceptionBackend):
    name = "cv"

    def __init__(self, settings: CVSettings, context: PerceptionContext) -> None:
        self.settings, self.context = settings, context
        self.labels = LabelMap(context.camera)
        detector_path = settings.resolve_detector()
        self.detector = None
        if detector_path is not None:
            from vlm.cv.detector import CenterNetDetector

            # weaker boxes than the threshold still continue a track (ByteTrack's low-score stage)
            self.detector = CenterNetDetector(detector_path, threads=settings.threads,
                                              min_score=min(0.2, settings.score_threshold), tiles=settings.tiles)
        rate = settings.detect_fps if self.detector else context.sample_fps
        reid = settings.reid_s if self.detector else 0.0  # pieces of motion are not identities to resume
        self.book = TrackBook(context.width, context.height, rate, settings.track_linger_s, reid,
                              settings.still_s, activate=settings.score_threshold, sweep_s=settings.sweep_s,
                              first_tid=context.track_base)
        self.zones = ZoneWatcher(list(context.zones), context.width, context.height)
        # hits of tracks not yet confirmed, each with its moment's picture (JPEG) if it has one
        self._zone_pending: dict[int, list[tuple[ZoneHit, bytes | None]]] = {}
        self._open_proximity: dict[tuple[int, int], _Near] = {}  # (person track, vehicle track) -> the pair so far
        self._riders: dict[int, dict[int, int]] = {}  # bicycle tid -> person tid -> looks together
        self._zoned: set[int] = set()  # tracks whose first sighting the zones have seen
        self._last_t = -1.0
        self._last_look = -1e9
        self._first_look: float | None = None  # objects first seen then were in view when the footage began
        self._ending = False  # flushing at the end of the input: open tracks were still in view, not gone
        self._busy = False  # the last look saw something new or unconfirmed: look again at detect_fps
        self._following = False  # ... or confirmed objects moving: look again at half detect_fps
        self._fast = False  # ... so fast that it would not overlap itself by then: look at every frame
        self._pending = _Pending()
        self.last_tracks = TrackContext()  # the tracks of the latest chunk, for a VLM in hybrid mode
        context.thumbs_dir.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        if self.detector is None:
            return "cv (motion-only: no detector model; moving regions tracked as objects)"
        return f"cv (CenterNet {self.detector.path.name} + ByteTrack, detection-driven)"

    # -- the interface -------------------------------------------------------------------------------------
    def perceive(self, chunk: Chunk) -> Observation:
        for frame in chunk.frames:
            if frame.t <= self._last_t:
                continue  # chunk overlap: each frame is looked at once
            self._last_t = frame.t
            self._process(frame)
            frame.release_image()  # twice its YUV; a chunk holds ~50 frames until it is written
        return self._observation(chunk.idx, chunk.t0, chunk.t1, chunk.motion, chunk.active)

    def flush(self, end_time: float) -> Observation | None:
        self._ending = True
        for track in self.book.close_all():
            self._close(track)
        for pair in list(self._open_proximity):
            self._close_proximity(pair)
        if not self._pending.events and not self._pending.entities:
            return None
        return self._observation(-1, end_time, end_time, 0.0, False)

    @property
    def settled(self) -> bool:
        """No track open (in view, lost within ``reid_s``, or a first sighting waiting for its second)."""
        return not self.book.tracks and not self.book.unclaimed and not self._open_proximity

    # -- per frame -----------------------------------------------------------------------------------------
    def _process(self, frame: Frame) -> None:
        seen: list[Track] = []
        self.book.note_motion(frame.t, frame.motion_boxes if frame.active else np.zeros((0, 4), np.float32))
        if self._wants_look(frame):
            self._last_look = frame.t
            if self._first_look is None:
                self._first_look = frame.t
            found = self._detect(frame) if self.detector is not None else self._moving_regions(frame)
            seen = self.book.update(frame.t, found, frame.image if self.detector is not None else None)
            if self.detector is not None and frame.active:
                # what the tracker takes for objects: boxes strong enough to start a track, and the tracks a box
                # carried on this look (an "airplane" on a road names nothing)
                named = [d.box for d in found if d.family != OTHER and d.score >= self.settings.score_threshold]
                named += [tr.last_box for tr in seen if tr.family != OTHER]
                area, missed = _unexplained(frame.motion_boxes, named)
                self._pending.moving += area
                self._pending.unexplained += missed
            moving = [tr for tr in seen if tr.still_since(frame.t, self.settings.still_s) is None]
            # something new, or not yet sure what it is: look at detect_fps; known objects moving at an easy
            # pace are followed at half that (ByteTrack's buffered IoU still joins the looks)
            self._busy = self.book.unclaimed or any(not tr.announced for tr in moving)
            self._following = bool(moving)
            self._fast = any(_fast(tr, 1.0 / self.settings.detect_fps) for tr in seen)
            self._after_look(frame, seen)
        for track in self.book.close_stale(frame.t):
            self._close(track)
        for track in self.book.tracks.values():
            if track.announced and track.pending_stops:
                self._stops(track)
        if self.context.on_tracks is not None:
            self.context.on_tracks(frame, [(tr.key, self._label(tr), tr.last_box)
                                           for tr in self.book.tracks.values() if tr.announced])

    def _wants_look(self, frame: Frame) -> bool:
        if self.detector is None:
            return frame.active
        since = frame.t - self._last_look + 1e-6  # sampled frame times carry rounding
        sweep = self.settings.sweep_s if self.book.tracks or frame.active else self.settings.idle_sweep_s
        if since >= sweep:
            return True
        if self._fast:
            return True
        if since < 1.0 / self.settings.detect_fps:
            return False
        if self._busy or (frame.active and not self._following):
            return True
        return self._following and since >= 2.0 / self.settings.detect_fps

    def _detect(self, frame: Frame) -> list[Detection]:
        assert self.detector is not None
        detections = self.detector.detect(frame.image)
        if not len(detections):
            return []
        assert detections.class_id is not None and detections.confidence is not None  # the detector sets both
        area = float(frame.width * frame.height)
        found: list[Detection] = []
        order = np.argsort(-detections.confidence)
        for i in order:  # surest first; one object, one box per family (the detector boxes it once per class)
            box, score = detections.xyxy[i], float(detections.confidence[i])
            share = float((box[2] - box[0]) * (box[3] - box[1])) / area
            label = self.labels.label(int(detections.class_id[i]), share)
            if label is None or (label.cls == OTHER and share > 0.5):  # a box over most of the frame is the scene
                continue
            family = family_of(label.cls)
            same = [d.box for d in found if d.family == family]
            if same and float(sv.box_iou_batch(box[None], np.stack(same)).max()) > 0.6:
                continue
            found.append(Detection(box, score, label.cls, label.detector, family))
            if family != OTHER:  # what a "none" answer about this chunk must not contradict
                self._pending.detected[label.cls] = max(score, self._pending.detected.get(label.cls, 0.0))
        return found

    def _moving_regions(self, frame: Frame) -> list[Detection]:
        return [Detection(box, 1.0, "object", "motion", OTHER) for box in frame.motion_boxes]

    def _after_look(self, frame: Frame, seen: list[Track]) -> None:
        for track in seen:
            self._look_at(frame, track)
            if not track.announced and self._confirmed(track):
                self._announce(track)
            if track.announced:
                self._pending.seen[track.tid] = track
        if seen and self.zones.specs:
            for track in seen:  # a new track's first sighting (carried back along its motion) counts too
                if track.tid not in self._zoned and track.first_seen < frame.t:
                    for hit in self.zones.update(track.first_seen, [track.tid], track.first_box[None]):
                        self._zone_hit(track, hit)
                self._zoned.add(track.tid)
            boxes = np.stack([tr.last_box for tr in seen])
            for hit in self.zones.update(frame.t, [tr.tid for tr in seen], boxes):
                track = self.book.tracks[hit.tid]  # this look's frame shows the hit: its picture
                self._zone_hit(track, hit, jpeg(frame.image, boxes=[(track.last_box, "")],
                                                outlines=[self.zones.outlines[hit.zone]]))
        self._update_proximity(frame, seen)
        self._update_riders(seen)
        self._pending.boxes[frame.t] = [(tr.key, tr.last_box.copy()) for tr in seen if tr.announced]

    def _look_at(self, frame: Frame, track: Track) -> None:
        """Colour vote and thumbnail from this look, if it is a good one."""
        if self.detector is None:
            return
        score = track.last_score
        whole = nearest_edge(track.last_box, self.context.width, self.context.height, margin=0.01) == "inside"
        if score >= _COLOUR_SCORE and track.family != OTHER and whole:  # a cut-off view shows the wrong part
            read = colour.reading(frame.image, track.last_box, person=track.family == "person")
            if read:  # a near, sure look shows more of the object than a far one: it weighs more
                box = track.last_box
                weight = score * float(np.sqrt((box[2] - box[0]) * (box[3] - box[1])))
                track.colours[read[0]] = track.colours.get(read[0], 0.0) + weight
                for near in read[1]:
                    track.near_colours[near] = track.near_colours.get(near, 0.0) + weight
        if score >= track.pictured_score:  # the surest look with a picture: the one behind a citation
            self._save_thumbnail(frame, track)

    def _confirmed(self, track: Track) -> bool:
        if self.detector is None:  # motion-only: a region seen moving on a second's worth of frames is an object
            return track.hits >= self.context.sample_fps and track.duration >= 1.0
        if track.hits < self.settings.confirm_hits:
            return False
        sure_once = track.best_score >= self.settings.confirm_score
        sure_often = track.hits >= 2 * self.settings.confirm_hits and track.mean_score >= self.settings.score_threshold
        if not (sure_once or sure_often):
            return False
        return track.family != OTHER or track.moved  # scenery the detector names but vidgraph does not count

    def _label(self, track: Track) -> str:
        if track.family == OTHER:
            return "object"
        return track.label or "object"

    # -- events ----------------------------------------------------------------------------------------------
    def _announce(self, track: Track) -> None:
        track.announced = True
        edge = nearest_edge(track.first_box, self.context.width, self.context.height)
        entered = self._entered(track)
        said = (f"entered from the {edge}" if edge != "inside" else "appeared") if entered else "was in view"
        self._track_event(track, "enter", track.first_seen, track.first_seen, said, {"edge": edge, "entered": entered})
        self._pending.entities[track.key] = self._entity(track)
        for hit, picture in self._zone_pending.pop(track.tid, []):
            self._zone_hit(track, hit, picture)

    def _zone_hit(self, track: Track, hit: ZoneHit, picture: bytes | None = None) -> None:
        """A zone event for a confirmed track now; for one not yet confirmed, when (if) it is. ``picture``: the
        hit's moment (a hit carried to a first or last sighting has none: the track's own picture stands in)."""
        if not track.announced:
            self._zone_pending.setdefault(track.tid, []).append((hit, picture))
            return
        said = {"zone_enter": f"entered {hit.zone}", "zone_exit": f"left {hit.zone}",
                "line_cross": f"crossed {hit.zone} ({hit.side})"}[hit.kind]
        attributes: dict[str, Any] = {"zone": hit.zone}
        if hit.stayed:  # the end of its stay, not a leaving (common.classes.SIGHTING_MARKS)
            said = f"was still in {hit.zone} at the end" if hit.stayed == "end" else f"was last seen in {hit.zone}"
            attributes["left"] = False
        elif hit.kind == "zone_enter" and hit.t <= track.first_seen + 1e-6 and not self._entered(track):
            said = f"was in {hit.zone} as the footage began"  # its stay began with it: no entering
            attributes["entered"] = False
        if hit.side:
            attributes["side"] = hit.side
        if hit.direction:
            attributes["direction"] = hit.direction
        if hit.since is not None:
            attributes["dwell_s"] = round(hit.t - hit.since, 2)
        t0 = hit.since if hit.since is not None else hit.t
        self._track_event(track, hit.kind, t0, hit.t, said, attributes,
                          key=f"{hit.kind}-{hit.zone}-{track.tid}-{round(hit.t * 10)}", picture=picture)

    def _stops(self, track: Track) -> None:
        """Its standstills, each with the zones it stood in ("stopped in lane_2": an alert rule's zone)."""
        verb = "stood still" if track.family == "person" else "stopped"
        for t0, t1 in track.pending_stops:
            attributes: dict[str, Any] = {"duration_s": round(t1 - t0, 2)}
            said = f"{verb} for {t1 - t0:.0f} s"
            if zones := self.zones.inside_at(track.tid, (t0 + t1) / 2):
                attributes["zones"] = zones
                said += f" in {', '.join(zones)}"
            self._track_event(track, "stopped", t0, t1, said, attributes, key=f"stopped-{track.tid}-{round(t0 * 10)}")
        track.pending_stops = []
        self.zones.forget(track.tid, before=track.anchor_t)  # a later standstill begins at its anchor or after

    def _close(self, track: Track) -> None:
        if self.zones.specs and track.tid in self._zoned:  # its last sighting (carried along its motion) counts too
            for hit in self.zones.update(track.last_seen, [track.tid], track.last_box[None]):
                self._zone_hit(track, hit)
        self._zoned.discard(track.tid)
        edge = nearest_edge(track.last_box, self.context.width, self.context.height, heading=track.velocity)
        # closed at the end of the input: gone only if the last look no longer saw it
        left = not self._ending or track.last_seen < self._last_look - 1e-6
        for hit in self.zones.leave(track.last_seen, track.tid):
            # last seen inside the zone: it left it by going out of the picture there; still in view at the end,
            # or lost inside the picture, it is not known to have left (the stay ends there all the same)
            hit.stayed = "" if left and edge != "inside" else "lost" if left else "end"
            self._zone_hit(track, hit)
        self._zone_pending.pop(track.tid, None)
        if track.announced:
            self._stops(track)
        self.zones.forget(track.tid)
        if not track.announced:
            return  # never confirmed: not an entity
        if track.family == "bicycle":
            self._ride(track)
        heading = self._heading(track)
        duration = round(track.duration, 2)
        self._pending.entities[track.key] = self._entity(track, left=left)
        if not left:
            said = "was still in view at the end"
        elif heading not in ("stationary", "no_clear_direction"):  # lost inside the picture: not "left at the inside"
            where = f"left at the {edge}" if edge != "inside" else "was last seen inside the picture"
            said = f"{where}, moving {heading.replace('_', ' ')}"
        else:
            said = f"was last seen at the {edge}" if edge != "inside" else "was last seen"
        self._track_event(track, "exit", track.last_seen, track.last_seen, said,
                          {"edge": edge, "direction": heading, "duration_s": duration, "left": left})
        if track.duration >= self.settings.dwell_s:
            self._track_event(track, "dwell", track.first_seen, track.last_seen, f"stayed {track.duration:.0f} s",
                              {"duration_s": duration})

    def _entered(self, track: Track) -> bool:
        """First seen after the first look: it came into view while the footage ran (through an edge, or from
        behind something inside the picture), where one first seen at the first look was already there."""
        return self._first_look is not None and track.first_seen > self._first_look + 1e-6

    def _heading(self, track: Track) -> str:
        """Its net direction across the picture; one that moved but ended near where it began (walking up to
        the camera, or there and back) has none, and is not called stationary."""
        if not track.moved:
            return "stationary"
        way = direction(track.first_box, track.last_box, self.context.width, self.context.height)
        return "no_clear_direction" if way == "stationary" else way

    def _track_event(self, track: Track, kind: str, t0: float, t1: float, said: str, attributes: dict[str, Any],
                     key: str | None = None, picture: bytes | None = None) -> None:
        """An event about one track, e.g. ``car 3 left at the top``; its picture is ``picture`` (its moment) or
        the track's own."""
        label, key = self._label(track), key or f"{kind}-{track.tid}"
        self._pending.events.append(EventObservation(
            key=key, type=kind, t0=t0, t1=t1, confidence=track.confidence if self.detector else 0.5, label=label,
            description=f"{label} {track.tid} {said}", entities=[track.key], roles={track.key: "subject"},
            attributes=attributes, thumbnail=self._event_picture(key, picture) or self._picture_of(track),
        ))

    def _entity(self, track: Track, left: bool | None = None) -> EntityObservation:
        """``left``: given once the track is closed (False: still in view when the input ended)."""
        closed = left is not None
        w, h = self.context.width, self.context.height
        thumb = self._picture_of(track)
        word, share = track.colour
        still = sum(t1 - t0 for t0, t1 in track.stationary)
        attributes: dict[str, Any] = {
            "track": track.tid, "entry_edge": nearest_edge(track.first_box, w, h), "in_view": not closed,
            "votes": {k: round(v, 3) for k, v in track.votes.items()}, "looks": track.hits,
            "appearance": track.appearance, "moved": track.moved, "stationary_s": round(still, 2),
            "stationary": not track.moved, "entered": self._entered(track),
        }
        if closed:
            attributes["exit_edge"] = nearest_edge(track.last_box, w, h, heading=track.velocity)
            attributes["left"] = left
        # a corner is both edges: a car leaving at the bottom right left by the bottom and by the right
        for key, box in (("entry_edges", track.first_box), *((("exit_edges", track.last_box),) if closed else ())):
            if len(corner := touched_edges(box, w, h)) > 1:
                attributes[key] = corner
        if word:
            attributes.update(colour=word, colour_confidence=round(share, 2))
            # a dark "black" car may be dark green, a "red" vest near orange orange: not "not green", "not orange"
            voted = sum(track.colours.values())
            near = sorted(n for n, w in track.near_colours.items() if w >= _NEAR_SHARE * voted and n != word)
            if alternatives := [*colour.could_be(word), *near]:
                attributes["colour_could_be"] = alternatives
        if (growth := track.growth) is not None:  # from its first whole look to its last: toward the camera or away
            # (one that never moved came no closer, whatever hid part of it: a parked car behind a passing one)
            attributes["approach"] = ("neither" if not track.moved else "closer" if growth >= APPROACH_GROWTH else
                                      "farther" if growth <= 1 / APPROACH_GROWTH else
                                      "neither" if 1 / SAME_SIZE <= growth <= SAME_SIZE else "unclear")
            attributes["growth"] = round(growth, 2)
        if track.pictured_box and thumb:
            attributes["thumbnail_box"] = list(track.pictured_box)  # the boxed object in its thumbnail
        if track.family == OTHER or self.detector is None:
            attributes["detector_label"] = (track.detector_word or "").replace("_", " ")
        if rider := self._rider(track):
            attributes["rider"] = f"track-{rider}"
        return EntityObservation(
            key=track.key, cls=self._label(track), confidence=track.confidence if self.detector else 0.5,
            first_seen=track.first_seen, last_seen=track.last_seen,
            direction=self._heading(track) if closed else None, attributes=attributes,
            thumbnail=thumb,
        )

    # -- pairs: proximity, riders ------------------------------------------------------------------------------
    def _update_proximity(self, frame: Frame, seen: list[Track]) -> None:
        t = frame.t
        people = [tr for tr in seen if tr.announced and tr.label == "person"]
        vehicles = [tr for tr in seen if tr.announced and (tr.label in VEHICLE_CLASSES or tr.label == "vehicle")]
        for person in people:
            for vehicle in vehicles:
                metres = gap_metres(person.last_box, vehicle.last_box)
                if metres > self.settings.proximity_m:
                    continue
                near = self._open_proximity.setdefault((person.tid, vehicle.tid), _Near(t, t, metres))
                near.t1 = t
                if metres <= near.metres or near.image is None:  # the closest look is the event's picture
                    near.metres, near.image = metres, frame.image
                    near.boxes = [(person.last_box.copy(), ""), (vehicle.last_box.copy(), "")]
        for pair, near in list(self._open_proximity.items()):
            if t - near.t1 > _PROXIMITY_GAP_S:
                self._close_proximity(pair)

    def _close_proximity(self, pair: tuple[int, int]) -> None:
        near = self._open_proximity.pop(pair)
        t0, t1, metres = near.t0, near.t1, near.metres
        key = f"proximity-{pair[0]}-{pair[1]}-{round(t0 * 10)}"
        person, vehicle = (f"track-{tid}" for tid in pair)
        vehicle_track = self.book.tracks.get(pair[1])
        vehicle_label = (vehicle_track.label if vehicle_track else None) or "vehicle"
        self._pending.events.append(EventObservation(
            key=key, type="proximity", t0=t0, t1=t1,
            confidence=0.5,  # the metric scale is an estimate from the person's box height
            label="person", description=f"person {pair[0]} within {metres:.1f} m of {vehicle_label} {pair[1]}",
            entities=[person, vehicle], roles={person: "person", vehicle: "vehicle"},
            attributes={"min_distance_m": round(metres, 2), "vehicle": vehicle_label},
            thumbnail=self._event_picture(key, None if near.image is None else jpeg(near.image, boxes=near.boxes)),
        ))

    def _update_riders(self, seen: list[Track]) -> None:
        bikes = [tr for tr in seen if tr.family == "bicycle"]
        people = [tr for tr in seen if tr.family == "person"]
        for bike in bikes:
            for person in people:
                if _rides(person.last_box, bike.last_box):
                    together = self._riders.setdefault(bike.tid, {})
                    together[person.tid] = together.get(person.tid, 0) + 1

    def _rider(self, track: Track) -> int | None:
        together = self._riders.get(track.tid, {})
        if not together:
            return None
        person, looks = max(together.items(), key=lambda item: item[1])
        return person if looks >= 2 and looks >= _RIDER_SHARE * track.hits else None

    def _ride(self, bike: Track) -> None:
        rider = self._rider(bike)
        if rider is None:
            return
        person, cycle = f"track-{rider}", bike.key
        self._pending.events.append(EventObservation(
            key=f"riding-{rider}-{bike.tid}", type="riding", t0=bike.first_seen, t1=bike.last_seen, confidence=0.6,
            label="bicycle", description=f"person {rider} rode bicycle {bike.tid}", entities=[person, cycle],
            roles={person: "rider", cycle: "bicycle"}, attributes={"rider": person}, thumbnail=self._picture_of(bike),
        ))

    # -- output ------------------------------------------------------------------------------------------------
    def _observation(self, idx: int, t0: float, t1: float, motion: float, active: bool) -> Observation:
        pending, self._pending = self._pending, _Pending()
        in_chunk = list(pending.seen.values())
        self.last_tracks = TrackContext(
            objects=[TrackedObject(tr.key, self._label(tr), tr.first_seen, tr.last_seen) for tr in in_chunk],
            boxes=pending.boxes,
        )
        for track in in_chunk:  # keep in-view entities' last_seen current in the graph
            if track.tid in self.book.tracks:
                pending.entities.setdefault(track.key, self._entity(track))
        counts: dict[str, int] = {}
        for track in in_chunk:
            counts[self._label(track)] = counts.get(self._label(track), 0) + 1
        events = sorted(pending.events, key=lambda e: (e.t0, e.key))
        return Observation(
            chunk_idx=max(idx, 0), t0=t0, t1=t1, status="ok" if active or events or in_chunk else "static",
            caption=caption(t0, t1, active, counts, [e for e in events if t0 <= said_at(e) <= t1 or idx < 0]),
            motion=min(1.0, motion), counts=counts, events=events,
            entities=sorted(pending.entities.values(), key=lambda e: e.key),
            seen={k: round(v, 3) for k, v in sorted(pending.detected.items())},
            unexplained=round(pending.unexplained / pending.moving, 3) if pending.moving else None,
        )

    def _picture_of(self, track: Track) -> str | None:
        """The track's own picture (its surest look, boxed), if it has one."""
        path = self.context.thumbs_dir / f"{track.key}.jpg"
        return str(path) if path.exists() else None

    def _event_picture(self, key: str, picture: bytes | None) -> str | None:
        """Save an event's own picture (JPEG) beside the run's thumbnails; its path."""
        if picture is None:
            return None
        path = self.context.thumbs_dir / f"event-{_file_name(key)}.jpg"
        path.write_bytes(picture)
        return str(path)

    def _save_thumbnail(self, frame: Frame, track: Track) -> None:
        """The frame with the track boxed, as its thumbnail, and where the box is in it (frame fractions)."""
        picture = jpeg(frame.image, boxes=[(track.last_box, "")])
        if picture is not None:
            (self.context.thumbs_dir / f"{track.key}.jpg").write_bytes(picture)
            size = (self.context.width, self.context.height) * 2
            track.pictured_box = tuple(round(float(v) / s, 4) for v, s in zip(track.last_box, size, strict=True))


EXPLAINED = 0.5  # a moving region at least this much inside detection boxes is what they found moving
_GRID = (np.arange(8) + 0.5) / 8  # where a moving region is sampled: 8 x 8 points


def _unexplained(regions: np.ndarray, boxes: list[np.ndarray]) -> tuple[float, float]:
    """The moving area of a looked-at frame (its motion regions, pixels) and the part of it in regions that the
    detections cover less than ``EXPLAINED``: something moved there that the detector did not find (people seen
    from straight above, a moving camera's whole picture). A chunk where that is most of the moving area cannot
    support a "none" (``query.coverage.unexplained``)."""
    if not len(regions):
        return 0.0, 0.0
    found = np.stack(boxes) if boxes else np.zeros((0, 4), np.float32)
    moving = unexplained = 0.0
    for x0, y0, x1, y1 in regions:
        area = float((x1 - x0) * (y1 - y0))
        xs, ys = np.meshgrid(x0 + _GRID * (x1 - x0), y0 + _GRID * (y1 - y0))
        points = np.stack([xs.ravel(), ys.ravel()], axis=1)[:, None, :]  # (64, 1, 2) against (1, N, 2)
        inside = np.any(np.all((points >= found[None, :, :2]) & (points <= found[None, :, 2:]), axis=2), axis=1)
        moving += area
        unexplained += area if float(inside.mean()) < EXPLAINED else 0.0
    return moving, unexplained


def _file_name(key: str) -> str:
    """An event key as a file name: its safe characters, and a digest of the whole key (zone names are free
    text: "dock 2" and "dock/2" stay apart)."""
    return f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', key)[:80]}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def _fast(track: Track, interval: float) -> bool:
    """Whether a track moves over half its own size in one detection interval: at that pace two looks no longer
    overlap and tracking needs every sampled frame."""
    size = float(np.hypot(track.last_box[2] - track.last_box[0], track.last_box[3] - track.last_box[1]))
    return float(np.linalg.norm(track.velocity)) * interval > 0.5 * max(size, 1.0)


def _rides(person: np.ndarray, bike: np.ndarray) -> bool:
    """A person box over a bicycle box: their overlap covers a third of the bicycle, and the person's feet are
    no lower than the bicycle's bottom (above it, for a top-down view: overlapping is enough)."""
    ix = max(0.0, float(min(person[2], bike[2]) - max(person[0], bike[0])))
    iy = max(0.0, float(min(person[3], bike[3]) - max(person[1], bike[1])))
    bike_area = max(1.0, float((bike[2] - bike[0]) * (bike[3] - bike[1])))
    return ix * iy / bike_area >= 0.33
