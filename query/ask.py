"""Answer a question exactly from the graph, with citations.

Counts, first/last times, durations and "when was X in view" come straight from Entity nodes (one per
tracked object, with first/last seen); "near" questions from proximity events. Nothing here estimates or
generates: a question outside these shapes is answered "can't answer that yet" plus the segments whose
captions share the most words with it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graph.embeddings import Embedder
from graph.store import GraphStore
from query.answer import Answer, Citation
from query.parse import Question, parse_question
from vlm.cv.caption import clock, plural


def ask(store: GraphStore, question: str, streams: list[str] | None = None, embedder: Embedder | None = None) -> Answer:
    zones = tuple(sorted({z["name"] for z in store.zones(streams)}))
    parsed = parse_question(question, zones)
    if parsed.intent == "unknown":
        return _unsupported(store, parsed, streams, embedder)
    if parsed.intent == "near":
        return _near(store, parsed, streams)
    entities = _matching_entities(store, parsed, streams)
    handler = {
        "count": _count,
        "exists": _exists,
        "first": _first,
        "last": _last,
        "when": _when,
        "duration": _duration,
    }[parsed.intent]
    return handler(store, parsed, entities, streams)


# -- evidence -----------------------------------------------------------------------------------------------
def _matching_entities(store: GraphStore, q: Question, streams: list[str] | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for cls in q.classes:
        if q.zone:  # entities that entered the zone or crossed the line in the window, once each
            visits = store.zone_visits(q.zone, streams=streams, cls=cls, t0=q.t0, t1=q.t1)
            rows += list({v["id"]: v for v in reversed(visits)}.values())
        else:
            rows += store.entities(streams=streams, cls=cls, t0=q.t0, t1=q.t1)
    if q.direction:
        rows = [r for r in rows if r["direction"] == q.direction]
    return sorted(rows, key=lambda r: (r["first_seen"], r["id"]))


def _entity_citation(row: dict[str, Any]) -> Citation:
    direction = f", {row['direction'].replace('_', ' ')}" if row.get("direction") else ""
    return Citation(
        stream_id=row["stream_id"],
        stream=row["stream"],
        t0=row["first_seen"],
        t1=row["last_seen"],
        thumbnail=row.get("thumbnail") or None,
        what=f"{row['cls']} (track {json.loads(row['attributes'] or '{}').get('track', '?')}){direction}",
        entity_id=row["id"],
    )


def _coverage(store: GraphStore, streams: list[str] | None, q: Question) -> list[Citation]:
    """For a "none seen" answer: cite what was looked at (each stream's analysed window)."""
    cites = []
    for stream in store.list_streams():
        if streams and stream["id"] not in streams or stream["status"] != "complete":
            continue
        t0 = q.t0 or 0.0
        t1 = min(q.t1, stream["duration"]) if q.t1 is not None else stream["duration"]
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
def _count(store, q: Question, rows, streams) -> Answer:
    n = len(rows)
    if n == 0:
        return Answer(q.text, f"0 {_noun(q, 0)}{_window_text(q)}.", "count", 0, _coverage(store, streams, q))
    spans = "; ".join(f"{clock(r['first_seen'])}-{clock(r['last_seen'])}" for r in rows)
    text = f"{n} {_noun(q, n)}{_window_text(q)}: {spans}."
    return Answer(q.text, text, "count", n, [_entity_citation(r) for r in rows])


def _exists(store, q: Question, rows, streams) -> Answer:
    if not rows:
        return Answer(q.text, f"No: no {_noun(q, 0)} seen{_window_text(q)}.", "exists", False, _coverage(store, streams, q))
    text = f"Yes: {len(rows)} {_noun(q, len(rows))}{_window_text(q)}, first at {clock(rows[0]['first_seen'])}."
    return Answer(q.text, text, "exists", True, [_entity_citation(r) for r in rows])


def _first(store, q: Question, rows, streams) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{_window_text(q)}.", "first", None, _coverage(store, streams, q))
    row = rows[0]
    text = f"The first {_noun(q, 1)} appeared at {clock(row['first_seen'])} in {row['stream']}."
    return Answer(q.text, text, "first", row["first_seen"], [_entity_citation(row)])


def _last(store, q: Question, rows, streams) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{_window_text(q)}.", "last", None, _coverage(store, streams, q))
    row = max(rows, key=lambda r: (r["last_seen"], r["id"]))
    text = f"The last {_noun(q, 1)} was seen until {clock(row['last_seen'])} in {row['stream']}."
    return Answer(q.text, text, "last", row["last_seen"], [_entity_citation(row)])


def _when(store, q: Question, rows, streams) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{_window_text(q)}.", "when", [], _coverage(store, streams, q))
    spans = [(r["first_seen"], r["last_seen"]) for r in rows]
    listed = "; ".join(f"{clock(a)}-{clock(b)}" for a, b in spans)
    text = f"{plural(q.noun, 2).capitalize()} were in view at {listed}."
    return Answer(q.text, text, "when", spans, [_entity_citation(r) for r in rows])


def _duration(store, q: Question, rows, streams) -> Answer:
    if not rows:
        return Answer(q.text, f"No {_noun(q, 0)} seen{_window_text(q)}.", "duration", 0.0, _coverage(store, streams, q))
    each = [r["last_seen"] - r["first_seen"] for r in rows]
    if len(rows) == 1:
        text = f"The {_noun(q, 1)} was in view for {each[0]:.1f} s."
    else:
        listed = ", ".join(f"{d:.1f} s" for d in each)
        text = f"{len(rows)} {_noun(q, len(rows))} were in view for {listed} ({sum(each):.1f} s in total)."
    return Answer(q.text, text, "duration", round(sum(each), 2), [_entity_citation(r) for r in rows])


def _near(store, q: Question, streams) -> Answer:
    rows = store.events(streams=streams, types=["proximity"], t0=q.t0, t1=q.t1)
    cites = [
        Citation(r["stream_id"], r["stream"], r["t0"], r["t1"], r["thumbnail"] or None, r["description"], event_ids=[r["id"]])
        for r in rows
    ]
    if not rows:
        return Answer(q.text, f"No person came near a vehicle{_window_text(q)}.", "near", 0, _coverage(store, streams, q))
    spans = "; ".join(f"{clock(r['t0'])}-{clock(r['t1'])}" for r in rows)
    return Answer(q.text, f"{len(rows)} times a person was near a vehicle: {spans}.", "near", len(rows), cites)


# -- honesty ---------------------------------------------------------------------------------------------------
_STOP = frozenset("a an the of in on at to is was were did do does what which who how why where when there any".split())


def _unsupported(
    store: GraphStore, q: Question, streams: list[str] | None, embedder: Embedder | None, limit: int = 3
) -> Answer:
    """Say so, and show the most relevant segments: nearest by embedding when there are embeddings, else those
    whose captions share most words with the question (most motion first)."""
    segments = store.segments(streams=streams)
    ranked: list[dict[str, Any]] = []
    how = "sharing most words with the question"
    if embedder is not None:
        by_id = {s["id"]: s for s in segments}
        hits = store.semantic_search("Segment", embedder.embed([q.text])[0].tolist(), limit, streams)
        ranked = [by_id[h["id"]] for h in hits if h["id"] in by_id]
        how = "nearest in meaning (semantic search)"
    if not ranked:
        terms = {w for w in re.findall(r"[a-z]+", q.text.lower()) if w not in _STOP}
        ranked = sorted(
            segments,
            key=lambda s: (-len(terms & set(re.findall(r"[a-z]+", s["caption"].lower()))), -s["motion"], s["t0"]),
        )[:limit]
    cites = [Citation(s["stream_id"], s["stream"], s["t0"], s["t1"], s["thumbnail"] or None, s["caption"]) for s in ranked]
    text = ("I can't answer that yet: the question is not one of the supported shapes (counts, first/last, when, "
            f"how long, near). The segments {how} are below, as evidence, not an answer.")
    return Answer(q.text, text, "unsupported", None, cites, supported=False)
