"""Answer a question about the footage: exactly from the graph where its shape allows, else from evidence.

Counts, first/last times, durations, "which", "how often" and "when was X in view" come straight from Entity and
Event nodes; "near" questions from proximity events; "after the truck left, ..." anchors the window on an
entity. Nothing on that path estimates or generates. Any other question is an open question
(``query.openqa``): retrieved evidence, and an LLM's answer grounded in it when one is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from common.text import clock, plural
from graph.embeddings import Embedder
from graph.records import EntityRead, EventRead, StreamRead, ZoneVisitRead
from graph.store import GraphStore
from query.answer import Answer, Citation
from query.parse import Question, parse_question
from query.timewords import StreamClock, describe, reference_now, resolve

MAX_LISTED = 20  # time spans written out in an answer's text; the value stays exact
MAX_CITED = 200  # citations returned with one answer (a month of traffic has tens of thousands of cars)
ANSWERABLE = ("complete", "live", "stopped")  # a file analysed to the end; a live stream, running or stopped


@dataclass(slots=True, frozen=True)
class Scope:
    """Where one store read looks: some streams, one window on their time axis."""

    streams: list[str] | None
    t0: float | None
    t1: float | None


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
    evidence and ``max_tokens`` of answer; ``tz`` is the site's time zone for clock times in questions."""
    zone_info = ZoneInfo(tz)
    known = [s for s in store.list_streams() if s["status"] in ANSWERABLE and (not streams or s["id"] in streams)]
    names = {}
    for s in known:
        names[s["id"]] = s["id"]
        names[s["name"]] = s["id"]
        names[s["name"].rsplit(".", 1)[0]] = s["id"]
    zones = tuple(sorted({z["name"] for z in store.zones(streams)}))
    q = parse_question(question, zones, names)
    if q.streams:
        known = [s for s in known if s["id"] in q.streams]
    scopes, skipped = plan_scopes(q, known, zone_info)
    if q.time.needs_wall_clock and not scopes:
        text = ("I can't answer that: the question names clock times, and the footage has no wall clock (the file "
                "records no creation time and none was given with `analyze --start`). Ask with times from the start "
                "of the video, e.g. 'after 12 min'.")
        return Answer(q.text, text, q.intent, None, [], supported=False)
    if q.intent == "open":
        from query.openqa import answer_open

        return answer_open(store, q, scopes, embedder, llm, describe(q.time, zone_info) or _window_text(q),
                           context_tokens, max_tokens)
    anchor_cites: list[Citation] = []
    if q.anchor:
        anchored = _anchor(store, q, scopes)
        if anchored is None:
            cls = plural(q.anchor.cls[0] if len(q.anchor.cls) == 1 else "vehicle", 1)
            return Answer(q.text, f"No {cls} {q.anchor.moment} in the footage, so nothing came after it.", q.intent,
                          None, _coverage(store, scopes))
        scopes, anchor_cites = anchored
    window = _describe_scopes(q, zone_info, anchor_cites)
    if q.intent == "near":
        answer = _near(store, q, scopes, window)
    elif q.intent == "times":
        answer = _times(store, q, scopes, window)
    else:
        rows = _matching_entities(store, q, scopes)
        handler = {"count": _count, "exists": _exists, "first": _first, "last": _last, "when": _when,
                   "duration": _duration, "which": _which}[q.intent]
        answer = handler(store, q, rows, scopes, window)
    if skipped:
        answer.text += f" ({len(skipped)} stream(s) without a wall clock not searched: {', '.join(skipped)}.)"
    answer.citations = anchor_cites + answer.citations
    return answer


# -- planning -----------------------------------------------------------------------------------------------
def plan_scopes(q: Question, known: list[StreamRead], tz: ZoneInfo) -> tuple[list[Scope], list[str]]:
    """One scope for all streams when the window is in offsets; one per stream for clock or "last N" windows."""
    if q.time.empty:
        return [Scope([s["id"] for s in known] if q.streams else None, None, None)], []
    if q.time.t0 is not None or q.time.t1 is not None:
        return [Scope([s["id"] for s in known] if q.streams else None, q.time.t0, q.time.t1)], []
    clocks = [StreamClock(s["id"], float(s["start"] or 0.0), float(s["duration"] or 0.0)) for s in known]
    now = reference_now(clocks)
    scopes, skipped = [], []
    for c in clocks:
        window = resolve(q.time, c, now, tz)
        if window is None:
            skipped.append(c.stream_id)
        else:  # a window outside the footage stays: its answer is "none", citing what footage there is
            scopes.append(Scope([c.stream_id], *window))
    return scopes, skipped


