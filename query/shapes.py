"""The structured answers: one function per question shape, each exact over the rows it is given.

``query.ask`` plans the question and fetches the rows (entities, zone visits, events) inside its scopes; every
function here turns them into an :class:`Answer` with its citations. A "none" answer states its coverage
(``Plan.none``); nothing here estimates or generates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC
from functools import partial
from itertools import pairwise
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from common.classes import EVERY_CLASS, MOVE_OF_EDGE, VEHICLES, sighting_mark
from common.text import class_name, clock, coloured, plural, wall_time, with_article
from graph.records import EntityRead, EventRead, StoryEventRead, ZoneVisitRead
from query.answer import Answer, Citation
from query.parse import TIMED, Lasting, Question, matching_colours, object_groups
from query.timewords import TimeSpec
from vlm.schema import said_at

MAX_LISTED = 20  # time spans written out in an answer's text; the value stays exact
MAX_CITED = 200  # citations returned with one answer (a month of traffic has tens of thousands of cars)

Entityish = EntityRead | ZoneVisitRead  # an entity, or an entity as it visited a zone


def noun(q: Question, n: int, inside: bool = False) -> str:
    """How an answer names ``n`` of the objects asked about, with every condition ("white cars moving bottom to
    top"); ``inside``: a duration asked of the zones named is the time inside them ("cars inside lane_up over 3 s")."""
    still_for = q.lasting is not None and q.lasting.of == "still"  # said with its duration below
    still = " that stood still" if q.still and not still_for else " that never stood still" if q.not_still else ""
    still += {"moved": " and moved" if still else " that moved", "never": " that never moved",
              "passed": " that went past (moved, then left the picture)"}.get(q.moving or "", "")
    by_edge = {MOVE_OF_EDGE[key] for key, _ in q.edges}  # said with its edge
    moves = [m for m in q.moves if m not in by_edge]
    if q.negated == "moves":
        still += f" that did not {' or '.join({'entered': 'enter', 'left': 'leave'}[m] for m in moves)}"
    else:
        still += f" that {(' and ' if q.moves_both else ' or ').join(moves)}" if moves else ""
    if q.arrival and not (moves or q.places) and q.intent in ("count", "exists", "which") and (
            q.time != TimeSpec() or q.anchor is not None):
        still += " first seen"  # "how many cars appeared after 0:15?": "2 cars first seen after 0:15.0"
    still += {"closer": " that came closer to the camera", "farther": " that went farther from the camera"}.get(
        q.approach or "", "")
    still += {"start": " in view at the start", "end": " in view at the end",  # "stood still from start to end"
              "whole": f"{'' if q.still else ' in view'} from start to end"}.get(q.present or "", "")
    still += "".join(f" that {'came in from' if key == 'entry_edge' else 'left by'} the {edge}"
                     for key, edge in q.edges) + (" that entered more than one zone" if q.changed_zone else
                                               " that went into each place named, in order" if q.in_order else
                                               " that went into each place named" if q.every_place else "")
    if q.lasting:
        than = "under" if q.lasting.at_most else "at least" if q.lasting.inclusive else "over"
        how = ("standing still" if q.lasting.of == "still" else f"inside {' or '.join(q.places)}" if inside
               else "in view")
        still += f" {how} {than} {q.lasting.seconds:g} s"
    direction = f" {'not ' if q.negated == 'direction' else ''}moving " + " or ".join(
        w.replace("_", " ") for w in q.ways) if q.ways else ""
    verbs: dict[tuple[str, ...], str] = {("zone_exit",): "that left", ("zone_enter",): "that entered"}
    at = verbs.get(q.event_types, "that crossed" if q.line_side else "at")
    placed = q.places and not (inside and q.lasting and q.lasting.of == "view")  # (said as "inside" above)
    zone = f" {at} {' or '.join(q.places)}{f' ({q.line_side})' if q.line_side else ''}" if placed else ""
    zone += " more than once" if q.again and placed else ""  # "did any car enter lane_up twice?"
    named = coloured("/".join(q.colour_words), plural(q.noun, n), q.noun, q.negated == "colours")
    return f"{named}{still}{direction}{zone}"


_ACHROMATIC = ("white", "silver", "grey", "black")
UNREAD_COLOUR = "colour not recorded"  # the label of objects without a colour reading, in a count per colour


def said_colour(attributes: dict[str, Any]) -> str | None:
    """An object's colour as read, with what the reading cannot tell it from ("grey; could be white, black or a
    dark colour": other greys by name, any hue as a dark colour); None where no colour was read."""
    word, alternatives = attributes.get("colour"), attributes.get("colour_could_be") or ()
    if not word or not alternatives:
        return word
    said = [a for a in alternatives if a in _ACHROMATIC] + (  # a hue's neighbours by name ("red; could be orange")
        ["a dark colour"] if word in _ACHROMATIC and any(a not in _ACHROMATIC for a in alternatives) else
        [a for a in alternatives if a not in _ACHROMATIC])
    return f"{word}; could be {', '.join(said[:-1]) + ' or ' if len(said) > 1 else ''}{said[-1]}"


@dataclass(slots=True)
class Plan:
    """What every shape needs besides its rows: the question, how to word the window and the object, how to
    say "none" truthfully, and whether several streams are in play (then every span names its stream)."""

    q: Question
    window: str
    # the coverage of a "none" answer (what was looked at, how, what was seen but not confirmed) and its
    # citations; read only when an answer is empty (it reads every segment of the window)
    none: Callable[[], tuple[str, list[Citation]]]
    many_streams: bool = False
    unseen: tuple[str, ...] = ()  # classes asked about that the perception of some stream in scope cannot see
    # how long each object (stream id, entity id) was inside the zones the question names: what "how long was the
    # red car in lane_up?" measures (None: time in view)
    inside: dict[tuple[str, str], float] | None = None
    starts: dict[str, float] = field(default_factory=dict)  # stream id -> wall clock of its first frame (epoch s)
    tz: ZoneInfo | None = None  # the site's time zone, for those clocks

    def moment(self, stream_id: str, t: float) -> str:
        """Offset ``t`` of a stream, and its wall-clock time where the stream has one: "1:58.2 (2026-11-21
        14:00:58 UTC)" (what "what time did the last car leave?" asks)."""
        start = self.starts.get(stream_id)
        if not start:
            return clock(t)
        wall = wall_time(start + t, self.tz or UTC)
        return f"{clock(t)} ({wall.strftime('%Y-%m-%d %H:%M:%S')} {wall.tzname()})"

    def noun(self, n: int) -> str:
        return noun(self.q, n, inside=self.inside is not None)

    def unplaced(self, n: int) -> str:
        """The objects without the places asked ("cars", not "cars at lane_up"), where a visit says the place."""
        return noun(replace(self.q, zone=None, zones=()), n)

    def seen(self, n: int) -> str:
        """The objects, "seen" ("no red cars seen"; "no cars first seen" once)."""
        said = self.noun(n)
        return said if said.endswith(" seen") else f"{said} seen"

    def timed_span(self, row: Entityish) -> str:
        """:meth:`span`, with its wall-clock times where the stream has a clock: "0:15.0-0:19.0 (2018-04-19
        22:46:16-22:46:20 UTC)" (what "what time did the red car appear?" asks)."""
        return self.span(row) + self.wall_span(row["stream_id"], row["first_seen"], row["last_seen"])

    def wall_span(self, stream_id: str, t0: float, t1: float) -> str:
        """" (2018-04-19 22:46:16-22:46:20 UTC)": offsets ``t0``-``t1`` on the stream's wall clock, if it has one."""
        start = self.starts.get(stream_id)
        if not start:
            return ""
        w0, w1 = (wall_time(start + t, self.tz or UTC) for t in (t0, t1))
        return f" ({w0.strftime('%Y-%m-%d %H:%M:%S')}-{w1.strftime('%H:%M:%S')} {w1.tzname()})"

    def span(self, row: Entityish) -> str:
        where = f"{row['stream']} " if self.many_streams else ""
        return f"{where}{clock(row['first_seen'])}-{clock(row['last_seen'])}{self.colour(row)}"

    def colour(self, row: Entityish) -> str:
        """" (white)" beside an object when its colour is what was asked ("what colour was the last car?")."""
        if not self.q.colour_asked:
            return ""
        return f" ({said_colour(row['attributes']) or 'colour not recorded'})"

    def nothing(self, text: str, kind: str, value: Any) -> Answer:
        coverage, cites = self.none()
        return Answer(self.q.text, f"{text} ({coverage}).", kind, value, cites)


def listing(parts: list[str], sep: str = "; ", total: int | None = None) -> str:
    """At most MAX_LISTED items written out, and how many more there are (of ``total`` when the parts are only
    the first ones)."""
    total = len(parts) if total is None else total
    shown = sep.join(parts[:MAX_LISTED])
    return shown + (f"{sep}... and {total - min(len(parts), MAX_LISTED)} more" if total > MAX_LISTED else "")


def entity_name(row: Mapping[str, Any]) -> str:
    """"white car (track 3)", "person in black (track 0)": how answers and the dashboard name an object."""
    attributes = row["attributes"]
    return f"{coloured(attributes.get('colour') or '', row['cls'], row['cls'])} (track {attributes.get('track', '?')})"


def entity_citation(row: Entityish) -> Citation:
    direction = f", {row['direction'].replace('_', ' ')}" if row.get("direction") else ""
    return Citation(stream_id=row["stream_id"], stream=row["stream"], t0=row["first_seen"], t1=row["last_seen"],
                    thumbnail=row.get("thumbnail") or None,
                    what=f"{entity_name(row)}{direction}",
                    entity_id=row["id"])


def visit_citation(row: Entityish) -> Citation:
    """A zone visit's moment ("crossed midline" at 0:06.4), with its event's picture where perception took one
    then, and the object it was."""
    visit = cast(ZoneVisitRead, row)
    return Citation(visit["stream_id"], visit["stream"], visit["t"], visit["t"],
                    visit.get("event_thumbnail") or visit["thumbnail"] or None, f"{entity_name(row)} {_visited(row)}",
                    entity_id=visit["id"], event_ids=[visit["event_id"]])


def event_citation(row: EventRead) -> Citation:
    return Citation(row["stream_id"], row["stream"], row["t0"], row["t1"], row.get("thumbnail") or None,
                    row["description"], event_ids=[row["id"]])


def cite(rows: Sequence[Entityish]) -> list[Citation]:
    return [entity_citation(r) for r in rows[:MAX_CITED]]


Tally = Counter[str]  # how many matched, per stream name (when the rows given are only the first ones)


def by_stream(rows: list[Entityish], tally: Tally | None = None) -> str:
    counts = tally if tally is not None else Counter(r["stream"] for r in rows)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))  # ties by name: the same every run
    return " (" + ", ".join(f"{n} in {name}" for name, n in ranked) + ")" if len(counts) > 1 else ""


