"""Time words in questions, and how they become a window on each stream's own time axis.

Three kinds of time appear in questions:

- **offsets** from the start of the footage: ``after 12 s``, ``between 0:10 and 0:20`` (m:ss), ``in the first
  2 minutes``. Every stream has these.
- **clock times**: ``between 2 and 3 pm``, ``at 14:05``, ``yesterday``, ``this morning``. A clock time is written
  with am/pm or as HH:MM with a two-digit hour (``09:30``, ``14:00``); ``9:30`` stays an m:ss offset. They need
  the stream's wall clock (``Stream.start``); a stream without one cannot answer them, and the answer says so.
- **relative to now**: ``in the last 10 minutes``, ``in the past hour``. "Now" is the stream's clock, the end
  of the newest analysed footage, not the machine's clock: a question about yesterday's recording is answered
  about that recording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

_UNIT = r"(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)"
_CLOCK = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)"
_HHMM = r"(\d{2}):(\d{2})(?::(\d{2}))?"
_OFFSET = r"(\d+(?::\d{1,2}){0,2}(?:\.\d+)?)\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)?\b"
_PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 18), "evening": (18, 24), "night": (18, 24)}


@dataclass(slots=True, frozen=True)
class ClockWindow:
    """A window of wall-clock time, anchored to the day of the stream clock's "now" (``day`` days before it)."""

    day: int = 0  # 0 today, 1 yesterday
    start_s: float = 0.0  # seconds after that day's midnight
    end_s: float = 86400.0


@dataclass(slots=True, frozen=True)
class TimeSpec:
    t0: float | None = None  # offsets from the start of the footage
    t1: float | None = None
    clock: ClockWindow | None = None
    last_s: float | None = None  # "in the last N": seconds before the stream clock's now
    half: int | None = None  # "in the first (1) / second (2) half": of the rest of the window, else the footage

    @property
    def needs_wall_clock(self) -> bool:
        return self.clock is not None

    @property
    def empty(self) -> bool:
        return self.t0 is None and self.t1 is None and self.clock is None and self.last_s is None and not self.half


def _unit_seconds(unit: str) -> float:
    unit = unit.lower()
    if unit.startswith("h"):
        return 3600.0
    if unit.startswith("m"):
        return 60.0
    return 1.0


def _offset(token: str, unit_text: str = "") -> float:
    parts = [float(p) for p in token.split(":")]
    value = 0.0
    for part in parts:
        value = value * 60 + part
    if len(parts) == 1 and re.match(r"\s*m(in|ins|inutes?)?\b", unit_text):
        value *= 60
    elif len(parts) == 1 and re.match(r"\s*h(rs?|ours?)?\b", unit_text):
        value *= 3600
    return value


def _clock_seconds(hour: str, minute: str | None, second: str | None, meridiem: str | None) -> float:
    h = int(hour) % 24
    if meridiem:
        if not 1 <= int(hour) <= 12:
            raise ValueError(f"{hour} {meridiem} is not a time")
        h = int(hour) % 12 + (12 if meridiem.startswith("p") else 0)
    return h * 3600.0 + int(minute or 0) * 60.0 + int(second or 0)


def _clock_range(text: str) -> tuple[float, float] | None:
    """``between 2 and 3 pm`` (the meridiem may be given once), ``from 14:00 to 15:00``, ``at 2:30 pm``."""
    meridiem = r"(am|pm|a\.m\.|p\.m\.)"
    time = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*" + meridiem + "?"
    if m := re.search(rf"\b(?:between|from)\s+{time}\s+(?:and|to|-)\s+{time}", text):
        h0, m0, s0, mer0, h1, m1, s1, mer1 = m.groups()
        two_digit = re.fullmatch(r"\d{2}", h0 or "") and m0 and re.fullmatch(r"\d{2}", h1 or "") and m1
        if not (mer0 or mer1 or two_digit):
            return None  # "between 10 and 20" and "between 0:10 and 0:20" are offsets
        start = _clock_seconds(h0, m0, s0, mer0 or mer1)
        end = _clock_seconds(h1, m1, s1, mer1 or mer0)
        return start, end if end > start else end + 43200.0  # "between 11 and 1 pm"
    if m := re.search(rf"\bat\s+{_CLOCK}", text) or re.search(rf"\bat\s+{_HHMM}\b", text):
        groups = m.groups()
        start = _clock_seconds(*groups) if len(groups) == 4 else _clock_seconds(groups[0], groups[1], groups[2], None)
        return start, start + (0.0 if groups[2] else 60.0)  # "at 2:30 pm": that minute; "at 14:05:10": that moment
    return None


def _single_clock_bound(text: str, words: str) -> float | None:
    if m := re.search(rf"\b(?:{words})\s+{_CLOCK}", text):
        return _clock_seconds(*m.groups())
    if m := re.search(rf"\b(?:{words})\s+{_HHMM}\b", text):
        return _clock_seconds(m.group(1), m.group(2), m.group(3), None)
    return None