def _anchor(store: GraphStore, q: Question, scopes: list[Scope]) -> tuple[list[Scope], list[Citation]] | None:
    """The entity the question starts after, and the scopes narrowed to its stream from that moment on."""
    assert q.anchor is not None
    candidates = [
        row
        for scope in scopes
        for cls in q.anchor.cls
        for row in store.entities(scope.streams, cls, scope.t0, scope.t1)
    ]
    if not candidates:
        return None
    left = q.anchor.moment == "left"

    def moment_of(r: EntityRead) -> float:
        return r["last_seen"] if left else r["first_seen"]

    pick = min if q.anchor.which == "first" else max
    row = pick(candidates, key=lambda r: (moment_of(r), r["id"]))
    moment = moment_of(row)
    cite = _entity_citation(row)
    cite.what = f"anchor: {cite.what} {q.anchor.moment} at {clock(moment)}"
    narrowed = [
        Scope([row["stream_id"]], moment, s.t1) for s in scopes if s.streams is None or row["stream_id"] in s.streams
    ]
    return narrowed, [cite]


def _describe_scopes(q: Question, tz: ZoneInfo, anchor: list[Citation]) -> str:
    if anchor:
        return f" after {clock(anchor[0].t1 if q.anchor and q.anchor.moment == 'left' else anchor[0].t0)}"
    return describe(q.time, tz) or _window_text(q)


# -- evidence -----------------------------------------------------------------------------------------------
Entityish = EntityRead | ZoneVisitRead  # an entity, or an entity as it visited a zone


def _matching_entities(store: GraphStore, q: Question, scopes: list[Scope]) -> list[Entityish]:
    rows: list[Entityish] = []
    for scope in scopes:
        if q.zone:  # entities that entered the zone or crossed the line in the window, once each
            for cls in q.classes:
                visits = store.zone_visits(q.zone, streams=scope.streams, cls=cls, t0=scope.t0, t1=scope.t1)
                rows += list({v["id"]: v for v in reversed(visits)}.values())
            continue
        found = store.entities(streams=scope.streams, cls=list(q.classes), t0=scope.t0, t1=scope.t1)
        if q.anchor:  # after the anchor: things that appeared after it, not those still in view
            found = [r for r in found if r["first_seen"] >= (scope.t0 or 0.0)]
        rows += found
    if q.direction:
        rows = [r for r in rows if r["direction"] == q.direction]
    return sorted(rows, key=lambda r: (r["first_seen"], r["id"]))


def _listing(parts: list[str], sep: str = "; ") -> str:
    """At most MAX_LISTED items written out, and how many more there are."""
    shown = sep.join(parts[:MAX_LISTED])
    return shown + (f"{sep}... and {len(parts) - MAX_LISTED} more" if len(parts) > MAX_LISTED else "")


def _cite_entities(rows: list[Entityish]) -> list[Citation]:
    """Citations for the first MAX_CITED entities (in time order); the answer's value counts them all."""
    return [_entity_citation(r) for r in rows[:MAX_CITED]]


def _entity_citation(row: Entityish) -> Citation:
    direction = f", {row['direction'].replace('_', ' ')}" if row.get("direction") else ""
    return Citation(
        stream_id=row["stream_id"],
        stream=row["stream"],
        t0=row["first_seen"],
        t1=row["last_seen"],
        thumbnail=row.get("thumbnail") or None,
        what=f"{row['cls']} (track {row['attributes'].get('track', '?')}){direction}",
        entity_id=row["id"],
    )


def _event_citation(row: EventRead) -> Citation:
    return Citation(row["stream_id"], row["stream"], row["t0"], row["t1"], row.get("thumbnail") or None,
                    row["description"], event_ids=[row["id"]])


def _coverage(store: GraphStore, scopes: list[Scope]) -> list[Citation]:
    """For a "none seen" answer: cite what was looked at (each stream's analysed window)."""
    cites = []
    for stream in store.list_streams():
        for scope in scopes:
            if (scope.streams and stream["id"] not in scope.streams) or stream["status"] not in ANSWERABLE:
                continue
            t0 = max(scope.t0 or 0.0, 0.0)
            t1 = min(scope.t1, stream["duration"]) if scope.t1 is not None else stream["duration"]
            if t1 < t0 or t1 < 0:  # the window misses the footage: cite the footage there is
                cites.append(Citation(stream["id"], stream["name"], 0.0, stream["duration"], None,
                                      "the only footage of this stream, outside the window asked about"))
                continue
            segs = store.segments(streams=[stream["id"]], t0=t0, t1=t1, limit=1)
            thumb = segs[0]["thumbnail"] if segs else None
            cites.append(Citation(stream["id"], stream["name"], t0, t1, thumb or None, "analysed, nothing matching"))
    return cites


def _window_text(q: Question) -> str:
    if q.t0 is not None and q.t1 is not None:
        return f" between {clock(q.t0)} and {clock(q.t1)}"
    if q.t0 is not None:
        return f" after {clock(q.t0)}"
    if q.t1 is not None:
        return f" before {clock(q.t1)}"
    return ""


def _noun(q: Question, n: int) -> str:
    direction = f" moving {q.direction.replace('_', ' ')}" if q.direction else ""
    zone = f" at {q.zone}" if q.zone else ""
    return f"{plural(q.noun, n)}{direction}{zone}"


# -- structured answers ------------------------------------------------------------------------------------
def _count(store, q: Question, rows, scopes, window) -> Answer:
    n = len(rows)
    if n == 0:
        return Answer(q.text, f"0 {_noun(q, 0)}{window}.", "count", 0, _coverage(store, scopes))
    spans = _listing([f"{clock(r['first_seen'])}-{clock(r['last_seen'])}" for r in rows])
    return Answer(q.text, f"{n} {_noun(q, n)}{window}: {spans}.", "count", n, _cite_entities(rows))