def by_class(p: Plan, rows: list[Entityish], n: int, kinds: Counter[str] | None = None) -> str:
    """How many of each class, when several are asked about ("10 cars or people (9 cars, 1 person)"): from the
    rows when they are all ``n``, else from ``kinds``; of "vehicles", the classes seen."""
    if len(p.q.classes) < 2:
        return ""
    kinds = kinds if kinds is not None else Counter(r["cls"] for r in rows) if len(rows) >= n else None
    if kinds is None:
        return ""
    every = p.q.classes if set(EVERY_CLASS) <= set(p.q.classes) else VEHICLES if set(VEHICLES) <= set(
        p.q.classes) else ()  # "objects", "vehicles": the classes seen
    shown = [(c, kinds.get(c, 0)) for c in p.q.classes if kinds.get(c, 0) or c not in every]
    if not shown:
        return ""
    # a class the perception cannot see is not "0 forklifts"; an "object" of "objects" is one it could not name
    return " (" + ", ".join(f"{plural(c, 2)} not checked" if c in p.unseen and not k else
                            f"{k} {class_name(c, k)}"
                            f"{' where it could be seen' if c in p.unseen else ''}" for c, k in shown) + ")"


@dataclass(slots=True)
class Split:
    """How a count splits ("per hour", "per lane"): the label of each row or event, every label to show in
    order with the empty ones (the periods of the window; None past periods.MAX_PERIODS), the time zone of
    wall-clock periods, and the periods the window or the footage covers only in part."""

    labels: list[str]
    every: list[str] | None = None
    tz: str = ""
    partial: set[str] = field(default_factory=set)
    sparse: bool = False  # ``every`` holds only the labels with any (said so)


def _breakdown(p: Plan, split: Split, by: str) -> tuple[str, dict[str, int], str]:
    """"; per minute (UTC), by first seen (1 of 3 with none): 13:59 8, 14:00 8, 14:01 0 (in part).", the counts
    under each label, and, asked for the busiest or quietest, the answer's lead ("The busiest minute: 13:59 and
    14:00 (8 each)."). A cut period is not the busiest or quietest while whole ones are."""
    groups = Counter(split.labels)
    timed = p.q.per in TIMED
    # periods past periods.MAX_PERIODS: only those with any, in time order (rows and events come in time order)
    order = split.every if split.every is not None else list(dict.fromkeys(split.labels)) if timed else sorted(
        groups, key=lambda g: (-groups[g], g))
    shown = [*order, *(g for g in groups if g not in order)]
    how = _how(p.q, p.q.per, p.q.per_size, split.tz, by)
    if p.q.each_stream:  # "per camera per hour": each camera's periods
        how = f"per camera, then {how}"
    if p.q.then_per is not None:  # "per zone entered, then per minute (UTC), by first seen"
        how += f", then {_how(p.q, p.q.then_per, p.q.then_size, split.tz, by)}"
    none = sum(1 for g in shown if not groups[g])
    empty = (f" ({none} of {len(shown)} with none)" if none else
             " (only those with any)" if (timed and split.every is None) or split.sparse else "")
    parts = [f"{g} {groups[g]}{' (in part)' if g in split.partial else ''}" for g in shown]
    text = f"; {how}{empty}: {listing(parts, ', ')}."
    lead = ""
    if p.q.average and timed:  # "how many cars per hour on average?": over the whole periods (a cut one would
        whole = [g for g in shown if g not in split.partial]  # pull it down), said first: it is the answer
        size = f"{p.q.per_size} {p.q.per}s" if p.q.per_size > 1 else p.q.per
        # with none whole (11 s of footage, per minute) the count of the part is no rate per period
        lead = (f"{'Median' if p.q.average == 'median' else 'On average'}: "
                f"{_average(p.q.average, [groups[g] for g in whole]):.1f} per {size}"
                f"{f' (over the {len(whole)} whole periods)' if len(whole) < len(shown) else ''}. " if whole else
                f"No whole {size} of footage in the window, so no {'median' if p.q.average == 'median' else 'average'}"
                f" per {size}. ")
    if p.q.extreme in ("most", "least"):  # "the busiest hour": which, ties all named, said first
        lead += _peaks(p, shown, groups, split.partial)
    return text, {g: groups[g] for g in shown}, lead


def _peaks(p: Plan, shown: list[str], groups: Counter[str], partial: set[str]) -> str:
    """"The busiest minute: 13:59 and 14:00 (8 each). ", ties all named; split two ways ("the busiest minute in
    each lane"), each outer group's own. A cut period is not the busiest while whole ones are; "colour not
    recorded" is no colour."""
    per, size = (p.q.then_per, p.q.then_size) if p.q.then_per else (p.q.per, p.q.per_size)
    word = {"most": "most common" if per == "colour" else "busiest",
            "least": "least common" if per == "colour" else "quietest"}[p.q.extreme or "most"]
    unit = (f" {size} {per}s" if size > 1 else f" {per}") if per in (*TIMED, "zone", "direction", "colour") else ""
    pick = max if p.q.extreme == "most" else min
    outers = list(dict.fromkeys(g.split(" / ", 1)[0] for g in shown)) if p.q.then_per or p.q.each_stream else [""]
    said = []
    for outer in outers:  # ("": one split, every label its own)
        mine = [g for g in shown if not outer or g.split(" / ", 1)[0] == outer]
        whole = [g for g in mine if g not in partial and not g.endswith(UNREAD_COLOUR)] or mine
        top = pick(groups[g] for g in whole)
        peaks = [g for g in whole if groups[g] == top]
        cut = ", in part" if set(peaks) & partial else ""  # no whole period to weigh it against: said so
        said.append(f"{f'{outer} ' if outer else ''}{' and '.join(g.split(' / ', 1)[1] if outer else g for g in peaks)}"
                    f" ({top}{' each' if len(peaks) > 1 else ''}{cut})")
    return f"The {word}{unit}{' in each' if outers != [''] else ''}: {'; '.join(said)}. "


def _how(q: Question, per: str | None, size: int, tz: str, by: str) -> str:
    """How a split is said: "per zone entered", "per direction", "per 15 minutes (UTC), by first seen"."""
    entered = "left" if q.event_types == ("zone_exit",) else "entered"  # "how many cars left each lane?"
    return {"zone": f"per zone {entered}" if q.intent == "count" else "per zone it happened in",
            "direction": "per direction", "move": "each move counted apart", "colour": "per colour read"}.get(
        per or "", f"per {f'{size} {per}s' if size > 1 else per}{f' ({tz})' if tz else ''}, {by}")


def stillness(rows: list[Entityish]) -> str:
    """" Of them, 2 moved and 1 never moved.": what "parked or moving?" asks of the objects counted (those
    whose movement is not recorded, a VLM's, said apart)."""
    moved = sum(1 for r in rows if r["attributes"].get("stationary") is False)
    never = sum(1 for r in rows if r["attributes"].get("stationary") is True)
    unknown = len(rows) - moved - never
    return (f" Of them, {moved} moved and {never} never moved"
            f"{f' ({unknown} not recorded either way)' if unknown else ''}.")


