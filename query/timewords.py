"""Time words in questions, and how they become a window on each stream's own time axis.

Three kinds of time appear in questions:

- **offsets** from the start of the footage: ``after 12 s``, ``between 0:10 and 0:20`` (m:ss), ``in the first
  2 minutes``. Every stream has these.
- **clock times**: ``between 2 and 3 pm``, ``at 14:05``, ``yesterday``, ``this morning``. A clock time is written
  with am/pm or as HH:MM with a two-digit hour (``09:30``, ``14:00``); ``9:30`` stays an m:ss offset. They need
  the stream's wall clock (``Stream.start``); a stream without one cannot answer them, and the answer says so.
  A range ends at the first such time after it starts: ``between 10 pm and 2 am`` and ``last night`` (18:00
  to 06:00) end the next day.
- **dates**: ``on 2025-10-26``, ``on 26 October``, ``Oct 26, 2025 between 14:00 and 15:00``, ``since 2025-10-20``,
  ``from 20 Oct to 26 Oct`` (the whole of both days), ``between 2025-10-20 22:00 and 2025-10-21 02:00``. A date
  without a year is the latest such day up to the stream clock's "now". Wall-clock time too.
- **relative to now**: ``in the last 10 minutes``, ``in the past hour``. "Now" is the stream's clock, the end
  of the newest analysed footage, not the machine's clock: a question about yesterday's recording is answered
  about that recording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from common.text import numbers_in_words

_UNIT = r"(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)"
_CLOCK = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)"
_HHMM = r"(\d{2}):(\d{2})(?::(\d{2}))?"
_OFFSET = r"(\d+(?::\d{1,2}){0,2}(?:\.\d+)?)\s*(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?)?\b"
# "in the last 10 minutes", "over the past 3 days", "from the last hour": back from the stream clock's now
_LAST_SPAN = rf"\b(?:in|during|within|over|for|from)\s+the\s+(?:last|past|final)\s+(?:(\d+(?:\.\d+)?)\s*)?{_UNIT}\b"
_PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 18), "evening": (18, 24), "night": (18, 30)}  # to 06:00


@dataclass(slots=True, frozen=True)
class Day:
    """A calendar day a question names; ``year`` None: the latest such day up to the stream clock's "now"."""

    year: int | None
    month: int
    day: int

    def text(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}" if self.year else \
            f"{self.day} {_MONTH_NAMES[self.month - 1].capitalize()}"


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(slots=True, frozen=True)
class Calendar:
    """A day named from the stream clock's today: ``(last) Monday`` is the latest Monday up to today (before today
    with "last"); ``this/last week`` the Monday of that week, and ``this/last month`` its first day, or with
    ``end`` that week's Sunday and that month's last day."""

    unit: str  # "weekday", "week", "weekend" or "month"
    back: int = 0  # 1: "last"; for a weekend, -1: "the weekend", the latest up to today
    weekday: int = 0  # Monday 0
    end: bool = False

    def text(self) -> str:
        if self.unit == "weekday":
            return f"{'last ' if self.back else ''}{_WEEKDAYS[self.weekday].capitalize()}"
        return f"{({-1: 'over the', 1: 'last'}).get(self.back, 'this')} {self.unit}"

    def through(self) -> Calendar | None:
        """The last day of the week or month this names; None for one day."""
        return None if self.unit == "weekday" else replace(self, end=True)

    def on(self, today: datetime) -> datetime:
        """The midnight beginning this day, for the stream clock's ``today`` (a midnight)."""
        if self.unit == "weekday":
            back = (today.weekday() - self.weekday) % 7
            return today - timedelta(days=back or (7 if self.back else 0))
        if self.unit == "week":
            monday = today - timedelta(days=today.weekday() + 7 * self.back)
            return monday + timedelta(days=6) if self.end else monday
        if self.unit == "weekend":  # Saturday and Sunday: of this week, of last week, or the latest begun
            back = (1 if today.weekday() < 5 else 0) if self.back < 0 else self.back
            saturday = today - timedelta(days=today.weekday() - 5 + 7 * back)
            return saturday + timedelta(days=1) if self.end else saturday
        first = today.replace(day=1)
        if self.back:
            first = (first - timedelta(days=1)).replace(day=1)
        if not self.end:
            return first
        return (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


@dataclass(slots=True, frozen=True)
class ClockWindow:
    """A window of wall-clock time from ``start_s`` after the midnight that begins ``date`` (or, without one, the
    day of the stream clock's "now", ``day`` days before it) to ``end_s`` after the midnight of ``until`` (or of
    that same day). ``None``: open on that side ("since 2025-10-20")."""

    day: int = 0  # 0 today, 1 yesterday
    start_s: float | None = 0.0  # seconds after that day's midnight
    end_s: float | None = 86400.0
    date: Day | Calendar | None = None
    until: Day | Calendar | None = None


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
    if unit.startswith("w"):
        return 7 * 86400.0
    if unit.startswith("d"):
        return 86400.0
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
    h, mm, ss = int(hour), int(minute or 0), int(second or 0)
    if mm > 59 or ss > 59 or h > 24 or (h == 24 and mm + ss):  # "at 25:00", "at 14:75": no clock shows them
        raise ValueError(f"{hour}:{minute} is not a time")
    if meridiem:
        if not 1 <= h <= 12:
            raise ValueError(f"{hour} {meridiem} is not a time")
        h = h % 12 + (12 if meridiem.startswith("p") else 0)
    return h * 3600.0 + mm * 60.0 + ss  # 24:00 is the midnight that ends the day


def _clock_range(text: str) -> tuple[float, float] | None:
    """``between 2 and 3 pm`` (the meridiem may be given once), ``from 14:00 to 15:00``, ``at 2:30 pm``."""
    meridiem = r"(am|pm|a\.m\.|p\.m\.)"
    time = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*" + meridiem + "?"
    if m := re.search(rf"\b(?:between|from)\s+{time}\s+(?:and|to|-)\s+{time}", text):
        h0, m0, s0, mer0, h1, m1, s1, mer1 = m.groups()
        two_digit = re.fullmatch(r"\d{2}", h0 or "") and m0 and re.fullmatch(r"\d{2}", h1 or "") and m1
        if not (mer0 or mer1 or two_digit):
            return None  # "between 10 and 20" and "between 0:10 and 0:20" are offsets
        # the am/pm said once is both ends' ("between 2 and 3 pm"), but not one written on a 24-hour clock
        took0 = None if mer0 or _hhmm24(h0, m0) else mer1  # the start takes the end's, or the end the start's
        took1 = None if mer1 or _hhmm24(h1, m1) else mer0
        start = _clock_seconds(h0, m0, s0, mer0 or took0)
        end = _clock_seconds(h1, m1, s1, mer1 or took1)
        if took0 and start >= end and start >= 43200.0:
            start -= 43200.0  # "between 11 and 1 pm": from 11 am
        return start, _after(start, end, 43200.0 if took1 else 86400.0)
    if m := re.search(rf"\bat\s+{_CLOCK}", text) or re.search(rf"\bat\s+{_HHMM}\b", text):
        groups = m.groups()
        start = _clock_seconds(*groups) if len(groups) == 4 else _clock_seconds(groups[0], groups[1], groups[2], None)
        return start, start + (0.0 if groups[2] else 60.0)  # "at 2:30 pm": that minute; "at 14:05:10": that moment
    return None


def _hhmm24(hour: str | None, minute: str | None) -> bool:
    """A time written HH:MM with a two-digit hour ("22:00", "00:00"): a 24-hour clock, no am/pm."""
    return bool(hour and minute and len(hour) == 2)


def _after(start: float, end: float, step: float) -> float:
    """The end of a clock range: the first such clock time after its start, ``step`` on (the next day, or the
    next half day when the end took the start's am/pm: "from 10 pm to 2"). "Between 10 pm and 2 am" is a night."""
    while end <= start:
        end += step
    return end


def _single_clock_bound(text: str, words: str) -> float | None:
    if m := re.search(rf"\b(?:{words})\s+{_CLOCK}", text):
        return _clock_seconds(*m.groups())
    if m := re.search(rf"\b(?:{words})\s+{_HHMM}\b", text):
        return _clock_seconds(m.group(1), m.group(2), m.group(3), None)
    return None


# clock times in words: the midnight a day ends at where a window ends there ("before midnight"); spans said in
# words are read by common.text.numbers_in_words
_SPOKEN = ((r"\b(before|until|till|by|and|to) midnight\b", r"\1 24:00"), (r"\bmidnight\b", "00:00"),
           (r"\b(?:noon|midday)\b", "12:00"))


# "0:10-0:20", "14:00 to 15:00", "from 14:00-15:00": the range "from 14:00 to 15:00" makes
_BARE_RANGE = re.compile(r"\b(?:(?:between|from) )?(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*(?:-|\u2013|to)\s*"
                         r"(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\b")


def in_numbers(text: str) -> str:
    """The (lower-cased) text with spans and clock times said in words written in numbers, and bare ranges of
    times with their "from", for every reader after it."""
    for words, number in _SPOKEN:
        text = re.sub(words, number, text)
    text = _BARE_RANGE.sub(r"from \1 to \2", text)
    return numbers_in_words(text)


# "in the first half", "during the second half of the video", "in the latter half of the window"
_HALF = re.compile(r"\b(?:in|during|over|within) the (first|second|last|latter|later) half\b"
                   r"(?!\s+(?:an?\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?)\b)"  # "the first half second"
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


_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# 2025-10-26, 26 october [2025], 26th of oct, october 26[th][,] [2025]; [last] monday; this/last week, month
# ("in the last week" is the last 7 days, a span: not a calendar week)
_DATE = re.compile(rf"\b(?:(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})|"
                   rf"(\d{{1,2}})(?:st|nd|rd|th)?(?: of)? {_MONTH}(?:,? (\d{{4}}))?|"
                   rf"{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?|"
                   rf"(?<!the )(?:(last|this) )?({'|'.join(_WEEKDAYS)})\b|"
                   rf"(?<!the )(last|this|the) (week(?:end)?|month)\b)(?![\d:-])")
_DATE_GROUPS = 13  # the groups of a _DATE match; an _AT_TIME's follow
_AT_TIME = rf"(?:\s+(?:at\s+)?(?:{_HHMM}\b|{_CLOCK}))?"


NO_WINDOW: tuple[TimeSpec, str] = (TimeSpec(), "")  # dates named that make no window (_dated)


def _masked(text: str) -> tuple[str, list[str]]:
    """The text with each date (and a time written after it) as a word no reader takes for a time, and the dates."""
    dates: list[str] = []

    def mask(m: re.Match[str]) -> str:
        dates.append(m.group(0))
        return f"xdatex{len(dates) - 1}"

    return re.sub(rf"{_DATE.pattern}{_AT_TIME}", mask, text), dates


def _day(m: re.Match[str]) -> Day | Calendar | None:
    """The day a :data:`_DATE` match names; None for one no calendar has (2025-02-30)."""
    iso_y, iso_m, iso_d, d1, m1, y1, m2, d2, y2, which, weekday, which_span, span = m.groups()[:_DATE_GROUPS]
    year: int | None
    if weekday:
        return Calendar("weekday", int(which == "last"), _WEEKDAYS.index(weekday))
    if span:  # "the week" and "the month" are no window ("during the week"): only "the weekend" is
        if which_span == "the" and span != "weekend":
            return None
        return Calendar(span, {"last": 1, "the": -1}.get(which_span, 0))
    if iso_y:
        year, month, day = int(iso_y), int(iso_m), int(iso_d)
    else:
        name = m1 or m2
        year = int(y1 or y2) if (y1 or y2) else None
        month = next(i for i, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name[:3]))
        day = int(d1 or d2)
    if year is not None and not 1970 <= year <= 2999:
        return None  # footage is timed from 1970 on; far years are typing slips, not windows
    try:
        datetime(2024 if year is None else year, month, day)  # 2024: a leap year, so 29 February is a day
    except ValueError:
        return None
    return Day(year, month, day)


def _time_of(groups: tuple[str | None, ...]) -> float | None:
    """Seconds after midnight of an HH:MM or am/pm time that followed a date, None if none did."""
    hh, mm, ss, h12, m12, s12, meridiem = groups
    if hh is not None:
        return _clock_seconds(hh, mm, ss, None)
    return _clock_seconds(h12, m12, s12, meridiem) if h12 is not None else None


def _dated(text: str) -> tuple[TimeSpec, str] | None:
    """A window that names dates, and the text without its time words; None when no date is named. Dates that do
    not make one window (one no calendar has, two not joined as a range, a date beside an offset) read none:
    every time word stays, to be said unchecked, and no digit of theirs is taken for an offset."""
    found = [(m, _day(m)) for m in re.finditer(rf"{_DATE.pattern}{_AT_TIME}", text)]
    days = [d for _, d in found if d is not None]
    if not found:
        return None
    if len(days) < len(found) or len(found) > 2:
        return NO_WINDOW
    m0, times = found[0][0], [_time_of(m.groups()[_DATE_GROUPS:]) for m, _ in found]
    lead, after = text[:m0.start()], text[found[-1][0].end():]
    ranged = re.search(r"\b(?:between|from)(?:\s+the)?\s*$", lead)
    if len(found) == 2:
        if not (ranged and re.fullmatch(r"\s*(?:and|to|until|till|-)(?:\s+the)?\s*",
                                        text[m0.end():found[1][0].start()])):
            return NO_WINDOW
        if _reversed(days[0], days[1]):
            return NO_WINDOW  # a range that ends before it begins
        # from one day (or moment) to another: the whole of the last day (or week) when no time is given
        window = ClockWindow(start_s=times[0] or 0.0, end_s=86400.0 if times[1] is None else times[1], date=days[0],
                             until=_through(days[1]) if times[1] is None else days[1])
        rest = lead[:ranged.start()] + " " + after
    elif ranged and times[0] is not None and (to := re.match(
            rf"\s*(?:and|to|until|till|-)\s+(?:{_HHMM}\b|{_CLOCK})", after)):
        end = _time_of(to.groups())  # "between 2025-10-26 14:00 and 15:00": that day's hour
        assert end is not None
        window = ClockWindow(start_s=times[0], end_s=_after(times[0], end, 86400.0), date=days[0])
        rest = lead[:ranged.start()] + " " + after[to.end():]
    elif bound := re.search(r"\b(since|after|from|before|until|till|by)(?:\s+the)?\s*$", lead):
        at = times[0] or 0.0
        window = ClockWindow(start_s=None, end_s=at, until=days[0]) if bound.group(1) in (
            "before", "until", "till", "by") else ClockWindow(start_s=at, end_s=None, date=days[0])
        rest = lead[:bound.start()] + " " + after
    else:  # ("on thursday evening": that day's evening)
        after = re.sub(r"^\s*(morning|afternoon|evening|night)\b", r" in the \1", after) if times[0] is None else after
        rest = re.sub(r"\b(?:on|during|for)(?:\s+the)?\s*$", " ", lead) + " " + after
        inner = _whole(rest)  # "on 2025-10-26 between 14:00 and 15:00": that day's clock window
        if _through(days[0]) != days[0] and (times[0] is not None or inner.clock is not None):
            return NO_WINDOW  # "last week between 2 and 3 pm": an hour on each of seven days, not one window
        if inner.clock is not None and inner.clock.day == 0 and inner.clock.date is None and times[0] is None:
            return TimeSpec(clock=replace(inner.clock, date=days[0])), strip_time(rest)
        minute = times[0]  # "on 2025-10-26 at 14:05": that minute
        window = ClockWindow(date=days[0], until=_through(days[0]) if _through(days[0]) != days[0] else None) \
            if minute is None else ClockWindow(start_s=minute, end_s=minute + 60.0, date=days[0])
    if not _whole(rest).empty:
        return NO_WINDOW  # other time words beside the dates: not one window
    return TimeSpec(clock=window), " ".join(rest.split())


def _through(day: Day | Calendar) -> Day | Calendar:
    """The last day of what ``day`` names: itself, or a week's Sunday and a month's last day."""
    return (day.through() or day) if isinstance(day, Calendar) else day


def _reversed(first: Day | Calendar | None, last: Day | Calendar | None) -> bool:
    """Two dates with years, the second before the first."""
    return isinstance(first, Day) and isinstance(last, Day) and first.year is not None and last.year is not None \
        and (last.year, last.month, last.day) < (first.year, first.month, first.day)


def parse_time(text: str) -> TimeSpec:
    """The time window a (lower-cased, whitespace-normalised) question names; empty if none, or if it names a
    clock time no clock shows ("at 13 pm"): then no window is read, and its words stay to be said unchecked."""
    try:
        half, text = _half(text)
        return replace(_whole(text), half=half) if half else _whole(text)
    except ValueError:
        return TimeSpec()


def _whole(text: str) -> TimeSpec:
    """:func:`parse_time` but for halves."""
    if dated := _dated(text):  # dates that make no window: the other time words are read without them
        return dated[0] if dated is not NO_WINDOW else _whole(_masked(text)[0])
    if m := re.search(_LAST_SPAN, text):
        return TimeSpec(last_s=float(m.group(1) or 1) * _unit_seconds(m.group(2)))
    day = 1 if re.search(r"\b(yesterday|last night)\b", text) else 0  # last night began yesterday
    dayword = bool(re.search(rf"\b(yesterday|today|this (morning|afternoon|evening)|tonight|last night)\b|{_PART}",
                             text))  # "in the evening": of the stream clock's today, as "between 18:00 and 24:00" is
    if clock := _clock_range(text):
        return TimeSpec(clock=ClockWindow(day, *clock))
    after = _single_clock_bound(text, "after|since|from")
    before = _single_clock_bound(text, "before|until|till|by")
    if after is not None and before is not None:  # "after 22:00 and before 06:00": the next morning
        return TimeSpec(clock=ClockWindow(day, after, _after(after, before, 86400.0)))
    if after is not None or before is not None:
        return TimeSpec(clock=ClockWindow(day, after or 0.0, before or 86400.0))
    if dayword:
        part = re.search(r"\b(morning|afternoon|evening|night)\b", re.sub(r"\b(?:tonight|overnight)\b", "night", text))
        start, end = _PARTS_OF_DAY[part.group(1)] if part else (0, 24)
        return TimeSpec(clock=ClockWindow(day, start * 3600.0, end * 3600.0))
    return TimeSpec(*_offset_window(text))


# a part of the day said without a day ("in the evening", "at night", "during the morning")
_PART = r"\b(?:(?:in|during|through|over) the (?:morning|afternoon|evening|night)|at night|overnight)\b"
_STRIPPED = (
    _LAST_SPAN,
    r"\b(?:yesterday|today) (?:morning|afternoon|evening|night)\b", _PART,
    r"\b(?:between|from)\s+(\d{1,2})(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s+(?:and|to|-)\s+"
    r"(\d{1,2})(?::\d{2}){0,2}\s*(?:am|pm|a\.m\.|p\.m\.)?",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_CLOCK}",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_HHMM}\b",
    r"\b(yesterday|today|tonight|last night|this (morning|afternoon|evening|night))\b",
    rf"(?:between|from)\s+{_OFFSET}\s+(?:and|to|-)\s+{_OFFSET}",
    rf"(?:in|during|within|for|over) the first\s+{_UNIT}\b",
    rf"(?:in|during|within|for|over) the (?:first|last)\s+{_OFFSET}",
    rf"\b(?:at|after|since|from|before|until|till|by)\s+{_OFFSET}",
)


