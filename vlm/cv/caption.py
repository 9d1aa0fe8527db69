"""The templated caption of a segment: what a person would write in a log book, from the cv events."""

from __future__ import annotations

from common.text import clock, plural
from vlm.schema import EventObservation


def caption(t0: float, t1: float, active: bool, counts: dict[str, int], events: list[EventObservation]) -> str:
    head = f"{clock(t0)}-{clock(t1)}:"
    if not active and not counts and not events:
        return f"{head} no motion."
    seen = ", ".join(f"{n} {plural(cls, n)}" for cls, n in sorted(counts.items())) or "motion, no recognised objects"
    parts = [f"{head} {seen} in view."]
    parts += [f"{e.description} at {clock(e.t0)}." for e in events]
    return " ".join(parts)
