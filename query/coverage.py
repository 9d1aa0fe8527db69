"""What an answer rests on beyond its matches: which streams were looked at, how, and what could not be checked.

A "none" answer is only as good as the looking behind it. This module says, per stream, what was analysed (how
many seconds, at what sampling rate, by which perception), whether the perception can see the class asked about
at all (a COCO detector has no forklift: that is "not checked", never "no"), and where the detector saw boxes of
that class it did not confirm as objects (a "no" must not cite those frames as empty; it names them).
"""

from __future__ import annotations

import json
import re
import socket
import tomllib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from common.text import clock, plural
from graph.records import StreamRead, StreamStatus
from graph.store import GraphStore
from query.answer import Citation

# what the offline detector counts as itself (vlm.cv.labels.TRACKED), kept here as data the query stage reads
CV_CLASSES = frozenset({"person", "bicycle", "car", "motorcycle", "bus", "truck", "vehicle", "object"})
STALE_S = 900.0  # a writer on another machine silent this long is taken for dead
UNCONFIRMED = 0.2  # a box at least this sure counts as "the detector saw one" for the negative's honesty
GAPS_SHOWN = 3  # stretches without usable video named in an answer's notes (all: `vidgraph events --type gap`)


@dataclass(slots=True)
class Looked:
    """How one stream was looked at."""

    stream: StreamRead
    state: str  # StreamStatus value, with "interrupted" read from a dead writer
    sample_fps: float | None
    perception: str  # "cv detector", "openai VLM", ...
    classes: frozenset[str] | None  # what the perception can name (None: any word, a VLM's open vocabulary)
    done: float  # seconds analysed so far
    proximity_m: float | None = None  # person-vehicle gaps under this were recorded as proximity events
    gaps: list[tuple[float, float]] = field(default_factory=list)  # stretches without usable video (first few)
    # the part of the analysed footage inside the window asked about (None: all of it); t1 <= t0: none of it
    span: tuple[float, float] | None = None

    @property
    def name(self) -> str:
        return self.stream["name"]

    @property
    def lost(self) -> float:
        return float(self.stream.get("lost") or 0.0)

    @property
    def covers(self) -> bool:
        """Whether any analysed footage lies in the window asked about (a moment: whether it falls in it)."""
        return self.span is None or self.span[1] >= self.span[0]

    def within(self, t0: float | None, t1: float | None) -> Looked:
        """This stream's coverage of the window ``t0``-``t1`` (None: open)."""
        start, end = max(t0 or 0.0, 0.0), self.done if t1 is None else min(t1, self.done)
        return replace(self, span=None if (start, end) == (0.0, self.done) else (start, end))

    def describe(self) -> str:
        if not self.covers:
            return f"none of {self.name}, whose {clock(self.done)} of footage lies outside the window"
        rate = f" at {self.sample_fps:g} fps" if self.sample_fps else ""
        by = f"analysed{rate} by the {self.perception}"
        if self.span is None:
            lost = f" ({self.lost:.1f} s of it without usable video, not analysed)" if self.lost else ""
            return f"{clock(self.done)} of {self.name} {by}{lost}"
        t0, t1 = self.span
        if t0 == t1:
            return f"{self.name} at {clock(t0)} {by}"
        return f"{clock(t1 - t0)} of {self.name} ({clock(t0)}-{clock(t1)}) {by}"


