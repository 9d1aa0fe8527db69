"""Rule-based question planning: intent, object classes, direction, zone, stream, time window, anchor.

Deliberately literal: anything it does not recognise leaves the question ``intent="open"``; the caller then
answers from retrieved evidence (and an LLM when one is configured) instead of guessing a number.

Structured intents, answered exactly from the graph (``query.ask``):

- ``count`` "how many cars ...", ``times`` "how often / how many times did a car cross the midline"
  (events, not objects), ``which`` "which cars drove top to bottom", ``exists``, ``first``, ``last``,
  ``when``, ``duration``, ``near`` (person-vehicle proximity events).
- a sequence: "after the first car left, how many cars appeared?" anchors the window on an entity's exit or
  entry and asks the rest of the question after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from common.classes import CLASS_WORDS, VEHICLES
from query.timewords import TimeSpec, parse_time

DIRECTIONS = {
    r"bottom[- ]to[- ]top|upwards?|going up|moving up|northbound": "bottom_to_top",
    r"top[- ]to[- ]bottom|downwards?|going down|moving down|southbound": "top_to_bottom",
    r"left[- ]to[- ]right|eastbound": "left_to_right",
    r"right[- ]to[- ]left|westbound": "right_to_left",
}

# verbs -> event types they count in "how often" questions (zone-qualified verbs first)
EVENT_VERBS = (
    (r"\bcross(es|ed|ing)?\b", ("line_cross",)),
    (r"\b(enter(s|ed)?|came into|went into)\b", ("zone_enter",)),
    (r"\b(stop(s|ped)?|stay(s|ed)?|dwell(s|ed)?|linger(s|ed)?|park(s|ed)?)\b", ("dwell",)),
    (r"\b(le(ft|aves?)|exit(s|ed)?)\b", ("exit", "zone_exit")),
    (r"\b(appear(s|ed)?|arriv(e|es|ed)|show(s|ed)? up)\b", ("enter",)),
)


Intent = Literal["count", "times", "which", "first", "last", "when", "duration", "exists", "near", "open"]


@dataclass(slots=True, frozen=True)
class Anchor:
    """'after the first car left': the moment the rest of the question starts from."""

    cls: tuple[str, ...]
    moment: Literal["left", "appeared"]  # last seen, or first seen
    which: Literal["first", "last"] = "first"  # the first or the last such entity


@dataclass(slots=True)
class Question:
    text: str
    intent: Intent
    classes: tuple[str, ...] = ()
    direction: str | None = None
    time: TimeSpec = field(default_factory=TimeSpec)
    zone: str | None = None  # a configured zone or counting line named in the question
    streams: tuple[str, ...] = ()  # stream ids named in the question
    event_types: tuple[str, ...] = ()  # for "how often" questions
    anchor: Anchor | None = None

    @property
    def t0(self) -> float | None:
        return self.time.t0

    @property
    def t1(self) -> float | None:
        return self.time.t1

    @property
    def noun(self) -> str:
        return (
            "vehicle"
            if len(self.classes) > 1 and set(self.classes) <= set(VEHICLES)
            else (self.classes or ("object",))[0]
        )


def _intent(text: str) -> Intent:
    if re.search(r"\b(near|close to|proximity|next to)\b|\bwithin\s+\d+(\.\d+)?\s*(m|metres?|meters?)\b", text):
        return "near"
    if re.search(r"\bhow often\b|\bhow many times\b|\bnumber of times\b", text):
        return "times"
    if re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", text):
        return "count"
    if re.search(r"\bhow long\b|\bduration\b", text):
        return "duration"
    if re.search(r"^(which|who)\b", text) or ((m := re.match(r"what (\w+)", text)) and m.group(1) in CLASS_WORDS):
        return "which"
    if re.search(r"\bfirst\b", text):
        return "first"
    if re.search(r"\blast\b|\blatest\b|\bfinal\b", text):
        return "last"
    if re.search(r"^(were|was|is|are|did|do|does|has|have)\b|\bany\b", text):
        return "exists"
    if re.search(r"\bwhen\b|\bwhat times?\b|\bat what\b", text):
        return "when"
    return "open"


def _classes(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for word in re.findall(r"[a-z]+", text):
        cls = CLASS_WORDS.get(word)
        if cls and cls not in found:
            found.append(cls)
    if "vehicle" in found:
        return VEHICLES
    if re.search(r"^who\b", text) and not found:
        return ("person",)
    return tuple(found)


def _named(text: str, names: tuple[str, ...]) -> list[str]:
    """Names (zones, streams) that occur in the text, longest first, each taking its words so a shorter name
    inside it ("car" in "car-loop") does not match too; ``lane 2`` and ``lane-2`` match ``lane_2``."""
    joined = "_" + re.sub(r"[^a-z0-9]+", "_", text) + "_"
    found = []
    for name in sorted(names, key=len, reverse=True):
        token = "_" + re.sub(r"[^a-z0-9]+", "_", name.lower()) + "_"
        if token in joined:
            found.append(name)
            joined = joined.replace(token, "_")
    return found


def _without(text: str, name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return " ".join(re.sub(r"\b" + r"[^a-z0-9]+".join(map(re.escape, words)) + r"\b", " ", text).split())


_ANCHOR = re.compile(
    r"^(?:after|once)\s+(?:the\s+|a\s+)?(?:(first|last)\s+)?([a-z]+)\s+(left|exited|disappeared|appeared|arrived|entered)\s*,?\s*"
)


def parse_question(
    question: str, zones: tuple[str, ...] = (), streams: dict[str, str] | None = None
) -> Question:
    """``streams`` maps a name people use (file name, stem, id) to a stream id."""
    text = " ".join(question.lower().replace("?", " ").split())
    anchor = None
    if (m := _ANCHOR.match(text)) and (cls := CLASS_WORDS.get(m.group(2))):
        moment: Literal["left", "appeared"] = "left" if m.group(3) in ("left", "exited", "disappeared") else "appeared"
        which: Literal["first", "last"] = "last" if m.group(1) == "last" else "first"
        anchor = Anchor(VEHICLES if cls == "vehicle" else (cls,), moment, which)
        text = text[m.end():]
    # a stream id like "car" or "worker" is a class word first: names that are class words never name a stream
    stream_names = _named(text, tuple(n for n in streams or {} if n.lower() not in CLASS_WORDS))
    named_streams = tuple(dict.fromkeys(streams[n] for n in stream_names))  # type: ignore[index]
    zone = next(iter(_named(text, zones)), None)
    for name in [*stream_names, *([zone] if zone else [])]:  # "car-detection" names a stream, not cars
        text = _without(text, name)
    direction = next((d for pattern, d in DIRECTIONS.items() if re.search(pattern, text)), None)
    intent = _intent(text)
    classes = _classes(text)
    event_types: tuple[str, ...] = ()
    if intent == "times":
        event_types = next((types for pattern, types in EVENT_VERBS if re.search(pattern, text)), ())
        if zone and event_types == ("exit", "zone_exit"):
            event_types = ("zone_exit",)
        if not event_types:
            intent = "open"
    q = Question(question, intent, classes, direction, parse_time(text), zone, named_streams, event_types, anchor)
    if intent not in ("near", "open") and not classes:  # every other structured intent is about some kind of object
        q = replace(q, intent="open")
    return q