# spans said in words: "the last half hour", "every quarter of an hour", "for an hour and a half"
_SPOKEN = ((r"\b(?:an? )?hour and a half\b", "90 minutes"), (r"\b(?:an? )?half(?: an?)?[- ]hour\b", "30 minutes"),
           (r"\b(?:an? )?quarter(?: of)?(?: an?)?[- ]hour\b", "15 minutes"))


def in_numbers(text: str) -> str:
    """The (lower-cased) text with spans said in words written in numbers, for every reader after it."""
    for words, number in _SPOKEN:
        text = re.sub(words, number, text)
    return text


# "in the first half", "during the second half of the video", "in the latter half of the window"
_HALF = re.compile(r"\b(?:in|during|over|within) the (first|second|last|latter|later) half\b"
                   r"(?: of (?:the |this |that )?(video|clip|footage|recording|stream|it|day|morning|afternoon|evening|"
                   r"night|hour|window|period|time))?")
_OF_FOOTAGE = (None, "video", "clip", "footage", "recording", "stream", "it")


def _half(text: str) -> tuple[int | None, str]:
    """Which half is asked for, and the text without its words; none where it is the half of something no other
    word names ("the first half of the hour" with no hour given: its words stay, to be said unchecked)."""
    m = _HALF.search(text)
    if not m:
        return None, text
    rest = " ".join((text[:m.start()] + " " + text[m.end():]).split())
    if m.group(2) not in _OF_FOOTAGE and _whole(rest).empty:
        return None, text
    return (1 if m.group(1) == "first" else 2), rest


def parse_time(text: str) -> TimeSpec:
    """The time window a (lower-cased, whitespace-normalised) question names; empty if none."""
    half, text = _half(text)
    return replace(_whole(text), half=half) if half else _whole(text)


def _whole(text: str) -> TimeSpec:
    """:func:`parse_time` but for halves."""
    if m := re.search(rf"\b(?:in|during|within|over)\s+the\s+(?:last|past|final)\s+(?:(\d+(?:\.\d+)?)\s*)?{_UNIT}\b",
                      text):
        return TimeSpec(last_s=float(m.group(1) or 1) * _unit_seconds(m.group(2)))
    day = 1 if re.search(r"\byesterday\b", text) else 0
    dayword = bool(re.search(r"\b(yesterday|today|this (morning|afternoon|evening)|tonight|last night)\b", text))
    if clock := _clock_range(text):
        return TimeSpec(clock=ClockWindow(day, *clock))
    after = _single_clock_bound(text, "after|since|from")
    before = _single_clock_bound(text, "before|until|till|by")
    if after is not None or before is not None:
        return TimeSpec(clock=ClockWindow(day, after or 0.0, before or 86400.0))
    if dayword:
        part = re.search(r"\b(morning|afternoon|evening|night)\b", text)
        start, end = _PARTS_OF_DAY[part.group(1)] if part else (0, 24)
        return TimeSpec(clock=ClockWindow(day, start * 3600.0, end * 3600.0))
    return TimeSpec(*_offset_window(text))


_STRIPPED = (
    rf"\b(?:in|during|within|over)\s+the\s+(?:last|past|final)\s+(?:\d+(?:\.\d+)?\s*)?{_UNIT}\b",
    r"\b(?:between|from)\s+(\d{1,2})(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s+(?:and|to|-)\s+"
    r"(\d{1,2})(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.)?",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_CLOCK}",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_HHMM}\b",
    r"\b(yesterday|today|tonight|last night|this (morning|afternoon|evening|night))\b",
    rf"(?:between|from)\s+{_OFFSET}\s+(?:and|to|-)\s+{_OFFSET}",
    rf"(?:in|during|within) the first\s+{_UNIT}\b",
    rf"(?:in|during|within) the (?:first|last)\s+{_OFFSET}",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_OFFSET}",
)


def strip_time(text: str) -> str:
    """The question without its time words (what :func:`parse_time` read), for the rest of the planning."""
    _, text = _half(text)
    for pattern in _STRIPPED:
        text = re.sub(pattern, " ", text)
    return " ".join(text.split())


def _offset_window(text: str) -> tuple[float | None, float | None]:
    if m := re.search(rf"(?:between|from)\s+{_OFFSET}\s+(?:and|to|-)\s+{_OFFSET}", text):
        return _offset(m.group(1)), _offset(m.group(2), text[m.end(2):m.end(2) + 8])
    if m := re.search(rf"(?:in|during|within) the first\s+{_UNIT}\b", text):  # "in the first minute"
        return 0.0, _unit_seconds(m.group(1))
    if m := re.search(rf"(?:in|during|within) the first\s+{_OFFSET}", text):
        return 0.0, _offset(m.group(1), text[m.end(1):m.end(1) + 8])
    t0 = t1 = None
    if m := re.search(rf"\bat\s+{_OFFSET}", text):  # a moment: what was in view then
        t0 = t1 = _offset(m.group(1), text[m.end(1):m.end(1) + 8])
        return t0, t1
    if m := re.search(rf"\b(?:after|since|from)\s+{_OFFSET}", text):
        t0 = _offset(m.group(1), text[m.end(1):m.end(1) + 8])
    if m := re.search(rf"\b(?:before|until|till|by)\s+{_OFFSET}", text):
        t1 = _offset(m.group(1), text[m.end(1):m.end(1) + 8])
    return t0, t1