@dataclass(slots=True)
class Coverage:
    looked: list[Looked] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What an answer over partial footage must say."""
        out = []
        for lk in self.looked:
            if lk.state == StreamStatus.INTERRUPTED:
                out.append(f"{lk.name}'s analysis was interrupted after {clock(lk.done)} of "
                           f"{clock(lk.stream['duration'])}: this covers only that part")
            elif lk.state == StreamStatus.ANALYZING:
                out.append(f"{lk.name} is still being analysed ({clock(lk.done)} of "
                           f"{clock(lk.stream['duration'])} so far)")
            if lk.lost:
                spans = ", ".join(f"{clock(t0)}-{clock(t1)}" for t0, t1 in lk.gaps[:GAPS_SHOWN])
                more = f" and {len(lk.gaps) - GAPS_SHOWN} more" if len(lk.gaps) > GAPS_SHOWN else ""
                out.append(f"{lk.lost:.1f} s of {lk.name} had no usable video ({spans}{more}: damaged or "
                           "missing) and were not analysed: this does not cover them")
        return out

    def blind_to(self, classes: tuple[str, ...], every: bool = False) -> list[str]:
        """The streams whose perception cannot name any of these classes at all (``every``: cannot name one of
        them; a question about a pair, "a forklift near a person", needs both)."""
        missing = (lambda named: bool(set(classes) - named)) if every else (lambda named: not set(classes) & named)
        return [lk.name for lk in self.looked if lk.classes is not None and missing(lk.classes)]

    def proximity_short_of(self, metres: float) -> list[str]:
        """Streams whose proximity events stop short of this gap: "within 5 m" is not checked where only
        gaps under 2 m were recorded."""
        return [f"{lk.name} records gaps under {lk.proximity_m:g} m only" if lk.proximity_m is not None else
                f"{lk.name} records no gaps (its analysis measures none)" for lk in self.looked
                if lk.proximity_m is None or lk.proximity_m < metres]


def state_of(stream: StreamRead) -> str:
    """The stream's state as a reader should take it: a file run whose writer process is gone was interrupted."""
    if stream["status"] != StreamStatus.ANALYZING:
        return stream["status"]
    host, _, pid = (stream.get("writer") or "").partition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            import os

            os.kill(int(pid), 0)
        except ProcessLookupError:
            return StreamStatus.INTERRUPTED
        except PermissionError:
            pass
        return StreamStatus.ANALYZING
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(stream["updated"])).total_seconds()
    except (TypeError, ValueError):
        return StreamStatus.ANALYZING
    return StreamStatus.INTERRUPTED if age > STALE_S else StreamStatus.ANALYZING


def streams_as_read(store: GraphStore) -> list[StreamRead]:
    """Every stream with its status as a reader should take it (a dead writer's run reads "interrupted")."""
    return [StreamRead(**{**s, "status": state_of(s)}) for s in store.list_streams()]


def looked_at(store: GraphStore, streams: list[StreamRead]) -> list[Looked]:
    """How each stream was looked at (its run's settings read for all of them at once)."""
    settings = store.stream_settings([s["id"] for s in streams]) if streams else {}
    return [_looked(store, s, parse_settings(settings.get(s["id"]))) for s in streams]


def _looked(store: GraphStore, stream: StreamRead, settings: dict[str, Any]) -> Looked:
    state = state_of(stream)
    done = float(stream["duration"] or 0.0)
    if state in (StreamStatus.ANALYZING, StreamStatus.INTERRUPTED):
        done = _done(stream)
    vlm = settings.get("vlm") or {}
    backend = vlm.get("backend", "cv")
    sample_fps = (settings.get("ingest") or {}).get("sample_fps")
    if backend == "cv":
        perception = "cv detector (COCO)" if settings.get("detector") not in (None, "none") else "cv motion only"
        classes: frozenset[str] | None = CV_CLASSES | _camera_classes(settings.get("zones"))
        if settings.get("detector") in (None, "none"):
            classes = frozenset({"object"})
    else:
        perception = f"{backend} VLM" + (" with the cv tracker" if vlm.get("hybrid") else "")
        objects = (settings.get("profile") or {}).get("objects")
        classes = frozenset(objects) | (CV_CLASSES if vlm.get("hybrid") else frozenset()) if objects else None
    proximity = (settings.get("cv") or {}).get("proximity_m") if backend == "cv" or vlm.get("hybrid") else None
    gaps = [(g["t0"], g["t1"]) for g in store.events(streams=[stream["id"]], types=["gap"], limit=GAPS_SHOWN + 1)
            ] if stream.get("lost") else []  # read only where there is something to say
    return Looked(stream, state, sample_fps, perception, classes, done, proximity, gaps)


def parse_settings(settings: str | None) -> dict[str, Any]:
    """A run's settings JSON as a dict; {} where there is none or it does not read."""
    try:
        return json.loads(settings) if settings else {}
    except ValueError:
        return {}


def _done(stream: StreamRead) -> float:
    """How far a run in progress (or interrupted) got, by its last heartbeat."""
    return float(stream.get("done") or 0.0)


def _camera_classes(site_text: str | None) -> frozenset[str]:
    """Classes a site file's camera tables map detector labels to (a camera may add one, say forklift)."""
    if not site_text:
        return frozenset()
    try:
        data = tomllib.loads(site_text)
    except tomllib.TOMLDecodeError:
        return frozenset()
    return frozenset(v for cam in data.get("camera", []) for v in (cam.get("labels") or {}).values())