def strip_time(text: str) -> str:
    """The question without its time words (what :func:`parse_time` read), for the rest of the planning."""
    if parse_time(text).empty:
        return " ".join(text.split())  # nothing was read (or a time no clock shows): every word stays
    _, text = _half(text)
    if dated := _dated(text):
        if dated is not NO_WINDOW:
            return dated[1]
        masked, dates = _masked(text)  # the dates stay, to be said unchecked
        return re.sub(r"\bxdatex(\d+)\b", lambda m: dates[int(m.group(1))], strip_time(masked))
    for pattern in _STRIPPED:
        text = re.sub(pattern, " ", text)
    return " ".join(text.split())


# a bound of a window in offsets, of any form: what a second window in one question is made of
_OFFSET_BOUND = (rf"\b(?:at|after|since|from|before|until|till|by|between)\s+{_OFFSET}|"
                 rf"(?:in|during|within|for|over) the (?:first|last)\s+(?:{_OFFSET}|{_UNIT}\b)")


def _offset_window(text: str) -> tuple[float | None, float | None]:
    for pattern, read in _WHOLE_WINDOWS:
        if m := re.search(pattern, text):
            if re.search(_OFFSET_BOUND, text[:m.start()] + " " + text[m.end():]):
                return None, None  # "in the first 20 s and after 25 s": two windows, not one (none is read)
            return read(m, text)
    t0 = t1 = None
    if m := re.search(rf"\b(?:after|since|from)\s+{_OFFSET}", text):
        t0 = _offset(m.group(1), text[m.end(1):m.end(1) + 8])
    if m := re.search(rf"\b(?:before|until|till|by)\s+{_OFFSET}", text):
        t1 = _offset(m.group(1), text[m.end(1):m.end(1) + 8])
    return t0, t1


