"""The offline perception backend: motion regions -> ByteTrack tracks -> detector labels -> events.

Cost follows activity, like Frigate: static frames cost a motion score only; the detector runs only while
some track in view still needs a label (``label_looks`` matches), at most ``detect_fps`` times a second. So
an hour of an empty lane costs almost nothing beyond decoding, and each passing object a handful of
detector runs.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from common import appearance
from ingest.chunker import Chunk
from ingest.frames import Frame
from vlm.base import PerceptionBackend, PerceptionContext
from vlm.cv.caption import caption
from vlm.cv.config import CVSettings
from vlm.cv.geometry import direction, gap_metres, nearest_edge
from vlm.cv.labels import DEFAULT_LABELMAP, VEHICLE_CLASSES, map_label
from vlm.cv.tracks import Track, TrackBook, merge_candidates
from vlm.cv.zones import ZoneHit, ZoneWatcher
from vlm.schema import EntityObservation, EventObservation, Observation
from vlm.vlm_base import TrackContext, TrackedObject

log = logging.getLogger(__name__)

_PROXIMITY_GAP_S = 1.0  # a person-vehicle pair apart for less than this is still one proximity event
_THUMB_WIDTH = 320
_MIN_LOOK_AGE_S = 0.4  # a track must live this long before the detector is asked about it
_EDGE_PATIENCE_S = 1.0  # how long a track touching the frame edge waits for a better view


class CVPerception(PerceptionBackend):
    name = "cv"

    def __init__(self, settings: CVSettings, context: PerceptionContext) -> None:
        self.settings = settings
        self.context = context
        self.labelmap = DEFAULT_LABELMAP
        detector_path = settings.resolve_detector()
        self.detector = None
        if detector_path is not None:
            from vlm.cv.detector import CenterNetDetector

            self.detector = CenterNetDetector(
                detector_path, threads=settings.threads, min_score=settings.score_threshold
            )
        self.book = TrackBook(fps=context.sample_fps, linger_s=settings.track_linger_s)
        self._last_t = -1.0
        self._last_look = -1e9
        self._open_proximity: dict[tuple[int, int], list[float]] = {}  # (person, vehicle) -> [t0, t1, min_m]
        self._pending_events: list[EventObservation] = []
        self._pending_entities: dict[str, EntityObservation] = {}
        self._seen_in_chunk: dict[int, Track] = {}
        self._chunk_boxes: dict[float, list[tuple[str, np.ndarray]]] = {}
        self.zones = ZoneWatcher(list(context.zones), context.width, context.height)
        self._zone_pending: dict[int, list[ZoneHit]] = {}  # hits of tracks not yet recognised
        self.last_tracks = TrackContext()  # the tracks of the latest chunk, for a VLM in hybrid mode
        context.thumbs_dir.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        if self.detector is None:
            return "cv (motion + ByteTrack, motion-only: no detector model)"
        return f"cv (motion + ByteTrack + CenterNet {self.detector.path.name})"

    # -- the interface -------------------------------------------------------------------------------
    def perceive(self, chunk: Chunk) -> Observation:
        for frame in chunk.frames:
            if frame.t <= self._last_t:
                continue  # chunk overlap: each frame is tracked once
            self._last_t = frame.t
            self._process(frame)
        return self._observation(chunk.idx, chunk.t0, chunk.t1, chunk.motion, chunk.active)

    def flush(self, end_time: float) -> Observation | None:
        for track in self.book.close_all():
            for hit in self.zones.leave(track.last_seen, track.tid):
                self._zone_hit(track, hit)
            self._close(track)
        for pair in list(self._open_proximity):
            self._close_proximity(pair)
        if not self._pending_events and not self._pending_entities:
            return None
        return self._observation(-1, end_time, end_time, 0.0, False)

    # -- per frame -------------------------------------------------------------------------------------
    def _process(self, frame: Frame) -> None:
        seen = self.book.update(frame.t, frame.motion_boxes if frame.active else np.zeros((0, 4), np.float32))
        for track in seen:
            self._seen_in_chunk[track.tid] = track
        if seen and self._wants_look(frame.t):
            self._look(frame)
        for track in seen:
            if not track.announced and self._is_entity(track):
                self._announce(track)
        if seen and self.zones.specs:
            boxes = np.stack([tr.last_box for tr in seen])
            for hit in self.zones.update(frame.t, [tr.tid for tr in seen], boxes):
                self._zone_hit(self.book.tracks[hit.tid], hit)
        for track in self.book.close_stale(frame.t):
            for hit in self.zones.leave(track.last_seen, track.tid):
                self._zone_hit(track, hit)
            self._close(track)
        self._update_proximity(frame.t, seen)
        self._chunk_boxes[frame.t] = [(tr.key, tr.last_box.copy()) for tr in seen if tr.announced]

    def _wants_look(self, t: float) -> bool:
        if self.detector is None or t - self._last_look < 1.0 / self.settings.detect_fps:
            return False
        return any(self._needs_label(track, t) for track in self.book.in_view)

    def _needs_label(self, track: Track, t: float) -> bool:
        budget = 3 * self.settings.label_looks  # a region the detector never recognises stops asking
        if track.hits >= self.settings.label_looks or track.looks >= budget:
            return False
        age = t - track.first_seen
        if age < _MIN_LOOK_AGE_S:
            return False  # most flickers (shadows, leaves, compression) die within a few frames
        # An object cut by the frame edge is still entering and poorly classified: wait, unless it stays.
        clipped = nearest_edge(track.last_box, self.context.width, self.context.height, margin=0.01) != "inside"
        return not clipped or age >= _EDGE_PATIENCE_S

    def _look(self, frame: Frame) -> None:
        assert self.detector is not None
        self._last_look = frame.t
        detections = self.detector.detect(frame.image)
        assert detections.class_id is not None and detections.confidence is not None  # the detector sets both
        frame_area = float(frame.width * frame.height)
        labels = [
            map_label(int(cls), float((b[2] - b[0]) * (b[3] - b[1])) / frame_area, self.labelmap)
            for cls, b in zip(detections.class_id, detections.xyxy, strict=True)
        ] if len(detections) else []
        candidates = merge_candidates(detections.xyxy, labels, detections.confidence) if labels else []
        for track, candidate in self.book.add_look(candidates):
            best = max(candidate.scores.values())
            if best > track.best_score:
                track.best_score = best
                track.appearance = appearance.describe(frame.image, candidate.box)
                self._save_thumbnail(frame, candidate.box, track.key)

    def _is_entity(self, track: Track) -> bool:
        if track.duration < self.settings.min_track_s:
            return False
        return self.detector is None or track.label is not None

    def _label(self, track: Track) -> str:
        return track.label or "object"  # "object": motion-only mode, no detector to name it

    # -- events ------------------------------------------------------------------------------------------
    def _announce(self, track: Track) -> None:
        track.announced = True
        edge = nearest_edge(track.first_box, self.context.width, self.context.height)
        said = f"entered from the {edge}" if edge != "inside" else "appeared"
        self._track_event(track, "enter", track.first_seen, track.first_seen, said, {"edge": edge})
        self._pending_entities[track.key] = self._entity(track)
        for hit in self._zone_pending.pop(track.tid, []):
            self._zone_hit(track, hit)

    def _zone_hit(self, track: Track, hit: ZoneHit) -> None:
        """A zone event for a recognised track now; for one not yet recognised, when (if) it is."""
        if not track.announced:
            self._zone_pending.setdefault(track.tid, []).append(hit)
            return
        said = {"zone_enter": f"entered {hit.zone}", "zone_exit": f"left {hit.zone}",
                "line_cross": f"crossed {hit.zone} ({hit.side})"}[hit.kind]
        attributes: dict = {"zone": hit.zone}
        if hit.side:
            attributes["side"] = hit.side
        if hit.since is not None:
            attributes["dwell_s"] = round(hit.t - hit.since, 2)
        t0 = hit.since if hit.since is not None else hit.t
        self._track_event(
            track, hit.kind, t0, hit.t, said, attributes, key=f"{hit.kind}-{hit.zone}-{track.tid}-{round(hit.t * 10)}"
        )

    def _close(self, track: Track) -> None:
        self._zone_pending.pop(track.tid, None)
        if not track.announced:
            return  # noise, or never recognised: not an entity
        edge = nearest_edge(track.last_box, self.context.width, self.context.height)
        heading = direction(track.first_box, track.last_box, self.context.width, self.context.height)
        duration = round(track.duration, 2)
        self._pending_entities[track.key] = self._entity(track, closed=True)
        self._track_event(track, "exit", track.last_seen, track.last_seen,
                          f"left at the {edge}, moving {heading.replace('_', ' ')}",
                          {"edge": edge, "direction": heading, "duration_s": duration})
        if track.duration >= self.settings.dwell_s:
            self._track_event(track, "dwell", track.first_seen, track.last_seen, f"stayed {track.duration:.0f} s",
                              {"duration_s": duration})

    def _track_event(
        self, track: Track, kind: str, t0: float, t1: float, said: str, attributes: dict, key: str | None = None
    ) -> None:
        """An event about one track, e.g. ``car 3 left at the top``."""
        label = self._label(track)
        self._pending_events.append(
            EventObservation(
                key=key or f"{kind}-{track.tid}",
                type=kind,
                t0=t0,
                t1=t1,
                confidence=track.confidence if self.detector else 0.5,
                label=label,
                description=f"{label} {track.tid} {said}",
                entities=[track.key],
                roles={track.key: "subject"},
                attributes=attributes,
            )
        )

    def _entity(self, track: Track, closed: bool = False) -> EntityObservation:
        w, h = self.context.width, self.context.height
        thumb = self.context.thumbs_dir / f"{track.key}.jpg"
        return EntityObservation(
            key=track.key,
            cls=self._label(track),
            confidence=track.confidence if self.detector else 0.5,
            first_seen=track.first_seen,
            last_seen=track.last_seen,
            direction=direction(track.first_box, track.last_box, w, h) if closed else None,
            attributes={
                "track": track.tid,
                "entry_edge": nearest_edge(track.first_box, w, h),
                **({"exit_edge": nearest_edge(track.last_box, w, h)} if closed else {}),
                "votes": {k: round(v, 3) for k, v in track.votes.items()},
                "appearance": track.appearance,
                "in_view": not closed,
            },
            thumbnail=str(thumb) if thumb.exists() else None,
        )

    def _update_proximity(self, t: float, seen: list[Track]) -> None:
        people = [tr for tr in seen if tr.announced and tr.label == "person"]
        vehicles = [tr for tr in seen if tr.announced and tr.label in VEHICLE_CLASSES]
        for person in people:
            for vehicle in vehicles:
                metres = gap_metres(person.last_box, vehicle.last_box)
                if metres > self.settings.proximity_m:
                    continue
                span = self._open_proximity.setdefault((person.tid, vehicle.tid), [t, t, metres])
                span[1], span[2] = t, min(span[2], metres)
        for pair, (_, t1, _) in list(self._open_proximity.items()):
            if t - t1 > _PROXIMITY_GAP_S:
                self._close_proximity(pair)

    def _close_proximity(self, pair: tuple[int, int]) -> None:
        t0, t1, metres = self._open_proximity.pop(pair)
        person, vehicle = (f"track-{tid}" for tid in pair)
        vehicle_label = self.book.tracks[pair[1]].label if pair[1] in self.book.tracks else "vehicle"
        self._pending_events.append(
            EventObservation(
                key=f"proximity-{pair[0]}-{pair[1]}-{round(t0 * 10)}",
                type="proximity",
                t0=t0,
                t1=t1,
                confidence=0.5,  # the metric scale is an estimate from the person's box height
                label="person",
                description=f"person {pair[0]} within {metres:.1f} m of {vehicle_label} {pair[1]}",
                entities=[person, vehicle],
                roles={person: "person", vehicle: "vehicle"},
                attributes={"min_distance_m": round(metres, 2), "vehicle": vehicle_label},
            )
        )

    # -- output --------------------------------------------------------------------------------------------
    def _observation(self, idx: int, t0: float, t1: float, motion: float, active: bool) -> Observation:
        in_chunk = [tr for tr in self._seen_in_chunk.values() if tr.announced]
        self.last_tracks = TrackContext(
            objects=[TrackedObject(tr.key, self._label(tr), tr.first_seen, tr.last_seen) for tr in in_chunk],
            boxes=self._chunk_boxes,
        )
        for track in in_chunk:  # keep in-view entities' last_seen current in the graph
            self._pending_entities.setdefault(track.key, self._entity(track))
        counts: dict[str, int] = {}
        for track in in_chunk:
            counts[self._label(track)] = counts.get(self._label(track), 0) + 1
        events = sorted(self._pending_events, key=lambda e: (e.t0, e.key))
        observation = Observation(
            chunk_idx=max(idx, 0),
            t0=t0,
            t1=t1,
            status="ok" if active or events else "static",
            caption=caption(t0, t1, active, counts, events),
            motion=min(1.0, motion),
            counts=counts,
            events=events,
            entities=sorted(self._pending_entities.values(), key=lambda e: e.key),
        )
        self._pending_events, self._pending_entities, self._seen_in_chunk, self._chunk_boxes = [], {}, {}, {}
        return observation

    def _save_thumbnail(self, frame: Frame, box: np.ndarray, key: str) -> None:
        image = cv2.cvtColor(frame.image, cv2.COLOR_RGB2BGR)
        x0, y0, x1, y1 = (int(v) for v in box)
        cv2.rectangle(image, (x0, y0), (x1, y1), (0, 200, 255), 2)
        scale = _THUMB_WIDTH / image.shape[1]
        image = cv2.resize(image, (_THUMB_WIDTH, round(image.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        cv2.imwrite(str(self.context.thumbs_dir / f"{key}.jpg"), image, [cv2.IMWRITE_JPEG_QUALITY, 80])