def split(p: Plan, rows: list[Entityish], by: Split, total: int | None = None) -> Answer:
    """"How many cars per hour / per lane / per direction?": the count, and how many under each label (one per
    row: an object entering two zones is a row for each). ``total``: the count where ``rows`` are only the first
    of the objects (counted in the graph)."""
    n = total if total is not None else len({(r["stream_id"], r["id"]) for r in rows})
    if n == 0:
        return p.nothing(f"0 {p.noun(0)}{p.window}", "count", 0)
    text, counts, lead = _breakdown(p, by, "by first seen")
    return Answer(p.q.text, f"{lead}{n} {p.noun(n)}{p.window}{text}", "count", n, cite(rows), breakdown=counts)


# -- shapes over entities ---------------------------------------------------------------------------------------
def count(p: Plan, rows: list[Entityish], tally: Tally | None = None, kinds: Counter[str] | None = None) -> Answer:
    """``tally``: the counts per stream when ``rows`` are only the first of them (a month of traffic); ``kinds``
    then the counts per class."""
    n = sum(tally.values()) if tally is not None else len(rows)
    if n == 0:
        return p.nothing(f"0 {p.noun(0)}{p.window}", "count", 0)
    spans = listing([p.span(r) for r in rows[:MAX_LISTED]], total=n)  # a month cites 200: write out 20
    each = (" (" + ", ".join(f"{sum(_in_colour(matching_colours([w]), r) for r in rows)} {w}"
                             for w in p.q.colour_words) + ")") if p.q.each_of == "colour" else ""  # "red and green"
    text = f"{n} {p.noun(n)}{each}{by_class(p, rows, n, kinds)}{p.window}{by_stream(rows, tally)}: {spans}."
    return Answer(p.q.text, text, "count", n, cite(rows))


def by_camera(p: Plan, rows: list[Entityish], counts: Tally, cameras: tuple[str, ...]) -> Answer:
    """"Were there cars in every camera?", "how many cars per camera?": each camera's count (``counts`` by stream
    name; ``cameras`` every one looked at that can see the class, those that saw none at 0), a yes only when
    each saw one (or the number asked: "at least 2 cars in every camera")."""
    counts = counts + Counter()  # (a copy without zeros)
    counts.update(dict.fromkeys(cameras, 0))
    ranked = counts.most_common()
    if not ranked:  # no camera in scope can see the class, and none saw one
        why = f"none of the cameras in scope can detect {p.noun(2)}"
        return Answer(p.q.text, f"Not checked: {why}.", p.q.intent, None, [], supported=False, not_checked=[why])
    listed = ", ".join(f"{name} {n}" for name, n in ranked)
    need = p.q.number
    n, short = sum(counts.values()), [name for name, k in ranked if not (need.holds(k) if need else k)]
    if p.q.intent == "count":
        text = f"{n} {p.noun(n)}{p.window}; by camera: {listed}."
        return Answer(p.q.text, text, "count", n, cite(rows), breakdown=dict(ranked))
    asked = f"{need.said()} {p.noun(2)}" if need else p.noun(2)
    if not short:
        where = (f"each of the {len(ranked)} cameras (by camera: {listed})" if len(ranked) > 1 else
                 f"{ranked[0][0]} ({ranked[0][1]})")
        return Answer(p.q.text, f"Yes: {asked}{p.window} in {where}.", "exists", True, cite(rows),
                      breakdown=dict(ranked))
    answer = p.nothing(f"No: {asked}{p.window} in {len(ranked) - len(short)} of {len(ranked)} cameras (by camera: "
                       f"{listed}); not in {', '.join(short)}", "exists", False)
    answer.citations = cite(rows) + answer.citations
    answer.breakdown = dict(ranked)
    return answer


def which(p: Plan, rows: list[Entityish]) -> Answer:
    if not rows:
        return p.nothing(f"None: no {p.noun(0)}{p.window}", "which", [])
    if p.q.extreme in ("longest", "shortest"):  # "which car was in view the longest": that one
        return duration(p, rows)
    if all(p.starts.get(s) for s in {r["stream_id"] for r in rows}):  # in order of appearance over the streams
        rows = in_order(p, rows)
    listed = listing([f"{r['cls']} {p.span(r)}{', ' + r['direction'].replace('_', ' ') if r.get('direction') else ''}"
                      for r in rows])
    value = [(round(r["first_seen"], 1), round(r["last_seen"], 1)) for r in rows]
    return Answer(p.q.text, f"{len(rows)} {p.noun(len(rows))}{p.window}{by_stream(rows)}: {listed}.", "which", value,
                  cite(rows))


STORIES_TOLD = 5  # objects whose events one answer tells in full ("what did the white cars do?")
Told = tuple[list[StoryEventRead], list[str] | None]  # an object's events in the window; at a moment, zones inside


def story(p: Plan, rows: list[Entityish], told: dict[str, Told]) -> Answer:
    """"What did the red car do?", "where did the first truck go?", "where was the red car at 0:17?": each
    object (the first ``STORIES_TOLD``, in order of appearance; its time in view on the wall clock too, where the
    stream has one) with the events it took part in (``told``: by entity id, in the window asked), each at the
    moment it speaks of, and asked at a moment, the zones it was inside then."""
    if not rows:
        return p.nothing(f"No {p.seen(0)}{p.window}", "story", [])
    rows = in_order(p, rows)
    parts, value, cites = [], [], []
    for r in rows[:STORIES_TOLD]:
        traits = ", ".join(x for x in (said_colour(r["attributes"]), r.get("direction", "").replace("_", " ")) if x)
        events, inside = told.get(r["id"], ([], None))
        said = [(said_at(e["type"], e["t0"], e["t1"]), _told(r, e["description"])) for e in events]
        name = (f"{with_article(r['cls']) if len(rows) > 1 else 'The ' + p.noun(1)}"
                f"{f' ({traits})' if traits else ''}, in view {p.timed_span(r)}")
        where = [] if inside is None else [f"{p.window.strip()} inside {' and '.join(inside)}" if inside else
                                           f"{p.window.strip()} inside no zone drawn"]
        parts.append(f"{name[0].upper()}{name[1:]}: " + ("; ".join(where + [f"{clock(t)} {what}" for t, what in said])
                                                       or f"no events recorded of it{p.window}") + ".")
        value.append({"entity": r["id"], "events": [[round(t, 1), what] for t, what in said]})
        cites += [entity_citation(r), *(Citation(r["stream_id"], r["stream"], t, t, e.get("thumbnail") or None,
                                                 what, r["id"], [e["id"]])
                                        for (t, what), e in zip(said, events, strict=True))]
    more = (f" ... and {len(rows) - STORIES_TOLD} more {plural(p.q.noun, 2)}: ask of one (\"the first ...\", a "
            "colour, a window)." if len(rows) > STORIES_TOLD else "")
    lead = f"{len(rows)} {p.noun(len(rows))}{p.window}{by_stream(rows)}. " if len(rows) > 1 else ""
    return Answer(p.q.text, lead + " ".join(parts) + more, "story", value, cites[:MAX_CITED])


def in_order(p: Plan, rows: list[Entityish]) -> list[Entityish]:
    """Objects in order of appearance (over streams with clocks, by their clocks)."""
    return sorted(rows, key=lambda r: (p.starts.get(r["stream_id"], 0.0) + r["first_seen"], r["id"]))


def _told(row: Entityish, description: str) -> str:
    """An event's description as said of its object ("car 2 entered lane_up" of car 2: "entered lane_up")."""
    own = f"{row['cls']} {row['attributes'].get('track', '')} "
    return description[len(own):] if description.startswith(own) else description


def exists(p: Plan, rows: list[Entityish], tally: Tally | None = None, kinds: Counter[str] | None = None) -> Answer:
    need = p.q.number
    n = sum(tally.values()) if tally is not None else len(rows)
    yes = need.holds(n) if need is not None else n > 0
    if not n:  # "were there at most 3 cars?" with none seen is a yes, and says what was looked at like a "no"
        said = f", {need.said()}" if need is not None and yes else ""
        return p.nothing(f"{'Yes' if yes else 'No'}: no {p.seen(0)}{p.window}{said}", "exists", yes)
    if not yes and need is not None:
        return p.nothing(f"No: {n} {p.noun(n)} seen{p.window}, not {need.said()}", "exists", False)
    text = (f"Yes: {n} {p.noun(n)}{by_class(p, rows, n, kinds)}{p.window}{by_stream(rows, tally)}, first at "
            f"{p.span(rows[0])}.")
    return Answer(p.q.text, text, "exists", True, cite(rows))


def every(p: Plan, rows: list[Entityish], others: list[EntityRead]) -> Answer:
    """"Did all cars ...?": yes when every one of the class seen meets the conditions; the ones that do not
    are counted and cited (``others``: the first 200 of them)."""
    q = p.q
    cls = plural(q.noun, 2)
    if not rows and not others:
        return p.nothing(f"No: no {cls} seen{p.window} at all", "exists", False)
    if not others:
        text = f"Yes: all {len(rows)} {plural(q.noun, len(rows))} seen{p.window} were {p.noun(len(rows))}."
        return Answer(q.text, text, "exists", True, cite(rows))
    more = "or more " if len(others) >= MAX_CITED else ""
    text = (f"No: {len(rows)} of the {len(rows) + len(others)} {more}{cls} seen{p.window} were {p.noun(2)}; "
            f"{len(others)} {more}{'was' if len(others) == 1 else 'were'} not (cited first).")
    return Answer(q.text, text, "exists", False, cite(others) + cite(rows))


