"""The templated caption of a segment: what a person would write in a log book, from the cv events."""

from __future__ import annotations

from vlm.schema import EventObservation


def clock(t: float) -> str:
    """Seconds as ``H:MM:SS.s`` (hours only when needed)."""
    hours, rest = divmod(max(0.0, t), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{int(hours)}:{int(minutes):02d}:{seconds:04.1f}" if hours else f"{int(minutes)}:{seconds:04.1f}"


def plural(cls: str, n: int) -> str:
    if n == 1:
        return cls
    return {"person": "people", "bus": "buses"}.get(cls, cls + "s")


def caption(t0: float, t1: float, active: bool, counts: dict[str, int], events: list[EventObservation]) -> str:
    head = f"{clock(t0)}-{clock(t1)}:"
    if not active and not counts and not events:
        return f"{head} no motion."
    seen = ", ".join(f"{n} {plural(cls, n)}" for cls, n in sorted(counts.items())) or "motion, no recognised objects"
    parts = [f"{head} {seen} in view."]
    parts += [f"{e.description} at {clock(e.t0)}." for e in events]
    return " ".join(parts)