def unconfirmed(store: GraphStore, classes: tuple[str, ...], streams: list[str], t0: float | None,
                t1: float | None) -> list[Citation]:
    """Segments where the detector saw a box of one of these classes that no confirmed entity came from."""
    cites = []
    found = {s["id"]: s for c in classes for s in store.segments(streams=streams, t0=t0, t1=t1, seen=c, limit=None)}
    for segment in sorted(found.values(), key=lambda s: (s["stream_id"], s["t0"])):
        best = max((float(segment["seen"].get(c, 0.0)) for c in classes), default=0.0)
        if best >= UNCONFIRMED:
            what = ", ".join(c for c in classes if segment["seen"].get(c))
            cites.append(Citation(segment["stream_id"], segment["stream"], segment["t0"], segment["t1"],
                                  segment["thumbnail"] or None,
                                  f"the detector saw {what}-like boxes here (best score {best:.2f}), not confirmed"))
    return cites


UNNAMED_CITED = 12  # unnamed objects cited under a "none" (all are counted)
MOSTLY = 0.5  # a segment where more of the moving area than this matched no detection: a "none" is not established


def unexplained(store: GraphStore, streams: list[str], t0: float | None, t1: float | None) -> list[Citation]:
    """Segments where most of what moved (on the frames the detector looked at) matched no detection of a class
    vidgraph counts: a moving camera, or objects this detector does not see (people from straight above). A
    "none" or a count there rests on looking that did not account for what moved (measured per chunk by the cv
    backend; other perceptions do not measure it and are never cited here)."""
    return [Citation(segment["stream_id"], segment["stream"], segment["t0"], segment["t1"],
                     segment["thumbnail"] or None,
                     f"{float(segment['unexplained']):.0%} of the moving area here matched no detection of a "
                     "counted class")
            for segment in store.segments(streams=streams, t0=t0, t1=t1, unexplained_above=MOSTLY, limit=None)]


def unnamed(store: GraphStore, classes: tuple[str, ...], streams: list[str], t0: float | None,
            t1: float | None) -> tuple[list[Citation], set[str]]:
    """Objects in the window the perception followed but could not name (the detector's word is not one vidgraph
    counts, say "cell phone" for a car seen from straight above), and the detector's words for them: a "none"
    for a class must not hide them."""
    if not classes or "object" in classes:
        return [], set()
    cites, words = [], set()
    for e in store.entities(streams=streams, cls="object", t0=t0, t1=t1):
        word = e["attributes"].get("detector_label") or "none"
        words.add(word)
        cites.append(Citation(e["stream_id"], e["stream"], e["first_seen"], e["last_seen"], e["thumbnail"],
                              f"an object the detector could not name (its label: {word})", entity_id=e["id"]))
    return cites, words


def detector_words_said(store: GraphStore, streams: list[str] | None, words: tuple[str, ...]) -> tuple[str, ...]:
    """The detector's words for the unnamed objects followed in these streams that ``words`` (a question's words
    nothing else read) say, singular or plural: "dogs", "traffic lights". Only words the graph holds: whether the
    detector could have named one that was not followed is not known here."""
    said = f" {' '.join(words)} "
    labels = {e["attributes"].get("detector_label") or "" for e in store.entities(streams=streams, cls="object")}
    return tuple(sorted(w for w in labels if w and re.search(rf" {re.escape(w)}(?:s|es)? ", said)))


def negative(noun: str, cover: Coverage, sightings: list[Citation], objects: int = 0,
             labels: set[str] | None = None, others: int = 0, more: bool = False, none: str = "this 'none'",
             others_were: str = "seen that did not meet the question's conditions") -> str:
    """How a "none" answer states its coverage: what was looked at, what was seen but not confirmed, how
    many objects were followed that the detector could not name (they may be what was asked about), and how
    many of the class were seen that did not meet the question's conditions (``more``: at least that many;
    ``others_were`` says how, where one thing tells them all).
    ``none`` is what the unconfirmed sightings put in doubt (the time without, for "when was it occupied")."""
    text = "; ".join(lk.describe() for lk in cover.looked) or "no footage in scope"
    if others:
        text += (f". {others}{' or more' if more else ''} {plural(noun, others)} {'was' if others == 1 else 'were'} "
                 f"{others_were}, cited")
    if sightings:
        like = " or ".join(f"{cls}-like" for cls in noun.split(" or "))
        text += (f". The detector saw {like} boxes it did not confirm as {plural(noun, 2)} in "
                 f"{len(sightings)} segment(s), cited: look before relying on {none}")
    if objects:
        words = sorted(labels or ())
        text += (f". {objects} moving {plural('object', objects)} the detector could not name (its "
                 f"{plural('label', len(words))}: {', '.join(words)}) {'were' if objects > 1 else 'was'} "
                 f"followed, cited: {'they' if objects > 1 else 'it'} may be {plural(noun, 2)}; a camera "
                 "table in the site file (--site) maps such labels to classes")
    return text