_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
        9: "ninth", 10: "tenth"}


def nth(n: int, from_end: bool = False) -> str:
    """"second", "11th"; "second to last" (1 from the end is "last")."""
    word = _NTH.get(n) or f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    return ("last" if n == 1 else f"{word} to last") if from_end else word


Seen = Literal["first_seen", "last_seen", "t"]  # "t": when a zone visit happened (entering, crossing the line)


def _at(row: Entityish, field: Seen) -> float:
    """The time of ``row`` the order is by: first or last seen, or (a zone visit) its entering or crossing."""
    return float(cast(Mapping[str, Any], row)[field])


def _visited(row: Entityish) -> str:
    """"crossed midline", "entered lane_up": what a zone visit row is."""
    visit = cast(ZoneVisitRead, row)
    if stay := stay_said(row):
        return f"was {' '.join(stay)}"
    zone = visit["event_attributes"].get("zone", "the zone")
    return f"{ {'line_cross': 'crossed', 'zone_exit': 'left'}.get(visit['type'], 'entered')} {zone}"


def stay_said(row: Entityish) -> tuple[str, str] | None:
    """("in restricted", "as the footage began"): a zone visit row that is a stay's edge, not a move (its first
    sighting inside, or its last: common.classes.SIGHTING_MARKS); None for an entering, leaving or crossing."""
    visit = cast(ZoneVisitRead, row)
    if not sighting_mark(visit["type"], visit["event_attributes"]):
        return None
    zone = f"in {visit['event_attributes'].get('zone', 'the zone')}"
    return zone, "as the footage began" if visit["type"] == "zone_enter" else "when last seen"


def _picked(p: Plan, rows: list[Entityish], field: Seen, from_end: bool, kind: str) -> Entityish | Answer:
    """The n-th row in ``field`` order (the first or last when no ordinal was asked), or the answer that there are
    not that many. Over several streams the order is their wall clocks' (an offset of one stream says nothing
    of another's); where one has none, there is no order between them: the n-th of each is the answer."""
    n = p.q.ordinal or 1
    streams = sorted({r["stream_id"] for r in rows})
    if len(streams) > 1 and not all(p.starts.get(s) for s in streams):
        return _each_stream(p, rows, field, from_end, kind, streams)
    ordered = sorted(rows, key=lambda r: (p.starts.get(r["stream_id"], 0.0) + _at(r, field), r["id"]),
                     reverse=from_end)
    if len(ordered) >= n:
        return ordered[n - 1]
    return p.nothing(f"No {nth(n, from_end)} {p.noun(1)}: {len(rows)} {p.noun(len(rows))} seen{p.window}", kind, None)


def nth_object(p: Plan, rows: list[Entityish], words: str, from_end: bool) -> Entityish | Answer:
    """"The first car", "the second to last truck" as what a question is asked of (``words`` as said): the n-th
    by first seen (from the end by last seen), or the answer that there is none, or no one: several seen first
    (or last) at the same look, which "the first" names is not told."""
    field: Seen = "last_seen" if from_end else "first_seen"
    row = _picked(p, rows, field, from_end, p.q.intent)
    if isinstance(row, Answer):
        return row
    if len(tied := _at_once_with(rows, row, field)) < 2:
        return row
    n, moment = len(tied), p.moment(row["stream_id"], _at(row, field))
    how = "were last seen, together, until" if from_end else "appeared, together, at"
    text = (f"Not checked: {n} {p.noun(n)}{p.window} {how} {moment} in {row['stream']}, so which is the {words} "
            f"{p.noun(1)} is not told.")
    return Answer(p.q.text, text, p.q.intent, None, cite(tied), supported=False,
                  not_checked=[f"which is the {words} {p.noun(1)}: {n} seen at the same look"])


def _each_stream(p: Plan, rows: list[Entityish], field: Seen, from_end: bool, kind: str,
                 streams: list[str]) -> Answer:
    """"The first car" over streams with no common clock (it named the smallest offset of any, 0:00.0 of one
    camera before 0:04.4 of another, whenever each was recorded): the n-th of each stream, said so."""
    n = p.q.ordinal or 1
    picked = [r for s in streams if not isinstance(
        r := _picked(p, [row for row in rows if row["stream_id"] == s], field, from_end, kind), Answer)]
    unclocked = sum(1 for s in streams if not p.starts.get(s))
    each = "; ".join(f"{r['stream']} {p.moment(r['stream_id'], _at(r, field))}" for r in picked)
    text = (f"No common clock orders the {len(streams)} streams ({unclocked} without a wall clock), so the "
            f"{nth(n, from_end)} {p.noun(1)}{p.window} of each: {each or 'none has one'}.")
    return Answer(p.q.text, text, kind, None, cite(picked), not_checked=["which stream's came first: no common clock"])


def first(p: Plan, rows: list[Entityish]) -> Answer:
    """The first (or n-th) to appear, or to leave when the question is about leaving."""
    if not rows:
        return p.nothing(f"No {p.seen(0)}{p.window}", "first", None)
    word = nth(p.q.ordinal or 1)
    leaving = p.q.moves == ("left",)  # "when did the first car leave": the first to go, not the first to come
    # "when did the first car cross the midline?": the first crossing (or entering), not the first car seen
    field: Seen = "last_seen" if leaving else "t" if p.q.places else "first_seen"
    row = _picked(p, rows, field, False, "first")
    if isinstance(row, Answer):
        return row
    if (tied := _tied(p, rows, row, field)) is not None:
        return Answer(p.q.text, tied, "first", _at(row, field), cite(_at_once_with(rows, row, field)))
    if field == "t":
        return _visit(p, row, word, "first")
    if leaving:
        text = (f"The {word} {p.noun(1)}{p.colour(row)}{p.window} was last seen at "
                f"{p.moment(row['stream_id'], row['last_seen'])} in {row['stream']}.")
        return Answer(p.q.text, text, "first", row["last_seen"], [entity_citation(row)])
    text = (f"The {word} {p.noun(1)}{p.colour(row)}{p.window} appeared at "
            f"{p.moment(row['stream_id'], row['first_seen'])} in {row['stream']}.")
    return Answer(p.q.text, text, "first", row["first_seen"], [entity_citation(row)])


def _visit(p: Plan, row: Entityish, word: str, kind: str) -> Answer:
    """"The first car crossed midline at 0:06.4": a zone visit picked by its time (not "the first car at midline
    crossed midline", nor when the car was first seen)."""
    t = _at(row, "t")
    text = (f"The {word} {p.unplaced(1)}{p.colour(row)}{p.window} {_visited(row)} at "
            f"{p.moment(row['stream_id'], t)} in {row['stream']}.")
    return Answer(p.q.text, text, kind, t, [visit_citation(row)])


def _at_once_with(rows: list[Entityish], row: Entityish, field: Seen) -> list[Entityish]:
    """The rows of ``row``'s stream seen first (or last: ``field``) at the same look as it."""
    return [r for r in rows if r["stream_id"] == row["stream_id"] and abs(_at(r, field) - _at(row, field)) < 1e-6]


def _tied(p: Plan, rows: list[Entityish], row: Entityish, field: Seen) -> str | None:
    """"2 people appeared first, together, at 0:00.0 in x.mp4": where the first (or last) asked for is not one
    object (it named one of them, by track number); None where it is one, or an n-th was asked."""
    tied = _at_once_with(rows, row, field)
    if len(tied) < 2 or (p.q.ordinal or 1) > 1:
        return None
    said = {("first", "first_seen"): "appeared first, together, at", ("first", "last_seen"): "left first, together, at",
            ("last", "first_seen"): "came last, together, at",
            ("last", "last_seen"): "were the last seen, together, until"}
    named = p.noun(len(tied))
    if field == "t":  # a zone's visits: said once, by the visit ("2 people entered lane_1 first", not "at lane_1")
        named = p.unplaced(len(tied))
        stay = stay_said(row)
        verb = (f"were {p.q.intent} {stay[0]}, together, {stay[1]}, at" if stay else
                f"{_visited(row)} {p.q.intent}, together, at")
    else:
        verb = said[p.q.intent, field]
    # "what colour was the first person?": each one's, where the colour was asked (or, of "which", where one is read)
    asked = p.q.colour_asked and (re.search(r"\bcolou?r", p.q.text.lower()) or any(
        said_colour(r["attributes"]) for r in tied))
    colours = f": {' and '.join(f'one{p.colour(r)}' for r in tied)}" if asked else ""
    return (f"{len(tied)} {named}{p.window} {verb} "
            f"{p.moment(row['stream_id'], _at(row, field))} in {row['stream']}{colours}.")


