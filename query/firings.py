"""Questions about the alerts that fired ("were there any alerts?", "how many high alerts fired after 14:00?",
"when did the lane-2-blocked alert fire?", "list the alerts"): read from the graph's Alert nodes, in the
question's window and streams, by the rules named in it and the severities said.

An alert fires only on the rules configured when the footage was analysed, so a "none" says so: it is not a
"nothing happened". A question that sets a rule up ("alert me when a person enters dock") is not one of these:
rules live in the rules file (``alerts.rules``).
"""

from __future__ import annotations

import re
from collections import Counter

from alerts.rules import parse_rule
from common.text import clock, plural
from graph.records import AlertRead
from graph.store import GraphStore
from query.answer import Answer, Citation
from query.parse import Question
from query.shapes import listing

# "alerts", "alarms", "firings", "the lane-2-blocked alert"; not "alert me when ..." (a rule, said to be set up)
ASKED = re.compile(r"\b(?:alerts?|alarms?|firings?)\b|\brules?\b(?=.*\b(?:fired?|fires|firing|triggered)\b)")
_SETTING_UP = re.compile(r"^(?:please )?(?:(?:alert|notify|warn|ping|page)(?: me| us| the team)? (?:when(?:ever)?|"
                         r"if|as soon as|each time|every time|once)|(?:send|raise|fire|give)(?: me| us)? an? (?:alert|"
                         r"alarm|notification|warning))\b|\b(?:set up|create|add) (?:an? )?(?:alert|alarm|rule)\b")
_SEVERITIES = ("high", "medium", "low", "info")
LISTED = 20  # firings listed in an answer (all are counted)


def asks_about_firings(text: str) -> bool:
    """Whether the question asks about alerts that fired (not to set one up)."""
    lowered = text.lower()
    return bool(ASKED.search(lowered)) and not _SETTING_UP.search(lowered)


def sets_up_a_rule(text: str) -> bool:
    """Whether the question asks for an alert to be set up ("alert me when a person enters dock")."""
    return bool(_SETTING_UP.search(text.lower()))


def rule_asked(text: str) -> Answer:
    """"Alert me when a person enters dock" asked as a question: how the rule reads, and where rules are set up
    (nothing here fires on footage already analysed, and a question sets no rule)."""
    where = ("alert rules live in the rules file (`--alerts rules.toml`, `VIDGRAPH_ALERTS_RULES_FILE`) and fire on "
             "footage analysed with it; a question sets none up")
    try:
        rule = parse_rule(text)
    except ValueError as err:
        return Answer(text, f"Not a question: {where}. {str(err).split(': ', 1)[-1].capitalize()}.", "alerts", None,
                      [], supported=False)
    read = ", ".join(f"{k} {' or '.join(v) if isinstance(v, list) else v}" for k, v in rule.model_dump(
        exclude_defaults=True).items() if k not in ("name", "text", "severity"))
    return Answer(text, f"Not a question: {where}. As a rule it reads: {read} (`when = \"{text}\"`).", "alerts", None,
                  [], supported=False)


def answer_firings(store: GraphStore, q: Question, windows: list[tuple[list[str] | None, float | None, float | None]],
                   window: str) -> Answer:
    """The firings in ``windows`` (streams, from, to) that the question's rule names and severities allow, as a
    count, a yes or no, their times, or a list; ``window`` says the window as the answer should. What else the
    question says (a split, a place, a class or colour outside a rule's name) is said not checked."""
    answer, rules = _firings(store, q.text, windows, window)
    named = {w for rule in rules for w in re.split(r"[-_.\s]+", rule.lower())}
    unread = [f"per {q.per}" if q.per else "", *(w for w in (*q.places, *q.classes, *q.colour_words, *q.unchecked)
                                                 if not re.fullmatch(_READ, w)
                                                 and not set(re.split(r"[-_.\s]+", w.lower())) <= named)]
    if unread := [w for w in unread if w]:
        why = f"{', '.join(repr(w) for w in unread)} (alerts are read by rule, severity, time and camera only)"
        yes = answer.value is True  # of more firings than asked about: not a yes
        rest = f"Only the rest was checked{', so this is not a yes' if yes else ''}"
        answer.not_checked, answer.text = [why], f"Not checked: {why}. {rest}: {answer.text.removeprefix('Yes: ')}"
        answer.value = None if yes else answer.value
    return answer