GRAMMAR = "seconds (90), 90s, 15m, m:ss (1:30), h:mm:ss, a clock time (14:05, 2:30 pm) or 'last 10 minutes'"


def parse_bounds(since: str | None, until: str | None) -> TimeSpec:
    """``--since``/``--until`` (and the API's ``since``/``until``) in the questions' own grammar: offsets from
    the stream start (``90``, ``90s``, ``15m``, ``1:30``, ``1:02:03``), clock times (``14:05``, ``2:30 pm``) or
    ``last 10 minutes`` (``since`` only). A value it cannot read is a ValueError naming it and the grammar."""
    spec = TimeSpec()
    for word, value in (("since", since), ("until", until)):
        if value is None or not str(value).strip():
            continue
        text = in_numbers(" ".join(str(value).lower().split()))
        phrase = f"in the {text}" if re.match(r"(last|past)\b", text) and word == "since" else \
            f"{'after' if word == 'since' else 'before'} {text}"
        got = parse_time(phrase)
        if got.empty or strip_time(phrase):
            raise ValueError(f"{word} {value!r} is not a time: use {GRAMMAR}")
        spec = _merge(spec, got)
    return spec


def _merge(a: TimeSpec, b: TimeSpec) -> TimeSpec:
    """Two bounds, one window; mixing offsets with clock times is refused (they live on different axes)."""
    if a.empty:
        return b
    if (a.clock is None) != (b.clock is None) or a.last_s is not None or b.last_s is not None:
        raise ValueError("since and until must both be offsets or both clock times ('last N' stands alone)")
    if a.clock is not None and b.clock is not None:
        return TimeSpec(clock=ClockWindow(a.clock.day, a.clock.start_s, b.clock.end_s))
    return TimeSpec(a.t0 if a.t0 is not None else b.t0, a.t1 if a.t1 is not None else b.t1)


@dataclass(slots=True, frozen=True)
class StreamClock:
    """What resolving a window needs to know of one stream."""

    stream_id: str
    start: float  # epoch seconds of t=0; 0 = unknown
    duration: float


def reference_now(clocks: list[StreamClock]) -> float | None:
    """The stream clock's "now": the end of the newest footage among streams with a wall clock."""
    ends = [c.start + c.duration for c in clocks if c.start > 0]
    return max(ends) if ends else None


def resolve(
    spec: TimeSpec, clock: StreamClock, now: float | None, tz: ZoneInfo
) -> tuple[float | None, float | None] | None:
    """The window as offsets on this stream's time axis; None when the stream cannot answer it (no wall clock).
    A half is of the rest of the window, from the footage's start or to its end where that is open."""
    if spec.half:
        whole = resolve(replace(spec, half=None), clock, now, tz)
        if whole is None:
            return None
        t0, t1 = whole[0] if whole[0] is not None else 0.0, whole[1] if whole[1] is not None else clock.duration
        mid = (t0 + t1) / 2
        return (t0, mid) if spec.half == 1 else (mid, t1)
    if spec.last_s is not None:
        if clock.start > 0 and now is not None:
            return max(0.0, now - spec.last_s - clock.start), now - clock.start
        return max(0.0, clock.duration - spec.last_s), clock.duration  # no wall clock: the end of its own footage
    if spec.clock is None:
        return spec.t0, spec.t1
    if clock.start <= 0 or now is None:
        return None
    midnight = datetime.fromtimestamp(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    midnight -= timedelta(days=spec.clock.day)
    wall0 = (midnight + timedelta(seconds=spec.clock.start_s)).timestamp()
    wall1 = (midnight + timedelta(seconds=spec.clock.end_s)).timestamp()
    return wall0 - clock.start, wall1 - clock.start


def describe(spec: TimeSpec, tz: ZoneInfo) -> str:
    """The window in words, for answers: " between 14:00 and 15:00 yesterday"."""
    if spec.half:
        which = "first" if spec.half == 1 else "second"
        whole = describe(replace(spec, half=None), tz)
        of = "the window" if spec.t0 is not None or spec.t1 is not None else "the footage"
        return f"{whole}, its {which} half" if whole else f" in the {which} half of {of}"
    if spec.last_s is not None:
        return f" in the last {_span(spec.last_s)}"
    if spec.clock is not None:
        day = " yesterday" if spec.clock.day == 1 else ""
        c = spec.clock
        if c.start_s == 0 and c.end_s == 86400:
            return day or " today"
        if c.start_s == c.end_s:
            return f" at {_hhmm(c.start_s)}{day} ({tz.key})"
        return f" between {_hhmm(c.start_s)} and {_hhmm(c.end_s)}{day} ({tz.key})"
    return ""


def _hhmm(seconds: float) -> str:
    seconds = int(seconds) % 86400 if seconds < 86400 else 86400
    hhmm = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return f"{hhmm}:{seconds % 60:02d}" if seconds % 60 else hhmm


def _span(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"