def _end(m: re.Match[str], text: str, group: int = 1) -> float:
    return _offset(m.group(group), text[m.end(group):m.end(group) + 8])


# windows one phrase makes whole: a range, the first minute (or 10 s), a moment
_WHOLE_WINDOWS: tuple[tuple[str, Callable[[re.Match[str], str], tuple[float, float]]], ...] = (
    (rf"(?:between|from)\s+{_OFFSET}\s+(?:and|to|-)\s+{_OFFSET}", lambda m, t: (_offset(m.group(1)), _end(m, t, 2))),
    (rf"(?:in|during|within|for|over) the first\s+{_UNIT}\b", lambda m, t: (0.0, _unit_seconds(m.group(1)))),
    (rf"(?:in|during|within|for|over) the first\s+{_OFFSET}", lambda m, t: (0.0, _end(m, t))),
    (rf"\bat\s+{_OFFSET}", lambda m, t: (_end(m, t), _end(m, t))),  # a moment: what was in view then
)


GRAMMAR = ("seconds (90), 90s, 15m, m:ss (1:30), h:mm:ss, a clock time (14:05, 2:30 pm), a date (2025-10-26, "
           "'2025-10-26 14:00') or 'last 10 minutes'")


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
    return _ordered(spec, since, until)


def _ordered(spec: TimeSpec, since: str | None, until: str | None) -> TimeSpec:
    """Bounds that end after they begin: a clock time 'until' at or before 'since' on the same day is the next
    day's (``--since 22:00 --until 06:00``, a night); offsets or dates the wrong way round are a ValueError (they
    listed nothing before, without a word)."""
    reversed_ = ValueError(f"since {since!r} is not before until {until!r}")
    if spec.t0 is not None and spec.t1 is not None and spec.t1 <= spec.t0:
        raise reversed_
    c = spec.clock
    if c is None or c.start_s is None or c.end_s is None:
        return spec
    if _reversed(c.date, c.until) or (isinstance(c.date, Day) and c.date.year is not None and c.until == c.date
                                       and c.end_s <= c.start_s):  # a time on each of one day
        raise reversed_
    if c.end_s <= c.start_s and (c.until is None or c.until == c.date):
        return replace(spec, clock=replace(c, until=None, end_s=_after(c.start_s, c.end_s, 86400.0)))
    return spec


