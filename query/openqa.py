"""Open questions ("what happened near the loading dock this morning?"): retrieve, assemble, answer.

Retrieval (``retrieve``): the question's filters (time window, streams, zone, object classes) bound everything.
Inside them it takes, in order of usefulness per token:

1. for windows wider than ``WIDE_S``, the hierarchical summaries at the coarsest scale that still gives several
   per window (a day reads tens of summaries, not thousands of segments);
2. the notable events (proximity, zone, line, dwell first), matching the named classes and zone;
3. the segments nearest the question: by embedding when an embedder is configured, else by shared words;
4. graph expansion: each top segment's neighbours, and the timelines of the entities in the top events.

The evidence is numbered (``E1``, ``E2``, ...) and packed into ``llm.context_tokens`` tokens, counted with the
answering model's tokenizer where one is available. The LLM is told to answer only from it and to cite the
numbers; the cited numbers become the answer's citations. A reply that cites nothing, or cites numbers that do
not exist, is reported as unsupported, with the evidence. Without an LLM the evidence itself is the answer,
labelled as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from common.text import clock
from graph.embeddings import Embedder
from graph.records import EventRead, SegmentRead, StreamRead, SummaryRead
from graph.store import GraphStore
from graph.summaries import coarsest_level
from query.answer import Answer, Citation
from query.llm import estimate_tokens
from query.parse import Question

if TYPE_CHECKING:
    from query.ask import Scope
    from query.llm import LLM

_SUMMARY = re.compile(r"\b(summar\w*|overview|digest|recap|sum up)\b", re.I)  # asks for the digests at any width
_REPORT = re.compile(r"\b(?:incident |safety |daily |shift )?reports?\b", re.I)  # made by `vidgraph report`
_KINDS = {"summary": "summaries", "event": "notable events", "entity": "their objects' timelines"}  # evidence kinds
SHOWN = 8  # evidence items an answer without a model shows (and cites) at most
WIDE_S = 900.0  # wider windows are read through summaries first
NOTABLE = {"proximity": 0, "zone_enter": 1, "zone_exit": 1, "line_cross": 1, "dwell": 2, "stopped": 2, "enter": 3,
           "exit": 3}
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "is",
        "was",
        "were",
        "did",
        "do",
        "does",
        "what",
        "which",
        "who",
        "how",
        "why",
        "where",
        "when",
        "there",
        "any",
        "happened",
        "happen",
        "this",
        "that",
    ]
)

SYSTEM_PROMPT = (
    "You answer questions about video footage from a camera analytics system. Use only the numbered evidence "
    "below: captions, events, entity timelines and summaries, each with its stream and time. Cite every claim with "
    "the evidence numbers in square brackets, like [E2]. Times are m:ss from the start of the stream. If the "
    "evidence does not answer the question, say exactly: NOT IN EVIDENCE."
)


@dataclass(slots=True)
class Evidence:
    ref: str  # E1, E2, ... in the order given to the model
    kind: str  # summary, event, segment, entity
    text: str  # the line the model reads
    citation: Citation


def answer_open(
    store: GraphStore, q: Question, scopes: list[Scope], embedder: Embedder | None, llm: LLM | None,
    window_text: str = "", context_tokens: int = 6000, max_tokens: int = 512,
) -> Answer:
    evidence = retrieve(store, q, scopes, embedder)
    count = llm.count_tokens if llm is not None else estimate_tokens
    packed = pack(evidence, count, context_tokens)
    if llm is None:
        how = "nearest in meaning (semantic search)" if embedder is not None else "sharing words with the question"
        shown = packed[:SHOWN]
        listed = f"{len(shown)} items" if len(shown) == len(packed) else \
            f"the first {len(shown)} of {len(packed)} items"
        kinds = ", then ".join(dict.fromkeys(_KINDS.get(e.kind, f"segments {how} first") for e in shown))
        text = (f"No language model is configured (llm.backend = none), so this is the evidence{window_text} "
                f"ranked for the question, not an answer: {listed}{f' ({kinds})' if kinds else ''}.")
        if _REPORT.search(q.text):  # the report asked for is made elsewhere: say where
            text += (" An incident report (summary, incident table, thumbnails, timeline, counts per hour and zone) "
                     "is made by `vidgraph report` or the dashboard's Reports page.")
        return Answer(q.text, text, "open", None, [e.citation for e in shown], supported=False)
    if not packed:
        return Answer(q.text, f"Nothing was recorded{window_text} to answer from.", "open", None, [], supported=False)
    prompt = build_prompt(q.text + window_text, packed)
    reply = llm.chat(SYSTEM_PROMPT, prompt, max_tokens).strip()
    by_ref = {e.ref: e for e in packed}
    cited = list(dict.fromkeys(r for r in re.findall(r"\[(E\d+)\]", reply.replace("][", "] [")) if r in by_ref))
    invented = sorted(set(re.findall(r"\bE\d+\b", reply)) - set(by_ref))
    if "NOT IN EVIDENCE" in reply or not cited or invented:
        why = ("the model found no answer in the evidence" if "NOT IN EVIDENCE" in reply else
               f"the model cited evidence that does not exist ({', '.join(invented)})" if invented else
               "the model's reply cites no evidence")
        text = f"Not supported by the footage evidence ({why}). The evidence is below. Model reply: {reply[:300]}"
        return Answer(q.text, text, "open", None, [e.citation for e in packed[:SHOWN]], supported=False)
    return Answer(q.text, reply, "open", None, [by_ref[r].citation for r in cited])


def build_prompt(question: str, evidence: list[Evidence]) -> str:
    lines = "\n".join(f"[{e.ref}] {e.text}" for e in evidence)
    return f"Evidence:\n{lines}\n\nQuestion: {question}"


def pack(evidence: list[Evidence], count_tokens: Any, budget: int) -> list[Evidence]:
    """The evidence that fits the token budget, in rank order, renumbered E1..En."""
    kept: list[Evidence] = []
    used = count_tokens(SYSTEM_PROMPT) + 40  # the question and the frame of the prompt
    for item in evidence:
        cost = count_tokens(f"[E{len(kept) + 1}] {item.text}\n")
        if used + cost > budget:
            continue  # a shorter item further down may still fit
        used += cost
        kept.append(item)
    for i, item in enumerate(kept, 1):
        item.ref = f"E{i}"
    return kept


def retrieve(
    store: GraphStore, q: Question, scopes: list[Scope], embedder: Embedder | None, k: int = 8, wide_s: float = WIDE_S
) -> list[Evidence]:
    items: list[Evidence] = []
    seen: set[str] = set()

    def add(key: str, kind: str, text: str, citation: Citation) -> None:
        if key not in seen:
            seen.add(key)
            items.append(Evidence("", kind, f"{kind} {citation.stream} {_span(citation)}: {text}", citation))

    streams = {s["id"]: s for s in store.list_streams()}
    for scope in scopes:
        width = _width(scope, streams)
        if width > wide_s or _SUMMARY.search(q.text):
            for summary in _summaries(store, scope, width):
                if width > wide_s or _contained(scope, summary["t0"], summary["t1"]):
                    add(summary["id"], "summary", summary["text"],
                        Citation(summary["stream_id"], summary["stream"], summary["t0"], summary["t1"], None,
                                 f"summary: {summary['text']}"))
        events = _events(store, q, scope, k)
        top, relevant = _segments(store, q, scope, embedder, k)
        for s in top[:relevant]:  # segments that match the question's words or meaning lead
            add(s["id"], "segment", s["caption"], _segment_citation(s))
        for e in events[: 3 * k]:
            add(e["id"], "event", e["description"], Citation(e["stream_id"], e["stream"], e["t0"], e["t1"],
                                                             e["thumbnail"] or None, e["description"],
                                                             event_ids=[e["id"]]))
        for s in top:
            add(s["id"], "segment", s["caption"], _segment_citation(s))
        for s in top[:3]:  # what came just before and after the best moments
            for n in store.segments(
                streams=[s["stream_id"]],
                t0=s["t0"] - 0.01 - (s["t1"] - s["t0"]),
                t1=s["t1"] + 0.01 + (s["t1"] - s["t0"]),
            ):
                if scope.overlaps(n["t0"], n["t1"]):  # neighbours outside the asked window are not evidence for it
                    add(n["id"], "segment", n["caption"], _segment_citation(n))
        for entity in store.event_entities([e["id"] for e in events[:k]]):  # timelines of the top events' entities
            what = f"{entity['cls']} in view {clock(entity['first_seen'])}-{clock(entity['last_seen'])}" + (
                f", moving {entity['direction'].replace('_', ' ')}" if entity.get("direction") else "")
            add(entity["id"], "entity", what, Citation(entity["stream_id"], entity["stream"], entity["first_seen"],
                                                       entity["last_seen"], entity["thumbnail"] or None, what,
                                                       entity_id=entity["id"]))
    return items


def _contained(scope: Scope, t0: float, t1: float) -> bool:
    """Whether t0-t1 lies wholly in the scope's window (a digest of five minutes is no summary of one);
    ``Scope.overlaps``: whether it overlaps it."""
    return (scope.t0 is None or t0 >= scope.t0 - 0.05) and (scope.t1 is None or t1 <= scope.t1 + 0.05)


def _width(scope: Scope, streams: dict[str, StreamRead]) -> float:
    ids = scope.streams or list(streams)
    longest = max((float(streams[i]["duration"] or 0.0) for i in ids if i in streams), default=0.0)
    t0 = max(scope.t0 or 0.0, 0.0)
    t1 = longest if scope.t1 is None else min(scope.t1, longest)
    return max(0.0, t1 - t0)


def _summaries(store: GraphStore, scope: Scope, width: float) -> list[SummaryRead]:
    """The coarsest level that still splits the window into at least 4 parts (at most ~24 rows per stream)."""
    return coarsest_level(store.summaries(streams=scope.streams, t0=scope.t0, t1=scope.t1), width, parts=4)


def _events(store: GraphStore, q: Question, scope: Scope, k: int) -> list[EventRead]:
    """The ``3 * k`` most notable events of the window; at the zone asked about, of all its visits in the window
    (they were looked for among the window's first 10,000 events, so a long window lost most of them)."""
    def notable(t: str, confidence: float | None, at: float) -> tuple[int, float, float]:
        return NOTABLE.get(t, 9), -float(confidence or 0), at

    if not q.zone:  # among equals in the order read: time order, or spread over a long window (_most_notable)
        ranked = _most_notable(store, q, scope, 3 * k)
        return sorted(ranked, key=lambda e: notable(e["type"], e["confidence"], 0.0))[:3 * k]
    visits = [v for v in store.zone_visits(q.zone, scope.streams, None, scope.t0, scope.t1,
                                           types=("zone_enter", "zone_exit", "line_cross"))
              if not q.classes or v["cls"] in q.classes]
    top = sorted(visits, key=lambda v: notable(v["type"], v["confidence"], v["t"]))[:3 * k]
    rows = store.events_by_id(list(dict.fromkeys(v["event_id"] for v in top)))
    return sorted(rows, key=lambda e: notable(e["type"], e["confidence"], e["t0"]))[:3 * k]


READ = 10_000  # events of the most notable kinds read at once; past that many, a window is read in SPREAD parts
SPREAD = 24


def _most_notable(store: GraphStore, q: Question, scope: Scope, n: int) -> list[EventRead]:
    """Enough of the window's events to hold its ``n`` most notable: the most notable kinds first, each read
    apart, then the kinds NOTABLE does not rank (a VLM's own), stopping once ``n`` are in hand. They were looked
    for among the window's first 10,000 events, so over a month the evidence all came from its first hours."""
    labels = list(q.classes) or None
    rows: list[EventRead] = []
    for rank in sorted(set(NOTABLE.values())):
        kinds = sorted(t for t, r in NOTABLE.items() if r == rank)
        # a proximity involves two classes under one label: it counts for either
        label = None if "proximity" in kinds else labels
        got = store.events(scope.streams, kinds, label, scope.t0, scope.t1, limit=READ)
        rows += got if len(got) < READ else _spread(store, scope, kinds, label, got)
        if len(rows) >= n:
            return rows
    return rows + store.events(scope.streams, None, labels, scope.t0, scope.t1, other_than=sorted(NOTABLE))


def _spread(store: GraphStore, scope: Scope, kinds: list[str], label: list[str] | None,
            first: list[EventRead]) -> list[EventRead]:
    """More events of a kind than one read holds (a month of comings and goings): the most confident of each of
    SPREAD equal parts of the window, taken in turn (the first of every part, then the second...), so that
    evidence among equals comes from the whole window, not its first hours (``first``: the window's first)."""
    start = first[0]["t0"] if scope.t0 is None else scope.t0
    end = scope.t1 if scope.t1 is not None else max(
        (float(s["duration"] or 0.0) for s in store.list_streams() if not scope.streams or s["id"] in scope.streams),
        default=start)
    if end <= start:
        return first
    step = (end - start) / SPREAD
    parts = [sorted(store.events(scope.streams, kinds, label, start + i * step, start + (i + 1) * step,
                                 limit=READ // SPREAD), key=lambda e: -float(e["confidence"] or 0))
             for i in range(SPREAD)]
    turns = [part[i] for i in range(max(map(len, parts))) for part in parts if i < len(part)]
    return list({e["id"]: e for e in turns}.values())  # an event spanning a cut is in both parts: once


def _segments(
    store: GraphStore, q: Question, scope: Scope, embedder: Embedder | None, k: int
) -> tuple[list[SegmentRead], int]:
    """The k segments nearest the question, and how many of them are relevant (not just filler): by embedding
    when there is an embedder (the top 3), else by words shared with the caption (those sharing any)."""
    segments = store.segments(streams=scope.streams, t0=scope.t0, t1=scope.t1)
    if embedder is not None and segments:
        by_id = {s["id"]: s for s in segments}
        hits = store.semantic_search("Segment", embedder.embed([q.text])[0].tolist(), 4 * k, scope.streams)
        ranked = [by_id[h["id"]] for h in hits if h["id"] in by_id]
        if ranked:
            return ranked[:k], min(3, len(ranked))
    terms = {w for w in re.findall(r"[a-z]+", q.text.lower()) if w not in _STOP}

    def shared(s: SegmentRead) -> int:
        return len(terms & set(re.findall(r"[a-z]+", s["caption"].lower())))

    ranked = sorted(segments, key=lambda s: (-shared(s), -s["motion"], s["t0"]))[:k]
    return ranked, min(3, sum(1 for s in ranked if shared(s) > 0))


def _segment_citation(s: SegmentRead) -> Citation:
    return Citation(s["stream_id"], s["stream"], s["t0"], s["t1"], s["thumbnail"] or None, s["caption"])


def _span(c: Citation) -> str:
    return clock(c.t0) if abs(c.t1 - c.t0) < 0.05 else f"{clock(c.t0)}-{clock(c.t1)}"