def last(p: Plan, rows: list[Entityish]) -> Answer:
    """The last (or n-th from the end) seen, or to arrive when the question is about appearing."""
    if not rows:
        return p.nothing(f"No {p.seen(0)}{p.window}", "last", None)
    word = nth(p.q.ordinal or 1, from_end=True)
    field: Seen = "first_seen" if p.q.arrival else "t" if p.q.places else "last_seen"  # "the last to cross"
    row = _picked(p, rows, field, True, "last")
    if isinstance(row, Answer):
        return row
    if (tied := _tied(p, rows, row, field)) is not None:
        return Answer(p.q.text, tied, "last", _at(row, field), cite(_at_once_with(rows, row, field)))
    if field == "t":
        return _visit(p, row, word, "last")
    if p.q.arrival:  # "when did the last car appear?": the latest to come, which need not be the last to go
        came = "" if p.q.moves == ("entered",) else " to appear"
        text = (f"The {word} {p.noun(1)}{p.colour(row)}{p.window}{came} was first seen at "
                f"{p.moment(row['stream_id'], row['first_seen'])} in {row['stream']}.")
        return Answer(p.q.text, text, "last", row["first_seen"], [entity_citation(row)])
    text = (f"The {word} {p.noun(1)}{p.colour(row)}{p.window} was seen until "
            f"{p.moment(row['stream_id'], row['last_seen'])} in {row['stream']}.")
    return Answer(p.q.text, text, "last", row["last_seen"], [entity_citation(row)])


def occupancy(p: Plan, parts: list[tuple[str, float, float]], rows: list[Entityish]) -> Answer:
    """How many were in view on average: the seconds of objects in view over the seconds analysed (``parts``:
    stream, seconds in view, seconds analysed), each stream's own and, over several, all of them."""
    looked = sum(t for _, _, t in parts)
    if not looked:
        return p.nothing(f"No footage analysed{p.window}", "count", None)
    mean = sum(s for _, s, _ in parts) / looked
    where, p = present_in(p)
    if not rows:  # a none: with what was looked at, and what was seen but not confirmed
        return p.nothing(f"On average 0 {p.noun(0)} {where}{p.window}: none seen", "count", 0.0)
    each = "; ".join(f"{s / t:.2f} in {name} ({s:.1f} s of {p.noun(2)} {where} over {t:.1f} s)"
                     for name, s, t in parts if t > 0)
    how = "from first to last sighting" if where == "in view" else "from entering to leaving"
    text = (f"On average {mean:.2f} {p.noun(2)} {where}{p.window} (time {where} {how}, over "
            f"the time analysed{': ' + each if len(parts) > 1 else ''}"
            f"{'' if len(parts) > 1 else f'; {parts[0][1]:.1f} s of {p.noun(2)} {where} over {looked:.1f} s'}).")
    return Answer(p.q.text, text, "count", round(mean, 2), cite(rows))


def empty(p: Plan, spans: list[tuple[str, float, float]], looked: float, cites: list[Citation],
          spell: Lasting | None = None) -> Answer:
    """When nothing of the class was in view; ``spans`` (stream id, from, to), ``looked`` the seconds searched,
    ``spell`` how long each stretch must last ("empty for more than 5 s": those spans only)."""
    coverage, cited = p.none()  # what was seen but not confirmed, or not as asked, speaks against "empty" too
    if not looked:
        return Answer(p.q.text, f"No footage{p.window} to tell ({coverage}).", "empty", [], cited)
    place, p = present_in(p)  # "no car inside lane_up" (from their entering and leaving), or "in view"
    cites = cites + [c for c in cited if c not in cites]
    total = sum(t1 - t0 for _, t0, t1 in spans)
    where = {c.stream_id: c.stream for c in cites}
    parts = [f"{where.get(sid, sid) + ' ' if p.many_streams else ''}{clock(t0)}-{clock(t1)}" for sid, t0, t1 in spans]
    lasting = "" if spell is None else (
        f" for {'under' if spell.at_most else 'at least' if spell.inclusive else 'over'} {spell.seconds:g} s")
    # "was lane_up ever empty?" is yes where a stretch was; "was lane_up never empty?" the other way round
    yes_no = {"ever": ("Yes: ", "No: "), "never": ("No: ", "Yes: ")}.get(p.q.empty_asked)
    if not spans:
        never = (f"Never{lasting}: no stretch {'with' if p.q.occupied else 'without'} {p.noun(2)} {place} lasted "
                 "that long" if lasting else f"Never: no {p.noun(1)} was {place}" if p.q.occupied else
                 f"Never: {p.noun(2)} were {place} the whole time")
        if yes_no:  # "No: cars were inside lane_up the whole time", "No: never for over 20 s: ..."
            never = yes_no[1] + (f"{never[:1].lower()}{never[1:]}" if lasting else never.removeprefix("Never: "))
        return Answer(p.q.text, f"{never}{p.window} (0 s of {looked:.1f} s, 0%; {coverage}).", "empty", [], cites)
    between = f" between {p.noun(2)}" if p.q.gaps else ""  # "gaps between cars": a car before and after each
    said = f"At least one {p.noun(1)} {place}" if p.q.occupied else f"No {p.noun(1)} {place}"
    said = f"{yes_no[0]}{said[:1].lower()}{said[1:]}" if yes_no else said
    text = (f"{said}{between}{lasting}{p.window}: {listing(parts, ', ')} ({len(spans)} "
            f"{plural('span', len(spans))}, {total:.1f} s of {looked:.1f} s, {total / looked:.0%}; {coverage}).")
    if p.q.extreme in ("longest", "shortest"):  # "the longest time without a car": that stretch (ties all)
        best = (max if p.q.extreme == "longest" else min)(round(t1 - t0, 1) for _, t0, t1 in spans)
        picked = [part for part, (_, t0, t1) in zip(parts, spans, strict=True) if round(t1 - t0, 1) == best]
        text = f"The {p.q.extreme}: {' and '.join(picked)} ({best:.1f} s{' each' if len(picked) > 1 else ''}). {text}"
        return Answer(p.q.text, text, "empty", best, cites)
    if p.q.average:  # "the average gap between cars": the mean (or median) of those stretches
        typical = _average(p.q.average, [t1 - t0 for _, t0, t1 in spans])
        text = f"{'Median' if p.q.average == 'median' else 'On average'}: {typical:.1f} s each. {text}"
        return Answer(p.q.text, text, "empty", round(typical, 2), cites)
    return Answer(p.q.text, text, "empty", [[sid, round(t0, 2), round(t1, 2)] for sid, t0, t1 in spans], cites)


def when(p: Plan, rows: list[Entityish]) -> Answer:
    if not rows:
        return p.nothing(f"No {p.seen(0)}{p.window}", "when", [])
    picked = _extreme(p, rows)
    spans = [(r["first_seen"], r["last_seen"]) for r in picked]
    # "when did the red car leave": that moment (not when its arrival is asked too: then the span says both)
    if p.q.moves in (("entered",), ("left",)) and not p.q.edges and not (p.q.arrival and p.q.moves == ("left",)):
        came = p.q.moves == ("entered",)
        verb = "came in" if came else "left"
        where = (lambda r: f"{r['stream']} ") if p.many_streams else (lambda r: "")
        moments = listing([f"{where(r)}{p.moment(r['stream_id'], r['first_seen'] if came else r['last_seen'])}"
                           for r in picked], ", ")
        named = coloured("/".join(p.q.colour_words), plural(p.q.noun, len(picked)), p.q.noun)
        text = f"{named}{p.window} {verb} at {moments}."
        return Answer(p.q.text, text[0].upper() + text[1:], "when", spans, cite(picked))
    if p.q.places and p.q.event_types:  # "when did cars leave lane_up?": the zone's leavings, at their times
        where = (lambda r: f"{r['stream']} ") if p.many_streams else (lambda r: "")
        text = "; ".join(f"{where(r)}{_visited(r)} at {p.moment(r['stream_id'], _at(r, 't'))}" for r in picked)
        objects = len({(r["stream_id"], r["id"]) for r in picked})  # (each visit of one entering twice is listed)
        named = coloured("/".join(p.q.colour_words), plural(p.q.noun, objects), p.q.noun)
        return Answer(p.q.text, f"{named[0].upper()}{named[1:]}: {text}.", "when", spans,
                      [visit_citation(r) for r in picked])
    if p.q.arrival and not p.q.moves:  # "when did the red car arrive?": when each was first seen (and until when)
        where = (lambda r: f"{r['stream']} ") if p.many_streams else (lambda r: "")
        moments = listing([f"{where(r)}{p.moment(r['stream_id'], r['first_seen'])}"
                           f"{', already there as the footage began' if already_there(r) else ''}, in view "
                           f"until {clock(r['last_seen'])}" for r in picked])
        named = coloured("/".join(p.q.colour_words), plural(p.q.noun, len(picked)), p.q.noun)
        return Answer(p.q.text, f"{named[0].upper()}{named[1:]}{p.window} first seen at {moments}.", "when", spans,
                      cite(picked))
    named = p.noun(2) if p.inside is None else p.unplaced(2)  # rows: their stretches inside the places
    there = "in view" if p.inside is None else f"inside {' or '.join(p.q.places)}"
    text = f"{named.capitalize()} were {there} at {listing([p.timed_span(r) for r in picked])}."
    return Answer(p.q.text, text, "when", spans, cite(picked))


