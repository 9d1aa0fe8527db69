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
from dataclasses import asdict, dataclass, field
from typing import Any

from common.classes import sighting_mark
from common.text import class_name, clock
from graph.records import SummaryRead, SummaryRow
from vlm.schema import Observation

DEFAULT_SCALES = (300.0, 3600.0, 86400.0)
_NOTABLE = ("proximity", "dwell", "zone_enter", "line_cross")  # worth naming in a digest, beyond counts
_MAX_NOTABLE = 10


@dataclass
class _Window:
    scale: float
    t0: float
    counted: dict[str, int] = field(default_factory=dict)  # class -> entities that left while it was open
    events: dict[str, int] = field(default_factory=dict)  # type -> count
    notable: list[dict[str, Any]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # segment or finer summary ids
    segments: int = 0
    failed: int = 0

    @property
    def t1(self) -> float:
        return self.t0 + self.scale


@dataclass(frozen=True, slots=True)
class ClosedWindow:
    """A window that closed: its Summary row and what it summarises (segment or finer summary ids)."""

    row: SummaryRow
    children: list[str]


def coarsest_level(rows: list[SummaryRead], width: float, parts: int) -> list[SummaryRead]:
    """Of Summary rows covering a window ``width`` seconds wide, those of the coarsest scale that still splits
    it into at least ``parts`` windows (else the finest there is): a day reads its hours, not its 5 minutes."""
    scales = sorted({r["scale"] for r in rows}, reverse=True)
    pick = next((s for s in scales if width / s >= parts), scales[-1] if scales else None)
    return [r for r in rows if r["scale"] == pick]


def summary_id(stream_id: str, run: str, scale: float, t0: float) -> str:
    return f"{stream_id}/{run}/sum/{int(scale)}/{int(t0):012d}"


def counts_as_event(kind: str, attributes: dict[str, Any]) -> bool:
    """Whether an event is worth counting in a digest or report: an "enter" of an object in view from the start, or the
    "exit" (or "zone_exit") of one still in view at the end, marks a first or last sighting, not a coming or going."""
    return not sighting_mark(kind, attributes)


class SummaryBuilder:
    """Folds observations into windows by the times of what they report, not when it was reported.

    Perception reports some things late (a track's exit comes with the chunk after it left), so a window
    stays open for ``grace_s`` after its end before it is written.

    Each entity is counted once in every window its time in view overlaps: when it leaves (in the windows still
    open), or when a window closes while it is still in view. So the state is the open windows and the
    entities in view, bounded however long the stream runs, and :meth:`state` / :meth:`restore` carry it
    between processes (a worker continuing a run another worker wrote).
    """

    def __init__(self, stream_id: str, run: str, scales: tuple[float, ...] = DEFAULT_SCALES,
                 grace_s: float = 10.0) -> None:
        self.stream_id, self.run, self.grace_s = stream_id, run, grace_s
        self.scales = tuple(sorted(scales))
        self._open: dict[tuple[float, float], _Window] = {}  # (scale, window start) -> window
        self._in_view: dict[str, tuple[str, float, float]] = {}  # entity key -> (class, first seen, last seen)
        self._end = 0.0  # how far the footage reaches: a window is never said to cover more than there is

    def add(self, observation: Observation, segment_id: str | None) -> list[ClosedWindow]:
        """Fold in one observation; returns the Summary rows of windows now closed."""
        self._end = max(self._end, observation.t1)
        for scale in self.scales:
            if segment_id is not None:
                window = self._window(scale, observation.t0)
                window.segments += 1
                window.failed += observation.status == "failed"
                if scale == self.scales[0]:
                    window.children.append(segment_id)
            for event in observation.events:
                if not counts_as_event(event.type, event.attributes):
                    continue
                window = self._window(scale, event.t0)
                window.events[event.type] = window.events.get(event.type, 0) + 1
                if event.type in _NOTABLE and len(window.notable) < _MAX_NOTABLE:
                    window.notable.append({"t": round(event.t0, 2), "type": event.type, "what": event.description})
        for entity in observation.entities:
            if entity.attributes.get("in_view"):
                self._in_view[entity.key] = (entity.cls, entity.first_seen, entity.last_seen)
                continue
            self._in_view.pop(entity.key, None)  # it left: count it in the open windows it was in view during
            for scale in self.scales:
                start = entity.first_seen // scale * scale
                while start <= entity.last_seen:
                    if (scale, start) in self._open or start + scale > observation.t0 - self.grace_s:
                        window = self._window(scale, start)
                        window.counted[entity.cls] = window.counted.get(entity.cls, 0) + 1
                    start += scale
        return self._close_before(observation.t0 - self.grace_s)

    def finish(self) -> list[ClosedWindow]:
        """End of stream: close every open window."""
        return self._close_before(float("inf"))

    def state(self) -> dict[str, Any]:
        """Everything needed to continue, as JSON-able data (bounded: open windows and entities in view)."""
        return {"open": [asdict(w) for w in self._open.values()],
                "in_view": {k: list(v) for k, v in self._in_view.items()}, "end": self._end}

    def restore(self, state: dict[str, Any]) -> None:
        self._open = {(w["scale"], w["t0"]): _Window(**w) for w in state["open"]}
        self._in_view = {k: (v[0], v[1], v[2]) for k, v in state["in_view"].items()}
        self._end = float(state.get("end", 0.0))

    def _window(self, scale: float, t: float) -> _Window:
        start = t // scale * scale
        window = self._open.get((scale, start))
        if window is None:
            window = self._open[(scale, start)] = _Window(scale, start)
        return window

    def _close_before(self, t: float) -> list[ClosedWindow]:
        rows = []
        # finest first and in time order, so a coarser window lists the finer ids it covers
        for key in sorted(self._open):
            window = self._open[key]
            if window.t1 > t:
                continue
            del self._open[key]
            row = self._row(window)
            rows.append(ClosedWindow(row, list(window.children)))
            coarser = [s for s in self.scales if s > window.scale]
            if coarser:
                self._window(coarser[0], window.t0).children.append(row["id"])
        return rows

    def _row(self, w: _Window) -> SummaryRow:
        counted = dict(w.counted)
        for cls, first, last in self._in_view.values():  # still in view as the window closes
            if first < w.t1 and last >= w.t0:
                counted[cls] = counted.get(cls, 0) + 1
        counts = dict(sorted(counted.items()))
        seen = ", ".join(f"{n} {class_name(cls, n)}" for cls, n in counts.items()) or "nothing recognised"
        events = ", ".join(f"{n} {kind}" for kind, n in sorted(w.events.items())) or "no events"
        t1 = min(w.t1, self._end) if self._end > w.t0 else w.t1  # the last window ends with the footage
        text = f"{clock(w.t0)}-{clock(t1)}: {seen}; {events}."
        if w.failed:
            text += f" {w.failed} of {w.segments} segments failed perception."
        return {
            "id": summary_id(self.stream_id, self.run, w.scale, w.t0),
            "stream_id": self.stream_id,
            "run": self.run,
            "scale": w.scale,
            "t0": w.t0,
            "t1": t1,
            "text": text,
            "counts": json.dumps(counts, sort_keys=True),
            "events": json.dumps(dict(sorted(w.events.items()))),
            "notable": json.dumps(w.notable),
        }