def parse_day(text: str) -> TimeSpec:
    """A report's ``--day``: whole calendar days on the stream clock, one (``2025-10-26``, ``26 October``,
    ``Monday``, ``today``, ``yesterday``) or a week or month (``last week``, ``last month``: a weekly or monthly
    report); anything else is a ValueError naming it."""
    words = " ".join(str(text).lower().split())
    phrase = words if words in ("today", "yesterday") or re.fullmatch(r"(last|this) \w+", words) else f"on {words}"
    spec = parse_time(phrase)
    c = spec.clock
    whole = c is not None and (c.start_s, c.end_s) == (0.0, 86400.0) and (
        c.until is None or (c.date is not None and c.until == _through(c.date)))
    if c is None or strip_time(phrase) or not whole:
        raise ValueError(f"day {text!r} is not a day: use 2025-10-26, 26 October, Monday, today, yesterday, "
                         "last week or last month")
    return spec


def _merge(a: TimeSpec, b: TimeSpec) -> TimeSpec:
    """Two bounds, one window; mixing offsets with clock times is refused (they live on different axes)."""
    if a.empty:
        return b
    if (a.clock is None) != (b.clock is None) or a.last_s is not None or b.last_s is not None:
        raise ValueError("since and until must both be offsets or both clock times ('last N' stands alone)")
    if a.clock is not None and b.clock is not None:
        return TimeSpec(clock=ClockWindow(a.clock.day, a.clock.start_s, b.clock.end_s, a.clock.date,
                                          b.clock.until or b.clock.date))
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
        t1 = max(t0, t1)  # "since Friday, the first half" with Friday past the footage: an empty window, not reversed
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
    c = spec.clock
    today = datetime.fromtimestamp(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    first = _midnight(c.date, today, tz) - timedelta(days=0 if c.date else c.day)
    last = _midnight(c.until, today, tz) if c.until else first
    if isinstance(c.until, Day) and c.until.year is None and last < first:  # "from 28 December to 3 January"
        last = next(at for year in range(first.year, first.year + 9) if (at := _on(year, c.until, tz)) and at >= first)
    while isinstance(c.date, Calendar) and last < first:  # "from Friday to Tuesday": the one that ended last
        first -= timedelta(days=7)
    # aware datetimes add wall-clock time: end_s 86400 is the next midnight, across a summer-time change too
    wall0 = None if c.start_s is None else (first + timedelta(seconds=c.start_s)).timestamp() - clock.start
    wall1 = None if c.end_s is None else (last + timedelta(seconds=c.end_s)).timestamp() - clock.start
    if wall0 is not None and wall1 is not None and wall1 > wall0:
        wall1 -= END_EPSILON_S  # a day ends before the next one begins: a car first seen at midnight is not in both
    return wall0, wall1


# windows on the graph are closed ([t0, t1], so "at 0:15" is a moment); a clock window ends this much before its
# end, so that it is [start, end) and days, weeks and months do not share their midnights
END_EPSILON_S = 1e-3


def _midnight(day: Day | Calendar | None, today: datetime, tz: ZoneInfo) -> datetime:
    """The midnight that begins ``day`` (the latest such day up to ``today`` where it has no year)."""
    if day is None:
        return today
    if isinstance(day, Calendar):
        return day.on(today)
    if day.year is not None:
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    # the latest up to today (29 February: within the last 8 years there is always a leap year)
    return next(at for year in range(today.year, today.year - 9, -1) if (at := _on(year, day, tz)) and at <= today)


def _on(year: int, day: Day, tz: ZoneInfo) -> datetime | None:
    """The midnight beginning ``day`` in ``year``; None where that year has no such day (29 February)."""
    try:
        return datetime(year, day.month, day.day, tzinfo=tz)
    except ValueError:
        return None


def describe(spec: TimeSpec, tz: ZoneInfo, now: float | None = None) -> str:
    """The window in words, for answers: " between 14:00 and 15:00 yesterday"; a whole day said "today" or
    "yesterday" with its date where ``now`` (the end of the newest footage: :func:`reference_now`) is given, since
    recorded footage's "today" is its own last day ("4 cars today" of a 2018 recording read as this day's)."""
    if spec.half:
        which = "first" if spec.half == 1 else "second"
        whole = describe(replace(spec, half=None), tz)
        of = "the window" if spec.t0 is not None or spec.t1 is not None else "the footage"
        return f"{whole}, its {which} half" if whole else f" in the {which} half of {of}"
    if spec.last_s is not None:
        return f" in the last {_span(spec.last_s)}"
    if spec.clock is not None and (spec.clock.date or spec.clock.until):
        return _describe_dated(spec.clock, tz)
    if spec.clock is not None:
        day = " yesterday" if spec.clock.day == 1 else ""
        c = spec.clock
        assert c.start_s is not None and c.end_s is not None  # open only on a date's side (_describe_dated)
        # the day read, where ``now`` is known: a clock time without a date is on the newest footage's day
        on = "" if now is None else (datetime.fromtimestamp(now, tz) - timedelta(days=c.day)).strftime("%Y-%m-%d, ")
        if c.start_s == 0 and c.end_s == 86400:
            return (day or " today") + (f" ({on}{tz.key})" if on else "")
        if c.start_s == c.end_s:
            return f" at {_hhmm(c.start_s)}{day} ({on}{tz.key})"
        if c.end_s > 86400:  # "last night", "between 10 pm and 2 am"
            then = " today" if c.day == 1 else " the next day"
            return f" between {_hhmm(c.start_s)}{day} and {_hhmm(c.end_s - 86400)}{then} ({on}{tz.key})"
        return f" between {_hhmm(c.start_s)} and {_hhmm(c.end_s)}{day} ({on}{tz.key})"
    return ""


def _describe_dated(c: ClockWindow, tz: ZoneInfo) -> str:
    """" on 2025-10-26", " between 14:00 and 15:00 on 2025-10-26 (UTC)", " from 20 October to 26 October"."""
    first = c.date.text() if c.date else ""
    if c.start_s is None:
        return f" before {c.until.text() if c.until else ''}{'' if not c.end_s else ' ' + _hhmm(c.end_s)} ({tz.key})"
    if c.end_s is None:
        return f" since {first}{'' if not c.start_s else ' ' + _hhmm(c.start_s)} ({tz.key})"
    if isinstance(c.date, Calendar) and c.until == _through(c.date) != c.date and (c.start_s, c.end_s) == (0, 86400):
        return f" {c.date.text()} ({tz.key})"  # " last week (UTC)"
    if c.until is not None and c.until != c.date:
        if c.start_s == 0 and c.end_s == 86400:
            return f" from {first} to {c.until.text()} ({tz.key})"
        return f" between {first} {_hhmm(c.start_s)} and {c.until.text()} {_hhmm(c.end_s)} ({tz.key})"
    if c.start_s == 0 and c.end_s == 86400:
        return f" {_on_day(c.date)} ({tz.key})"
    if c.end_s > 86400:  # "from 2025-10-26 22:00 to 02:00"
        return f" between {_hhmm(c.start_s)} on {first} and {_hhmm(c.end_s - 86400)} the next day ({tz.key})"
    return f" between {_hhmm(c.start_s)} and {_hhmm(c.end_s)} {_on_day(c.date)} ({tz.key})"


def _on_day(day: Day | Calendar | None) -> str:
    """"on 2025-10-26", "on Monday", "last Monday"."""
    text = day.text() if day else ""
    return text if text.startswith("last ") else f"on {text}"


def _hhmm(seconds: float) -> str:
    seconds = int(seconds) % 86400 if seconds < 86400 else 86400
    hhmm = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    return f"{hhmm}:{seconds % 60:02d}" if seconds % 60 else hhmm


def _span(seconds: float) -> str:
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        return f"{int(seconds // 86400)} days"
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} h"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"
