"""How times and counts are written, the same in captions, answers, reports and the dashboard; and how spans
said in words are read, the same in questions and alert rules."""

from __future__ import annotations

import re
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


# spans said in words: "the last half hour", "every quarter of an hour", "for an hour and a half"
_SPANS = ((r"\b(?:an? )?hour and a half\b", "90 minutes"), (r"\b(?:an? )?half(?: an?)?[- ]hour\b", "30 minutes"),
          (r"\b(?:an? )?quarter(?: of)?(?: an?)?[- ]hour\b", "15 minutes"),
          (r"\b(?:an? |one )?minute and a half\b", "90 seconds"),
          (r"\b(?:an? )?half(?: a)?[- ]minute\b", "30 seconds"), (r"\b(?:an? )?half(?: a)?[- ]day\b", "12 hours"),
          (r"\ba couple of(?= (?:seconds|minutes|hours|days|weeks)\b)", "2"))
# a number said in words before a unit of time or distance ("ten seconds", "twenty-five minutes", "two metres",
# "for a minute"); a number before anything else is a count, which the question's own reader takes ("two people")
_ONES = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|metres?|meters?|feet|foot|ft)\b"
_UNIT = rf"(?=\s+{_UNITS})"
_SPOKEN = rf"\b(?:({'|'.join(_TENS)})(?:[- ]({'|'.join(_ONES[:9])}))?|({'|'.join(_ONES)}))"
_NUMBER = re.compile(_SPOKEN + _UNIT)
_RANGE_START = re.compile(_SPOKEN + rf"(?=\s+(?:and|to|or)\s+\d+\s+{_UNITS})")  # "between ten and 20 seconds"
# "for a minute", "more than an hour", "within a metre" (not "cars a minute": that is a rate, per minute)
_ONE = re.compile(r"\b(for|over|under|than|least|most|within|about|around|nearly|almost|last|past|first|next)"
                  r" an?" + _UNIT)


def numbers_in_words(text: str) -> str:
    """The (lower-cased) text with spans said in words written in digits: "half an hour" is "30 minutes", "two
    minutes" "2 minutes", "over a minute" "over 1 minute"."""
    for words, number in _SPANS:
        text = re.sub(words, number, text)
    text = _RANGE_START.sub(_spoken_number, _NUMBER.sub(_spoken_number, text))
    return _ONE.sub(r"\1 1", text)


# a count said in digits or as a word up to nineteen ("more than three people in restricted")
COUNT_WORD = rf"(?:\d+|{'|'.join(_ONES)})"
COUNT_WORDS: dict[str, int] = {word: n for n, word in enumerate(_ONES, 1)}  # "three" -> 3


def count_of(word: str) -> int:
    """A count matched by :data:`COUNT_WORD` as a number."""
    return int(word) if word.isdigit() else COUNT_WORDS[word]


def _spoken_number(m: re.Match[str]) -> str:
    if m.group(3):
        return str(_ONES.index(m.group(3)) + 1)
    return str(10 * (_TENS.index(m.group(1)) + 2) + (_ONES.index(m.group(2)) + 1 if m.group(2) else 0))


# a distance said in metres or feet: "within 2 m", "within 6 feet" (questions and alert rules)
LENGTH_UNIT = r"(?:m|metres?|meters?|ft|feet|foot)"


def in_metres(value: str, unit: str) -> float:
    """A distance said with one of ``LENGTH_UNIT``, in metres (to the centimetre)."""
    return round(float(value) * (1.0 if unit.startswith("m") else 0.3048), 2)