def _which(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"None: no {_noun(q, 0)}{window}.", "which", [], _coverage(store, scopes))
    listed = _listing([f"{r['cls']} {clock(r['first_seen'])}-{clock(r['last_seen'])}"
                       f"{', ' + r['direction'].replace('_', ' ') if r.get('direction') else ''}" for r in rows])
    value = [(round(r["first_seen"], 1), round(r["last_seen"], 1)) for r in rows]
    return Answer(q.text, f"{len(rows)} {_noun(q, len(rows))}{window}: {listed}.", "which", value,
                  _cite_entities(rows))


def _times(store, q: Question, scopes, window) -> Answer:
    """How often an event happened: one per event (a car crossing twice counts twice)."""
    found: dict[str, Citation] = {}
    for scope in scopes:
        for cls in q.classes or (None,):
            if q.zone:
                for v in store.zone_visits(q.zone, scope.streams, cls, scope.t0, scope.t1, types=q.event_types):
                    direction = v["event_attributes"].get("direction") or v["direction"]
                    if q.direction and direction != q.direction:
                        continue
                    what = f"{v['cls']} {v['type'].replace('_', ' ')} at {q.zone}"
                    found[v["event_id"]] = Citation(v["stream_id"], v["stream"], v["t"], v["t"], v["thumbnail"] or None,
                                                    what, entity_id=v["id"], event_ids=[v["event_id"]])
            else:
                for e in store.events(scope.streams, list(q.event_types), cls, scope.t0, scope.t1):
                    if q.direction and e["attributes"].get("direction") != q.direction:
                        continue
                    found[e["id"]] = _event_citation(e)
    cites = sorted(found.values(), key=lambda c: (c.t0, c.event_ids))
    verb = q.event_types[0].replace("zone_", "").replace("line_", "").replace("_", " ")
    what = plural(q.noun, 2) if q.classes else "objects"
    zone = f" at {q.zone}" if q.zone else ""
    if not cites:
        return Answer(
            q.text, f"0 times: no {verb} events by {what}{zone}{window}.", "times", 0, _coverage(store, scopes)
        )
    spans = _listing([clock(c.t0) for c in cites], ", ")
    return Answer(q.text, f"{len(cites)} times ({verb} by {what}{zone}{window}): at {spans}.", "times", len(cites),
                  cites[:MAX_CITED])


def _exists(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"No: no {_noun(q, 0)} seen{window}.", "exists", False, _coverage(store, scopes))
    text = f"Yes: {len(rows)} {_noun(q, len(rows))}{window}, first at {clock(rows[0]['first_seen'])}."
    return Answer(q.text, text, "exists", True, _cite_entities(rows))


def _first(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{window}.", "first", None, _coverage(store, scopes))
    row = rows[0]
    text = f"The first {_noun(q, 1)}{window} appeared at {clock(row['first_seen'])} in {row['stream']}."
    return Answer(q.text, text, "first", row["first_seen"], [_entity_citation(row)])


def _last(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{window}.", "last", None, _coverage(store, scopes))
    row = max(rows, key=lambda r: (r["last_seen"], r["id"]))
    text = f"The last {_noun(q, 1)}{window} was seen until {clock(row['last_seen'])} in {row['stream']}."
    return Answer(q.text, text, "last", row["last_seen"], [_entity_citation(row)])


def _when(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{window}.", "when", [], _coverage(store, scopes))
    spans = [(r["first_seen"], r["last_seen"]) for r in rows]
    listed = _listing([f"{clock(a)}-{clock(b)}" for a, b in spans])
    text = f"{plural(q.noun, 2).capitalize()} were in view at {listed}."
    return Answer(q.text, text, "when", spans, _cite_entities(rows))


def _duration(store, q: Question, rows, scopes, window) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{window}.", "duration", 0.0, _coverage(store, scopes))
    each = [r["last_seen"] - r["first_seen"] for r in rows]
    if len(rows) == 1:
        text = f"The {_noun(q, 1)} was in view for {each[0]:.1f} s."
    else:
        listed = _listing([f"{d:.1f} s" for d in each], ", ")
        text = f"{len(rows)} {_noun(q, len(rows))} were in view for {listed} ({sum(each):.1f} s in total)."
    return Answer(q.text, text, "duration", round(sum(each), 2), _cite_entities(rows))


def _near(store, q: Question, scopes, window) -> Answer:
    rows = [r for s in scopes for r in store.events(streams=s.streams, types=["proximity"], t0=s.t0, t1=s.t1)]
    if not rows:
        return Answer(q.text, f"No person came near a vehicle{window}.", "near", 0, _coverage(store, scopes))
    spans = _listing([f"{clock(r['t0'])}-{clock(r['t1'])}" for r in rows])
    return Answer(q.text, f"{len(rows)} times a person was near a vehicle{window}: {spans}.", "near", len(rows),
                  [_event_citation(r) for r in rows[:MAX_CITED]])

