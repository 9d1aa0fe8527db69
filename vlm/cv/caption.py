"""The templated caption of a segment: what a person would write in a log book, from the cv events."""

from __future__ import annotations

from common.text import clock, plural
from vlm.schema import EventObservation


def said_at(event: EventObservation) -> float:
    """The moment an event's description speaks of: the leaving of a zone spans from the entering and happened at
    its end ("left lane_up" at 0:08.6, not at 0:04.4); the others at their start ("stopped for 3 s" from then)."""
    return event.t1 if event.type == "zone_exit" else event.t0


def caption(t0: float, t1: float, active: bool, counts: dict[str, int], events: list[EventObservation]) -> str:
    head = f"{clock(t0)}-{clock(t1)}:"
    if not active and not counts and not events:
        return f"{head} no motion."
    seen = ", ".join(f"{n} {plural(cls, n)}" for cls, n in sorted(counts.items())) or "motion, no recognised objects"
    parts = [f"{head} {seen} in view."]
    parts += [f"{e.description} at {clock(said_at(e))}." for e in sorted(events, key=said_at)]
    return " ".join(parts)