def still_s(row: Entityish) -> float:
    """How long an object stood still: its recorded standstill time, or all its time in view where it is recorded
    only as stationary (a VLM's objects)."""
    attributes = row["attributes"]
    if "stationary_s" in attributes:
        return float(attributes["stationary_s"] or 0.0)
    return row["last_seen"] - row["first_seen"] if attributes.get("stationary") else 0.0


def duration(p: Plan, rows: list[Entityish]) -> Answer:
    """How long in view; for a question about standing still ("how long was the truck parked?", "which car was
    parked longest?"), how long it stood still. The longest or shortest names every object that ties."""
    if not rows:
        return p.nothing(f"No {p.seen(0)}{p.window}", "duration", 0.0)
    measure = _measure(p)
    where = "in view" if p.inside is None else f"inside {' or '.join(p.q.places)}"
    if p.q.extreme in ("longest", "shortest"):
        picked = _extreme(p, rows)
        best = round(measure(picked[0]), 1)
        colour = f" ({c})" if (c := said_colour(picked[0]["attributes"])) else ""  # "which car ...": which one
        which = (f"was {with_article(picked[0]['cls'])}{colour}" if len(picked) == 1
                 else f"were {len(picked)} {plural(p.q.noun, 2)}")
        spans = listing([f"{'in view ' if p.q.still or p.inside is not None else ''}{p.span(r)}" for r in picked])
        text = (f"The {p.q.extreme} {'standing still' if p.q.still else where} {which}, for {best:.1f} s"
                f"{' each' if len(picked) > 1 else ''} ({spans}), of {len(rows)} {p.noun(len(rows))}{p.window}.")
        return Answer(p.q.text, text, "duration", best, cite(picked))
    each = [measure(r) for r in rows]
    said = noun(replace(p.q, still=False), len(rows)) if p.q.still else p.noun(len(rows))  # "stood still" once
    if len(rows) == 1:
        text = f"The {said} {'stood still' if p.q.still else f'was {where}'} for {each[0]:.1f} s{p.window}."
    else:
        text = (f"{len(rows)} {said} {'stood still' if p.q.still else f'were {where}'} for "
                f"{listing([f'{d:.1f} s' for d in each], ', ')} ({sum(each):.1f} s in total){p.window}.")
    if p.q.average:  # "the average time in view": the mean (or median) of those times is the answer
        typical = _average(p.q.average, each)
        text += f" {'Median' if p.q.average == 'median' else 'On average'}: {typical:.1f} s each."
        return Answer(p.q.text, text, "duration", round(typical, 2), cite(rows))
    return Answer(p.q.text, text, "duration", round(sum(each), 2), cite(rows))


def already_there(row: Entityish) -> bool:
    """Whether an object was in view in the footage's first frame (when it came is not known)."""
    return row["first_seen"] < 0.01


def headway(p: Plan, rows: list[Entityish]) -> Answer:
    """"How long between cars?", "the average time between trucks": from one object's first sighting to the next
    one's, on each stream (one clock each), in order of arrival; said as read. Those already there as the footage
    began are left out (when they came is not known). The mean is the answer (the median, or the longest or
    shortest, when asked). Fewer than two seen to come on every stream: none to measure."""
    streams: dict[str, list[Entityish]] = {}
    for r in sorted(rows, key=lambda r: r["first_seen"]):
        if not already_there(r):
            streams.setdefault(r["stream_id"], []).append(r)
    apart = [(b["first_seen"] - a["first_seen"], b) for seen in streams.values() for a, b in pairwise(seen)]
    read = (f"Read as from one {p.noun(1)}'s first sighting to the next's"
            f"{' on the same camera' if p.many_streams else ''}"
            f"{', leaving out those already there as the footage began' if any(map(already_there, rows)) else ''}")
    if not rows:
        return p.nothing(f"{read}: no {p.noun(2)} seen{p.window}", "duration", None)
    if not apart:
        there = sum(map(already_there, rows))
        return Answer(p.q.text, f"{read}: no time to measure, as fewer than two {p.noun(2)} came{p.window}"
                                f"{' on one camera' if p.many_streams else ''} ({len(rows)} seen"
                                f"{f', {there} already there as the footage began' if there else ''}).", "duration",
                      None, cite(rows))
    each = [d for d, _ in apart]
    said = listing([f"{d:.1f} s (to {p.span(b)})" for d, b in apart], ", ", len(apart))
    if p.q.extreme in ("longest", "shortest"):  # the answer first, then each interval
        value = (max if p.q.extreme == "longest" else min)(each)
        lead = f"The {p.q.extreme}: {value:.1f} s."
    else:
        value = _average(p.q.average or "mean", each)
        lead = (f"{'Median' if p.q.average == 'median' else 'On average'}: {value:.1f} s, over {len(each)} "
                f"{plural('interval', len(each))}.")
    return Answer(p.q.text, f"{lead} {read}: {said}{p.window}.", "duration", round(value, 2),
                  cite([b for _, b in apart]))


def _average(how: str, values: list[float] | list[int]) -> float:
    """The mean, or the median, of some values (at least one)."""
    ordered = sorted(values)
    if how == "median":
        mid = len(ordered) // 2
        return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return sum(ordered) / len(ordered)


def _measure(p: Plan) -> Callable[[Entityish], float]:
    """The time a question of how long measures: standing still when it asks about that, inside the zones it
    names, else in view."""
    if p.q.still:
        return still_s
    inside = p.inside
    if inside is not None:
        return lambda r: inside.get((r["stream_id"], r["id"]), 0.0)
    return lambda r: r["last_seen"] - r["first_seen"]


def _extreme(p: Plan, rows: list[Entityish]) -> list[Entityish]:
    """The longest or shortest (in view, or standing still), every one that ties to the tenth of a second the
    answer shows, when the question asks for that; else all of them."""
    if p.q.extreme not in ("longest", "shortest"):
        return rows
    measure = _measure(p)
    best = (max if p.q.extreme == "longest" else min)(round(measure(r), 1) for r in rows)
    return [r for r in rows if round(measure(r), 1) == best]


def present_in(p: Plan) -> tuple[str, Plan]:
    """Where the objects counted were: "inside lane_up" where zones are named (the rows are their stretches inside
    them), with the plan that names them without the zone ("1 car inside lane_up", not "1 car at lane_up in
    view"); "in view" otherwise."""
    if not p.q.places:
        return "in view", p
    return f"inside {' or '.join(p.q.places)}", replace(p, q=replace(p.q, zone=None, zones=()))


def together(p: Plan, rows: list[Entityish], inside: bool = False) -> Answer:
    """The most in view at one moment (overlap of the entities' time in view, stream by stream), and when; of
    objects joined by "and" ("a car and a person at the same time"), the first moment with each of them.
    ``inside``: the rows are the stretches inside the zones named, and "in view" is said "inside" them."""
    per_stream = _per_stream(rows)
    if p.q.each_of in ("class", "colour") and p.q.intent == "exists":
        return _each_at_once(p, per_stream)
    peaks = {sid: at_once(group) for sid, group in per_stream.items()}  # streams have separate time axes
    most, moment, present = max(peaks.values(), key=lambda v: v[0], default=(0, 0.0, []))
    where = f" in {present[0]['stream']}" if present and p.many_streams else ""
    breakdown = (" (per stream: " + ", ".join(f"{g[0]['stream']} {peaks[sid][0]}" for sid, g in per_stream.items())
                 + ")") if len(per_stream) > 1 else ""
    need = p.q.number
    zone, p = present_in(p) if inside else ("in view", p)
    if p.q.intent == "exists":
        yes = need.holds(most) if need is not None else most >= 2
        read_as = _read_as_at_once(p.q)
        if not yes:  # and the ones there, a number in all not being one at once ("were there ever 2 in lane_1?")
            answer = p.nothing(f"No: at most {most} {p.noun(most)} {zone} at the same time{p.window}{breakdown}"
                               f"{read_as}", "exists", False)
            if n := len({(r["stream_id"], r["id"]) for r in rows}):
                spans = [f"{clock(r['first_seen'])}-{clock(r['last_seen'])}" for r in rows]
                answer.text += f" In all, {n} {p.noun(n)} {'was' if n == 1 else 'were'} {zone}: {listing(spans)}."
                answer.citations = cite(rows) + answer.citations
            return answer
        text = (f"Yes: {most} {p.noun(most)} {zone} at the same time{p.window}{where}, at {clock(moment)}"
                f"{breakdown}{read_as}.")
        return Answer(p.q.text, text, "exists", True, cite(present))
    if most == 0:
        return p.nothing(f"0 {p.noun(0)} {zone} at the same time{p.window}", "together", 0)
    text = (f"At most {most} {p.noun(most)} {zone} at the same time{p.window}{where}, first at {clock(moment)}"
            f"{breakdown}.")
    return Answer(p.q.text, text, "together", most, cite(present))


