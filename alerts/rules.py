"""Alert rules: structured, or one line of plain language read into the same structure.

A rule is structured (TOML ``[[rule]]`` tables with ``event``, ``classes``, ``zone``, ``max_distance_m``,
``min_duration_s``, ``severity``) or one line of plain language that :func:`parse_rule` turns into the same
structure, and refuses when it cannot:

- ``person within 2 m of a forklift``           -> proximity events, vehicle class forklift, distance <= 2 m
- ``vehicle stopped in lane_2 for more than 60 s`` -> a vehicle's standstill of >= 60 s inside zone lane_2
- ``vehicle stays in lane_2 for more than 60 s`` -> a vehicle's time inside zone lane_2 >= 60 s, moving or not
- ``car crosses gate_in`` / ``person enters dock`` -> line crossings / zone entries by that class
- ``car stays for more than 5 min``             -> a track in view that long (dwell)
- ``more than 3 people in restricted``           -> 4 or more people inside zone restricted at once (occupancy,
  evaluated across a run's events by :mod:`alerts.occupancy`; once per stretch with that many)
- ``person enters dock between 22:00 and 06:00`` -> only at those wall-clock hours (``hours``; ``at night``:
  18:00-06:00), in the site's time zone; a stream without a wall clock never fires such a rule

"Stopped in a zone" is a standstill (a ``stopped`` event of the CV perception, which records the zones it stood
in); it fires when the object moves again or its track closes. "Stays in a zone" is time inside the zone, moving
or not, and fires when the object leaves the zone (or the stream ends): either latency is the time itself.

Firings get deterministic ids (rule + event), are written in the same transaction as the events that fire
them, and are delivered by :class:`WebhookNotifier` on a background thread with retries and backoff; the
delivery state ("yes", "failed", "none" when no webhook is set) is stored on the Alert node. Re-running an
analysis finds its firings already stored and does not deliver them again.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from common.classes import ANYTHING_WORDS, CLASS_WORDS, KIND_WORDS, SOMEONE_WORDS, VEHICLES, sighting_mark
from common.text import COUNT_WORD, LENGTH_UNIT, count_of, in_metres, numbers_in_words
from graph.records import EventRow

Severity = Literal["high", "medium", "low", "info"]
_ZONE_EVENTS = ("zone_enter", "zone_exit", "line_cross", "zone_dwell", "occupancy")


class AlertRule(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    event: str = Field(description="proximity, zone_dwell, zone_enter, zone_exit, line_cross, stopped, dwell, enter, "
                                   "exit, or a VLM profile's event type")
    classes: list[str] = Field(
        default_factory=list, description="subject classes (proximity: the vehicle's); empty = any"
    )
    zone: str | None = None
    max_distance_m: float | None = Field(default=None, gt=0)
    min_duration_s: float | None = Field(default=None, ge=0)
    min_count: int | None = Field(default=None, ge=1, description="occupancy: this many or more inside at once")
    severity: Severity = "high"
    streams: list[str] | None = None
    hours: str | None = Field(default=None, pattern=r"^(?:[01]\d:[0-5]\d|2[0-3]:[0-5]\d|24:00)-"
                                                    r"(?:[01]\d:[0-5]\d|2[0-3]:[0-5]\d|24:00)$",
                              description="active only then on the stream's wall clock in the site's time zone, "
                                          "HH:MM-HH:MM (22:00-06:00 runs across midnight)")
    text: str = ""  # the plain-language form it was written in, if any

    @model_validator(mode="after")
    def _complete(self) -> AlertRule:
        if self.event in _ZONE_EVENTS and not self.zone:
            raise ValueError(f"rule {self.name!r}: {self.event} needs a zone")
        if self.event == "zone_dwell" and self.min_duration_s is None:
            raise ValueError(f"rule {self.name!r}: zone_dwell needs min_duration_s")
        if (self.event == "occupancy") != (self.min_count is not None):
            raise ValueError(f"rule {self.name!r}: min_count goes with event occupancy, and occupancy needs it")
        return self

    def applies(self, stream_id: str, wall: datetime | None) -> bool:
        """Whether the rule watches this stream at this wall-clock time (None: the stream has no wall clock)."""
        if self.streams and stream_id not in self.streams:
            return False
        return not self.hours or (wall is not None and self._in_hours(wall))

    def matches(self, event: EventRow, zone: str | None, wall: datetime | None = None) -> bool:
        """Whether one event row (as written to the graph) fires this rule; ``wall``: when it began on the
        stream's wall clock in the site's time zone (None: the stream has no wall clock)."""
        if self.event == "occupancy" or not self.applies(event["stream_id"], wall):
            return False  # (how many are inside at once is no one event's: alerts.occupancy)
        attributes = json.loads(event.get("attributes") or "{}")
        kind = "zone_exit" if self.event == "zone_dwell" else self.event
        if event["type"] != kind:
            return False
        if self.event in _ZONE_EVENTS and zone != self.zone:
            return False
        if self.event == "stopped" and self.zone and self.zone not in attributes.get("zones", ()):
            return False  # a standstill elsewhere (or one a perception did not place)
        if sighting_mark(self.event, attributes):
            return False  # a sighting's edge, not the coming or going the rule names (a stay's end is its dwell)
        if self.event == "proximity":
            subject = attributes.get("vehicle", "")
            distance = attributes.get("min_distance_m", float("inf"))
            if self.max_distance_m is not None and distance > self.max_distance_m:
                return False
        else:
            subject = event.get("label", "")
        if self.classes and subject not in self.classes:
            return False
        if self.min_duration_s is not None:
            duration = attributes.get("dwell_s", attributes.get("duration_s", event["t1"] - event["t0"]))
            if duration < self.min_duration_s:
                return False
        return True


    def _in_hours(self, wall: datetime) -> bool:
        assert self.hours is not None
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in self.hours.split("-"))
        minute = wall.hour * 60 + wall.minute
        return start <= minute < end if start < end else minute >= start or minute < end


def _classes(word: str) -> list[str]:
    """A rule's object word: a class, or a kind of one ("worker": a rule about workers fires on people), someone
    (a person), or anything (any class)."""
    if word.lower() in KIND_WORDS:
        return list(KIND_WORDS[word.lower()])
    if word.lower() in SOMEONE_WORDS:
        return ["person"]
    if word.lower() in ANYTHING_WORDS:
        return []
    cls = CLASS_WORDS.get(word.lower())
    if cls is None:
        raise ValueError(f"unknown object class {word!r}")
    return list(VEHICLES) if cls == "vehicle" else [] if cls == "object" else [cls]


def _seconds(value: str, unit: str) -> float:
    return float(value) * (60.0 if unit.startswith("m") else 3600.0 if unit.startswith("h") else 1.0)


_UNITS = r"(s|secs?|seconds?|m|mins?|minutes?|h|hours?)"
_PERSON = rf"(?:(?:a |any |the )?person|{'|'.join(SOMEONE_WORDS)})"
_NEARS = r"(?:(?:comes|came|gets|got|is|was|goes|went|passes|passed|drives|drove) )?within"
_RULES: list[tuple[str, Any]] = [
    (
        rf"^{_PERSON} {_NEARS} (\d+(?:\.\d+)?)\s*({LENGTH_UNIT}) of (?:a |an |the |any )?(\w+)$",
        lambda m: {"event": "proximity", "max_distance_m": in_metres(m[1], m[2]), "classes": _classes(m[3])},
    ),
    (  # the same said the other way round: "a forklift comes within 2 m of a person"
        rf"^(?:a |an |the |any )?(\w+) {_NEARS} (\d+(?:\.\d+)?)\s*({LENGTH_UNIT}) of {_PERSON}$",
        lambda m: {"event": "proximity", "max_distance_m": in_metres(m[2], m[3]), "classes": _classes(m[1])},
    ),
    (  # a standstill in a zone ("stopped" events carry the zones they stood in), not time inside it
        rf"^(?:a |any )?(\w+) (?:stopped|stops|waits|waited|waiting|parked|stood still|stands still) "
        rf"(?:in|at|inside) (?:the )?(\w+) for (?:more than|over|longer than|at least) (\d+(?:\.\d+)?)\s*{_UNITS}$",
        lambda m: {"event": "stopped", "classes": _classes(m[1]), "zone": m[2], "min_duration_s": _seconds(m[3], m[4])},
    ),
    (  # time inside a zone, moving or not
        rf"^(?:a |any )?(\w+) (?:stays|stayed|is|was|in)\s*(?:in|at|inside)? (?:the )?(\w+) "
        rf"for (?:more than|over|longer than|at least) (\d+(?:\.\d+)?)\s*{_UNITS}$",
        lambda m: {
            "event": "zone_dwell",
            "classes": _classes(m[1]),
            "zone": m[2],
            "min_duration_s": _seconds(m[3], m[4]),
        },
    ),
    (  # a standstill ("stopped" events carry its duration), not time in view
        rf"^(?:a |any )?(\w+) (?:stopped|stops|parked|waits|waited|stood still|stands still) "
        rf"for (?:more than|over|longer than|at least) "
        rf"(\d+(?:\.\d+)?)\s*{_UNITS}$",
        lambda m: {"event": "stopped", "classes": _classes(m[1]), "min_duration_s": _seconds(m[2], m[3])},
    ),
    (  # time in view, moving or not ("dwell" events)
        rf"^(?:a |any )?(\w+) (?:stays|stayed|lingers|lingered|in view|is in view|was in view) "
        rf"for (?:more than|over|longer than|at least) "
        rf"(\d+(?:\.\d+)?)\s*{_UNITS}$",
        lambda m: {"event": "dwell", "classes": _classes(m[1]), "min_duration_s": _seconds(m[2], m[3])},
    ),
    (  # how many inside at once: "more than 3 people in restricted", "2 or more forklifts in aisle_3"
        rf"^(?:(more than|over|at least) )?({COUNT_WORD})(?: or more)? (\w+) (?:are |is )?(?:in|inside|at) "
        rf"(?:the )?(\w+)(?: at once| at the same time| together)?$",
        lambda m: {"event": "occupancy", "classes": _classes(m[3]), "zone": m[4],
                   "min_count": count_of(m[2]) + (m[1] in ("more than", "over"))},
    ),
    (
        r"^(?:a |any )?(\w+) (?:crosses|crossed|crossing|cross) (?:the )?(\w+)$",
        lambda m: {"event": "line_cross", "classes": _classes(m[1]), "zone": m[2]},
    ),
    (
        r"^(?:a |any )?(\w+) (?:enters|entered|entering|enter|in) (?:the )?(\w+)$",
        lambda m: {"event": "zone_enter", "classes": _classes(m[1]), "zone": m[2]},
    ),
]


# what a user says before the rule itself: "alert me when ...", "notify us if ...", "send an alert whenever ..."
_ASKING = re.compile(r"^(?:please )?(?:(?:alert|notify|warn|tell|ping|page|flag|signal)(?: me| us| the team)?|"
                     r"(?:send|raise|fire|give)(?: me| us)? an? (?:alert|alarm|notification|warning)) "
                     r"(?:when(?:ever)?|if|as soon as|each time|every time|once) ")
# "between 22:00 and 06:00", "from 22:00 to 06:00", "at night": when a rule is active (24-hour clock)
_HOURS = re.compile(r" (?:(?:between|from) (\d{2}:\d{2}) (?:and|to|-) (\d{2}:\d{2})|at night)$")


def parse_rule(text: str, name: str | None = None, severity: Severity = "high") -> AlertRule:
    """A plain-language rule as a structured one; ValueError naming the rule when it is not understood."""
    said = _ASKING.sub("", " ".join(text.lower().strip().rstrip(".!").split()))
    clean, hours = said, None
    if m := _HOURS.search(said):
        hours = f"{m[1]}-{m[2]}" if m[1] else "18:00-06:00"
        clean = said[:m.start()]
    clean = numbers_in_words(clean)  # "for over a minute", "within two metres"
    for pattern, build in _RULES:
        if m := re.match(pattern, clean):
            fields = build(m)
            return AlertRule(name=name or re.sub(r"[^a-z0-9]+", "-", said).strip("-")[:64], severity=severity,
                             text=text, hours=hours, **fields)
    raise ValueError(f"cannot read alert rule {text!r}: write it like 'person within 2 m of a forklift', "
                     "'vehicle stopped in lane_2 for more than 60 s', 'car crosses gate_in', 'more than 3 people in "
                     "restricted', 'person enters dock between 22:00 and 06:00', or as a structured rule")


def load_rules(path: Path) -> list[AlertRule]:
    """``[[rule]]`` tables: ``when = "..."`` (plain language) or the structured fields."""
    try:
        with path.open("rb") as handle:
            tables = tomllib.load(handle).get("rule", [])
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"cannot read alert rules {path}: {err}") from err
    rules = []
    for n, table in enumerate(tables, 1):
        table = dict(table)
        said = table.get("when") or table.get("name") or f"number {n}"
        try:
            if "when" in table:
                rule = parse_rule(table.pop("when"), table.pop("name", None), table.pop("severity", "high"))
                rules.append(rule.model_copy(update={"streams": table.pop("streams", None)}))
            else:
                rules.append(AlertRule.model_validate(table))
        except ValidationError as err:  # which rule, and why: each field said once, without pydantic's wording
            why = "; ".join(f"{'.'.join(str(p) for p in e['loc']) + ': ' if e['loc'] else ''}"
                            f"{re.sub(r'^Value error, (?:rule .*?: )?', '', e['msg'])}"
                            for e in err.errors(include_url=False))
            raise ValueError(f"{path}: alert rule {said!r}: {why}") from None
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: alert rule names must be unique ({', '.join(sorted(names))})")
    return rules
