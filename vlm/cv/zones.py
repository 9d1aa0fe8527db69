"""Watching a site's zones and counting lines (``common.site``) with supervision's geometry.

A track's box centre entering or leaving a polygon gives ``zone_enter`` / ``zone_exit`` events; crossing a
line gives ``line_cross`` with the side it crossed to (``in``/``out`` in supervision's ``LineZone`` sense).
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
    since: float | None = None  # zone_exit: when the track entered


@dataclass
class ZoneWatcher:
    """Feeds each frame's tracked boxes to supervision's PolygonZone/LineZone and reports transitions."""

    specs: list[ZoneSpec]
    width: int
    height: int
    _polygons: list[tuple[str, sv.PolygonZone]] = field(default_factory=list)
    _lines: list[tuple[str, sv.LineZone]] = field(default_factory=list)
    _inside: dict[tuple[int, str], float] = field(default_factory=dict)  # (track, zone) -> entered at

    def __post_init__(self) -> None:
        scale = np.array([self.width, self.height], np.float64)
        for spec in self.specs:
            pixels = np.round(np.array(spec.points) * scale).astype(np.int64)
            if spec.kind == "polygon":
                self._polygons.append((spec.name, sv.PolygonZone(pixels, triggering_anchors=_ANCHOR)))
            else:
                start, end = (sv.Point(int(x), int(y)) for x, y in pixels)
                # a crossing must hold for 2 frames: a box centre jittering on the line is not 3 crossings
                line = sv.LineZone(start, end, triggering_anchors=_ANCHOR, minimum_crossing_threshold=2)
                self._lines.append((spec.name, line))

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
                    since = self._inside.pop((tid, name))
                    hits.append(ZoneHit(t, tid, "zone_exit", name, since=since))
        for name, line in self._lines:
            crossed_in, crossed_out = line.trigger(detections)
            for tid, went_in, went_out in zip(tids, crossed_in, crossed_out, strict=True):
                if went_in or went_out:
                    hits.append(ZoneHit(t, tid, "line_cross", name, "in" if went_in else "out"))
        return hits

    def leave(self, t: float, tid: int) -> list[ZoneHit]:
        """A track is gone: it has left every zone it was in."""
        gone = [zone for (track, zone) in self._inside if track == tid]
        return [ZoneHit(t, tid, "zone_exit", zone, since=self._inside.pop((tid, zone))) for zone in gone]
