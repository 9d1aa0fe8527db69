"""Watching a site's zones and counting lines (``common.site``) with supervision's geometry.

A track's box centre entering or leaving a polygon gives ``zone_enter`` / ``zone_exit`` events; crossing a
line gives ``line_cross`` with the side it crossed to (``in``/``out`` in supervision's ``LineZone`` sense: ``in``
is from the right of the line's start->end to its left) and the way it went in image terms (``top_to_bottom``
...; a car that turns back across a line crosses it once each way). Tracks are seen a few times a second, not
every frame, so a crossing is a change of side between two sightings of the centre (on the segment, outside a
narrow band along the line where a jittering centre keeps its side), not a condition held for some frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import supervision as sv

from common.site import ZoneSpec

_ANCHOR = (sv.Position.CENTER,)  # box centre: robust for overhead and oblique views alike


@dataclass(slots=True)
class ZoneHit:
    t: float
    tid: int
    kind: str  # zone_enter, zone_exit, line_cross
    zone: str
    side: str = ""  # line_cross: "in" or "out"
    direction: str = ""  # line_cross: the way it crossed, in image terms (``top_to_bottom`` ...)
    since: float | None = None  # zone_exit: when the track entered
    # zone_exit: "" it went out of the zone; the stay ended with it inside: "end" still in view as the input ended,
    # "lost" lost inside the picture
    stayed: str = ""


def crossing_direction(along: np.ndarray, side: int) -> str:
    """The way a crossing of a line (start->end ``along``, in pixels) to ``side`` went, in image terms: the
    line's normal toward that side, by its larger component (a crossing's own way, whatever its object did
    before or after)."""
    dx, dy = (-along[1], along[0]) if side > 0 else (along[1], -along[0])  # +1: the right of start->end
    if abs(dy) >= abs(dx):
        return "bottom_to_top" if dy < 0 else "top_to_bottom"
    return "left_to_right" if dx > 0 else "right_to_left"


@dataclass
class ZoneWatcher:
    """Feeds each frame's tracked boxes to supervision's PolygonZone/LineZone and reports transitions."""

    specs: list[ZoneSpec]
    width: int
    height: int
    _polygons: list[tuple[str, sv.PolygonZone]] = field(default_factory=list)
    _lines: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)  # name, start, end (pixels)
    _inside: dict[tuple[int, str], float] = field(default_factory=dict)  # (track, zone) -> entered at
    _side: dict[tuple[int, str], int] = field(default_factory=dict)  # (track, line) -> +1 right, -1 left
    _stays: dict[int, list[tuple[str, float, float]]] = field(default_factory=dict)  # track -> its ended stays
    outlines: dict[str, tuple[np.ndarray, bool]] = field(default_factory=dict)  # name -> pixels, closed (a polygon)

    def __post_init__(self) -> None:
        scale = np.array([self.width, self.height], np.float64)
        for spec in self.specs:
            pixels = np.round(np.array(spec.points) * scale).astype(np.int64)
            self.outlines[spec.name] = (pixels, spec.kind == "polygon")
            if spec.kind == "polygon":
                self._polygons.append((spec.name, sv.PolygonZone(pixels, triggering_anchors=_ANCHOR)))
            else:
                self._lines.append((spec.name, pixels[0].astype(np.float64), pixels[1].astype(np.float64)))
        self._band = 0.01 * float(np.hypot(self.width, self.height))

    def update(self, t: float, tids: list[int], boxes: np.ndarray) -> list[ZoneHit]:
        if not self.specs:
            return []
        detections = sv.Detections(xyxy=boxes.astype(np.float32).reshape(-1, 4), tracker_id=np.array(tids, int))
        hits: list[ZoneHit] = []
        for name, polygon in self._polygons:
            inside = polygon.trigger(detections) if len(tids) else np.zeros(0, bool)
            for tid, now_inside in zip(tids, inside, strict=True):
                was_inside = (tid, name) in self._inside
                if now_inside and not was_inside:
                    self._inside[(tid, name)] = t
                    hits.append(ZoneHit(t, tid, "zone_enter", name))
                elif was_inside and not now_inside:
                    hits.append(self._ended(t, tid, name))
        centres = np.column_stack([(detections.xyxy[:, 0] + detections.xyxy[:, 2]) / 2,
                                   (detections.xyxy[:, 1] + detections.xyxy[:, 3]) / 2])
        for name, start, end in self._lines:
            along = end - start
            length = float(np.hypot(*along)) or 1.0
            for tid, centre in zip(tids, centres, strict=True):
                offset = centre - start
                across = float(along[0] * offset[1] - along[1] * offset[0]) / length  # signed distance
                on_segment = -0.05 <= float(np.dot(offset, along)) / length**2 <= 1.05
                if abs(across) < self._band or not on_segment:
                    continue  # on the line (jitter) or beside the segment: the side stays as it was
                side = 1 if across > 0 else -1
                before = self._side.get((tid, name))
                self._side[(tid, name)] = side
                if before is not None and before != side:
                    hits.append(ZoneHit(t, tid, "line_cross", name, "in" if before > 0 else "out",
                                        crossing_direction(along, side)))
        return hits

    def leave(self, t: float, tid: int) -> list[ZoneHit]:
        """A track is gone: it has left every zone it was in (its stays are kept until :meth:`forget`)."""
        gone = [zone for (track, zone) in self._inside if track == tid]
        for key in [k for k in self._side if k[0] == tid]:
            del self._side[key]
        return [self._ended(t, tid, zone) for zone in gone]

    def inside_at(self, tid: int, t: float) -> list[str]:
        """The zones a track was inside at time ``t`` of its life (where a standstill was)."""
        ended = [zone for zone, since, until in self._stays.get(tid, []) if since <= t <= until]
        return sorted({*ended, *(zone for (track, zone), since in self._inside.items() if track == tid and since <= t)})

    def forget(self, tid: int, before: float | None = None) -> None:
        """A track's stays that ended before ``before`` (all of them: it closed) are no longer asked about."""
        kept = [stay for stay in self._stays.pop(tid, []) if before is not None and stay[2] >= before]
        if kept:
            self._stays[tid] = kept

    def _ended(self, t: float, tid: int, zone: str) -> ZoneHit:
        since = self._inside.pop((tid, zone))
        self._stays.setdefault(tid, []).append((zone, since, t))
        return ZoneHit(t, tid, "zone_exit", zone, since=since)
