"""Hierarchical memory: per-stream digests at rising time scales (5 minutes, an hour, a day).

A question about a day should read tens of summaries, not thousands of segments. As segments arrive,
:class:`SummaryBuilder` folds each observation into the open window of every scale; when a window closes
(the stream moves past it, or ends) it becomes a ``Summary`` node linked ``SUMMARIZES`` to the segments
(finest scale) or the finer summaries it covers. Without an LLM a summary is a structured digest: counts
of distinct entities per class, counts per event type, and the first notable events.

Ids are ``<stream>/<run>/sum/<scale>/<window start>``: re-running writes the same nodes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from vlm.cv.caption import clock, plural
from vlm.schema import Observation

DEFAULT_SCALES = (300.0, 3600.0, 86400.0)
_NOTABLE = ("proximity", "dwell", "zone_enter", "line_cross")  # worth naming in a digest, beyond counts
_MAX_NOTABLE = 10


@dataclass
class _Window:
    scale: float
    t0: float
    entities: dict[str, set[str]] = field(default_factory=dict)  # class -> entity keys
    events: dict[str, int] = field(default_factory=dict)  # type -> count
    notable: list[dict[str, Any]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # segment or finer summary ids
    segments: int = 0
    failed: int = 0

    @property
    def t1(self) -> float:
        return self.t0 + self.scale


def coarsest_level(rows: list[dict[str, Any]], width: float, parts: int) -> list[dict[str, Any]]:
    """Of Summary rows covering a window ``width`` seconds wide, those of the coarsest scale that still splits
    it into at least ``parts`` windows (else the finest there is): a day reads its hours, not its 5 minutes."""
    scales = sorted({r["scale"] for r in rows}, reverse=True)
    pick = next((s for s in scales if width / s >= parts), scales[-1] if scales else None)
    return [r for r in rows if r["scale"] == pick]


def summary_id(stream_id: str, run: str, scale: float, t0: float) -> str:
    return f"{stream_id}/{run}/sum/{int(scale)}/{int(t0):012d}"


class SummaryBuilder:
    """Folds observations into windows by the times of what they report, not when it was reported.

    Perception reports some things late (a track's exit comes with the chunk after it left), so a window
    stays open for ``grace_s`` after its end before it is written.
    """

    def __init__(self, stream_id: str, run: str, scales: tuple[float, ...] = DEFAULT_SCALES,
                 grace_s: float = 10.0) -> None:
        self.stream_id, self.run, self.grace_s = stream_id, run, grace_s
        self.scales = tuple(sorted(scales))
        self._open: dict[tuple[float, float], _Window] = {}  # (scale, window start) -> window

    def add(self, observation: Observation, segment_id: str | None) -> list[dict[str, Any]]:
        """Fold in one observation; returns the Summary rows of windows now closed."""
        for scale in self.scales:
            if segment_id is not None:
                window = self._window(scale, observation.t0)
                window.segments += 1
                window.failed += observation.status == "failed"
                if scale == self.scales[0]:
                    window.children.append(segment_id)
            for entity in observation.entities:  # every window its time in view overlaps
                start = entity.first_seen // scale * scale
                while start <= entity.last_seen:
                    self._window(scale, start).entities.setdefault(entity.cls, set()).add(entity.key)
                    start += scale
            for event in observation.events:
                window = self._window(scale, event.t0)
                window.events[event.type] = window.events.get(event.type, 0) + 1
                if event.type in _NOTABLE and len(window.notable) < _MAX_NOTABLE:
                    window.notable.append({"t": round(event.t0, 2), "type": event.type, "what": event.description})
        return self._close_before(observation.t0 - self.grace_s)

    def finish(self) -> list[dict[str, Any]]:
        """End of stream: close every open window."""
        return self._close_before(float("inf"))

    def _window(self, scale: float, t: float) -> _Window:
        start = t // scale * scale
        window = self._open.get((scale, start))
        if window is None:
            window = self._open[(scale, start)] = _Window(scale, start)
        return window

    def _close_before(self, t: float) -> list[dict[str, Any]]:
        rows = []
        # finest first and in time order, so a coarser window lists the finer ids it covers
        for key in sorted(self._open):
            window = self._open[key]
            if window.t1 > t:
                continue
            del self._open[key]
            row = self._row(window)
            rows.append(row)
            coarser = [s for s in self.scales if s > window.scale]
            if coarser:
                self._window(coarser[0], window.t0).children.append(row["id"])
        return rows

    def _row(self, w: _Window) -> dict[str, Any]:
        counts = {cls: len(keys) for cls, keys in sorted(w.entities.items())}
        seen = ", ".join(f"{n} {plural(cls, n)}" for cls, n in counts.items()) or "nothing recognised"
        events = ", ".join(f"{n} {kind}" for kind, n in sorted(w.events.items())) or "no events"
        text = f"{clock(w.t0)}-{clock(w.t1)}: {seen}; {events}."
        if w.failed:
            text += f" {w.failed} of {w.segments} segments failed perception."
        return {
            "id": summary_id(self.stream_id, self.run, w.scale, w.t0),
            "stream_id": self.stream_id,
            "run": self.run,
            "scale": w.scale,
            "t0": w.t0,
            "t1": w.t1,
            "text": text,
            "counts": json.dumps(counts, sort_keys=True),
            "events": json.dumps(dict(sorted(w.events.items()))),
            "notable": json.dumps(w.notable),
            "children": list(w.children),
        }
