"""How times and counts are written, the same in captions, answers, reports and the dashboard."""

from __future__ import annotations

from datetime import datetime, tzinfo


def clock(t: float) -> str:
    """Seconds as ``H:MM:SS.s`` (hours only when needed)."""
    hours, rest = divmod(round(max(0.0, t), 1), 3600)  # rounded first: 59.96 s is 1:00.0, not 0:60.0
    minutes, seconds = divmod(rest, 60)
    return f"{int(hours)}:{int(minutes):02d}:{seconds:04.1f}" if hours else f"{int(minutes)}:{seconds:04.1f}"


def wall_time(timestamp: float, tz: tzinfo) -> datetime:
    """A wall-clock moment to the nearest second, as answers and reports write it ("2026-11-21 14:00:58"): the
    same moment is the same second everywhere (a day's window ends a millisecond before midnight)."""
    return datetime.fromtimestamp(round(timestamp), tz)


def with_article(noun: str) -> str:
    """The noun with its indefinite article: "a car", "an object"."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def coloured(colour: str, noun: str, cls: str, negated: bool = False) -> str:
    """An object with its colour: "white car", but "person in black". A person's colour is read from their
    clothes (the torso), and a colour word before "person" would name their skin, which nothing here reads.
    ``negated``: "non-white cars", "people not in white"."""
    if not colour:
        return noun
    if cls == "person":
        return f"{noun} {'not ' if negated else ''}in {colour}"
    return f"{'non-' if negated else ''}{colour} {noun}"


def class_name(cls: str, n: int) -> str:
    """A class as counts name it: "cars", "1 person"; the class "object" holds what perception followed without
    a name for it, so "unnamed objects" (an "object" in a question is anything)."""
    return f"unnamed {plural(cls, n)}" if cls == "object" else plural(cls, n)


def plural(cls: str, n: int) -> str:
    """``cls`` may name several classes, "truck or bus": each word takes the number."""
    if " or " in cls:
        return " or ".join(plural(c, n) for c in cls.split(" or "))
    if n == 1:
        return cls
    return {"person": "people", "bus": "buses"}.get(cls, cls + "s")
