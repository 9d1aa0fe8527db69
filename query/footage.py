"""Questions about the footage itself ("how long is the video?", "when was the footage recorded?", "which cameras
are there?"): each stream in scope with its length, its wall clock where it has one (none is guessed), and how
it was analysed, as the coverage of any other answer says it. Nothing in the picture is read here: "was it
raining?" is not one of these."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from common.text import clock, plural
from query.answer import Answer, Citation
from query.coverage import Looked

_FOOTAGE = r"(?:footage|videos?|clips?|recordings?|streams?|files?|cameras?|feeds?)"
ASKED = re.compile(
    rf"^(?:(?:when|what time(?: of day)?|what date|what day|at what time) (?:was|were|is|are) (?:the |this |these |"
    rf"that )?{_FOOTAGE} (?:recorded|taken|filmed|made|shot|captured|from)\b|how long (?:is|was|are|were) (?:the |"
    rf"this |these |that |each )?{_FOOTAGE}\b(?! (?:in|at|on)\b)|how much (?:footage|video)\b|(?:which|what) "
    rf"{_FOOTAGE} (?:are|is|were|was|do you have|have been)\b(?: (?:there|analy[sz]ed|available|in the graph))?\??$|"
    rf"(?:list|show)(?: me)? (?:the |all )?(?:the )?{_FOOTAGE}$)")


def asks_about_footage(text: str) -> bool:
    """Whether the question asks about the footage (its length, its clock, which streams), not what is in it."""
    return bool(ASKED.search(" ".join(text.lower().replace("?", " ").split())))


def answer_footage(question: str, looked: list[Looked], tz: ZoneInfo) -> Answer:
    """Each stream in scope: its footage's length, its wall-clock span (or that it has none) and its coverage."""
    if not looked:
        return Answer(question, "No analysed footage is in scope.", "footage", 0.0, [])
    lines, cites = [], []
    for lk in looked:
        s = lk.stream
        length = float(s["duration"] or lk.done)
        if s["start"]:
            start, end = (datetime.fromtimestamp(t, tz) for t in (s["start"], s["start"] + length))
            when = (f"recorded {start:%Y-%m-%d %H:%M:%S}-{end:%H:%M:%S} ({tz.key})" if start.date() == end.date()
                    else f"recorded {start:%Y-%m-%d %H:%M:%S} to {end:%Y-%m-%d %H:%M:%S} ({tz.key})")
        else:
            when = ("no wall clock (the file records no creation time and none was given with `analyze --start`), "
                    "so when it was recorded is not known")
        lines.append(f"{lk.name} ({s['id']}): {clock(length)} of footage, {when}; {lk.describe()}")
        cites.append(Citation(s["id"], lk.name, 0.0, length, None, f"the footage of {lk.name}"))
    total = sum(c.t1 for c in cites)
    head = f"{len(looked)} {plural('stream', len(looked))}, {clock(total)} of footage in all: " if len(looked) > 1 \
        else ""
    return Answer(question, f"{head}{'; '.join(lines)}.", "footage", total, cites)