# the words the firings are read by ("which rule fired most often?": by rule, the most first)
_READ = r"alerts?|alarms?|firings?|fired?|fires|triggered|severity|high|medium|low|info|rules?|most|often|times"


def _firings(store: GraphStore, text: str, windows: list[tuple[list[str] | None, float | None, float | None]],
             window: str) -> tuple[Answer, set[str]]:
    """The answer, and the names of the rules whose firings it counts."""
    lowered = text.lower()
    yes_no = re.match(r"(?:was|were|is|are|did|has|have|had)\b", lowered)  # "were there any alerts?"
    fired = sorted({a["id"]: a for streams, t0, t1 in windows
                    for a in store.alerts(streams=streams, t0=t0, t1=t1)}.values(),
                   key=lambda a: (a["stream_id"], a["t0"], a["rule"]))
    named = sorted({a["rule"] for a in fired if _said(a["rule"], lowered)})
    severities = [s for s in _SEVERITIES if re.search(rf"\b{s}(?:[- ]severity)?\b", lowered)]
    picked = [a for a in fired if (not named or a["rule"] in named) and (not severities or a["severity"] in severities)]
    what = " ".join([*severities, *(f"{r}" for r in named)]) + (" " if severities or named else "")
    cites = [Citation(a["stream_id"], a["stream"], a["t0"], a["t1"], a["thumbnail"] or None, a["text"],
                      event_ids=[a["event_id"]] if a["event_id"] else []) for a in picked[:LISTED]]
    if not picked:
        none = (f"No {what}alert fired{window} (alerts fire only on the rules configured when the footage was "
                f"analysed{'; ' + str(len(fired)) + ' other firing(s) in the window' if fired else ''})")
        return Answer(text, f"{'No: ' + none[:1].lower() + none[1:] if yes_no else none}.", "alerts",
                      False if yes_no else 0, []), set(named)
    by_rule = Counter(a["rule"] for a in picked)
    kinds = ", ".join(f"{r} {n}" for r, n in by_rule.most_common())
    several = len({a["stream_id"] for a in picked}) > 1
    lines = [f"{a['stream'] + ' ' if several else ''}{_span(a)} {a['severity']}: {a['text']}" for a in picked]
    said = f"{len(picked)} {what}alert {plural('firing', len(picked))}{window} (by rule: {kinds})"
    listed, rules = listing(lines, "; "), set(by_rule)
    if re.search(r"\bmost\b", lowered) and not yes_no and not lowered.startswith("when"):  # "... fired most often?"
        top = by_rule.most_common(1)[0][1]
        said = (f"Most often: {' and '.join(r for r, n in by_rule.items() if n == top)} ({top}). "
                f"{said[:1].upper()}{said[1:]}")
    if yes_no:
        return Answer(text, f"Yes: {said}: {listed}.", "alerts", True, cites), rules
    if lowered.startswith("when"):
        return Answer(text, f"{said[:1].upper()}{said[1:]}, at {listing([_span(a) for a in picked], ', ')}.", "alerts",
                      [(a["t0"], a["t1"]) for a in picked], cites), rules
    return Answer(text, f"{said[:1].upper()}{said[1:]}: {listed}.", "alerts", len(picked), cites), rules


def _said(rule: str, text: str) -> bool:
    """Whether the question names the rule: as written, or with spaces for its dashes and underscores."""
    spoken = re.sub(r"[-_.]+", " ", rule.lower())
    return re.search(rf"(?<![\w-]){re.escape(rule.lower())}(?![\w-])", text) is not None or (
        len(spoken.split()) > 1 and re.search(rf"\b{re.escape(spoken)}\b", text) is not None)


def _span(a: AlertRead) -> str:
    return clock(a["t0"]) if a["t1"] - a["t0"] < 0.05 else f"{clock(a['t0'])}-{clock(a['t1'])}"