def _read_as_at_once(q: Question) -> str:
    """How "together" or "side by side" was read, where said: in view at the same time, nearness not measured."""
    return (" (read as 'in view at the same time'; how close together they were is not measured)"
            if re.search(r"\b(together|side by side)\b", q.text.lower()) else "")


Stretch = tuple[str, float, float, list[Entityish]]  # a stream, from, to, and the objects there meanwhile


def _stretches_at_once(p: Plan, rows: list[Entityish], inside: bool) -> tuple[list[Stretch], str, str, Plan]:
    """Where the objects asked about were in view at the same time, stream by stream: each of those joined by "and"
    ("the red car and the silver car"), else as many as said (two, when no number is); and how that is said (what
    was asked, "in view" or "inside" the places, and the plan to say the rest with)."""
    groups = _groups_asked(p.q) if p.q.each_of in ("class", "colour") else []
    need = p.q.number.n if p.q.number is not None else 2
    stretches: list[Stretch] = []
    for sid, group in _per_stream(rows).items():
        began: float | None = None
        for t, _, now in _in_view_over_time(group):
            held = all(any(of(group[j]) for j in now) for _, of in groups) if groups else len(now) >= need
            if held and began is None:
                began, there = t, set(now)
            elif held and began is not None:
                there |= now
            elif not held and began is not None:
                if t > began:
                    stretches.append((sid, began, t, [group[j] for j in sorted(there)]))
                began = None
    zone, p = present_in(p) if inside else ("in view", p)
    asked = (" and ".join(with_article(name(1)) for name, _ in groups) if groups else
             f"{need} or more {p.noun(need)}")
    return stretches, asked, zone, p


def together_when(p: Plan, rows: list[Entityish], inside: bool = False) -> Answer:
    """"When were more than 5 cars in view?", "when were 2 people in restricted at once?": the stretches when that
    many were there at the same time, at their times (it said only the most at once, and when first)."""
    stretches, asked, zone, p = _stretches_at_once(p, rows, inside)
    if not stretches:
        return p.nothing(f"Never: {asked} {zone} at the same time{p.window}", "when", [])
    where = {r["stream_id"]: r["stream"] for r in rows}
    parts = [f"{where[sid] + ' ' if p.many_streams else ''}{clock(t0)}-{clock(t1)}{p.wall_span(sid, t0, t1)}"
             for sid, t0, t1, _ in stretches]
    total = sum(t1 - t0 for _, t0, t1, _ in stretches)
    text = (f"{asked[:1].upper()}{asked[1:]} {zone} at the same time{p.window}: {listing(parts)} ({total:.1f} s in "
            f"all){_read_as_at_once(p.q)}.")
    present = list({(r["stream_id"], r["id"]): r for *_, there in stretches for r in there}.values())
    return Answer(p.q.text, text, "when", [(t0, t1) for _, t0, t1, _ in stretches], cite(present))


def together_for(p: Plan, rows: list[Entityish], inside: bool = False) -> Answer:
    """How long the objects asked about were in view at the same time (:func:`_stretches_at_once`), summed."""
    stretches, asked, zone, p = _stretches_at_once(p, rows, inside)
    if not stretches:
        return p.nothing(f"Never: {asked} {zone} at the same time{p.window}", "duration", 0.0)
    total = sum(t1 - t0 for _, t0, t1, _ in stretches)
    where = {r["stream_id"]: r["stream"] for r in rows}
    parts = [f"{where[sid] + ' ' if p.many_streams else ''}{clock(t0)}-{clock(t1)}" for sid, t0, t1, _ in stretches]
    text = (f"{asked[:1].upper()}{asked[1:]} {zone} at the same time{p.window} for {total:.1f} s: "
            f"{listing(parts, ', ')}{_read_as_at_once(p.q)}.")
    present = list({(r["stream_id"], r["id"]): r for *_, there in stretches for r in there}.values())
    return Answer(p.q.text, text, "duration", round(total, 2), cite(present))


def _each_at_once(p: Plan, per_stream: dict[str, list[Entityish]]) -> Answer:
    """Whether each of the objects asked about ("a car and a person", "a white car and a red car") was in view at
    one moment, and the first such moment: a car and a person are not "16 cars or people"."""
    groups = _groups_asked(p.q)
    asked = " and ".join(with_article(name(1)) for name, _ in groups)
    window = f"{p.window}{' in any stream' if p.many_streams else ''}"
    found = [(moment, present) for group in per_stream.values() if (hit := _first_with_each(group, groups))
             for moment, present in [hit]]
    if not found:
        return p.nothing(f"No: never {asked} in view at the same time{window}", "exists", False)
    moment, present = min(found, key=lambda f: (f[0], f[1][0]["stream_id"]))
    where = f" in {present[0]['stream']}" if p.many_streams else ""
    counts = ", ".join(f"{k} {name(k)}" for name, of in groups if (k := sum(of(r) for r in present)))
    return Answer(p.q.text, f"Yes: {asked} in view at the same time{p.window}{where}, first at {clock(moment)} "
                  f"({counts}).", "exists", True, cite(present))


def each_place_at_once(p: Plan, places: list[tuple[str, list[Entityish]]]) -> Answer:
    """"Were cars in lane_up and lane_down at the same time?": whether each zone named had one inside at one moment
    (``places``: each zone's objects as stretches inside it), and the first such moment."""
    zone_of = {id(r): z for z, rows in places for r in rows}  # each row a stretch of its own (_inside_rows)
    named = p.unplaced  # "a car", its places said after it
    groups: list[tuple[Callable[[int], str], Callable[[Entityish], bool]]] = [
        (partial(lambda z, n: f"{named(n)} in {z}", z), partial(lambda z, r: zone_of[id(r)] == z, z))
        for z, _ in places]
    asked = " and ".join(z for z, _ in places)
    found = [hit for group in _per_stream([r for _, rows in places for r in rows]).values()
             if (hit := _first_with_each(group, groups))]
    if not found:
        return p.nothing(f"No: never {with_article(named(1))} inside each of {asked} at the same time{p.window}",
                         "exists", False)
    moment, present = min(found, key=lambda f: (f[0], f[1][0]["stream_id"]))
    where = f" in {present[0]['stream']}" if p.many_streams else ""
    counts = ", ".join(f"{k} in {z}" for z, _ in places if (k := sum(zone_of[id(r)] == z for r in present)))
    return Answer(p.q.text, f"Yes: {with_article(named(1))} inside each of {asked} at the same time{p.window}"
                  f"{where}, first at {clock(moment)} ({counts}).", "exists", True, cite(present))


def _groups_asked(q: Question) -> list[tuple[Callable[[int], str], Callable[[Entityish], bool]]]:
    """The objects a question joins by "and", each with how ``n`` of them are named and what tells a row is one
    of them: by class ("vehicle" every vehicle class) or, of one class, by colour."""
    if q.each_of == "colour":
        return [(partial(_coloured_noun, word, q.noun), partial(_in_colour, matching_colours([word])))
                for word in q.colour_words]
    return [(partial(_group_noun, g), partial(_of_class, g)) for g in object_groups(q.text, q.classes)]


def _group_noun(group: tuple[str, ...], n: int) -> str:
    """"vehicles" of every vehicle class, "objects" of every class, "cars or trucks" of a van."""
    named = {EVERY_CLASS: "object", VEHICLES: "vehicle"}.get(group)
    return plural(named, n) if named else " or ".join(plural(c, n) for c in group)


def _coloured_noun(colour: str, noun: str, n: int) -> str:
    return coloured(colour, plural(noun, n), noun)


def _in_colour(colours: tuple[str, ...], row: Entityish) -> bool:
    return row["attributes"].get("colour") in colours


def _of_class(classes: tuple[str, ...], row: Entityish) -> bool:
    return row["cls"] in classes


def _first_with_each(rows: list[Entityish], groups: list[tuple[Callable[[int], str], Callable[[Entityish], bool]]]
                     ) -> tuple[float, list[Entityish]] | None:
    """The first moment one stream's rows hold one of each group in view, and the rows then in view."""
    for t, step, now in _in_view_over_time(rows):
        if step > 0 and all(any(of(rows[j]) for j in now) for _, of in groups):
            return t, [rows[j] for j in sorted(now)]
    return None


def at_once(rows: list[Entityish]) -> tuple[int, float, list[Entityish]]:
    """The most rows in view at one moment, the first such moment, and those rows."""
    best, moment, present = 0, 0.0, set()
    for t, _, now in _in_view_over_time(rows):
        if len(now) > best:
            best, moment, present = len(now), t, set(now)
    return best, moment, [rows[i] for i in sorted(present)]


