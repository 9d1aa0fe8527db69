"""Answer a question about the footage: exactly from the graph where its shape allows, else from evidence.

Counts, first/last times, durations, "which", "how often", "when", "at the same time", "most/fewest" and "at a
moment" come straight from Entity and Event nodes (``query.shapes``); a colour, standing still or a number in
the question filters them; "near" questions read proximity events; "after the truck left, ..." anchors the
window on an entity. Nothing on that path estimates or generates. Any other question is an open question
(``query.openqa``): retrieved evidence, and an LLM's answer grounded in it when one is configured.

What the answer does not claim: words of the question no recogniser took are listed as not checked
(``Answer.not_checked``); a class the perception cannot see at all is not checked, never "no"; a "none" states
what was looked at and how, and names frames where the detector saw such boxes without confirming them; a
stream still being analysed, or whose analysis was interrupted, is answered with that said. A stream that does
not exist is an error (:class:`UnknownStream`), never an answer about every stream.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from common.classes import EVERY_CLASS, MOVE_OF_EDGE, MOVE_OF_EVENT, VEHICLES, sighting_mark
from common.site import compass_up, zone_ways
from common.text import LENGTH_UNIT, clock, coloured, plural, with_article
from graph.embeddings import Embedder
from graph.records import (
    EntityRead,
    EventEntityRead,
    EventRead,
    StoryEventRead,
    StreamRead,
    StreamStatus,
    ZoneRead,
    ZoneVisitRead,
)
from graph.store import GraphStore
from query import shapes
from query.answer import Answer, Citation
from query.coverage import (
    UNNAMED_CITED,
    Coverage,
    Looked,
    detector_words_said,
    looked_at,
    negative,
    parse_settings,
    unconfirmed,
    unexplained,
    unnamed,
)
from query.firings import answer_firings, asks_about_firings, rule_asked, sets_up_a_rule
from query.footage import answer_footage, asks_about_footage
from query.parse import (
    COMPASS,
    PLACE_WORDS,
    SPEED_WORDS,
    TIMED,
    TURN_WORDS,
    Anchor,
    Intent,
    Lasting,
    Nth,
    Question,
    Side,
    asks_camera,
    colours_of,
    either_still,
    in_picture,
    matching_colours,
    object_groups,
    one_subject,
    parse_question,
    said_in,
    stream_names_said,
)
from query.periods import QUARTER_HOUR_S, UNIT_S, Periods
from query.shapes import Entityish, Plan
from query.timewords import StreamClock, TimeSpec, describe, parse_bounds, reference_now, resolve
from vlm.schema import said_at

ANSWERABLE = (StreamStatus.COMPLETE, StreamStatus.LIVE, StreamStatus.STOPPED, StreamStatus.ANALYZING,
              StreamStatus.INTERRUPTED)  # the last two partly: their answers say so


class UnknownStream(ValueError):
    """A stream named (by id, file name or in the question) that the graph does not hold."""


class AmbiguousStream(UnknownStream):
    """A name in the question that several streams share (two cameras' ``cam.mp4``): which one is meant is not
    known, so none is chosen."""


class NoQuestion(ValueError):
    """A question with no words in it (blank, or only punctuation)."""


# a moment is as precise as the times answers show, a tenth of a second: "at 0:15.0" holds what answers show in
# view at 0:15.0 (a car first seen at 15.04 s is shown from 0:15.0; "2 cars at once, at 0:15.0" must agree)
HALF_TENTH_S = 0.05


@dataclass(slots=True, frozen=True)
class Scope:
    """Where one store read looks: some streams, one window on their time axis. A moment asked ("at 0:15") is
    ``moment``, read as the window of it give or take half a tenth of a second."""

    streams: list[str] | None
    t0: float | None
    t1: float | None
    moment: float | None = None

    def overlaps(self, t0: float, t1: float, stream_id: str | None = None) -> bool:
        """Whether t0-t1 (of that stream) overlaps the window."""
        return ((stream_id is None or not self.streams or stream_id in self.streams) and
                (self.t0 is None or t1 >= self.t0) and (self.t1 is None or t0 <= self.t1))


def _scope(streams: list[str], t0: float | None, t1: float | None) -> Scope:
    """The scope of a window, or of a moment (``t0 == t1``)."""
    if t0 is not None and t0 == t1:
        return Scope(streams, t0 - HALF_TENTH_S, t1 + HALF_TENTH_S, moment=t0)
    return Scope(streams, t0, t1)


def ask(
    store: GraphStore,
    question: str,
    streams: list[str] | None = None,
    embedder: Embedder | None = None,
    llm: Any = None,
    tz: str = "UTC",
    context_tokens: int = 6000,
    max_tokens: int = 512,
) -> Answer:
    """``llm`` is a ``query.llm.LLM`` for open questions (None: evidence only), with ``context_tokens`` of
    evidence and ``max_tokens`` of answer; ``tz`` is the site's time zone for clock times in questions. The
    graph is read in one read transaction (one snapshot; on Neo4j two round trips fewer per read)."""
    if not re.search(r"\w", question):
        raise NoQuestion('the question has no words in it: ask about the footage, e.g. "how many cars passed?"')
    with store.reading():
        return _ask(store, question, streams, embedder, llm, ZoneInfo(tz), context_tokens, max_tokens)


# "what happened?", "what was going on at 0:16?": with no language model, the events recorded (not an open question)
_HAPPENED = r"^what(?:'s| is| was)? (?:(?:has )?happened|happens|went on|going on|happening|occurred|took place)\b"
# "summarize the footage", "give me an overview of yesterday": with no language model to write one, the answers to
# the questions a summary is made of, asked of the same window and streams
_SUMMARY = re.compile(r"^(?:please )?(?:(?:can|could) you )?(?:summari[sz]e|sum up|recap|describe|overview|"
                      r"(?:give|show|write|make)(?: me| us)? (?:a |an )?(?:short |brief |quick )?"
                      r"(?:summary|overview|recap|rundown|description)(?: of)?|"
                      r"(?:a |the )?(?:short |brief |quick )?(?:summary|overview|recap|rundown)(?: of)?)"
                      r"(?: (?:the |this |that )?(?:footage|video|clip|recording|stream|camera|feed|scene|activity))?"
                      r"(?![\w-])")
SUMMARY_OF = ("how many objects were there", "what was the most objects in view at once", "how many events were there",
              "were there any alerts")


def _ask(store: GraphStore, question: str, streams: list[str] | None, embedder: Embedder | None, llm: Any,
         zone_info: ZoneInfo, context_tokens: int, max_tokens: int) -> Answer:
    known, q, heading = _plan(store, question, streams)
    if not q.classes and q.unchecked and (words := detector_words_said(store, [s["id"] for s in known], q.unchecked)):
        q = _detector_words(store, q, words, streams)  # "were there any dogs?": what the detector called so
    if llm is None and q.intent == "open" and (said := _summary_said(store, q, streams)) is not None:
        return _summary(q, [_ask(store, f"{of} {said}".strip(), streams, embedder, llm, zone_info, context_tokens,
                                 max_tokens) for of in SUMMARY_OF])
    scopes, skipped = plan_scopes(q.time, known, zone_info)
    if q.time.needs_wall_clock and not scopes:
        text = ("I can't answer that: the question names clock times, and the footage has no wall clock (the file "
                "records no creation time and none was given with `analyze --start`). Ask with times from the start "
                "of the video, e.g. 'after 12 min'.")
        return Answer(q.text, text, q.intent, None, [], supported=False, not_checked=list(q.unchecked))
    anchored: tuple[list[Scope], list[Citation], str] | None = None
    unanchored: Answer | None = None
    if q.anchor:  # "after the red car left": from that moment, on its stream (the answer, its coverage, its notes)
        if isinstance(found := _anchor(store, q, scopes, known), tuple):
            anchored, scopes = found, found[0]
            known = [s for s in known if s["id"] in _scope_streams(scopes)]
        elif found is not None:  # no clock orders the streams: nothing about the footage was answered
            return found
        else:  # no such object: no window to answer in
            unanchored = _no_anchor(store, q, scopes)
    recorded = llm is None and q.intent == "open" and not q.unchecked and bool(re.match(_HAPPENED, q.text.lower()))
    moment = (q.time.t0 is not None and q.time.t0 == q.time.t1) or q.present in ("start", "end")  # ("now": the end)
    if recorded:  # "what happened between 0:10 and 0:20?" with no model to describe it: the events recorded then;
        # "... with the cars that drove down?": theirs; "what was going on at 0:16?": what was in view then
        q = replace(q, intent="which" if moment else "story" if q.classes else "events")
    if asks_about_footage(q.text):  # "how long is the video?", "when was it recorded?": the streams themselves
        return answer_footage(question, looked_at(store, known), zone_info)
    if sets_up_a_rule(q.text):  # "alert me when a person enters dock": a rule, which no question sets up
        return rule_asked(question)
    if asks_about_firings(q.text) and not unanchored:  # "were there any alerts?": the Alert nodes, not the footage
        window = anchored[2] if anchored else describe(q.time, zone_info) or _window_text(q)
        return answer_firings(store, q, [(s.streams, s.t0, s.t1) for s in scopes], window)
    if q.intent == "open" or (q.unchecked and llm is not None):  # words the graph cannot check: the model reads
        from query.openqa import answer_open

        if unanchored:
            return unanchored
        window = anchored[2] if anchored else describe(q.time, zone_info) or _window_text(q)
        answer = answer_open(store, q, scopes, embedder, llm, window, context_tokens, max_tokens)
        answer.citations = (anchored[1] if anchored else []) + answer.citations
        # an open question is wholly the model's (or, without one, not answered at all: supported=False says so)
        answer.not_checked = [] if q.intent == "open" or answer.supported else list(q.unchecked)
        if q.intent == "open" and (unread := [w for w in q.unchecked if re.search(r"\d", w)]):
            # a time or number no reader took bounded nothing: the evidence was not limited by it
            why = f"{', '.join(repr(w) for w in unread)} (not read as a time or a number: nothing was limited by it)"
            answer.not_checked = [why]
            answer.text = f"Not checked: {why}. {answer.text}"
        return answer
    cover = Coverage(_within(looked_at(store, [s for s in known if s["id"] not in skipped]), scopes))
    if set(EVERY_CLASS) <= set(q.classes):  # "objects": also what a VLM's profile names ("pallet", "cart")
        named = sorted({c for lk in cover.looked for c in lk.classes or ()} - set(q.classes))
        q = replace(q, classes=(*q.classes, *named))
    answer = _unseen_anchor(q, cover, unanchored) if unanchored else _structured(
        store, q, scopes, cover, zone_info, anchored[1:] if anchored else None)
    if recorded and answer.supported:
        answer.text = (f"{'What was in view' if moment else 'What was recorded'} (no language model is configured to "
                       f"describe more than {'what' if moment else 'the events'} this perception records): "
                       f"{answer.text}")
    notes = ([heading] if heading else []) + cover.notes()
    if skipped:
        notes.append(f"{len(skipped)} stream(s) without a wall clock not searched: {', '.join(skipped)}")
    # about objects (or when none was in view), in the question's window: where most of what moved was not found
    missed = [c for s in scopes for c in unexplained(store, s.streams or [], s.t0, s.t1)] if (
        (q.classes or q.intent == "empty") and q.intent != "near") else []
    second = _second(store, q, streams, embedder, llm, zone_info, context_tokens, max_tokens)
    _account(q if second is None else replace(q, second=""), answer, cover, notes, missed)
    return answer if second is None else _with_second(answer, *second)


def _second(store: GraphStore, q: Question, streams: list[str] | None, embedder: Embedder | None, llm: Any,
            zone_info: ZoneInfo, context_tokens: int, max_tokens: int) -> tuple[str, Answer] | None:
    """"How many vehicles came toward the camera and how many went away?": the second question asked on its own
    ("how many vehicles went away": the first's objects where it names none, or says "it" or "they", in the
    first's streams). None where
    the first has a window, an anchor or an n-th object, which the second's words would not carry: it stays
    unanswered, said so."""
    if not q.second or q.time != TimeSpec() or q.anchor or q.nth:
        return None
    then = q.second
    if elided := _elided(q, then, {z["name"] for z in store.zones(list(q.streams) or streams)}):
        then = elided
    elif re.match(r"how many\b", then) and not parse_question(then).classes:
        then = re.sub(r"^how many\b", f"how many {plural(q.noun, 2)}", then)
    if q.classes:  # "what did the red car do and when did it leave?": it is the red car
        named = " ".join([*q.colour_words, q.noun])
        then = re.sub(r"\b(?:they|them)\b", f"the {plural(named, 2)}", re.sub(r"\bit\b", f"the {named}", then))
    if q.approach and re.search(r"\b(?:away|closer|nearer)$", then):  # "... toward the camera and how many away"
        then += " from the camera" if then.endswith("away") else " to the camera"
    return then, _ask(store, then, list(q.streams) or streams, embedder, llm, zone_info, context_tokens, max_tokens)


# the other of a pair, said alone after the first's verb: "how many cars went up and how many down?"
_COUNTERPART = {"up": "down", "down": "up", "in": "out", "out": "in", "inbound": "outbound", "outbound": "inbound",
                "north": "south", "south": "north", "east": "west", "west": "east", "left": "right", "right": "left",
                "northbound": "southbound", "southbound": "northbound", "eastbound": "westbound",
                "westbound": "eastbound"}


def _elided(q: Question, then: str, zones: set[str]) -> str | None:
    """"How many cars went up and how many down?": the first question with the counterpart of one of its words
    ("up") or its zone ("lane_up") swapped for the word the second says alone ("how many cars went down"); None
    where the second says more than that."""
    said = re.fullmatch(r"how many (?:in |at |into |through )?([\w-]+)", then)
    if not said:
        return None
    first = re.split(r"(?:,\s*|\s)(?:and|then|also)\s+how many\b", q.text.lower())[0]
    word = said.group(1)
    other = _COUNTERPART.get(word) if word in _COUNTERPART else q.zone if word in zones and q.zone else None
    found = list(re.finditer(rf"\b{re.escape(other)}\b", first)) if other else []
    return f"{first[:found[-1].start()]}{word}{first[found[-1].end():]}".rstrip(" ?") if found else None


def _with_second(answer: Answer, then: str, second: Answer) -> Answer:
    """The first question's answer (its value) with the second's said after it, cited and accounted for."""
    answer.text += f" Second question, '{then}': {second.text}"
    return _with_evidence_of(answer, second)


def _with_evidence_of(answer: Answer, other: Answer) -> Answer:
    """``answer`` with ``other``'s citations, words not checked and notes (each once); supported if both are."""
    answer.citations += [c for c in other.citations if c not in answer.citations]
    answer.not_checked += [w for w in other.not_checked if w not in answer.not_checked]
    answer.notes += [n for n in other.notes if n not in answer.notes]
    answer.supported = answer.supported and other.supported
    return answer


def _detector_words(store: GraphStore, q: Question, said: tuple[str, ...], streams: list[str] | None) -> Question:
    """"Were there any dogs?", "did a dog enter lane_up?": asked of the unnamed objects the detector called so
    (``Question.detector_words``), as if of objects; the answer says the word is the detector's, not confirmed."""
    text = q.text.lower()
    for word in said:
        text = re.sub(rf"\b{re.escape(word)}\b", "object", re.sub(rf"\b{re.escape(word)}e?s\b", "objects", text))
    asked = _plan(store, text, streams)[1]
    return replace(asked, text=q.text, classes=("object",), detector_words=said)


def _summary_said(store: GraphStore, q: Question, streams: list[str] | None) -> str | None:
    """What a request for a summary says beyond asking for one ("between 0:10 and 0:20", "of car-detection"): None
    where it is no such request, or says more than a window, a place or a stream (which stays open)."""
    said = _SUMMARY.match(q.text.lower().strip())
    rest = q.text.lower().strip()[said.end():].strip(" ?.!") if said else ""
    rest = re.sub(r"^(?:of|for|from|in)\b(?= (?:the |this |that )?[\w-]+$)", "in", rest)  # "of lane_up": in it
    return rest if said and not _plan(store, f"{SUMMARY_OF[0]} {rest}", streams)[1].unchecked else None


def _summary(q: Question, parts: list[Answer]) -> Answer:
    """A summary with no language model to write one: the answers it is made of (``SUMMARY_OF``), each as said."""
    answer = Answer(q.text, "What this perception records (no language model is configured to write a summary): "
                    + " ".join(p.text for p in parts), "summary", None, [])
    for part in parts:
        _with_evidence_of(answer, part)
    return answer


def _within(looked: list[Looked], scopes: list[Scope]) -> list[Looked]:
    """Each stream's coverage of the window it is asked about: an answer states what lay inside the window
    ("0:10.0 of car.mp4 (0:10.0-0:20.0) analysed"), never the whole stream's length."""
    out = []
    for lk in looked:
        mine = [s for s in scopes if s.streams is None or lk.stream["id"] in s.streams]
        moment = mine[0].moment if len(mine) == 1 else None  # coverage of a moment is said as that moment
        out.append(lk.within(moment, moment) if moment is not None else lk.within(mine[0].t0, mine[0].t1)
                   if len(mine) == 1 else lk)
    return out


def _plan(store: GraphStore, question: str,
          streams: list[str] | None) -> tuple[list[StreamRead], Question, str]:
    """The streams in scope, the planned question, and how its compass headings were read (or why not); an
    unknown stream, asked for or named, is an error."""
    every = store.list_streams()
    if streams:
        missing = sorted(set(streams) - {s["id"] for s in every})
        if missing:
            raise UnknownStream(f"no stream {', '.join(missing)} in the graph (known: "
                                f"{', '.join(s['id'] for s in every) or 'none'})")
    candidates = [s for s in every if s["status"] in ANSWERABLE and (not streams or s["id"] in streams)]
    names, shared = _stream_words(candidates)
    drawn = store.zones(streams)
    zones = tuple(sorted({z["name"] for z in drawn}))
    asked, (question, places_read) = question, _places_said(question, drawn)
    q = replace(parse_question(question, zones, names), text=asked)  # (the answer quotes the question as asked)
    if not q.streams and (twice := _shared_name(question, shared)):
        raise AmbiguousStream(f"the question names {twice[0]!r}, which streams {', '.join(sorted(twice[1]))} share: "
                            "name one by its id")
    if q.unknown_stream:
        raise UnknownStream(f"the question names {q.unknown_stream!r}, and no stream is called that (known: "
                            f"{', '.join(sorted(names)) or 'none'})")
    if q.streams:
        candidates = [s for s in candidates if s["id"] in q.streams]
    q, verb_read = _verb_of_place(q, drawn)
    q, crossed_read = _crossed_in(q, drawn)
    verb_read = "; ".join(r for r in (verb_read, crossed_read) if r)
    heading = ""
    if said := [m.group(0) for m in COMPASS.finditer(question)]:
        sites = _site_texts(store, [s["id"] for s in candidates])
        ups = {compass_up(sites[s["id"]], s["id"]) for s in candidates}
        if len(ups) == 1 and (up := ups.pop()):  # every stream in scope faces the same way: read as the picture's
            q = replace(parse_question(in_picture(question, up), zones, names), text=q.text)
            heading = f"{' and '.join(said)} read as the way it runs in the picture, whose top faces {up} (site file)"
        else:
            heading = (f"{' and '.join(said)} not checked: "
                       + ("the cameras in scope face different ways; ask of one camera" if len(ups) > 1 else
                          "which way the picture faces is not known; give up = \"north\" (or east, south, west) in "
                          "the stream's [[camera]] table of its site file, then analyse again"))
    return candidates, q, "; ".join(n for n in (places_read, verb_read, heading) if n)


def _stream_words(streams: list[StreamRead]) -> tuple[dict[str, str], dict[str, set[str]]]:
    """How a question may name each stream (its id, its name, its name without the extension) -> its id; and
    the words several streams share ("cam.mp4" of two folders) -> their ids: which one is meant is not known."""
    calls: dict[str, set[str]] = {}
    for s in streams:
        for word in (s["id"], s["name"], re.sub(r"\.\w{1,5}$", "", s["name"])):
            calls.setdefault(word, set()).add(s["id"])
    return ({word: next(iter(ids)) for word, ids in calls.items() if len(ids) == 1},
            {word: ids for word, ids in calls.items() if len(ids) > 1})


def _shared_name(question: str, shared: dict[str, set[str]]) -> tuple[str, set[str]] | None:
    """A name several streams share, said in the question ("in cam.mp4"), and their ids."""
    said = stream_names_said(question.lower(), shared)
    return (said[0], shared[said[0]]) if said else None


_VERB_OF = {"line_cross": "crossing", "zone_enter": "entering", "zone_exit": "leaving"}  # how a reading says it


def _verb_of_place(q: Question, drawn: list[ZoneRead]) -> tuple[Question, str]:
    """A verb said of the other kind of place, read as that place's own event: "crossed lane_up" (a zone) is
    entering it, "entered midline" (a counting line) is crossing it, with how it was read; a "no" from events
    that place never records would be false."""
    kinds = {z["kind"] == "line" for z in drawn if z["name"] in (q.zone, *q.zones, *q.within)}
    if len(kinds) != 1 or not q.event_types:
        return q, ""
    line = kinds.pop()
    wrong = [t for t in q.event_types if (t == "line_cross") != line and t in _PLACED]
    if not wrong:
        return q, ""
    own = "line_cross" if line else "zone_enter"
    types = tuple(dict.fromkeys(own if t in wrong else t for t in q.event_types))
    place = " or ".join(p for p in (q.zone, *q.zones) if p)
    said = "crossing it (a counting line records crossings)" if line else "entering it (a zone records entering)"
    side = () if line or not q.line_side else (q.line_side,)  # a zone has no side: that word is not checked
    return (replace(q, event_types=types, line_side=q.line_side if line else None, unchecked=(*q.unchecked, *side)),
            f"{' or '.join(_VERB_OF[t] for t in wrong)} {place} read as {said}")


def _crossed_in(q: Question, drawn: list[ZoneRead]) -> tuple[Question, str]:
    """"How many cars crossed midline in lane_down?": the line's crossings made while inside the zones said as
    where ("in lane_down"), with how it was read (it was read as at either place: the white car crossing in
    lane_up counted too)."""
    kind = {z["name"]: z["kind"] for z in drawn}
    lines = [p for p in q.places if kind.get(p) == "line"]
    areas = [p for p in q.places if p not in lines]
    if (len(lines) != 1 or not areas or q.event_types != ("line_cross",) or q.every_place or q.outside
            or q.per == "zone" or not all(said_in(q.text, a) for a in areas)):  # ("per lane": each lane's crossings)
        return q, ""
    read = f"crossing {lines[0]} in {' or '.join(areas)} read as crossing it while inside {' or '.join(areas)}"
    return replace(q, zone=None, zones=tuple(lines), crossed_in=tuple(areas), each_of=None), read


# "how many cars crossed the line?", "when was the lane empty?": the one drawn, where one is
_THE_PLACE = {"line": re.compile(r"\bthe (?:counting |trip ?wire |tripwire )?line\b", re.I),
              "polygon": re.compile(r"\bthe (?:zone|lane|area|region)\b", re.I)}
# "a lane", "any zone", "either lane", "one of the lanes": any zone drawn
_ANY_PLACE = re.compile(r"\b(?:an?|any|either|one of the|any of the) (?:lanes?|zones?|areas?|regions?)\b"
                        r"(?![ -]chang)", re.I)  # (not "any lane changes")
# "both lanes", "all the zones", "every lane": each zone drawn ("both": when two are)
_EVERY_PLACE = re.compile(r"\b(?:(both)(?: of)?(?: the)? (?:lanes|zones|areas|regions)|all(?: of)?(?: the)? "
                          r"(?:lanes|zones|areas|regions)|every (?:lane|zone|area|region))\b", re.I)


def _places_said(question: str, drawn: list[ZoneRead]) -> tuple[str, str]:
    """The question with "the line" (or "the zone", "the lane") as the name of the one counting line (or zone)
    drawn on the streams in scope, "a lane" ("any zone", "either lane") as any zone drawn, and "both lanes" ("all
    the zones", "every lane") as the zones drawn, with what was so read; where as many as said are not drawn, as
    asked."""
    read = []
    for kind, said in _THE_PLACE.items():
        names = sorted({z["name"] for z in drawn if (z["kind"] == "line") == (kind == "line")})
        if len(names) == 1 and (m := said.search(question)):
            question = f"{question[:m.start()]}{names[0]}{question[m.end():]}"
            read.append(f"'{m.group(0)}' read as {names[0]}, the one {'counting line' if kind == 'line' else 'zone'} "
                        "drawn")
    zones = sorted({z["name"] for z in drawn if z["kind"] != "line"})
    if zones and (m := _ANY_PLACE.search(question)):  # "a lane", "either lane": any of them
        question = f"{question[:m.start()]}{' or '.join(zones)}{question[m.end():]}"
        read.append(f"'{m.group(0)}' read as {' or '.join(zones)}, the zone{'s' if len(zones) > 1 else ''} drawn")
    if (m := _EVERY_PLACE.search(question)) and len(zones) > 1 and (len(zones) == 2 or not m.group(1)):
        listed = f"{', '.join(zones[:-1])} and {zones[-1]}"
        question = f"{question[:m.start()]}{'both' if m.group(1) else 'all of'} {listed}{question[m.end():]}"
        read.append(f"'{m.group(0)}' read as {listed}, the zones drawn")
    return question, "; ".join(read)


def _footage_now(cover: Coverage) -> float | None:
    """The end of the newest footage in scope with a wall clock: what "today" is counted from."""
    return reference_now([StreamClock(lk.stream["id"], float(lk.stream["start"] or 0.0),
                                      float(lk.stream["duration"] or 0.0)) for lk in cover.looked])


def _site_texts(store: GraphStore, ids: list[str]) -> dict[str, str | None]:
    """The text of the site file each stream's run was analysed with, from its settings (read at once)."""
    settings = store.stream_settings(ids) if ids else {}
    zones = {sid: parse_settings(settings.get(sid)).get("zones") for sid in ids}
    return {sid: text if isinstance(text, str) else None for sid, text in zones.items()}


def _structured(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
                anchored: tuple[list[Citation], str] | None = None) -> Answer:
    """``anchored``: the anchor's citation and how the window its moment makes is said (``scopes`` are that
    window already)."""
    if (composed := _composed(store, q, scopes, cover, tz, anchored)) is not None:
        return composed
    anchor_cites, window = anchored or ([], describe(q.time, tz, _footage_now(cover)) or _window_text(q))
    if q.time.half and len(scopes) == 1 and scopes[0].t0 is not None and scopes[0].t1 is not None and not anchored:
        window += f" ({clock(scopes[0].t0)}-{clock(scopes[0].t1)})"  # where the half was cut
    # "empty for more than 5 s": the stretch's duration, not the objects' time in view
    spell = q.lasting if q.intent == "empty" and q.lasting and q.lasting.of == "view" else None
    q = replace(q, lasting=None) if spell else q
    plan = _plan_of(store, q, scopes, cover, window, tz)
    if q.intent == "empty":
        return _empty(store, q, scopes, cover, plan, spell)
    if q.intent == "count" and q.average and not q.per:
        return _occupancy(store, q, scopes, cover, plan)
    if q.intent in ("near", "events"):
        answer = _of_events(store, q, scopes, plan, frozenset(c.entity_id for c in anchor_cites if c.entity_id))
    elif q.intent == "times" and (unplaced := _unplaced(store, q, scopes)):
        answer = Answer(q.text, f"Not checked: {unplaced}.", "times", None, [], supported=False,
                        not_checked=[unplaced])
    elif (q.per == "zone" or (q.intent == "extreme" and q.extreme_of == "zone")) and (
            unzoned := _unzoned(store, q, scopes, "per zone" if q.per else "which zone")) is not None:
        answer = unzoned
    elif q.intent == "times":
        answer = _times(store, q, scopes, cover, tz, plan, frozenset(c.entity_id for c in anchor_cites if c.entity_id))
    elif (q.intent == "count" and q.per in TIMED and not (q.places or q.together or q.anchor or q.every
                                                           or _row_qualified(q))
          and (counted := _counted_periods(store, q, scopes, cover, tz)) is not None):
        found, split, sids = counted
        answer = shapes.split(plan, found, _camera_within(q, cover, sids, split), total=len(split.labels))
    elif q.intent in ("count", "exists") and not (q.places or q.together or q.anchor or q.every or q.per
                                                  or _row_qualified(q)):
        known = [lk.stream for lk in cover.looked]
        found, tally = _counted_entities(store, q, scopes, known)
        kinds = _class_counts(store, q, scopes, known) if len(q.classes) > 1 and len(found) < sum(
            tally.values()) else None  # more than the rows read: counted per class by the graph
        answer = (shapes.count if q.intent == "count" else shapes.exists)(plan, found, tally, kinds)
        if q.each_stream:  # "in every camera": each camera's count
            answer = shapes.by_camera(plan, found, tally, _seeing(q, cover))
        elif found and len(found) == sum(tally.values()) and either_still(q.text):  # "parked or moving?": which
            answer.text += shapes.stillness(found)
    else:
        anchor_ids = frozenset(c.entity_id for c in anchor_cites if c.entity_id)
        # "how long was the red car in lane_up?", "in lane_up for over 3 s": time inside the zones, read once
        inside = _time_inside(store, q, scopes) if q.places and (bool(q.lasting and q.lasting.of == "view") or (
            not q.still and (q.intent == "duration" or q.extreme in ("longest", "shortest")))) else None
        entities, unrecorded, unsure = _matching_entities(store, q, scopes, anchor_ids, inside)
        plan.inside = None if q.still else inside
        if q.together or (q.intent == "duration" and not (q.headway or q.still or plan.inside is not None)):
            entities = _in_window(entities, scopes)  # "how long ... after 0:16": from 0:16
        entities = _when_inside(store, q, scopes, plan, entities)
        entities, often = _most_often(store, q, scopes, entities) if q.often else (entities, "")
        if q.together:
            answer = _together(store, q, scopes, plan, entities)
        elif q.every:
            answer = shapes.every(plan, entities, _unmatched(store, q, scopes))
        elif q.per:
            answer = _split(store, q, scopes, cover, plan, entities, tz)
        elif (grouped := _grouped(store, q, scopes, cover, plan, entities)) is not None:
            answer = grouped
        else:
            handler = {"count": shapes.count, "exists": shapes.exists, "first": shapes.first, "last": shapes.last,
                       "when": shapes.when, "which": shapes.which,
                       "duration": shapes.headway if q.headway else shapes.duration,
                       "together": shapes.together, "extreme": shapes.extreme,
                       "story": lambda plan, rows: shapes.story(plan, rows, _stories(
                           store, scopes, shapes.in_order(plan, rows)[:shapes.STORIES_TOLD]))}[q.intent]
            answer = handler(plan, entities)
        _say_unchecked(q, answer, unrecorded, unsure)
        answer.text = f"{often}{answer.text}"
    answer.citations = anchor_cites + answer.citations
    return _emptied(q, answer) if q.empty_asked else answer


def _together(store: GraphStore, q: Question, scopes: list[Scope], plan: Plan, entities: list[Entityish]) -> Answer:
    """"At the same time": the most in view (or inside the zones named) at one moment, or for how long; one in
    each zone named at one moment; one in each direction named is read as in any of them, said first."""
    if q.intent == "exists" and q.each_of == "zone" and (
            zones_each := _each_zone_inside(store, q, scopes, entities)) is not None:
        return shapes.each_place_at_once(plan, zones_each)
    spans = _inside_spans(store, q, scopes) if q.places else None  # in a zone: their stretches inside it
    present = entities if spans is None else _inside_rows(spans, entities)
    shape = shapes.together_for if q.intent == "duration" else shapes.together_when if (
        q.intent == "when" and q.number is not None and not q.number.bounded) else shapes.together
    answer = shape(plan, present, spans is not None)
    if q.intent == "exists" and q.each_of in ("zone", "direction"):  # read as in either: say it
        each = " and ".join(q.places if q.each_of == "zone" else [w.replace("_", " ") for w in q.ways])
        answer.not_checked.append(f"one in each of {each} at the same time: read as in any of them")
        _hedge(answer, [f"Not checked: one in each of {each} at the same time (read as in any of them)."], _RECORDED)
    return answer


def _each_zone_inside(store: GraphStore, q: Question, scopes: list[Scope],
                      entities: list[Entityish]) -> list[tuple[str, list[Entityish]]] | None:
    """Each zone named with its objects as their stretches inside it ("a car in lane_up and one in lane_down at the
    same time"); None where a counting line is named (crossed, never occupied)."""
    each = []
    for zone in q.places:
        spans = _inside_spans(store, replace(q, zones=(zone,), zone=None), scopes)
        if spans is None:
            return None
        each.append((zone, _inside_rows(spans, entities)))
    return each


def _when_inside(store: GraphStore, q: Question, scopes: list[Scope], plan: Plan,
                 entities: list[Entityish]) -> list[Entityish]:
    """"When was someone in restricted?": each object's stretches inside the zones named (it answered their whole
    time in view: 0:00.0-0:04.4 for a worker who left restricted at 0:00.4); a line named is crossed, not
    occupied: the objects stay as they were (as they do for any other question)."""
    if q.intent != "when" or not q.places or q.event_types or q.present:
        return entities
    spans = _inside_spans(store, q, scopes)
    if spans is None:
        return entities
    plan.inside = {key: sum(t1 - t0 for t0, t1 in each) for key, each in spans.items()}
    return _inside_rows(spans, entities)


def _most_often(store: GraphStore, q: Question, scopes: list[Scope],
                entities: list[Entityish]) -> tuple[list[Entityish], str]:
    """"Which car crossed midline the most times?": of the objects found, those with the most (or fewest) entries
    or crossings of the places named in the window, and how many that was, said first."""
    times = Counter((v["stream_id"], v["id"]) for s in scopes for v in _at_places(store, q, s)[0]
                    if v["type"] in ("zone_enter", "line_cross"))
    if not entities:
        return entities, ""
    n = (max if q.often == "most" else min)(times[(r["stream_id"], r["id"])] for r in entities)
    verb = "crossed" if "line_cross" in q.event_types else "entered"
    return ([r for r in entities if times[(r["stream_id"], r["id"])] == n],
            f"{verb.capitalize()} {' or '.join(q.places)} the {q.often} times: {n} {plural('time', n)} each. ")


def _emptied(q: Question, answer: Answer) -> Answer:
    """"Was lane_up empty at 0:10?" is the other side of "was anything there?": yes where nothing was found (and
    what looked was sure), no where something was; a none that is not a 'no' leaves it not known."""
    places = " or ".join(q.places)
    some, none = (f"{places} was not empty", f"{places} was empty") if q.empty_asked == "place" else (
        "there was", "there was none")
    if answer.value is True and answer.text.startswith("Yes: "):
        return replace(answer, value=False, text=f"No, {some}: {answer.text[5:]}")
    if answer.value is False and answer.supported and answer.text.startswith("No: "):
        return replace(answer, value=True, text=f"Yes, {none}: {answer.text[4:]}")
    if answer.value is False:  # hedged: the none is not a 'no', so the emptiness is not a 'yes'
        return replace(answer, value=None, text=answer.text.replace(
            "so this is not a 'no'", f"so whether {none.removeprefix('there ')} is not known"))
    return answer


def _of_events(store: GraphStore, q: Question, scopes: list[Scope], plan: Plan,
               anchors: frozenset[str] = frozenset()) -> Answer:
    """A question of events rather than objects: a person near a vehicle (its proximity events), or the event log
    (the events recorded, not the marks of a first or last sighting; at the places named; never those of the
    object the window is anchored on: "after the red car left" is not its leaving)."""
    if q.intent == "near":
        rows = [r for s in scopes for r in store.events(streams=s.streams, types=["proximity"], t0=s.t0, t1=s.t1,
                                                         limit=None)]
        return shapes.near(plan, _near_rows(q, rows))
    its = {e["id"] for a in anchors if (story := store.entity_story(a)) for e in story["events"]}
    rows = [e for s in scopes for e in store.events(streams=s.streams, types=list(q.event_types) or None,
                                                    label=list(q.classes) or None, t0=s.t0, t1=s.t1, limit=None,
                                                    counted=True)
            if (not q.places or e["attributes"].get("zone") in q.places) and _sided(q, e["type"], e["attributes"])
            and _said_in(s, e, t := said_at(e["type"], e["t0"], e["t1"])) and not (e["id"] in its and _at_edge(s, t))]
    return shapes.events(plan, rows)


def _said_in(scope: Scope, event: EventRead, t: float) -> bool:
    """Whether an event the store found overlapping the window belongs to it: one said at the end of its span (a
    zone's leaving, which spans from the entering) if that moment is in it; a standstill or a stay while it lasts."""
    return scope.overlaps(t, t) if t == event["t1"] != event["t0"] else True


def _at_edge(scope: Scope, t: float) -> bool:
    """Whether a moment is at a bound of the window (the anchor's own moment: its leaving, for "after it left")."""
    return any(bound is not None and abs(t - bound) < 0.05 for bound in (scope.t0, scope.t1))


def _stories(store: GraphStore, scopes: list[Scope], rows: list[Entityish]) -> dict[str, shapes.Told]:
    """The events each object took part in that fall in the window asked (at the moment each speaks of), in
    that order; asked at a moment, also the zones it was inside then (where its stream has zones drawn)."""
    told: dict[str, shapes.Told] = {}
    moment = next((s.moment for s in scopes if s.moment is not None), None)
    zoned = {z["stream_id"] for z in store.zones(_scope_streams(scopes) or None) if z["kind"] != "line"}
    for row in rows:
        story = store.entity_story(row["id"])
        events = story["events"] if story else []
        at = sorted(((said_at(e["type"], e["t0"], e["t1"]), e) for e in events), key=lambda te: te[0])
        told[row["id"]] = ([e for t, e in at if any(s.overlaps(t, t, row["stream_id"]) for s in scopes)],
                           None if moment is None or row["stream_id"] not in zoned else
                           _inside_then(events, moment, row["last_seen"]))
    return told


def _inside_then(events: list[StoryEventRead], moment: float, last_seen: float) -> list[str]:
    """The zones an object was inside at a moment, from its events: a zone's leaving spans from its entering; an
    entering never left lasts while the object is in view."""
    spans = {(e["attributes"].get("zone"), e["t0"]): e["t1"] for e in events if e["type"] == "zone_exit"}
    for e in events:
        if e["type"] == "zone_enter":
            spans.setdefault((e["attributes"].get("zone"), e["t0"]), last_seen)
    return sorted({zone for (zone, t0), t1 in spans.items() if zone and t0 <= moment <= t1})


def _composed(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
              anchored: tuple[list[Citation], str] | None) -> Answer | None:
    """A question answered through others, each asked as :func:`_structured` would: against a zone's set way,
    of the n-th object (or between two), a share, a comparison, objects joined by "and"; None for the rest."""
    if q.from_anchor and anchored is not None:
        return _since_anchor(store, q, scopes, cover, tz, anchored)
    if q.wrong_way:
        return _wrong_way(store, q, scopes, cover, tz, anchored)
    if (q.changed_zone or q.every_place) and q.only is None:  # (once: the objects that did are then ``only``)
        return _changed_zone(store, q, scopes, cover, tz, anchored)
    if q.outside and q.only is None:
        return _outside(store, q, scopes, cover, tz, anchored)
    if q.nth:  # "was the first car red?", "how long between the first and second car?"
        return _between_nth(store, q, scopes, cover, tz) if len(q.nth) == 2 else _of_nth(
            store, q, q.nth[0], scopes, cover, tz, anchored)
    if q.share_of is not None:
        return _share(store, q, q.share_of, scopes, cover, tz, anchored)
    if q.intent == "compare":
        return _compare(store, q, scopes, cover, tz, anchored)
    if q.intent == "exists" and q.each_of and not (q.together or q.every):
        return _each(store, q, scopes, cover, tz, anchored)
    return None


def _grouped(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, plan: shapes.Plan,
             entities: list[Entityish]) -> Answer | None:
    """Each camera's count ("were there cars in every camera?"), or which zone or camera had the most of them;
    None for the other questions."""
    labels = _camera_labels([lk.stream for lk in cover.looked])
    if q.each_stream:
        return shapes.by_camera(plan, entities, Counter(labels.get(r["stream_id"], r["stream"]) for r in entities),
                                _seeing(q, cover))
    if q.intent == "extreme" and q.extreme_of == "zone":
        visits = _zone_visits(store, q, scopes)
        return shapes.extreme(plan, [v for _, v in visits], [z for z, _ in visits], _drawn(store, q, scopes))
    if q.intent == "extreme" and q.extreme_of == "stream":  # "which camera saw the most cars?"
        return shapes.extreme(plan, entities, [labels.get(r["stream_id"], r["stream"]) for r in entities],
                              _seeing(q, cover), key="camera")
    return None


def _seeing(q: Question, cover: Coverage) -> tuple[str, ...]:
    """The cameras looked at whose perception can name a class asked about (a count of 0 means something there)."""
    blind = set(cover.blind_to(q.classes)) if q.classes else set()
    labels = _camera_labels([lk.stream for lk in cover.looked])
    return tuple(labels[lk.stream["id"]] for lk in cover.looked if lk.name not in blind)


def _camera_labels(streams: list[StreamRead]) -> dict[str, str]:
    """Stream id -> how an answer names the camera: its name, or where several streams share it (two folders'
    ``cam.mp4``) the name and the id, as the dashboard shows them: counted per name, two cameras read as one."""
    shared = Counter(s["name"] for s in streams)
    return {s["id"]: s["name"] if shared[s["name"]] == 1 else f"{s['name']} ({s['id']})" for s in streams}


def _say_unchecked(q: Question, answer: Answer, unrecorded: Counter[str], unsure: Unsure) -> None:
    """Objects in the window the answer could not judge: those that do not record what the question asks (a
    VLM's objects, a graph written before entering and leaving were recorded, one too small for a colour), those
    whose colour as read may be the one asked about, and those whose size changed too little to tell whether
    they came closer (``unsure``, cited). A "no" or a none with such objects is not a "no" (said first); a count
    or list says they were left out. ``unrecorded``: how many objects lack a colour, and how many lack one of
    the moves asked about. A plain "yes" stands whatever they were."""
    if answer.value is True and not (q.number is not None and q.number.bounded):
        return
    words, said = "/".join(q.colour_words), []
    person = q.noun == "person"  # their clothes' colour: "whether 2 people were in white", never "were white"
    for kind, n in sorted(unrecorded.items()):
        what = f"{'was' if n == 1 else 'were'} {'in ' if person else ''}{words}" if kind == "colour" else " or ".join(
            _RECORDED_WORDS.get(m, m) for m in _recorded_as(q) if m != "colour")
        answer.not_checked.append(f"{what}: not recorded for {n} {plural(q.noun, n)}")
        said.append(f"whether {n} {plural(q.noun, n)} {what} is not recorded")
    if colour := unsure.colour:
        n, read = len(colour), " or ".join(sorted({r["attributes"]["colour"] for r in colour}))
        asked = f"{'not ' if q.negated == 'colours' else ''}{words}"
        whose = f"{'the clothes of ' if person else ''}{n} {plural(q.noun, n)}"
        answer.not_checked.append(f"{asked}: {whose} read as {read} could be {asked}")
        said.append(f"{whose} read as {read} could be {asked} (the colour reading does not tell "
                    "dark, shaded or neighbouring colours apart), cited")
    if approach := unsure.approach:  # its size changed the way asked, too little to tell
        n = len(approach)
        way = "came closer to the camera" if q.approach == "closer" else "went farther from the camera"
        answer.not_checked.append(f"{way}: unclear for {n} {plural(q.noun, n)}")
        said.append(f"whether {n} {plural(q.noun, n)} {way} is unclear (their size changed too little to tell), "
                    "cited")
    if lost := unsure.lost:  # its stay ended with it lost from view inside the zone
        n, where = len(lost), " or ".join(q.places)
        answer.not_checked.append(f"left {where}: not known for {n} {plural(q.noun, n)} lost from view inside")
        said.append(f"whether {n} {plural(q.noun, n)} left {where} is not known ({'it was' if n == 1 else 'they were'}"
                    " lost from view inside), cited")
    cited = {(c.stream_id, c.entity_id) for c in answer.citations}
    answer.citations += [shapes.entity_citation(r) for r in [*unsure.colour, *unsure.approach, *lost][:UNNAMED_CITED]
                         if (r["stream_id"], r["id"]) not in cited]
    if not said:
        return
    if answer.value in (0, False, None, []):
        _hedge(answer, [f"Not checked: {'; '.join(said)}, so this is not a 'no'."], _RECORDED)
    else:
        answer.text += f" Not checked: {'; '.join(said)}."


def _compare(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
             anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Were there more cars than people?": each side counted as "how many ...?" with the same conditions would
    be (its window, coverage and citations), then compared."""
    drawn = store.zones(_scope_streams(scopes) or None)
    sides = [_verb_of_place(side, drawn)[0] for side in _sides(q)]  # "cross midline than lane_up": enter lane_up
    if q.longer:
        return _durations_compared(store, q, sides, scopes, cover, tz, anchored)
    left, right = (_structured(store, side, scopes, cover, tz, anchored) for side in sides)
    cites = _merged_citations([left, right])
    if not (isinstance(left.value, int) and isinstance(right.value, int)):  # a side that was not counted
        return Answer(q.text, f"Not compared: {left.text} {right.text}", "compare", None, cites, supported=False,
                      not_checked=left.not_checked + right.not_checked)
    holds = left.value < right.value if q.fewer else left.value > right.value
    said = " against ".join(f"{a.value} {plural('crossing', a.value)} ({side.line_side})" if q.of_events else
                            f"{a.value} {shapes.noun(side, a.value)}"
                            for a, side in zip((left, right), sides, strict=True))
    value: bool | int = holds
    lead = "Yes" if holds else "No"
    if q.by_how_many:  # "how many more ...?": by how many, the other way round said as such
        asked, other_way = ("fewer", "more") if q.fewer else ("more", "fewer")
        value = (right.value - left.value) if q.fewer else (left.value - right.value)
        lead = f"{value} {asked}" if value > 0 else "None" if value == 0 else f"None {asked} ({-value} {other_way})"
    return _compared_answer(q, f"{lead}: {said}.", (left, right), cites, value, holds)


def _compared_answer(q: Question, lead: str, sides: tuple[Answer, Answer], cites: list[Citation], value: Any,
                     holds: bool) -> Answer:
    """A comparison's answer: its lead, then each side's own answer; where a side could not judge some objects (a
    colour read otherwise), that could turn the comparison: not a yes or a no."""
    left, right = sides
    answer = Answer(q.text, f"{lead} {left.text} {right.text}", "compare", value, cites,
                    supported=left.supported and right.supported, not_checked=left.not_checked + right.not_checked)
    if answer.not_checked:
        _hedge(answer, [f"Not checked: {'; '.join(answer.not_checked)}, so this is not a "
                        f"'{'yes' if holds else 'no'}'."], _RECORDED)
    return answer


def _since_anchor(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
                  anchored: tuple[list[Citation], str]) -> Answer:
    """"How long after the red car left did the last car arrive?": from the anchor's moment to each object's coming
    (or going, where leaving is asked): the n-th named, or those in the window (the first ``MAX_LISTED`` said). It
    was the object's time in view, as if the anchor had only bounded the window."""
    assert q.anchor is not None
    anchor_cites, window = anchored
    moment = (scopes[0].t0 if q.anchor.side == "after" else scopes[0].t1) if scopes else None
    if moment is None:  # (no window on the anchor's stream: nothing to measure from)
        why = "the anchor's moment lies outside the window asked about"
        return Answer(q.text, f"Not checked: {why}.", "duration", None, anchor_cites, supported=False,
                      not_checked=[why])
    leaving = q.moves == ("left",) or q.moving == "passed"
    asked = replace(q, intent="which", from_anchor=False)
    plan = _plan_of(store, asked, scopes, cover, window, tz)
    if q.nth:  # the n-th of all the footage: it may have come before the anchor (said so)
        plan, one = _nth_picked(store, replace(asked, nth=()), q.nth[0], scopes, cover, tz)
        if isinstance(one, Answer):
            return one
        rows: list[Entityish] = [one]
    else:
        rows = _matching_entities(store, asked, scopes, frozenset(c.entity_id for c in anchor_cites if c.entity_id))[0]
        if re.search(r"\bthe next\b", q.text.lower()):  # "did the next car arrive": the first to, after it
            rows = sorted(rows, key=lambda r: r["last_seen"] if leaving else r["first_seen"])[:1]
    if not rows:
        return replace(plan.nothing(f"No {plan.seen(0)}{window}", "duration", None), citations=anchor_cites)
    named = coloured("/".join(q.anchor.colours), q.anchor.noun, q.anchor.noun)
    verb, since = ("left" if leaving else "appeared"), []
    what = f"the {q.nth[0].words + ' ' if q.nth else ''}{shapes.noun(replace(asked, moves=(), moving=None), 1)}"
    for r in rows[:shapes.MAX_LISTED]:
        t = r["last_seen"] if leaving else r["first_seen"]
        colour = f", {c}" if (c := shapes.said_colour(r["attributes"])) else ""
        since.append(f"{what} ({plan.span(r)}{colour}) {verb} at {clock(t)}, {abs(t - moment):.1f} s "
                     f"{'after' if t >= moment else 'before'} the {named} {_anchor_verb(q, 'past')} at {clock(moment)}")
    t0 = rows[0]["last_seen"] if leaving else rows[0]["first_seen"]
    text = "; ".join(since)
    more = f" ({len(rows)} in all; the first {shapes.MAX_LISTED} said)" if len(rows) > shapes.MAX_LISTED else ""
    fps = next((lk.sample_fps for lk in cover.looked if lk.stream["id"] == rows[0]["stream_id"]), None)
    if fps and any(abs((r["last_seen"] if leaving else r["first_seen"]) - moment) <= 2 / fps for r in rows):
        more += f" (each moment is known to one look, {1 / fps:.1f} s at {fps:g} fps: so close, either may be first)"
    return Answer(q.text, f"{text[0].upper()}{text[1:]}{more}.", "duration", round(t0 - moment, 2) if len(rows) == 1
                  else None, anchor_cites + [shapes.entity_citation(r) for r in rows[:shapes.MAX_CITED]])


def _sides(q: Question) -> list[Question]:
    """The two sides of a comparison, each asked as "how many ...?" (or "how long ...?"): this side, and the other:
    other classes (with the colours said of them), or the same ones in another colour, direction or zone; a
    negation said of this side's colour or direction is not the other's."""
    other, same = q.than_side or Side(), replace(q, intent="duration" if q.longer else "times" if q.of_events else
                                                 "count", than=(), than_side=None, longer=False, of_events=False)
    colours = matching_colours(other.colours)
    return [replace(same, classes=tuple(c for c in q.classes if c not in q.than)) if q.than else same,
            replace(same, zone=other.zone) if other.zone else replace(same, line_side=other.line_side) if
            other.line_side else
            replace(same, classes=q.than or q.classes, colours=colours, colour_words=other.colours,
                    negated=None if q.negated == "colours" else q.negated) if q.than or other.colours else replace(
                same, direction=other.direction, negated=None if q.negated == "direction" else q.negated)]


def _durations_compared(store: GraphStore, q: Question, sides: list[Question], scopes: list[Scope],
                        cover: Coverage, tz: ZoneInfo, anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Was the red car in view longer than the silver car?", "how much longer ...?": each side asked as "how long
    was ...?" (in view, or inside the zone named), then compared, where each side is one object."""
    left, right = (_structured(store, side, scopes, cover, tz, anchored) for side in sides)
    cites = _merged_citations([left, right])
    objects = [len({c.entity_id for c in a.citations if c.entity_id}) for a in (left, right)]
    if objects != [1, 1] or not all(isinstance(a.value, (int, float)) for a in (left, right)):
        why = "each side must be one object to compare their times"
        return Answer(q.text, f"Not compared ({why}): {left.text} {right.text}", "compare", None, cites,
                      supported=False, not_checked=[why, *left.not_checked, *right.not_checked])
    diff = round(float(left.value) - float(right.value), 1)
    said = " against ".join(f"the {shapes.noun(side, 1)} {a.value:.1f} s" for a, side in zip((left, right), sides,
                                                                                             strict=True))
    rates = [lk.sample_fps for lk in cover.looked if lk.stream["id"] in {c.stream_id for c in cites}]
    fps = min(r for r in rates if r) if rates and all(rates) else None
    blur = 4 / fps if fps else None  # each end of each time known to one look
    if fps is None or blur is None or abs(diff) <= blur:
        why = (f"a difference of {abs(diff):.1f} s is within the {blur:.1f} s the sampling ({fps:g} fps) can blur "
               "(each end of each time in view is known to one look)" if fps and blur else
               "this perception does not record times to the look")
        return Answer(q.text, f"Not told apart: {said}; {why}. {left.text} {right.text}", "compare", None, cites,
                      supported=False, not_checked=[why, *left.not_checked, *right.not_checked])
    holds = diff < 0 if q.fewer else diff > 0
    value: bool | float = holds
    lead = "Yes" if holds else "No"
    if q.by_how_many:
        value = -diff if q.fewer else diff
        lead = f"{abs(diff):g} s {'longer' if diff > 0 else 'shorter'}" if diff else "The same"
    return _compared_answer(q, f"{lead}: {said}.", (left, right), cites, value, holds)


def _of_nth(store: GraphStore, q: Question, nth: Nth, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
            anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Was the first car red?", "how long was the second car in view?", "which way did the last truck go?": the
    n-th of the objects the subject names (by first seen, the last by last seen, over cameras by their clocks;
    :func:`shapes.nth_object`), then the rest of the question asked of it alone."""
    plan, picked = _nth_picked(store, q, nth, scopes, cover, tz)
    if isinstance(picked, Answer):
        return picked
    rest = tuple(w for w in q.colour_words if w not in nth.colours)  # "was the first red car white?": white
    one = frozenset({(picked["stream_id"], picked["id"])})  # of those the question already keeps, if any
    asked = replace(q, nth=(), only=one if q.only is None else one & q.only, colour_words=rest,
                    colours=matching_colours(rest))
    answer = _structured(store, asked, scopes, cover, tz, anchored)
    colour = shapes.said_colour(picked["attributes"])
    name = f"the {nth.words} {plan.noun(1)} ({plan.span(picked)}{f', {colour}' if colour else ''})"
    cites = [shapes.entity_citation(picked), *(c for c in answer.citations if c.entity_id != picked["id"])]
    if asks_camera(q.text):  # "which camera saw the first car?": the one it was seen by
        return Answer(q.text, f"{picked['stream']}: {name} was seen there.", "which", picked["stream"], cites[:1])
    if q.intent == "story":  # its story names it already: "The first car (white, ...), in view 0:04.4-0:08.6: ..."
        return replace(answer, text=re.sub(r"^The ", f"The {nth.words} ", answer.text, count=1), citations=cites)
    if q.intent != "exists":  # how long, which way: its answer, said of it
        said = re.sub(r"^The ", "the ", answer.text)  # "The first car (...): the car was in view for 4.2 s."
        return replace(answer, text=f"{name[0].upper()}{name[1:]}: {said}", citations=cites)
    them = shapes.noun(replace(asked, only=None), 2) + (describe(q.time, tz) or _window_text(q))
    if answer.not_checked:
        text = f"Not checked whether {name} was one of the {them}: {'; '.join(answer.not_checked)}."
        return replace(answer, text=text, value=None, supported=False, citations=cites)
    was = "was" if answer.value else "was not"
    # "was the first car red or white?": which of them, said first
    which = picked["attributes"].get("colour") if answer.value and len(rest) > 1 else None
    return replace(answer, text=f"{which.capitalize() if which else 'Yes' if answer.value else 'No'}: {name} {was} "
                   f"one of the {them}.", citations=cites[:1])


_OPPOSITE = {"bottom_to_top": "top_to_bottom", "top_to_bottom": "bottom_to_top", "left_to_right": "right_to_left",
             "right_to_left": "left_to_right"}


def _wrong_way(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
               anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Did any car drive the wrong way in lane_up?": moving through a zone the opposite way to the one its site
    file sets (``direction`` in the zone's table), asked of each such zone as "... moving top to bottom at
    lane_up?" would be. Where no zone asked has a way set (or cameras set one zone two ways), not checked, and
    said how to set it."""
    ids = _scope_streams(scopes)
    set_ways = {sid: zone_ways(site, sid) for sid, site in _site_texts(store, ids).items()}
    drawn: dict[str, set[str]] = {}  # zone -> the way each stream that draws it sets ("" for none)
    for z in store.zones(ids or None):
        if z["kind"] != "line":
            drawn.setdefault(z["name"], set()).add(set_ways.get(z["stream_id"], {}).get(z["name"], ""))
    zones = list(q.places) or sorted(z for z, w in drawn.items() if "" not in w)
    unset = [z for z in zones if "" in drawn.get(z, {""})]
    if not zones or unset or (two := [z for z in zones if len(drawn[z]) > 1]):
        why = (f"the wrong way: no direction is set for {', '.join(unset) or 'any zone'} in the site file (direction "
               "= \"bottom to top\" in its [[zone]] table, then analyse again)" if unset or not zones else
               f"the wrong way: {', '.join(two)} is set to run different ways on the cameras asked about (ask of one)")
        why += ", so which way is wrong is not known"
        return Answer(q.text, f"Not checked: {why}.", q.intent, None, [], supported=False, not_checked=[why])
    ways = {z: next(iter(drawn[z])) for z in zones}
    moving = None if q.moving == "moved" else q.moving  # a direction is a movement already
    parts = [_structured(store, replace(q, wrong_way=False, zone=z, zones=(), direction=_OPPOSITE[ways[z]],
                                        directions=(), moving=moving), scopes, cover, tz, anchored) for z in zones]
    runs = "; ".join(f"{z} runs {w.replace('_', ' ')}" for z, w in ways.items())
    lead = f"Against the way set in the site file ({runs}): "
    if len(parts) == 1:
        return replace(parts[0], text=lead + parts[0].text)
    value = _joined([a.value for a in parts])
    total = ("" if q.intent != "exists" and not isinstance(value, int) else "Yes. " if value is True else
             "No. " if value is False else "Not checked. " if q.intent == "exists" else f"{value} in all. ")
    ordered = sorted(zip(zones, parts, strict=True), key=lambda za: not za[1].value)
    said = " ".join(f"In {z}: {a.text}" for z, a in ordered)
    return Answer(q.text, f"{lead}{total}{said}", q.intent, value, _merged_citations([a for _, a in ordered]),
                  supported=value is not None and all(a.supported for a in parts),
                  not_checked=[x for a in parts for x in a.not_checked])


def _changed_zone(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
                  anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Did any car change lanes?": read as entering more than one of the zones drawn (those named, if any); "did
    any car use both lane_up and lane_down?", "how many cars used both lanes?" (``every_place``): as entering (a
    line: crossing) each of those named. Said first; the objects that did are asked about as the question's shape
    would be. No zones drawn: not checked."""
    plain = replace(q, changed_zone=False, every_place=False, zone=None, zones=())
    if q.changed_zone and (unzoned := _unzoned(store, plain, scopes, "a lane change")) is not None:
        return unzoned
    entered: dict[tuple[str, str], set[str]] = {}
    for zone, row in _zone_visits(store, q if q.every_place else plain, scopes, lines=q.every_place):
        if not q.places or zone in q.places:
            entered.setdefault((row["stream_id"], row["id"]), set()).add(zone)
    did = ({key for key, zones in entered.items() if zones >= set(q.places)} if q.every_place else
           {key for key, zones in entered.items() if len(zones) > 1})
    if q.in_order:  # "from the walkway to the dock": into the first before into the second
        did &= _in_turn(store, q, scopes)
    answer = _structured(store, replace(q, zone=None, zones=(), only=frozenset(did)), scopes, cover, tz, anchored)
    places = ", ".join(q.places or _drawn(store, plain, scopes))
    read = f"Read as {_entering(store, scopes, q.places)} {', then '.join(q.places)}: " if q.in_order else (
        f"Read as {_entering(store, scopes, q.places)} each of {places}: " if q.every_place else
        f"Read as entering more than one of {places}: ")
    return replace(answer, text=read + answer.text)


def _in_turn(store: GraphStore, q: Question, scopes: list[Scope]) -> set[tuple[str, str]]:
    """The objects that entered (or crossed) each place named after the one before it: its first visit of the
    first place before its last of the second, and so on."""
    visits: dict[tuple[str, str], dict[str, list[float]]] = {}
    for zone, v in _visits_at(store, scopes, q.places, q.classes, ("zone_enter", "line_cross")):
        visits.setdefault((v["stream_id"], v["id"]), {}).setdefault(zone, []).append(v["t"])
    done = set()
    for key, at in visits.items():
        t = -float("inf")
        for zone in q.places:
            later = [x for x in at.get(zone, ()) if x > t]
            if not later:
                break
            t = min(later)
        else:
            done.add(key)
    return done


def _entering(store: GraphStore, scopes: list[Scope], places: tuple[str, ...]) -> str:
    """How an object visits the places named: crossing lines, entering zones, or both kinds."""
    lines = {z["name"] for z in store.zones(_scope_streams(scopes) or None) if z["kind"] == "line"}
    return "crossing" if set(places) <= lines else "entering or crossing" if set(places) & lines else "entering"


def _outside(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
             anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Did any car not use a lane?", "how many cars never entered lane_up?", "was anyone outside the dock?": the
    objects asked about that entered none of the zones named (every zone drawn, when none is), or crossed none of
    the lines named: the others of those the question reads at them (inside as a window began, inside at a
    moment asked); said first. No zones drawn: not checked."""
    # "in lane_down but never crossed midline": in one place and at none of the others, each visited either way
    visit = tuple(t for t in q.event_types if t not in ("zone_enter", "line_cross")) if q.within else q.event_types
    plain = replace(q, outside=False, zone=None, zones=q.within, within=(), event_types=visit)
    places = q.places or _drawn(store, plain, scopes)
    if not places:
        return _no_zones(q, "outside the zones")
    at = replace(plain, zones=tuple(places))  # those at them, as "how many cars were in lane_up ...?" reads them
    if q.intent == "duration":
        return _time_outside(store, plain, at, scopes, cover, tz)
    inside = {(r["stream_id"], r["id"]) for r in _matching_entities(store, at, scopes)[0]}
    rows = _matching_entities(store, plain, scopes)[0]
    everyone = {(r["stream_id"], r["id"]) for r in rows}
    answer = _structured(store, replace(plain, only=frozenset(everyone - inside)), scopes, cover, tz, anchored)
    verb = _entering(store, scopes, places)
    at_within = f"{_entering(store, scopes, q.within)} {' or '.join(q.within)}, and " if q.within else ""
    answer = replace(answer, text=f"Read as {at_within}{verb} none of {', '.join(places)}: {answer.text}")
    if q.within and everyone and everyone <= inside:  # "None: no cars at lane_up": those there did visit the others
        n = len(everyone)
        answer.text += (f" At {' or '.join(q.within)}, {n} {shapes.noun(replace(plain, zones=()), n)} "
                        f"{'was' if n == 1 else 'were'} also at {' or '.join(places)}, cited.")
        answer.citations += shapes.cite(rows)
    return answer


def _time_outside(store: GraphStore, plain: Question, at: Question, scopes: list[Scope], cover: Coverage,
                  tz: ZoneInfo) -> Answer:
    """"How long was the person outside the walkway?": each object's time in view (in the window) less its time
    inside the zones named, from its entering and leaving of them."""
    inside = _time_inside(store, at, scopes)
    if inside is None:  # a counting line is crossed, not occupied
        return _crossed_only(at, "duration")
    rows = _in_window(_matching_entities(store, plain, scopes)[0], scopes)
    if not rows:
        return _structured(store, plain, scopes, cover, tz)  # none of them seen: said as "how long ...?" says it
    places = " or ".join(at.zones)
    outside = [max(0.0, r["last_seen"] - r["first_seen"] - inside.get((r["stream_id"], r["id"]), 0.0)) for r in rows]
    each = [f"{shapes.noun(plain, 1)} {clock(r['first_seen'])}-{clock(r['last_seen'])}: {d:.1f} s outside "
            f"({r['last_seen'] - r['first_seen']:.1f} s in view, {inside.get((r['stream_id'], r['id']), 0.0):.1f} s "
            "inside)" for r, d in zip(rows[:shapes.MAX_LISTED], outside, strict=False)]
    more = f"; ... and {len(rows) - shapes.MAX_LISTED} more" if len(rows) > shapes.MAX_LISTED else ""
    window = describe(plain.time, tz) or _window_text(plain)
    text = (f"Outside {places} (in view, and not inside it){window}: {sum(outside):.1f} s in all. "
            f"{'; '.join(each)}{more}.")
    return Answer(plain.text, text, "duration", round(sum(outside), 2), shapes.cite(rows))


def _joined(values: list[Any]) -> Any:
    """The answer of parts asked apart (each zone's): yes if any is, the total, the lists in one; None where
    they are not alike or one was not answered."""
    if all(isinstance(v, bool) for v in values):
        return any(values)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return sum(values)
    return [x for v in values for x in v] if all(isinstance(v, list) for v in values) else None


def _nth_picked(store: GraphStore, q: Question, nth: Nth, scopes: list[Scope], cover: Coverage,
               tz: ZoneInfo) -> tuple[Plan, Entityish | Answer]:
    """The n-th of the objects the subject names ("the first car", "the second red car"), with the plan that
    words it, or the answer that there is none (or no one: several seen at the same first look). It is the n-th
    in the question's window where the window's words follow the object's; else of all the footage. A story has
    nothing to ask of the object but the object: its places are the subject's ("what did the first car in lane_down
    do?": the first of those in lane_down)."""
    time = q.time if nth.windowed else TimeSpec()
    if not nth.windowed:
        scopes = list({tuple(s.streams or []): Scope(s.streams, None, None) for s in scopes}.values())
    story = q.intent == "story"
    subject = Question(q.text, "last" if nth.from_end else "first", classes=q.classes, time=time, streams=q.streams,
                       colours=matching_colours(nth.colours), colour_words=nth.colours,
                       ordinal=nth.n if nth.n > 1 else None, zone=q.zone if story else None,
                       zones=q.zones if story else ())
    plan = _plan_of(store, subject, scopes, cover, describe(time, tz) or _window_text(subject), tz)
    rows = _matching_entities(store, subject, scopes)[0]
    return plan, shapes.nth_object(plan, rows, nth.words, nth.from_end)


def _between_nth(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo) -> Answer:
    """"How long between the first and second car?": the time from the one's first sighting to the other's, and
    how long after the earlier was last seen the later came (or that they were in view together). Over cameras
    with no common clock, not told."""
    picked: list[tuple[Nth, Plan, Entityish]] = []
    for nth in q.nth:
        plan, one = _nth_picked(store, q, nth, scopes, cover, tz)
        if isinstance(one, Answer):
            return one
        picked.append((nth, plan, one))
    starts, cites = picked[0][1].starts, [shapes.entity_citation(r) for _, _, r in picked]  # one clock per stream
    if len({r["stream_id"] for _, _, r in picked}) > 1 and not all(starts.get(r["stream_id"]) for _, _, r in picked):
        why = "the time between them: they are on cameras with no common clock"
        return Answer(q.text, f"Not checked: {why}.", "duration", None, cites, supported=False, not_checked=[why])

    def at(row: Entityish, seen: Literal["first_seen", "last_seen"]) -> float:
        return starts.get(row["stream_id"], 0.0) + row[seen]

    (na, pa, a), (nb, pb, b) = sorted(picked, key=lambda x: at(x[2], "first_seen"))
    apart, gap = at(b, "first_seen") - at(a, "first_seen"), at(b, "first_seen") - at(a, "last_seen")
    after = (f"it came {gap:.1f} s after the {na.words} was last seen" if gap > 0 else
             f"they were in view together for {-gap:.1f} s")
    text = (f"The {nb.words} {pb.noun(1)} ({pb.span(b)}) appeared {apart:.1f} s after the {na.words} "
            f"({pa.span(a)}); {after}.")
    return Answer(q.text, text, "duration", round(apart, 2), cites)


def _share(store: GraphStore, q: Question, whole_q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
           anchored: tuple[list[Citation], str] | None) -> Answer:
    """"What percentage of the vehicles were white?": the part counted as "how many of the vehicles were white?"
    would be, over the whole counted as "how many vehicles?" in the same window; what either could not judge is
    said (and makes the share unchecked), and both cite what they counted, the part first."""
    counted: Intent = "times" if whole_q.intent == "times" else "count"  # "of crossings": events, else objects
    whole = _structured(store, replace(whole_q, intent=counted, each_stream=q.each_stream), scopes, cover, tz,
                        anchored)
    if q.unchecked or (counted == "times" and not q.event_types):  # a word not read (said first, as for any
        # question), or events whose part names none of them: the part may be the whole, never 100%
        why = ("without those words the part asked about is not told from the whole" if q.unchecked else
               "the part asked about is not read as those events")
        return Answer(q.text, f"Not worked out: {why}. {whole.text}", "share", None, whole.citations, supported=False)
    part = _structured(store, replace(q, share_of=None, intent=counted), scopes, cover, tz, anchored)
    cites, not_checked = _merged_citations([part, whole]), part.not_checked + whole.not_checked
    if not (isinstance(part.value, int) and isinstance(whole.value, int)):  # a side that was not counted
        return Answer(q.text, f"Not worked out: {part.text} {whole.text}", "share", None, cites, supported=False,
                      not_checked=not_checked)
    if whole.value == 0:
        return Answer(q.text, f"No share: {whole.text}", "share", None, cites, supported=whole.supported,
                      not_checked=not_checked)
    share = part.value / whole.value
    said = shapes.noun(whole_q, whole.value) if counted == "count" else re.sub(
        r"^how many (?:all )?(?:of )?(?:the )?", "", whole_q.text)  # "of the crossings": "of 4 crossings"
    lead = f"{share:.0%}: {part.value} of {whole.value} {said}."
    if q.each_stream:  # "in each camera": each camera's share of its own, or (the part all of them) of them all
        of = {name: whole.value if part.value == whole.value else n for name, n in whole.breakdown.items()}
        lead = "By camera: " + ", ".join(f"{name} {part.breakdown.get(name, 0) / n:.0%} ({part.breakdown.get(name, 0)} "
                                         f"of {n})" for name, n in of.items() if n) + "."
    answer = Answer(q.text, f"{lead} {part.text} {whole.text}", "share", share, cites,
                    supported=part.supported and whole.supported, not_checked=not_checked,
                    breakdown={shapes.noun(replace(q, share_of=None), 2): part.value,  # the dashboard's bars
                               "the rest": whole.value - part.value})
    if not_checked:
        _hedge(answer, [f"Not checked: {'; '.join(not_checked)}, so the share may differ."], _RECORDED)
    return answer


def _merged_citations(answers: list[Answer]) -> list[Citation]:
    """The citations of answers to parts of one question, each once, in order."""
    return list({(c.stream_id, c.t0, c.t1, c.what): c for a in answers for c in a.citations}.values())


def _each(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
          anchored: tuple[list[Citation], str] | None) -> Answer:
    """"Was there a car and a person?", "a red car and a green car?": each object asked about as "was there a
    car?" would be, and a yes only when each was seen (28 cars and no person are no "Yes: 28 cars or people").
    A number said with them ("2 cars and a person") is not checked: which object it counts is not read."""
    base = replace(q, each_of=None, number=None)
    if q.each_of == "zone":  # "a car in lane_up and a car in lane_down"
        sides = [replace(base, zone=z, zones=()) for z in q.places]
    elif q.each_of == "direction":  # "did a car go up and a car go down?"
        sides = [replace(base, direction=d, directions=()) for d in q.ways]
    elif q.each_of == "colour":
        sides = [replace(base, colours=matching_colours([w]), colour_words=(w,)) for w in q.colour_words]
    else:
        # each object's own colours (not an anchor's: "after the red car left, was there a car and a person?")
        sides = [replace(base, classes=g, colours=matching_colours(said), colour_words=said)
                 for g in object_groups(q.text, q.classes)
                 for said in [tuple(w for w in colours_of(q.text, g) if w in q.colour_words)]]
    answers = [_structured(store, side, scopes, cover, tz, anchored) for side in sides]
    names = [with_article(shapes.noun(side, 1)) if q.each_of in ("zone", "direction") else
             with_article(coloured("/".join(side.colour_words), side.noun, side.noun)) for side in sides]
    asked = f"{', '.join(names[:-1])} and {names[-1]}"
    each = "both" if len(sides) == 2 else "all"
    number = q.number
    both = q.each_of in ("zone", "direction") and one_subject(q.text)  # "did any car go up and down?": one car
    if any(a.value is False and a.supported for a in answers) and not (number and number.bounded):
        value, lead = False, f"No: {asked} were not {each} seen."
    elif both:  # each was seen, maybe of different objects: whether one did both is not read
        value, lead = None, (f"Not checked whether one {q.noun} did {each} (each was looked for apart, of any "
                             f"{q.noun}): {asked} were {'' if all(a.value is True for a in answers) else 'not '}"
                             f"{each} seen.")
    elif all(a.value is True for a in answers) and number is None:
        value, lead = True, f"Yes: {asked} were {each} seen."
    else:
        value, lead = None, f"Not checked whether {asked} were {each} seen{' as many as asked' if number else ''}:"
    said = [_unled(a.text) for a in answers]
    not_checked = [x for a in answers for x in a.not_checked]
    if number is not None:
        not_checked.append(f"{number.said()}: which of the objects asked about the number counts is not read")
    return Answer(q.text, " ".join([lead, *said]), "exists", value, _merged_citations(answers),
                  supported=value is not None and all(a.supported for a in answers), not_checked=not_checked)


def _unled(text: str) -> str:
    """A part's answer without its own "Yes: " or "No: " (the whole question's answer leads)."""
    rest = text[m.end():] if (m := re.match(r"(?:Yes|No): ", text)) else text
    return rest[:1].upper() + rest[1:]


def _plan_of(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, window: str,
             tz: ZoneInfo) -> Plan:
    """How the answer words its window and says "none": coverage per stream, unconfirmed sightings apart."""
    ids = _scope_streams(scopes)

    def none() -> tuple[str, list[Citation]]:
        asked = bool(q.classes) and q.intent not in ("times", "near")
        sightings = [c for s in scopes for c in unconfirmed(store, q.classes, s.streams or [], s.t0, s.t1)] if (
            asked) else []
        found = [unnamed(store, q.classes, s.streams or [], s.t0, s.t1) for s in scopes] if asked else []
        objects = [c for cites, _ in found for c in cites]
        labels = {w for _, words in found for w in words}
        others = _unmatched(store, q, scopes) if asked or (q.places and q.event_types) else []
        cited = sightings + objects[:UNNAMED_CITED] + [
            shapes.visit_citation(r) if "event_id" in r else shapes.entity_citation(r) for r in others[:UNNAMED_CITED]]
        doubted = "the time without one" if q.occupied else "this 'none'"
        stays = {shapes.stay_said(r) if "event_id" in r else None for r in others}  # "in X", "as the footage began"
        entering = cast(ZoneVisitRead, others[0]).get("type") == "zone_enter" if others else False
        were = (f"{' '.join(stays.pop() or ())} (not seen {'entering' if entering else 'leaving'} it)"
                if len(stays) == 1 and None not in stays else "seen that did not meet the question's conditions")
        kinds, of_kinds = _other_kinds(store, q, scopes)
        return (negative(q.noun, cover, sightings, len(objects), labels, len(others), len(others) >= shapes.MAX_CITED,
                         doubted, were) + kinds,
                cited + of_kinds or _coverage(store, scopes, cover))

    return Plan(q, window, none, many_streams=len(ids) > 1, unseen=tuple(c for c in q.classes if cover.blind_to((c,))),
                starts={lk.stream["id"]: float(lk.stream["start"] or 0.0) for lk in cover.looked}, tz=tz)


def _other_kinds(store: GraphStore, q: Question, scopes: list[Scope]) -> tuple[str, list[Citation]]:
    """Of a "none" at places for some classes ("who crossed midline?": people), the objects of the other classes
    that met the question there, counted by class and cited ("4 cars did"): the question may have meant them."""
    if not (q.places and q.classes) or set(EVERY_CLASS) <= set(q.classes):
        return "", []
    rows = [r for r in _matching_entities(store, replace(q, classes=()), scopes)[0] if r["cls"] not in q.classes]
    if not rows:
        return "", []
    each = Counter(str(r["cls"]) for r in rows)
    said = ", ".join(f"{n} {plural(c, n)}" for c, n in each.most_common())
    return f". Of other kinds, {said} did, cited", [shapes.entity_citation(r) for r in rows[:UNNAMED_CITED]]


def _scope_streams(scopes: list[Scope]) -> list[str]:
    """The stream ids the scopes read, once each, sorted."""
    return sorted({i for s in scopes for i in (s.streams or [])})


_RECORDED = "What was recorded:"
_YES = re.compile(r"Yes[.:,]? +")  # an answer's verdict, put before what was seen


def _hedge(answer: Answer, leads: list[str], rest: str) -> None:
    """Put what was not checked before the answer, which then does not claim support; ``rest`` introduces what
    follows (the record, or the rest of the question), so it does not read as the answer disclaimed. An answer
    already led by what was not checked and the record keeps one "What was recorded:"."""
    if leads:
        # an answer said as the record already ("What was recorded (no language model ...): ") is not said so twice
        rest = "" if rest == _RECORDED and answer.text.startswith(_RECORDED[:-1] + " (") else rest
        led = rest == _RECORDED and answer.text.startswith("Not checked: ") and f" {rest} " in answer.text
        answer.text = " ".join([*leads, *([] if led or not rest else [rest]), answer.text])
        answer.supported = False


def _account(q: Question, answer: Answer, cover: Coverage, notes: list[str], missed: list[Citation]) -> None:
    """Say what the answer does not cover: words not checked, classes the perception cannot see, segments where
    most of what moved matched no detection (``missed``: a "none" there is not a "no"), partial footage."""
    not_checked = list(q.unchecked) + answer.not_checked + ([f"a second question: {q.second}"] if q.second else [])
    leads: list[str] = []  # in the order they are read, most general first
    if q.detector_words:  # "were there any dogs?": the detector's word, which nothing here confirms
        called = " or ".join(f"'{w}'" for w in q.detector_words)
        leads.append(f"Not checked: {plural(q.detector_words[0], 2)} are not a class vidgraph counts. Read as the "
                     f"unnamed objects the detector called {called} while they moved (its word, not confirmed: look "
                     "at them; one that stood still is not kept).")
    bounded = q.number is not None and q.number.bounded  # "at most 3": a yes that unseen objects could break
    named = q.classes
    if q.intent == "near" and set(VEHICLES) <= set(named):  # "a vehicle": any vehicle the perception sees will do
        named = tuple(c for c in named if c not in VEHICLES)
    # "a vehicle": any class the perception sees will do; named classes ("forklifts or trucks") each count
    blind = cover.blind_to(named, every=not set(VEHICLES) <= set(named)) if named else []
    if q.intent == "near" and q.distance_m is not None and (short := cover.proximity_short_of(q.distance_m)):
        not_checked.append(f"within {q.distance_m:g} m: {'; '.join(short)}")
        leads.insert(0, f"Not checked beyond what was recorded ({'; '.join(short)}).")
    if blind:
        unseen = " or ".join(c for c in named if cover.blind_to((c,))) or q.noun  # "forklift", not "person"
        not_checked.append(f"{unseen}: the perception of {', '.join(blind)} cannot see that class")
        if answer.value in (0, False, None, []) or q.intent == "compare" or bounded:
            leads.insert(0, f"Not checked: the perception used on {', '.join(blind)} cannot detect "
                            f"{plural(unseen, 2)}, so this is not a '{'yes' if answer.value else 'no'}'.")
        else:  # "4 forklifts or cars": the cars
            notes.append(f"{plural(unseen, 2)} are not counted: the perception used on {', '.join(blind)} cannot "
                         "detect them")
    if q.distinct and len(cover.looked) > 1:  # "unique cars" over several cameras: one camera's are counted once
        not_checked.append(f"{q.distinct} across cameras: nothing re-identifies an object from one camera in another")
        leads.append(f"Not checked: '{q.distinct}' across cameras (nothing re-identifies an object from one camera "
                     "in another: each camera's objects are counted once, and one seen by two cameras in each).")
    if missed:
        where = (f"in {len(missed)} {plural('segment', len(missed))} most of what moved matched no detection of a "
                 "counted class (a moving camera, or objects this detector does not see or cannot name), cited")
        not_checked.append(f"{q.noun}: {where}")
        # a "none", or (asked when nothing was in view) stretches said to be empty
        if bool(answer.value) if q.intent == "empty" else (answer.value in (0, False, None, []) or bounded
                                                              or q.intent == "compare"):
            claim = ("these stretches are not shown to be empty" if q.intent == "empty" else
                     f"this is not a '{'yes' if answer.value else 'no'}'")
            leads.insert(0, f"Not checked: {where}, so {claim}.")
        else:
            notes.append(f"{where}: what moved there was not identified, and is not in this answer")
        answer.citations += missed
    if cover.looked and not any(lk.covers for lk in cover.looked):  # "after 12 min" of a 30 s clip
        leads.insert(0, "Not checked: none of the footage in scope lies in the window asked about, cited, so this "
                        "says nothing about it.")
    _hedge(answer, leads, _RECORDED)
    if q.unchecked:  # only the part without these words was answered: say so first, and it is not the answer
        words = " ".join(q.unchecked)
        place = ("; zones and counting lines are read by the names a site file (--site) gives them" if
                 set(words.split()) & (PLACE_WORDS | {"line", "lines"}) else "") + (
            "; speed is not measured: positions are in pixels, with no ground calibration" if
            set(words.split()) & SPEED_WORDS else "") + (
            "; turning is not measured: a track keeps where an object came in and went out, not its heading on the "
            "way (a road across the picture leaves by a side edge too)" if set(words.split()) & TURN_WORDS else "") + (
            "; how near objects came is recorded only between a person and a vehicle (from the person's height), not "
            "between two people or two vehicles" if re.search(_APART, words) else "")
        # a "yes" to the rest is no "yes" to the question ("was the red car faster than ...?": a red car was
        # seen); a "no" to the rest still holds for the narrower question ("bicycles with baskets": no bicycles)
        yes = _YES.match(answer.text)
        answer.text = answer.text[yes.end():] if yes else answer.text
        _hedge(answer, [f"Not checked: '{words}' (nothing here evaluates it, and no answering model is configured"
                        f"{place})."], "Only the rest was checked, so this is not a 'yes':" if yes else
               "Only the rest was checked:")
    if q.second:  # "how many cars, and how many were red?": the first is answered; the second must be asked alone
        _hedge(answer, [f"Not answered: a second question, '{q.second}' (ask it on its own)."],
               "The first one:")
    if notes:
        answer.text += " Note: " + "; ".join(notes) + "."
    answer.not_checked = not_checked
    answer.notes = notes


# a distance or nearness left unread ("within 1 m of each other", "which two cars came closest?")
_APART = re.compile(rf"\b(?:\d+(?:\.\d+)? ?{LENGTH_UNIT}|each-other|one-another|closest|nearest|near|"
                    r"close|apart|distance|tailgat\w*)\b")


# -- planning -----------------------------------------------------------------------------------------------
def plan_scopes(time: TimeSpec, known: list[StreamRead], tz: ZoneInfo) -> tuple[list[Scope], list[str]]:
    """One scope for all streams when the window is in offsets; one per stream for clock or "last N" windows,
    and the ids of streams that cannot place a clock window (no wall clock). Scopes always name their streams:
    a stream not asked about (or not answerable) is never read. The CLI's and API's since/until use this too."""
    ids = [s["id"] for s in known]
    if time.empty:
        return [Scope(ids, None, None)], []
    if (time.t0 is not None or time.t1 is not None) and not time.half:  # a half: of each stream's own footage
        return [_scope(ids, time.t0, time.t1)], []
    clocks = [StreamClock(s["id"], float(s["start"] or 0.0), float(s["duration"] or 0.0)) for s in known]
    now = reference_now(clocks)
    scopes, skipped = [], []
    for c in clocks:
        window = resolve(time, c, now, tz)
        if window is None:
            skipped.append(c.stream_id)
        else:  # a window outside the footage stays: its answer is "none", citing what footage there is
            scopes.append(_scope([c.stream_id], *window))
    return scopes, skipped


def window_scopes(store: GraphStore, streams: list[str] | None, since: str | None, until: str | None,
                  tz: str = "UTC") -> list[Scope]:
    """The scopes ``--since``/``--until`` (CLI) and ``since``/``until`` (API) name, in the questions' grammar
    (``query.timewords.parse_bounds``). An unknown stream is :class:`UnknownStream`; an unreadable time, or a
    clock time no stream in scope can place (no wall clock), a ValueError."""
    spec = parse_bounds(since, until)
    every = store.list_streams()
    missing = sorted(set(streams or ()) - {s["id"] for s in every})
    if missing:
        raise UnknownStream(f"no stream {', '.join(missing)} in the graph")
    known = [s for s in every if not streams or s["id"] in streams]
    scopes, skipped = plan_scopes(spec, known, ZoneInfo(tz))
    if skipped and not scopes:
        raise ValueError(f"a clock time needs a wall clock, and {', '.join(skipped)} has none (analyze --start)")
    return scopes


def _anchor(store: GraphStore, q: Question, scopes: list[Scope],
            known: list[StreamRead]) -> tuple[list[Scope], list[Citation], str] | Answer | None:
    """The entity the question starts after or before (or is asked while it was in view), the scopes narrowed
    to its stream from (or to, or over) that moment, and how the answer words that window (``known``: the
    streams in scope, with their wall clocks). Over several streams the first or last is by their wall clocks;
    where one has none, nothing orders them: that is said (an Answer), not the smallest offset of any stream
    taken for the first."""
    assert q.anchor is not None
    if q.anchor.side == "between":
        return _between_anchors(store, q, scopes, known)
    candidates = [row for scope in scopes for cls in q.anchor.cls
                  for row in store.entities(scope.streams, cls, scope.t0, scope.t1)
                  if not q.anchor.colours or row["attributes"].get("colour") in q.anchor.colours]
    own = _own_events(store, q, scopes) if q.anchor.moment == "event" else {}
    if q.anchor.moment == "event":  # "before the red car" crossed the line asked about: those that did
        candidates = [r for r in candidates if (r["stream_id"], r["id"]) in own]
    if not candidates:
        return None
    starts = {s["id"]: float(s["start"] or 0.0) for s in known}  # the streams in scope, as _plan read them
    if len(ids := {r["stream_id"] for r in candidates}) > 1 and not all(starts.get(i) for i in ids):
        why = (f"the {shapes.nth(q.anchor.n, q.anchor.which == 'last')} {q.anchor.noun} to {_anchor_verb(q, 'to')}: "
               f"{len(ids)} streams have one, and with no common clock none of theirs comes first; ask about one "
               "stream")
        return Answer(q.text, f"Not checked: {why}.", q.intent, None, [], supported=False,
                      not_checked=[why, *q.unchecked])

    def at(r: EntityRead) -> float:
        moment = q.anchor.moment if q.anchor else "appeared"
        return own[(r["stream_id"], r["id"])] if moment == "event" else r["last_seen"] if moment == "left" else (
            r["first_seen"])

    ordered = sorted(candidates, key=lambda r: (at(r) + starts.get(r["stream_id"], 0.0), r["id"]),
                     reverse=q.anchor.which == "last")
    if len(ordered) < q.anchor.n:  # "after the fifth car left" with four: there is no such moment
        return None
    row = ordered[q.anchor.n - 1]
    moment = at(row)
    cite = shapes.entity_citation(row)
    if q.anchor.side == "during":  # "at the same time as the silver car": while it was in view
        span = f"{clock(row['first_seen'])}-{clock(row['last_seen'])}"
        cite.what = f"anchor: {cite.what} in view {span}"
        named = f"{'/'.join(q.anchor.colours) + ' ' if q.anchor.colours else ''}{q.anchor.noun}"
        which = f", the {shapes.nth(q.anchor.n, q.anchor.which == 'last')} of {len(candidates)}" if len(
            candidates) > 1 else ""
        return [Scope([row["stream_id"]], max(s.t0 or 0.0, row["first_seen"]), row["last_seen"] if s.t1 is None else
                      min(s.t1, row["last_seen"])) for s in scopes if s.streams is None or row["stream_id"] in s.streams
                ], [cite], f" while the {named} was in view ({span}{which}{_itself(q, named)})"
    cite.what = f"anchor: {cite.what} {_anchor_verb(q, 'past')} at {clock(moment)}"
    before, mine = q.anchor.side == "before", [s for s in scopes if s.streams is None or row["stream_id"] in s.streams]
    narrowed = [Scope([row["stream_id"]], s.t0 if before else moment, moment if before else s.t1) for s in mine]
    # over several streams the window is the anchor's stream's alone: said so
    where = f" in {row['stream']}" if len(_scope_streams(scopes)) != 1 else ""
    if q.anchor.side == "at":  # "when the red car left": that moment, if the window asked holds it
        named = coloured("/".join(q.anchor.colours), q.anchor.noun, q.anchor.noun)
        return ([_scope([row["stream_id"]], moment, moment) for s in mine if s.overlaps(moment, moment)], [cite],
                f" at {clock(moment)}{where} (when the {named} {_anchor_verb(q, 'past')}{_itself(q, named)})")
    return narrowed, [cite], f" {q.anchor.side} {clock(moment)}{where}"


def _itself(q: Question, named: str) -> str:
    """Of a window an object in it is asked of ("how many cars were in view when the red car appeared?"): that
    the anchor is not among those counted, where it could be one (of a class, and a colour, asked about; the
    events counted say their own: "Left out: the silver car's own")."""
    assert q.anchor is not None
    could = (not q.classes or set(q.anchor.cls) & set(q.classes)) and (
        not (q.colours and q.anchor.colours) or set(q.colours) & set(q.anchor.colours))
    return f"; not counting the {named} itself" if could and q.intent != "times" else ""


def _between_anchors(store: GraphStore, q: Question, scopes: list[Scope],
                     known: list[StreamRead]) -> tuple[list[Scope], list[Citation], str] | Answer | None:
    """"How many cars came between the red car and the last white car?": the window from the one's moment to the
    other's (whichever came first), on their stream; on two streams, not told (no common window)."""
    assert q.anchor is not None and q.anchor.until is not None
    one = _anchor(store, replace(q, anchor=replace(q.anchor, side="after", until=None)), scopes, known)
    other_q = replace(q, anchor=q.anchor.until)
    other = _anchor(store, other_q, scopes, known)
    if not isinstance(one, tuple):
        return one
    if not isinstance(other, tuple):
        return other if other is not None else _no_anchor(store, other_q, scopes)
    (a, *_), (b, *_) = one[0], other[0]
    if a.streams != b.streams:
        why = "the time between two objects seen by different cameras: they share no window; ask about each"
        return Answer(q.text, f"Not checked: {why}.", q.intent, None, one[1] + other[1], supported=False,
                      not_checked=[why, *q.unchecked])
    assert a.t0 is not None and b.t1 is not None
    lo, hi = sorted((a.t0, b.t1))
    where = f" in {one[1][0].stream}" if len(_scope_streams(scopes)) != 1 else ""
    return [Scope(a.streams, lo, hi)], one[1] + other[1], f" between {clock(lo)} and {clock(hi)}{where}"


def _own_events(store: GraphStore, q: Question, scopes: list[Scope]) -> dict[tuple[str, str], float]:
    """Per object of the anchor's class, the moment of its first event of the kind the question asks about at the
    places it names ("did the silver car cross midline before the red car?": the red car's crossing)."""
    assert q.anchor is not None
    found: dict[tuple[str, str], float] = {}
    a = q.anchor
    for _, v in _visits_at(store, scopes, (a.place,) if a.place else q.places, a.cls,
                           (a.event,) if a.event else q.event_types):
        if (a.place or _sided(q, v["type"], v["event_attributes"])) and not _stay_edge(v["type"],
                                                                                     v["event_attributes"]):
            key = (v["stream_id"], v["id"])
            found[key] = min(found.get(key, v["t"]), v["t"])
    return found


def _visits_at(store: GraphStore, scopes: list[Scope], places: Sequence[str], classes: Sequence[str],
               types: Sequence[str]) -> Iterator[tuple[str, ZoneVisitRead]]:
    """(place, visit) for each event of these types (entering, leaving, crossing) at each place, by objects of the
    classes (any object, when none), in each scope's window."""
    for scope in scopes:
        for zone in places:
            for cls in classes or (None,):
                for v in store.zone_visits(zone, scope.streams, cls, scope.t0, scope.t1, types=types):
                    yield zone, v


def _stay_edge(kind: str, attributes: dict[str, Any]) -> bool:
    """A zone_enter or zone_exit that only marks where a stay in the zone began or ended: of an object inside it
    as the footage began ("was in lane_1 as the footage began"), still inside as it ended, or lost from view
    inside (``common.classes.SIGHTING_MARKS``). It bounds the time inside, but it is no entering or leaving."""
    return kind.startswith("zone_") and sighting_mark(kind, attributes)


def _anchor_verb(q: Question, form: Literal["to", "past"]) -> str:
    """What the anchor did at its moment: "leave"/"left", "appear"/"appeared", or the question's own event
    ("cross midline"/"crossed midline")."""
    assert q.anchor is not None
    if q.anchor.moment != "event":
        return {"left": ("leave", "left"), "appeared": ("appear", "appeared")}[q.anchor.moment][form == "past"]
    kind = {"line_cross": ("cross", "crossed"), "zone_enter": ("enter", "entered"), "zone_exit": ("leave", "left")}[
        q.anchor.event or q.event_types[0]][form == "past"]
    return f"{kind} {q.anchor.place or ' or '.join(q.places)}"


def _unseen_anchor(q: Question, cover: Coverage, answer: Answer) -> Answer:
    """No anchor found, where the perception cannot see its class at all ("after the forklift left", COCO): not
    that there was none, but not checked, with the reason."""
    assert q.anchor is not None
    if not (blind := cover.blind_to(q.anchor.cls, every=not set(VEHICLES) <= set(q.anchor.cls))):
        return answer
    why = f"{q.anchor.noun}: the perception of {', '.join(blind)} cannot see that class"
    return replace(answer, text=f"Not checked: the perception used on {', '.join(blind)} cannot detect "
                   f"{plural(q.anchor.noun, 2)}, so whether the {q.anchor.noun} {_anchor_verb(q, 'past')} is not known "
                   "and there is no moment to answer from.", supported=False, not_checked=[why], citations=[])


def _no_anchor(store: GraphStore, q: Question, scopes: list[Scope]) -> Answer:
    """No entity the anchor names ("after the red car left" with none, "after the fifth car left" with four): no
    window to answer in; where a colour reading may hide the anchor's colour, not a "no" either."""
    assert q.anchor is not None
    cls = plural(q.anchor.noun, 1)
    ordinal = f"{shapes.nth(q.anchor.n, q.anchor.which == 'last')} " if q.anchor.n > 1 else ""
    during = q.anchor.side == "during"
    named = coloured("/".join(q.anchor.colours), cls, q.anchor.noun)
    verb = _anchor_verb(q, "past")
    window = "while it was in view" if during else f"when it {verb}" if q.anchor.side == "at" else (
        f"{q.anchor.side} it")
    answer = Answer(q.text, f"No {ordinal}{named}{'' if during else ' ' + verb} in the footage, so "
                    f"there is no '{window}' to answer for.",
                    q.intent, None, [])
    if maybe := _anchor_unsure(store, q, scopes):  # "the blue car": a dark one read black may be it
        answer.text = (f"Not checked: {len(maybe)} {plural(cls, len(maybe))} read in another colour could be "
                       f"{'/'.join(q.anchor.colours)}, cited, so this is not a 'no'. {_RECORDED} {answer.text}")
        answer.citations = [shapes.entity_citation(r) for r in maybe[:UNNAMED_CITED]]
        answer.supported = False
    return answer


def _anchor_unsure(store: GraphStore, q: Question, scopes: list[Scope]) -> list[EntityRead]:
    """Entities of the anchor's class whose colour reading may hide the anchor's colour."""
    assert q.anchor is not None
    wanted = set(q.anchor.colours)
    if not wanted:
        return []
    rows = [r for s in scopes for cls in q.anchor.cls for r in store.entities(s.streams, cls, s.t0, s.t1)]
    return [r for r in rows if wanted & set(r["attributes"].get("colour_could_be") or ())]


# -- evidence -----------------------------------------------------------------------------------------------
def _counted_entities(store: GraphStore, q: Question, scopes: list[Scope],
                      known: list[StreamRead]) -> tuple[list[Entityish], shapes.Tally]:
    """The first entities that match (enough to list and cite) and how many match per stream, counted by the
    graph rather than carried here (a month of one camera is 20,000 cars)."""
    rows: list[Entityish] = []
    tally: shapes.Tally = shapes.Tally()
    names = _camera_labels(known)
    classes = list(q.classes) or None  # none named: any object
    for scope in scopes:
        counts = store.entity_counts(scope.streams, classes, scope.t0, scope.t1, q.direction,
                                     runs={s["id"]: s["run"] for s in known})
        tally.update({names.get(sid, sid): n for sid, n in counts.items()})
        if not counts:
            continue
        wanted = min(sum(counts.values()), shapes.MAX_CITED)
        start = max(scope.t0 or 0.0, 0.0)
        end = scope.t1 if scope.t1 is not None else max(float(s["duration"] or 0.0) for s in known)
        # the first `wanted` are first seen early in the window if the rest are spread over it: ask for those
        # first, with room to spare, and read to the end only when they were not
        guess = start + 1.1 * (end - start) * wanted / sum(counts.values())
        found = store.entities(scope.streams, classes, scope.t0, scope.t1, q.direction,
                               limit=shapes.MAX_CITED, first_seen_before=guess if guess < end else None)
        if len(found) < wanted:
            found = store.entities(scope.streams, classes, scope.t0, scope.t1, q.direction,
                                   limit=shapes.MAX_CITED)
        rows += found
    return sorted(rows, key=lambda r: (r["first_seen"], r["id"]))[:shapes.MAX_CITED], tally


def _class_counts(store: GraphStore, q: Question, scopes: list[Scope], known: list[StreamRead]) -> Counter[str]:
    """How many entities of each class asked about match, counted by the graph."""
    runs = {s["id"]: s["run"] for s in known}
    return Counter({c: sum(n for s in scopes for n in store.entity_counts(s.streams, [c], s.t0, s.t1, q.direction,
                                                                          runs=runs).values()) for c in q.classes})


EMPTY_CITED = 20  # empty stretches cited with their segment's picture (all are listed in the value)


def _empty(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, plan: Plan,
           spell: Lasting | None) -> Answer:
    """When nothing of the class asked about (anything, when none is named) was in view, or inside the zones
    named (from entering to leaving): the stretches of each stream's analysed window between what was there, at
    least a sampling step long (a look saw nothing); a duration said ("empty for more than 5 s") is the stretch's,
    not the objects' time in view."""
    inside = _inside_spans(store, q, scopes) if q.places else None
    if q.places and inside is None:
        return _crossed_only(q, "empty")
    if q.classes and cover.blind_to(q.classes, every=True):
        return Answer(q.text, "When none was in view cannot be told.", "empty", None, [])
    spans: list[tuple[str, float, float]] = []
    occupied: list[EntityRead] = []  # cited when nothing was ever empty
    looked_total = 0.0
    for looked, lo, hi in _analysed(cover, scopes):
        sid, step = looked.stream["id"], 1.0 / looked.sample_fps if looked.sample_fps else 1.0
        looked_total += hi - lo
        rows = store.entities(streams=[sid], cls=list(q.classes) or None, t0=lo, t1=hi)
        at = lo
        occupied += rows[:UNNAMED_CITED]
        there = _qualified(q, list(rows))  # in view, or inside the zones named (a row per stretch)
        present = sorted(there if inside is None else _inside_rows(inside, there), key=lambda r: r["first_seen"])
        if q.occupied:  # "when was lane_up occupied?": the other side, each stretch with something there
            clipped = [(max(r["first_seen"], lo), min(r["last_seen"], hi)) for r in present]
            spans += [(sid, t0, t1) for t0, t1 in _merged([c for c in clipped if c[1] > c[0]])]
            continue
        for r in present:
            # a look between saw none (a gap between objects: not before the first)
            if r["first_seen"] - at >= (step if at == lo else 2 * step) - 1e-6 and not (q.gaps and at == lo):
                spans.append((sid, at, r["first_seen"]))
            at = max(at, r["last_seen"])
        if hi - at >= 2 * step - 1e-6 and not q.gaps:  # a look after the last one in view (the end is no look)
            spans.append((sid, at, hi))
    spans = [s for s in spans if spell is None or spell.holds(s[2] - s[1])]
    cites, (place, bare) = [], shapes.present_in(plan)
    for sid, t0, t1 in spans[:EMPTY_CITED]:
        seg = store.segments(streams=[sid], t0=(t0 + t1) / 2, t1=(t0 + t1) / 2, limit=1)
        name = next(lk.name for lk in cover.looked if lk.stream["id"] == sid)
        cites.append(Citation(sid, name, t0, t1, (seg[0]["thumbnail"] or None) if seg else None,
                              f"{with_article(bare.noun(1)) if q.occupied else 'no ' + bare.noun(1)} {place}"))
    return shapes.empty(plan, spans, looked_total, cites or [shapes.entity_citation(r) for r in occupied], spell)


def _in_window(rows: list[Entityish], scopes: list[Scope]) -> list[Entityish]:
    """Each object's time in view cut to the window its stream was asked about ("how long was the red car in view
    after 0:16?" is from 0:16 on); as read where a stream lies in several scopes."""
    streams = [sid for s in scopes for sid in (s.streams or [])]
    bounds = {sid: (s.t0, s.t1) for s in scopes for sid in (s.streams or []) if streams.count(sid) == 1}
    cut: list[Entityish] = []
    for r in rows:
        t0, t1 = bounds.get(r["stream_id"], (None, None))
        first = r["first_seen"] if t0 is None else max(r["first_seen"], t0)
        last = r["last_seen"] if t1 is None else min(r["last_seen"], t1)
        cut.append(cast(Entityish, {**r, "first_seen": first, "last_seen": max(first, last)}))
    return cut


def _merged(stretches: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Stretches of time (from, to), overlapping ones merged, in time order."""
    out: list[tuple[float, float]] = []
    for t0, t1 in sorted(stretches):
        if out and t0 <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], t1))
        else:
            out.append((t0, t1))
    return out


def _occupancy(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, plan: Plan) -> Answer:
    """"What was the average number of cars in view?": the time each object asked about was in view inside each
    stream's analysed window (first to last sighting), over that window's length."""
    inside = _inside_spans(store, q, scopes) if q.places else None
    if q.places and inside is None:
        return _crossed_only(q, "count")
    if cover.blind_to(q.classes, every=True):
        return Answer(q.text, "How many were in view on average cannot be told.", "count", None, [])
    parts: list[tuple[str, float, float]] = []  # stream, seconds of objects in view, seconds analysed
    rows: list[EntityRead] = []
    for looked, lo, hi in _analysed(cover, scopes):
        seen: list[Entityish] = _qualified(q, list(store.entities(streams=[looked.stream["id"]],
                                                                 cls=list(q.classes) or None, t0=lo, t1=hi)))
        seen = seen if inside is None else _inside_rows(inside, seen)  # inside the zones named: those stretches
        rows += seen
        parts.append((looked.name, sum(min(r["last_seen"], hi) - max(r["first_seen"], lo) for r in seen), hi - lo))
    return shapes.occupancy(plan, parts, rows)


def _crossed_only(q: Question, kind: str) -> Answer:
    """A counting line asked about as a place things are in ("when was the midline empty?"): a line is crossed,
    not occupied, so not checked."""
    where = " or ".join(q.places)
    why = f"inside {where}: a counting line is crossed, not occupied"
    return Answer(q.text, f"Not checked: {why}.", kind, None, [], supported=False, not_checked=[why])


def _analysed(cover: Coverage, scopes: list[Scope]) -> Iterator[tuple[Looked, float, float]]:
    """Each stream looked at, with each window of the question on it that its analysis reached (from, to)."""
    for looked in cover.looked:
        sid, end = looked.stream["id"], looked.done or float(looked.stream["duration"] or 0.0)
        for scope in scopes:
            lo, hi = max(scope.t0 or 0.0, 0.0), min(scope.t1, end) if scope.t1 is not None else end
            if not (scope.streams and sid not in scope.streams) and hi > lo:
                yield looked, lo, hi


def _beside_anchor(q: Question, scope: Scope, rows: list[EntityRead], anchors: frozenset[str]) -> list[EntityRead]:
    """Of the entities in view on the anchor's side of its moment, those the question means, the anchors themselves
    not among them: after it, those that appeared after it (not those still in view) or, when the question
    is about leaving or going past, those that left after it; before it, those that left before it when it is
    about leaving, else those in view before it (the window already says so); between two, as a window is read."""
    assert q.anchor is not None
    leaving = q.moving == "passed" or q.moves == ("left",)
    rows = [r for r in rows if r["id"] not in anchors]
    if q.anchor.side == "between":
        return _came_or_went(q, scope, rows)
    if q.anchor.side == "after" and not leaving:
        return [r for r in rows if r["first_seen"] >= (scope.t0 or 0.0)]
    if q.anchor.side == "before" and leaving:
        return [r for r in rows if scope.t1 is None or r["last_seen"] <= scope.t1]
    return rows


def _came_or_went(q: Question, scope: Scope, rows: list[EntityRead]) -> list[EntityRead]:
    """Of the entities in view in a window, when the question is about coming or going in it ("how many cars
    left in the first 5 s?", "which cars appeared after 0:15?"), those whose going (last seen) or coming (first
    seen) falls in it; the others as they are."""
    leaving = q.moving == "passed" or q.moves == ("left",)
    if scope.moment is not None or (scope.t0 is None and scope.t1 is None) or not (
            leaving or q.moves == ("entered",) or q.arrival):
        return rows
    moments = [(r["last_seen"] if leaving else r["first_seen"], r) for r in rows]
    return [r for t, r in moments if scope.overlaps(t, t)]


def _matching_entities(store: GraphStore, q: Question, scopes: list[Scope], anchors: frozenset[str] = frozenset(),
                       inside: dict[tuple[str, str], float] | None = None,
                       ) -> tuple[list[Entityish], Counter[str], Unsure]:
    """The entities the question is about (never the anchor it is asked after or before), how many of those
    in its window do not record what it asks (entering, leaving, a colour, coming closer), and those that met
    every other condition and may meet the one read otherwise."""
    rows: list[Entityish] = []
    lost: list[Entityish] = []
    for scope in scopes:
        if q.places:  # entities that entered a zone named or crossed the line in the window, once each (the first)
            visits, lost_there = _at_places(store, q, scope)
            lost += lost_there
            visited = Counter((v["stream_id"], v["id"]) for v in visits if v["type"] in ("zone_enter", "line_cross"))
            kept = [v for v in sorted(visits, key=lambda v: -v["t"])
                    if v["id"] not in anchors  # (never the anchor: "crossed after the red car")
                    and (not q.again or visited[(v["stream_id"], v["id"])] > 1)]
            # "when did a car enter lane_1 twice?": each of its entries; otherwise each object once (its first)
            rows += kept[::-1] if q.again and q.intent == "when" else list({(v["stream_id"], v["id"]): v
                                                                            for v in kept}.values())
            continue
        found = store.entities(streams=scope.streams, cls=list(q.classes) or None, t0=scope.t0, t1=scope.t1)
        rows += _beside_anchor(q, scope, found, anchors) if q.anchor else _came_or_went(q, scope, found)
    if q.only is not None:  # "was the first car red?": that car alone
        rows = [r for r in rows if (r["stream_id"], r["id"]) in q.only]
    if inside is not None and q.lasting and q.lasting.of == "view":  # "in lane_up for over 3 s": that long inside
        lasting = q.lasting
        rows = [r for r in rows if lasting.holds(inside.get((r["stream_id"], r["id"]), 0.0))]
        q = replace(q, lasting=None)
    unrecorded = Counter(kind for r in rows for kind in {  # per row: no colour, or a move not recorded
        "colour" if m == "colour" else "moves" for m in _recorded_as(q) if not _recorded(r["attributes"], m)})
    unsure = Unsure(
        [r for r in _qualified(replace(q, colours=(), negated=None if q.negated == "colours" else q.negated),
                               rows) if _colour_could_match(q, r["attributes"])] if q.colours else [],
        # grew (or shrank) too little to tell, the way asked: it may have come closer (or gone farther)
        [r for r in _qualified(replace(q, approach=None), rows) if r["attributes"].get("approach") == "unclear" and
         (r["attributes"].get("growth", 1.0) > 1.0) == (q.approach == "closer")] if q.approach else [],
        _qualified(q, list({(r["stream_id"], r["id"]): r for r in lost}.values())))
    return sorted(_qualified(q, rows), key=lambda r: (r["first_seen"], r["id"])), unrecorded, unsure


def _at_places(store: GraphStore, q: Question, scope: Scope) -> tuple[list[ZoneVisitRead], list[ZoneVisitRead]]:
    """The visits to the places a question names, in a window: entering or crossing (or the events it asks: "left
    lane_1"), inside at its moment, or still inside at the end; and, asked about leaving, the stays that ended
    with the object lost from view inside (not known to have left)."""
    visits: list[ZoneVisitRead] = []
    lost: list[ZoneVisitRead] = []
    for zone in q.places:
        for cls in q.classes or (None,):  # "the busiest minute at the midline": any object
            if scope.moment is not None:  # "in lane 2 at 0:16": inside it then
                visits += _inside_at(store, zone, scope, cls)
                continue
            read = [v for v in store.zone_visits(zone, streams=scope.streams, cls=cls, t0=scope.t0, t1=scope.t1,
                                                 **({"types": q.event_types} if q.event_types else {}))
                    if _sided(q, v["type"], v["event_attributes"])]
            edges = [_stay_edge(v["type"], v["event_attributes"]) for v in read]
            lost += [v for v, edge in zip(read, edges, strict=True)
                     if edge and v["type"] == "zone_exit" and v["attributes"].get("left") is not False]
            # entering or leaving asked: moves only; "in lane_1": a stay begun with the footage is one too
            entered = [v for v, edge in zip(read, edges, strict=True) if not (edge and q.event_types)]
            entered += _inside_before(store, q, zone, scope, cls)
            visits += _still_inside(store, zone, scope, entered) if q.present == "end" else entered
    if q.crossed_in:  # "crossed midline in lane_down": made while inside one of those zones
        spans = _crossed_inside(store, q, [scope])
        visits = [v for v in visits if any(a <= v["t"] <= b for a, b in spans.get((v["stream_id"], v["id"]), ()))]
    return visits, lost


def _crossed_inside(store: GraphStore, q: Question,
                    scopes: list[Scope]) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """When each object was inside the zones a line's crossings are asked in (``crossed_in``), as
    :func:`_inside_spans` reads a zone's stays (one inside as the window began counts from then)."""
    return _inside_spans(store, replace(q, zone=None, zones=q.crossed_in, crossed_in=(), event_types=()), scopes) or {}


@dataclass(slots=True)
class Unsure:
    """Objects that met every other condition of a question and may meet the one read otherwise: a colour read
    as another that it could be, a size that changed too little to tell whether it came closer, a stay in a zone
    that ended with the object lost from view inside it (whether it left is not known)."""

    colour: list[Entityish]
    approach: list[Entityish]
    lost: list[Entityish] = field(default_factory=list)


def _colour_could_match(q: Question, attributes: dict[str, Any]) -> bool:
    """Whether an object read in a colour the question does not take may still have one it does: the
    perception's ``colour_could_be`` (a "black" car may be dark green; never a "white" one)."""
    read = attributes.get("colour")
    if not read or (read in q.colours) != (q.negated == "colours"):  # unread, or taken as read
        return False
    return any((c in q.colours) != (q.negated == "colours") for c in attributes.get("colour_could_be", ()))


def _inside_spans(store: GraphStore, q: Question,
                  scopes: list[Scope]) -> dict[tuple[str, str], list[tuple[float, float]]] | None:
    """When each object (stream id, entity id) that entered or left the zones named was inside them, from its
    entering and leaving (one inside at the window's edge counts from or to that edge, or its first or last
    sighting); None where a counting line is named (a line is crossed, not occupied: the answer stays time in
    view, and says so)."""
    if any(z["kind"] == "line" for z in store.zones(_scope_streams(scopes) or None) if z["name"] in q.places):
        return None
    spans: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for scope in scopes:
        for zone in q.places:
            before = _inside_before(store, q, zone, scope, None)  # inside already as the window began
            opened = {(v["stream_id"], v["id"]): max(v["first_seen"], scope.t0 or 0.0) for v in before}
            last_seen = {(v["stream_id"], v["id"]): v["last_seen"] for v in before}
            for key in opened:
                spans.setdefault(key, [])
            moves = store.zone_visits(zone, scope.streams, None, scope.t0, scope.t1, types=("zone_enter", "zone_exit"))
            for v in sorted(moves, key=lambda v: (v["t"], v["type"] != "zone_enter")):  # in time order, entering first
                key = (v["stream_id"], v["id"])
                spans.setdefault(key, [])
                last_seen[key] = v["last_seen"]
                if v["type"] == "zone_enter":
                    opened[key] = v["t"]
                else:  # left it: since it entered, or since the window began (or it was first seen)
                    spans[key].append((opened.pop(key, max(v["first_seen"], scope.t0 or v["first_seen"])), v["t"]))
            for key, t in opened.items():  # still inside: until it was last seen (or the window ended)
                spans[key].append((t, min(last_seen[key], scope.t1 if scope.t1 is not None else float("inf"))))
    return spans


def _time_inside(store: GraphStore, q: Question, scopes: list[Scope]) -> dict[tuple[str, str], float] | None:
    """How long each object that entered or left the zones named was inside them (:func:`_inside_spans`)."""
    spans = _inside_spans(store, q, scopes)
    return None if spans is None else {key: sum(t1 - t0 for t0, t1 in each) for key, each in spans.items()}


def _inside_rows(spans: dict[tuple[str, str], list[tuple[float, float]]], rows: list[Any]) -> list[Entityish]:
    """Each object as it was inside the zones named (``spans``: :func:`_inside_spans`): a row per stretch inside
    (overlapping zones' stretches merged), so that "2 cars in lane_up at the same time" is inside it, not in view."""
    return [cast(Entityish, {**r, "first_seen": t0, "last_seen": t1}) for r in rows
            for t0, t1 in _merged(spans.get((r["stream_id"], r["id"]), []))]


def _inside_at(store: GraphStore, zone: str, scope: Scope, cls: str | None) -> list[ZoneVisitRead]:
    """The entities inside a zone at one moment: their last entering or leaving of it by then was entering,
    and they were still in view. (A line is crossed, never occupied: only a crossing at that very moment.)"""
    moment, t0, t1 = scope.moment or 0.0, scope.t0 or 0.0, scope.t1 or 0.0  # the moment, give or take its precision
    # only objects in view then can be inside: their events start at their first sighting, so the read is
    # bounded by what was in view, not by the stream's whole history before the moment
    in_view = store.entities(streams=scope.streams, cls=cls, t0=t0, t1=t1)
    if not in_view:
        return []
    since = min(r["first_seen"] for r in in_view)
    events = [v for v in store.zone_visits(zone, streams=scope.streams, cls=cls, t0=since, t1=t1,
                                           types=("zone_enter", "zone_exit", "line_cross"))
              if v["type"] != "zone_exit" or not _stay_edge(v["type"], v["event_attributes"])]
    last = {(v["stream_id"], v["id"]): v for v in events}  # in time order: the last one by then
    return [v for v in last.values() if v["first_seen"] <= t1 and v["last_seen"] >= t0 and (
        v["type"] == "zone_enter" or (v["type"] == "line_cross" and abs(v["t"] - moment) <= HALF_TENTH_S))]


def _still_inside(store: GraphStore, zone: str, scope: Scope, visits: list[ZoneVisitRead]) -> list[ZoneVisitRead]:
    """Of the objects at a zone, those still inside it as the footage ends ("are any cars still in lane_up?"):
    not left after their last entering (being in view then is the end's own condition). A line is crossed, never
    occupied: its crossings stay."""
    last_in = {(v["stream_id"], v["id"]): v["t"] for v in sorted(visits, key=lambda v: v["t"])
               if v["type"] == "zone_enter"}
    left = store.zone_visits(zone, streams=scope.streams, t0=scope.t0, t1=scope.t1, types=("zone_exit",))
    gone = {(v["stream_id"], v["id"]) for v in left
            if v["t"] >= last_in.get((v["stream_id"], v["id"]), v["t"]) and not _stay_edge(v["type"],
                                                                                           v["event_attributes"])}
    return [v for v in visits if v["type"] == "line_cross" or (v["stream_id"], v["id"]) not in gone]


def _inside_before(store: GraphStore, q: Question, zone: str, scope: Scope, cls: str | None) -> list[ZoneVisitRead]:
    """The entities already inside a zone when a window (not a moment) begins: "were any cars in lane_1 after
    0:25?" asks of a car that entered at 0:20 and stayed. Not when entering or leaving is what is asked."""
    if scope.t0 is None or scope.moment is not None or q.event_types:
        return []
    return _inside_at(store, zone, Scope(scope.streams, scope.t0 - HALF_TENTH_S, scope.t0 + HALF_TENTH_S,
                                         moment=scope.t0), cls)


def _unmatched(store: GraphStore, q: Question, scopes: list[Scope]) -> list[Entityish]:
    """Objects of the class asked about that were seen in the window but did not meet the question's
    conditions (a direction, colour, moving, ...): a "no" says they were seen and cites them (the first 200).
    Asked about entering or leaving a place, those whose stay there began with the footage or lasted to their
    last sighting ("did anyone enter restricted?": someone was in it as the footage began)."""
    if q.places and q.event_types and not q.anchor:
        return _stays(store, q, scopes)
    if q.places or q.anchor or not (q.direction or _row_qualified(q)):
        return []
    rows = [r for s in scopes for r in store.entities(streams=s.streams, cls=list(q.classes), t0=s.t0, t1=s.t1,
                                                       limit=shapes.MAX_CITED)]
    matched = {r["id"] for r in _qualified(q, list(rows)) if q.only is None or (r["stream_id"], r["id"]) in q.only}
    return [r for r in rows if r["id"] not in matched]


def _stays(store: GraphStore, q: Question, scopes: list[Scope]) -> list[Entityish]:
    """The stay edges (not moves) of the event kinds asked at the places named, of objects meeting the rest."""
    found: dict[tuple[str, str], Entityish] = {}
    for scope in scopes:
        for zone in q.places:
            for cls in q.classes or (None,):
                for v in store.zone_visits(zone, scope.streams, cls, scope.t0, scope.t1, types=q.event_types):
                    if _stay_edge(v["type"], v["event_attributes"]) and _sided(q, v["type"], v["event_attributes"]):
                        found.setdefault((v["stream_id"], v["id"]), v)
    return _qualified(q, list(found.values()))[:shapes.MAX_CITED]


def _row_qualified(q: Question) -> bool:
    """Whether :func:`_qualified` has rows to drop beyond one direction (which the graph-side counts apply)."""
    return bool(q.directions or q.colours or q.still or q.not_still or q.moving or q.moves or q.present or q.edges
                or q.lasting or q.negated or q.approach or q.only is not None or (q.arrival and q.time != TimeSpec())
                or q.detector_words)


def _qualified(q: Question, rows: list[Entityish]) -> list[Entityish]:
    """The rows with the direction, colour, stillness and entering or leaving the question asks for; a negated
    one ("not white", "did not go up", "did not leave") is its complement, among those where it was recorded."""
    if q.detector_words:  # "dogs": the unnamed objects the detector called so
        rows = [r for r in rows if r["attributes"].get("detector_label") in q.detector_words]
    if q.ways:
        rows = [r for r in rows if (r["direction"] in q.ways) != (q.negated == "direction")]
    if q.colours:
        rows = [r for r in rows if r["attributes"].get("colour") and (
            r["attributes"]["colour"] in q.colours) != (q.negated == "colours")]
    if q.still:
        rows = [r for r in rows if r["attributes"].get("stationary") or r["attributes"].get("stationary_s", 0) > 0]
    if q.not_still:
        rows = [r for r in rows if not (r["attributes"].get("stationary") or r["attributes"].get("stationary_s", 0))]
    if q.lasting:  # long enough (or short enough) in view, or standing still
        lasting = q.lasting
        rows = [r for r in rows if lasting.holds(shapes.still_s(r) if lasting.of == "still"
                                                 else r["last_seen"] - r["first_seen"])]
    if q.moving == "never":
        rows = [r for r in rows if r["attributes"].get("moved") is False]
    elif q.moving:  # moved at all; went past: moved, then went out of the picture
        rows = [r for r in rows if r["attributes"].get("moved") and (q.moving == "moved"
                                                                     or r["attributes"].get("left"))]
    if q.moves:  # came into view while the footage ran, or went out of it (either, or both when "and" joins them)
        did = all if q.moves_both else any
        rows = [r for r in rows if did(r["attributes"].get(m) for m in q.moves) != (q.negated == "moves") and (
            q.negated != "moves" or all(_recorded(r["attributes"], m) for m in q.moves))]
    if q.present in ("start", "whole"):  # in view at the first look: it did not come in later
        rows = [r for r in rows if r["attributes"].get("entered") is False]
    if q.present in ("end", "whole"):  # seen at the last look of a finished run, or in view now
        rows = [r for r in rows if r["attributes"].get("left") is False or r["attributes"].get("in_view")]
    if q.approach:  # came closer to the camera (grew) or went farther (shrank), from its first whole look to its last
        rows = [r for r in rows if r["attributes"].get("approach") == q.approach]
    if q.present == "whole" and q.still:  # "parked the whole time": never moved
        rows = [r for r in rows if r["attributes"].get("moved") is False]
    for key in dict.fromkeys(k for k, _ in q.edges):  # came in through / went out by one of the edges named
        named = {edge for k, edge in q.edges if k == key}
        rows = [r for r in rows if r["attributes"].get(MOVE_OF_EDGE[key]) and (
            r["attributes"].get(key) in named or named & set(r["attributes"].get(f"{key}s", ())))]
    return rows


def _recorded(attributes: dict[str, Any], what: str) -> bool:
    """Whether an entity records ``what`` (one still in view has not left, yet)."""
    return what in attributes or (what == "left" and bool(attributes.get("in_view")))


_RECORDED_WORDS = {"approach": "came closer or went farther"}  # an attribute named as what it records


def _recorded_as(q: Question) -> tuple[str, ...]:
    """The entity attributes the question's entering, leaving or first/last frame are read from."""
    edges = [MOVE_OF_EDGE[key] for key, _ in q.edges]
    present = {"start": ["entered"], "end": ["left"], "whole": ["entered", "left"]}.get(q.present or "", [])
    moving = ["moved", "left"] if q.moving == "passed" else ["moved"] if q.moving else []
    colour = ["colour"] if q.colours else []  # a colour is known only of an object seen near and sure enough
    approach = ["approach"] if q.approach else []  # known of an object seen whole twice
    return tuple(dict.fromkeys([*moving, *q.moves, *present, *edges, *colour, *approach]))


def _near_rows(q: Question, rows: list[EventRead]) -> list[EventRead]:
    """Proximity events of the vehicle class asked about (any vehicle when none is named), no farther apart than
    the distance asked about."""
    vehicles = set(q.classes) - {"person"}
    if vehicles and vehicles != set(VEHICLES) and "vehicle" not in vehicles:
        rows = [r for r in rows if r["attributes"].get("vehicle") in vehicles]
    if q.distance_m is not None:
        rows = [r for r in rows if float(r["attributes"].get("min_distance_m", 0.0)) <= q.distance_m]
    return rows


def _zone_visits(store: GraphStore, q: Question, scopes: list[Scope],
                 lines: bool = False) -> list[tuple[str, Entityish]]:
    """(zone, entity) for each configured zone (not counting line) each matching entity entered in the window; with
    ``lines``, for each place the question names, entered or crossed."""
    pairs: list[tuple[str, Entityish]] = []
    for scope in scopes:
        for zone in q.places if lines else _area_zones(store, scope, q.places):
            for cls in q.classes or (None,):  # "which lane was busiest?": any object
                visits = store.zone_visits(zone, scope.streams, cls, scope.t0, scope.t1,
                                           types=("zone_enter", "line_cross") if lines else ("zone_enter",))
                kept = _qualified(q, list({(v["stream_id"], v["id"]): v for v in visits
                                                  if _sided(q, v["type"], v["event_attributes"])}.values()))
                pairs += [(zone, v) for v in kept]
    return pairs


def _drawn(store: GraphStore, q: Question, scopes: list[Scope]) -> tuple[str, ...]:
    """Every zone (not counting lines) drawn on the scopes' streams, or those the question names."""
    return tuple(dict.fromkeys(z for scope in scopes for z in _area_zones(store, scope, q.places)))


def _unzoned(store: GraphStore, q: Question, scopes: list[Scope], asked: str = "per zone") -> Answer | None:
    """A "per zone" (or "which zone", ``asked``) that cannot be checked: the streams have no zones drawn."""
    if any(z["kind"] != "line" for z in store.zones(_scope_streams(scopes) or None)):
        return None
    return _no_zones(q, asked)


def _no_zones(q: Question, asked: str) -> Answer:
    why = f"{asked}: zones are recorded only where a site file (--site) draws them, and none is configured here"
    return Answer(q.text, f"Not checked: {why}.", q.intent, None, [], supported=False, not_checked=[why])


def _event_places(store: GraphStore, q: Question, scopes: list[Scope], cites: list[Citation]) -> shapes.Split:
    """"How many times did cars stop per lane?" / "cross the midline per direction?": each event under the zone it
    happened in (:func:`_event_zones`), or its direction: the event's own where it has one, else its object's (the
    subject's where it involves two)."""
    ids = [c.event_ids[0] for c in cites if c.event_ids]
    events = {e["id"]: e for e in store.events_by_id(ids)}
    involved: dict[str, list[EventEntityRead]] = {}
    for row in store.event_entities(ids):
        involved.setdefault(row["event_id"], []).append(row)
    if q.per == "zone":
        return _event_zones(store, q, scopes, cites, events, involved)
    labels = []
    for i in ids:
        objects = sorted(involved.get(i, []), key=lambda r: r["role"] != "subject")
        way = (events[i]["attributes"].get("direction") if i in events else None) or next(
            (r["direction"] for r in objects if r["direction"]), None)
        labels.append(str(way or "unknown").replace("_", " "))
    return shapes.Split(labels)


def _event_zones(store: GraphStore, q: Question, scopes: list[Scope], cites: list[Citation],
                 events: dict[str, EventRead], involved: dict[str, list[EventEntityRead]]) -> shapes.Split:
    """A zone's own event (entered, left) names its zone; any other, a line's crossing too ("crossed midline per
    lane"), is in every zone one of its objects was inside meanwhile (a visit runs from entering to leaving: a
    zone_exit's t0 to t1), else "in no zone"; an event in two zones counts under each. Every zone drawn (or
    named) is shown, one where nothing happened at 0."""
    own = {i: e["attributes"].get("zone") for i, e in events.items() if e["type"] in ("zone_enter", "zone_exit")}
    wanted = {r["id"] for i, rows in involved.items() if not own.get(i) for r in rows}
    visits: dict[str, list[tuple[str, float, float]]] = {}  # entity id: (zone, entered, left)
    for scope in scopes if wanted else []:
        for zone in _area_zones(store, scope):
            for cls in q.classes or (None,):  # leaving ends a visit that began before the window: read to its end
                for v in store.zone_visits(zone, scope.streams, cls, scope.t0, None, types=("zone_exit",)):
                    if v["id"] in wanted:
                        entered = v["t"] - float(v["event_attributes"].get("dwell_s") or 0.0)
                        visits.setdefault(v["id"], []).append((zone, entered, v["t"]))
    labels: list[str] = []
    for c in cites:
        event = c.event_ids[0] if c.event_ids else ""
        inside = {zone for r in involved.get(event, ()) for zone, a, b in visits.get(r["id"], ())
                  if a <= c.t1 and b >= c.t0}
        named = own.get(event)
        labels += [str(named)] if named else sorted(inside) or ["in no zone"]
    return _by_zone(store, q, scopes, labels)


def _by_zone(store: GraphStore, q: Question, scopes: list[Scope], labels: list[str]) -> shapes.Split:
    """A split per zone that shows every zone drawn (or named), one where nothing was at 0: the most first."""
    counts = Counter(labels)
    return shapes.Split(labels, sorted({*_drawn(store, q, scopes), *labels}, key=lambda z: (-counts[z], z)))


def _area_zones(store: GraphStore, scope: Scope, places: tuple[str, ...] = ()) -> list[str]:
    """The names of the zones (not counting lines) drawn on the scope's streams; only ``places`` if given, leaving
    out lines ("how many cars crossed midline per lane?" splits over every lane)."""
    drawn = store.zones(scope.streams)
    areas = [p for p in places if p not in {z["name"] for z in drawn if z["kind"] == "line"}]
    return sorted({z["name"] for z in drawn if z["kind"] != "line" and (not areas or z["name"] in areas)})


def _split(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, plan: Plan,
           entities: list[Entityish], tz: ZoneInfo) -> Answer:
    """"How many cars per hour / per lane / per direction?": each object under the period it was first seen in
    (the window's start for one already in view), each zone it entered, or its direction; "per lane per minute":
    each under both."""
    rows, by = _split_rows(store, q, scopes, cover, entities, tz)
    began = Counter(zone for zone, r in zip(by.labels, rows, strict=True) if q.per == "zone" and cast(
        dict[str, Any], r).get("event_attributes", {}).get("entered") is False)  # in it as the footage began
    if q.then_per is not None:
        inner = replace(q, per=q.then_per, per_size=q.then_size, then_per=None)
        by = _split_within(by, _split_rows(store, inner, scopes, cover, rows, tz)[1], q.then_per in TIMED,
                           sparse=len(cover.looked) > 1)  # (several streams: one's zones, another's periods)
    answer = shapes.split(plan, rows, _camera_within(q, cover, [r["stream_id"] for r in rows], by))
    maybe = Counter(said.replace("; could be", " could be") for r in entities
                    if "; " in (said := shapes.said_colour(r["attributes"]) or "")) if "colour" in (
        q.per, q.then_per) else Counter()
    if maybe:  # each object under the colour it was read as; what it could also be is said
        answer.text += (" The reading does not tell dark, shaded or neighbouring colours apart: "
                        f"{'; '.join(f'{n} read {said}' for said, n in sorted(maybe.items()))}.")
    if began:  # "per zone entered" counts them too: say so ("restricted 1" of a worker there from the start)
        n = sum(began.values())
        answer.text += (f" Of these, {n} {'was' if n == 1 else 'were'} already inside as the footage began (not seen "
                        f"entering): {', '.join(f'{k} in {z}' for z, k in sorted(began.items()))}.")
    return answer


def _camera_within(q: Question, cover: Coverage, streams: list[str], by: shapes.Split) -> shapes.Split:
    """"Per camera per hour": the split within each camera (``streams``: the stream of each label), the cells with
    any only (a camera's periods are its own); the split as it is where the cameras are not asked apart."""
    if not q.each_stream:
        return by
    cameras = _camera_labels([lk.stream for lk in cover.looked])
    return _split_within(shapes.Split([cameras.get(sid, sid) for sid in streams]), by, q.per in TIMED, sparse=True)


_MAX_CELLS = 48  # of a split within a split, the empty cells shown up to this many in all (else those with any)


def _split_within(outer: shapes.Split, inner: shapes.Split, timed: bool, sparse: bool = False) -> shapes.Split:
    """Two splits of the same rows as one ("lane_up / 22:46"): every pair of their labels in order (the empty ones
    too, up to :data:`_MAX_CELLS`, unless ``sparse``; the inner in time order where ``timed``), a cell cut where
    its inner period is."""
    def order(split: shapes.Split, in_time: bool) -> list[str]:
        counts = Counter(split.labels)
        return split.every if split.every is not None else list(counts) if in_time else sorted(
            counts, key=lambda g: (-counts[g], g))

    labels = [f"{a} / {b}" for a, b in zip(outer.labels, inner.labels, strict=True)]
    cells = [f"{a} / {b}" for a in order(outer, False) for b in order(inner, timed)]
    seen = set(labels)
    sparse = sparse or len(cells) > _MAX_CELLS
    return shapes.Split(labels, [c for c in cells if c in seen] if sparse else cells, inner.tz or outer.tz,
                        {c for c in cells if c.split(" / ", 1)[1] in inner.partial}, sparse)


def _split_rows(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, entities: list[Entityish],
                tz: ZoneInfo) -> tuple[list[Entityish], shapes.Split]:
    """The rows a split counts (an object's visit to each zone, each move) and the label of each."""
    if q.per == "direction":  # each direction asked is shown, one none took at 0 ("up versus down")
        labels = [(r.get("direction") or "unknown").replace("_", " ") for r in entities]
        counts = Counter(labels)
        every = {*labels, *(w.replace("_", " ") for w in q.ways)}
        return entities, shapes.Split(labels, sorted(every, key=lambda d: (-counts[d], d)))
    if q.per == "colour":  # each object under the colour it was read as
        return entities, shapes.Split([r["attributes"].get("colour") or shapes.UNREAD_COLOUR for r in entities])
    if q.per == "move":  # "how many entered, and how many left?": an object that did both is under both
        moved = [(m, r) for r in entities for m in q.moves if r["attributes"].get(m)]
        return [r for _, r in moved], shapes.Split([m for m, _ in moved])
    if q.per == "zone":  # every zone drawn is shown, one none entered at 0
        visits = _zone_visits(store, q, scopes)
        entered = {(v["stream_id"], v["id"]) for _, v in visits}
        outside = [r for r in entities if (r["stream_id"], r["id"]) not in entered]
        labels = [z for z, _ in visits] + ["in no zone"] * len(outside)
        return [v for _, v in visits] + outside, _by_zone(store, q, scopes, labels)
    return entities, _periods(q, scopes, cover, tz, [(r["stream_id"], r["first_seen"]) for r in entities])


def _counted_periods(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage,
                     tz: ZoneInfo) -> tuple[list[Entityish], shapes.Split, list[str]] | None:
    """"How many cars per day?" of plain objects, counted per period by the graph: the first objects (to cite)
    and the split, the same labels as one per object (a month of traffic is 200,000 cars, which read one by one
    held ~700 MB). The graph counts per bin of the stream's time that no period boundary cuts: the period's own
    length on footage time; on wall-clock time its common divisor with a quarter hour, since time zones are
    whole quarter hours from UTC. None where the zone is not, at the window's ends (an offset from history):
    then the objects are read one by one. Also the stream of each label."""
    known = {lk.stream["id"]: lk.stream for lk in cover.looked}
    size = UNIT_S[q.per or "hour"] * q.per_size
    moments: list[tuple[str, float]] = []
    for scope in scopes:
        for sid in (i for i in scope.streams or [] if i in known):
            start = float(known[sid]["start"] or 0.0)
            width = math.gcd(int(size), QUARTER_HOUR_S) if start > 0 else size
            ends = _in_footage(scope, float(known[sid]["duration"] or 0.0))
            if start > 0 and any(_offset_s(tz, start + t) % width for t in ends):
                return None
            for row in store.first_seen_periods(sid, scope.t0, scope.t1, width, list(q.classes), q.direction):
                # the middle of the bin: in the period of every object first seen in it, clear of float error
                moments += [(sid, (row["period"] + 0.5) * width - start)] * row["n"]
    found, _ = _counted_entities(store, q, scopes, list(known.values()))
    moments.sort(key=lambda m: m[1])  # in time order, as objects are read (past MAX_PERIODS, the order shown)
    return found, _periods(q, scopes, cover, tz, moments), [sid for sid, _ in moments]


def _in_footage(scope: Scope, duration: float) -> tuple[float, float]:
    """A scope's window held to the footage [0, duration]: a window past the footage is its end (no objects)."""
    return min(max(scope.t0 or 0.0, 0.0), duration), duration if scope.t1 is None else min(scope.t1, duration)


def _offset_s(tz: ZoneInfo, at: float) -> int:
    """The zone's offset from UTC at epoch second ``at``, in whole seconds."""
    offset = datetime.fromtimestamp(at, tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _periods(q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo,
             moments: list[tuple[str, float]]) -> shapes.Split:
    """Each moment (stream id, offset: an object first seen, an event) under its minute/hour/day, a moment
    before the window under the window's first; and every period of the window, the cut ones apart."""
    known = {lk.stream["id"]: lk.stream for lk in cover.looked}
    many = len(known) > 1 and not q.each_stream  # per camera, the camera is the outer label
    periods = {sid: Periods(q.per or "hour", float(s["start"] or 0.0), tz,
                            f"{s['name']} " if many and not s["start"] else "", q.per_size) for sid, s in known.items()}
    starts: dict[str, float] = {}
    every: list[str] | None = []
    partial: set[str] = set()
    for scope in scopes:
        for sid in (i for i in scope.streams or [] if i in known):
            starts[sid], stop = _in_footage(scope, float(known[sid]["duration"] or 0.0))
            listed = periods[sid].between(starts[sid], stop)
            partial |= periods[sid].partial(starts[sid], stop)
            every = None if listed is None or every is None else every + listed
    labels = [periods[sid].label(max(t, starts.get(sid, 0.0))) for sid, t in moments]
    clocked = [bool(s["start"]) for s in known.values()]
    if every is not None:  # wall-clock labels of several streams merge in time order; offsets stay in order
        every = sorted(set(every)) if all(clocked) else list(dict.fromkeys(every))
    return shapes.Split(labels, every, tz.key if any(clocked) else "", partial)


_PLACED = {"line_cross": "line", "zone_enter": "polygon", "zone_exit": "polygon"}  # events only a site's shapes make


def _unplaced(store: GraphStore, q: Question, scopes: list[Scope]) -> str | None:
    """Why counting these events cannot say anything: crossings happen only at configured counting lines,
    entering and leaving a zone only at configured zones; with none on the streams asked about, "0 times"
    would be a "no" nothing was looked for."""
    if q.places or not q.event_types or not all(t in _PLACED for t in q.event_types):
        return None
    kinds = {_PLACED[t] for t in q.event_types}
    streams = _scope_streams(scopes) or None
    if any(z["kind"] in kinds for z in store.zones(streams)):
        return None
    what = "counting line" if kinds == {"line"} else "zone"
    return (f"crossing{'' if what == 'counting line' else ' into or out of a zone'} is recorded only at a configured "
            f"{what}, and none is configured here (a site file, --site, draws them), so this is not a 'no'")


def _times(store: GraphStore, q: Question, scopes: list[Scope], cover: Coverage, tz: ZoneInfo, plan: Plan,
           anchors: frozenset[str] = frozenset()) -> Answer:
    """How often: the events asked about, of the objects that meet the question's conditions on them (never the
    anchor's own: "while the silver car was in view" counts the others', as counts of objects do), split as
    asked; the objects whose colour was not read, or may be the one asked, said."""
    cites = _event_citations(store, q, scopes)
    if anchors:
        theirs: dict[str, set[str]] = {}
        for row in store.event_entities([c.event_ids[0] for c in cites if c.event_ids]):
            theirs.setdefault(row["event_id"], set()).add(row["id"])
        kept = [c for c in cites if not (c.event_ids and theirs.get(c.event_ids[0], set()) <= anchors
                                         and theirs.get(c.event_ids[0]))]
        own, cites = len(cites) - len(kept), kept
    cites, unrecorded, unsure = _of_objects_asked(store, q, cites)
    by = _event_places(store, q, scopes, cites) if q.per in ("zone", "direction") else _periods(
        q, scopes, cover, tz, [(c.stream_id, c.t0) for c in cites]) if q.per else None
    answer = shapes.times(plan, cites, by)
    if anchors and own and q.anchor:
        answer.text += f" Left out: the {_anchor_said(q.anchor)}'s own ({own})."
    _say_unchecked(q, answer, unrecorded, unsure)
    return answer


def _anchor_said(anchor: Anchor) -> str:
    """The anchor as said again: "red car", "first car", "second to last truck"."""
    named = coloured("/".join(anchor.colours), anchor.noun, anchor.noun)
    ordinal = anchor.n > 1 or anchor.which == "last" or not anchor.colours
    return f"{shapes.nth(anchor.n, anchor.which == 'last')} {named}" if ordinal else named


def _of_objects_asked(store: GraphStore, q: Question,
                      cites: list[Citation]) -> tuple[list[Citation], Counter[str], Unsure]:
    """The events whose object meets what the question asks of it besides the event (a colour, standing still,
    an edge, time in view, coming closer, "the first car"): "how many times did the red car cross midline?" counted
    every car's crossings. Also how many of those objects record no colour, and those whose colour may be it."""
    of_object = replace(q, direction=None, directions=(), moves=(), moving=None,
                        negated=q.negated if q.negated not in ("direction", "moves") else None)
    if not (q.colours or q.still or q.not_still or q.lasting or q.present or q.approach or q.edges
            or q.only is not None):
        return cites, Counter(), Unsure([], [])
    objects: dict[str, list[EventEntityRead]] = {}
    for row in store.event_entities([c.event_ids[0] for c in cites if c.event_ids]):
        if not q.classes or row["cls"] in q.classes:
            objects.setdefault(row["event_id"], []).append(row)
    rows: list[Entityish] = list({(r["stream_id"], r["id"]): r for rs in objects.values() for r in rs}.values())
    if q.only is not None:
        rows = [r for r in rows if (r["stream_id"], r["id"]) in q.only]
    kept = {(r["stream_id"], r["id"]) for r in _qualified(of_object, rows)}
    unrecorded = Counter("colour" for r in rows if q.colours and not r["attributes"].get("colour"))
    unsure = [r for r in _qualified(replace(of_object, colours=(), negated=None), rows)
              if q.colours and (r["stream_id"], r["id"]) not in kept and _colour_could_match(q, r["attributes"])]
    return ([c for c in cites if c.event_ids and any((r["stream_id"], r["id"]) in kept
                                                      for r in objects.get(c.event_ids[0], ()))],
            unrecorded, Unsure(unsure, []))


def _event_citations(store: GraphStore, q: Question, scopes: list[Scope]) -> list[Citation]:
    found: dict[str, Citation] = {}
    for zone, v in _visits_at(store, scopes, q.places, q.classes, q.event_types):
        direction = v["event_attributes"].get("direction") or v["direction"]
        if (q.ways and direction not in q.ways) or not _sided(q, v["type"], v["event_attributes"]) or _stay_edge(
                v["type"], v["event_attributes"]):
            continue
        what = f"{v['cls']} {v['type'].replace('_', ' ')} at {zone}"
        found[v["event_id"]] = Citation(v["stream_id"], v["stream"], v["t"], v["t"], v["event_thumbnail"] or None,
                                        what, entity_id=v["id"], event_ids=[v["event_id"]])
    for scope in scopes if not q.places else ():
        for cls in q.classes or (None,):
            for e in store.events(scope.streams, list(q.event_types), cls, scope.t0, scope.t1, limit=None):
                if (q.ways and e["attributes"].get("direction") not in q.ways) or not _sided(
                        q, e["type"], e["attributes"]):
                    continue
                if q.moves and e["type"] in MOVE_OF_EVENT and not _moved(e):
                    continue  # "was in view" at the start, or "was still in view at the end"
                if _stay_edge(e["type"], e["attributes"]):
                    continue  # "was still in lane_1 at the end": a stay's end, no leaving
                cite = shapes.event_citation(e)  # leaving a zone is at its end, not from its entering
                found[e["id"]] = replace(cite, t0=cite.t1) if e["type"] == "zone_exit" else cite
    if q.crossed_in:  # "how many times did cars cross midline in lane_down?": made while inside one of those zones
        spans = _crossed_inside(store, q, scopes)
        found = {i: c for i, c in found.items()
                 if any(a <= c.t0 <= b for a, b in spans.get((c.stream_id, c.entity_id or ""), ()))}
    return sorted(found.values(), key=lambda c: (c.t0, c.event_ids))


def _sided(q: Question, kind: str, attributes: dict[str, Any]) -> bool:
    """Whether an event (its type and attributes) is on the side of its line the question asks ("going in"): a
    crossing to that side, or no crossing (entering or leaving a zone has no side)."""
    return q.line_side is None or kind != "line_cross" or attributes.get("side") == q.line_side


def _moved(event: EventRead) -> bool:
    """An enter or exit event that was a move into or out of view (events written before these were recorded:
    through an edge)."""
    attributes = event["attributes"]
    return bool(attributes.get(MOVE_OF_EVENT[event["type"]], attributes.get("edge", "inside") != "inside"))


def _coverage(store: GraphStore, scopes: list[Scope], cover: Coverage) -> list[Citation]:
    """For a "none" answer: cite what was looked at (each stream's analysed window)."""
    cites = []
    for looked in cover.looked:
        stream = looked.stream
        for scope in scopes:
            if scope.streams and stream["id"] not in scope.streams:
                continue
            t0 = max(scope.t0 or 0.0, 0.0)
            end = looked.done or stream["duration"]
            t1 = min(scope.t1, end) if scope.t1 is not None else end
            if t1 < t0 or t1 < 0:  # the window misses the footage: cite the footage there is
                cites.append(Citation(stream["id"], stream["name"], 0.0, end, None,
                                      "the only footage of this stream, outside the window asked about"))
                continue
            segs = store.segments(streams=[stream["id"]], t0=t0, t1=t1, limit=1)
            thumb = segs[0]["thumbnail"] if segs else None
            cites.append(Citation(stream["id"], stream["name"], t0, t1, thumb or None,
                                  f"analysed ({looked.perception}), nothing matching"))
    return cites


def _window_text(q: Question) -> str:
    if q.t0 is not None and q.t1 is not None:
        if q.t0 == q.t1:
            return f" at {clock(q.t0)}"
        return f" between {clock(q.t0)} and {clock(q.t1)}"
    if q.t0 is not None:
        return f" after {clock(q.t0)}"
    if q.t1 is not None:
        return f" before {clock(q.t1)}"
    return ""


__all__ = ["ANSWERABLE", "AmbiguousStream", "Scope", "UnknownStream", "ask", "plan_scopes", "window_scopes"]

