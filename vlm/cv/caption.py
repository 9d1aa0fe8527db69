"""The templated caption of a segment: what a person would write in a log book, from the cv events."""

from __future__ import annotations

from common.text import clock, plural
from vlm.schema import EventObservation
from vlm.schema import said_at as event_said_at


def said_at(event: EventObservation) -> float:
    """The moment an event's description speaks of (:func:`vlm.schema.said_at`)."""
    return event_said_at(event.type, event.t0, event.t1)


def caption(t0: float, t1: float, active: bool, counts: dict[str, int], events: list[EventObservation]) -> str:
    head = f"{clock(t0)}-{clock(t1)}:"
    if not active and not counts and not events:
        return f"{head} no motion."
    seen = ", ".join(f"{n} {plural(cls, n)}" for cls, n in sorted(counts.items())) or "motion, no recognised objects"
    parts = [f"{head} {seen} in view."]
    parts += [f"{e.description} at {clock(said_at(e))}." for e in sorted(events, key=said_at)]
    return " ".join(parts)