def _in_view_over_time(rows: list[Entityish]) -> Iterator[tuple[float, int, set[int]]]:
    """Each moment one of one stream's rows comes into view (step 1) or goes out of it (-1), in time order (one
    that comes as another goes is counted in first), with the indexes of the rows in view just after it (the same
    set each time: copy it to keep it)."""
    edges = sorted([(r["first_seen"], 1, i) for i, r in enumerate(rows)] +
                   [(r["last_seen"], -1, i) for i, r in enumerate(rows)], key=lambda e: (e[0], -e[1]))
    now: set[int] = set()
    for t, step, i in edges:
        (now.add if step > 0 else now.discard)(i)
        yield t, step, now


def _per_stream(rows: list[Entityish]) -> dict[str, list[Entityish]]:
    """The rows of each stream (streams have separate time axes), in the order given."""
    grouped: dict[str, list[Entityish]] = {}
    for r in rows:
        grouped.setdefault(r["stream_id"], []).append(r)
    return grouped


_NO_WAY = {"stationary": "stood still", "no_clear_direction": "moved with no clear direction",
           "unknown": "had no direction recorded"}  # what an object that went no one way is said to have done


def extreme(p: Plan, rows: list[Entityish], groups_of: list[str] | None = None, drawn: tuple[str, ...] = (),
            key: str = "zone") -> Answer:
    """Which direction (or zone, or camera: ``key``) most or fewest of them took. ``groups_of`` is each row's zone
    (or camera) when the question is about those (one row per entity and zone it entered), ``drawn`` every one it
    could be (one none entered is the fewest, at 0); otherwise rows are grouped by their direction, and those that
    went no one way are said apart (enough of them moving with no clear direction to change the pick: not
    checked). A zone at 0 cites the counted objects: they show where the others went."""
    key = key if groups_of is not None else "direction"
    labels = groups_of if groups_of is not None else [(r.get("direction") or "unknown") for r in rows]
    aside = Counter(g for g in labels if key == "direction" and g in _NO_WAY)
    groups = Counter(g for g in labels if g not in aside)
    if not groups:
        return p.nothing(f"No {p.seen(0)}{' going one way' if aside else ''}{p.window}", "extreme", None)
    groups.update(dict.fromkeys(drawn, 0))
    ranked = groups.most_common()
    top = ranked[0] if p.q.extreme == "most" else ranked[-1]
    tied = [g for g, n in ranked if n == top[1]]
    shown = (lambda g: g) if key != "direction" else (lambda g: g.replace("_", " "))  # names as configured
    all_counts = ", ".join(f"{shown(g)} {n}" for g, n in ranked)
    label = " and ".join(shown(g) for g in tied) + (", tied" if len(tied) > 1 else "")
    total = len({(r["stream_id"], r["id"]) for r, g in zip(rows, labels, strict=True) if g not in aside})
    apart = "".join(f"; {n} {_NO_WAY[g]}" for g, n in sorted(aside.items()))
    went = "were seen by" if key == "camera" else "went by"
    text = (f"{'Most' if p.q.extreme == 'most' else 'Fewest'} {p.noun(2)}{p.window} {went} {key} {label} "
            f"({top[1]} of {total}{' that moved' if aside else ''}{' each' if len(tied) > 1 else ''}; by {key}: "
            f"{all_counts}{apart}{', not counted' if apart else ''}).")
    chosen = list({(r["stream_id"], r["id"]): r for r, g in zip(rows, labels, strict=True)
                   if g in tied or (not top[1] and g not in aside)}.values())
    answer = Answer(p.q.text, text, "extreme", {"by": key, "counts": dict(ranked), "pick": tied}, cite(chosen))
    others = [n for g, n in ranked if g not in tied]
    if (unclear := aside["no_clear_direction"]) and (p.q.extreme == "least" or len(tied) > 1 or unclear >= top[1] - (
            others[0] if others else 0)):  # they could be any way: the pick may change
        n = unclear
        answer.not_checked.append(f"direction of {n} {p.noun(n)} that moved with no clear direction: could change "
                                  "this")
        answer.supported = False
        answer.text += f" Not checked: {n} {p.noun(n)} moved with no clear direction; they could change this."
    return answer


# -- shapes over events ------------------------------------------------------------------------------------------
# what an event type stands for, where its name does not say (the perception settings that make one)
_MEANS = {"dwell": "A dwell is a stay in view of at least cv.dwell_s (30 s unless set).",
          "stopped": "A stop is standing still for at least cv.still_s (2 s unless set)."}


def times(p: Plan, cites: list[Citation], by: Split | None = None) -> Answer:
    """How often an event happened: one per event (a car crossing twice counts twice); ``by``: per period."""
    q = p.q
    verb = "passing" if q.moving == "passed" else q.event_types[0].replace("zone_", "").replace("line_", "").replace(
        "_", " ") + (f" ({q.line_side})" if q.line_side else "")
    what = coloured("/".join(q.colour_words), plural(q.noun, 2), q.noun, q.negated == "colours") if q.classes else (
        "objects")
    zone = f" at {' or '.join(q.places)}" if q.places else ""
    means = f" {_MEANS[q.event_types[0]]}" if q.event_types and q.event_types[0] in _MEANS else ""
    if not cites:
        answer = p.nothing(f"0 times: no {verb} events by {what}{zone}{p.window}", "times", 0)
        answer.text += means
        return answer
    spans = listing([(f"{c.stream} " if p.many_streams else "") + clock(c.t0) for c in cites], ", ")
    split, counts, lead = _breakdown(p, by, "by when") if by is not None else ("", {}, "")
    n = f"{len(cites)} {plural('time', len(cites))}"
    return Answer(q.text, f"{lead}{n} ({verb} by {what}{zone}{p.window}): at {spans}{split or '.'}"
                  f"{means}", "times", len(cites), cites[:MAX_CITED], breakdown=counts)


def events(p: Plan, rows: list[EventRead]) -> Answer:
    """"List all events", "what happened first?", "how many events were there?": the events recorded (of the
    objects and places asked about), in the order of the moments they speak of (over several cameras by their wall
    clocks; without one each, camera by camera), with how many of each kind; or the first or last of them (of each
    camera, where they share no clock)."""
    clocked = all(p.starts.get(e["stream_id"]) for e in rows)
    moment = {e["id"]: said_at(e["type"], e["t0"], e["t1"]) for e in rows}
    rows = sorted(rows, key=lambda e: ((p.starts[e["stream_id"]] + moment[e["id"]], "") if clocked else
                                       (e["stream"], moment[e["id"]]), e["id"]))
    if not rows:
        asked = " or ".join(t.replace("_", " ") for t in p.q.event_types)  # "list all stops": none of those
        return p.nothing(f"No {asked + ' ' if asked else ''}events recorded{p.window}", "events", 0)
    where = (lambda e: f"{e['stream']} ") if p.many_streams else (lambda e: "")
    said = {e["id"]: f"{where(e)}{clock(moment[e['id']])} {e['description']}" for e in rows}
    if p.q.event_end:
        by_stream = {"": rows} if clocked or not p.many_streams else {e["stream"]: [x for x in rows if x["stream"] ==
                                                                                   e["stream"]] for e in rows}
        picked = [seen[0 if p.q.event_end == "first" else -1] for seen in by_stream.values()]
        each = "" if len(picked) == 1 else " on each camera (they share no clock)"
        return Answer(p.q.text, f"The {p.q.event_end} event{p.window}{each}: {'; '.join(said[e['id']] for e in picked)}"
                      f" (of {len(rows)}).", "events", moment[picked[0]["id"]] if len(picked) == 1 else None,
                      [event_citation(e) for e in picked])
    kinds = Counter(e["type"].replace("_", " ") for e in rows)
    text = (f"{len(rows)} {plural('event', len(rows))}{p.window} (by kind: "
            f"{', '.join(f'{kind} {n}' for kind, n in kinds.most_common())}): {listing(list(said.values()))}.")
    return Answer(p.q.text, text, "events", len(rows), [event_citation(e) for e in rows[:MAX_CITED]],
                  breakdown=dict(kinds.most_common()))


def near(p: Plan, rows: list[EventRead]) -> Answer:
    """Person-vehicle proximity events; the gap is estimated from the person's box height, and the answer says so."""
    vehicles = sorted(set(p.q.classes) - {"person"})
    what = plural(vehicles[0], 1) if len(vehicles) == 1 and vehicles[0] != "vehicle" else "vehicle"
    gap = f"within {p.q.distance_m:g} m of" if p.q.distance_m is not None else "near"
    if not rows:
        return p.nothing(f"No person came {gap} a {what}{p.window}", "near", 0)
    where = (lambda r: f"{r['stream']} ") if p.many_streams else (lambda r: "")
    spans = listing([f"{where(r)}{clock(r['t0'])}-{clock(r['t1'])} "
                     f"({float(r['attributes'].get('min_distance_m', 0.0)):.1f} m)" for r in rows])
    return Answer(p.q.text, f"{len(rows)} times a person came {gap} a {what}{p.window}: {spans} (gaps estimated "
                  f"from the person's height in the image).", "near", len(rows),
                  [event_citation(r) for r in rows[:MAX_CITED]])
