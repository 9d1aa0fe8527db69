"""The rows the graph stage writes and reads, typed, the same for every backend.

Writes: a :class:`GraphBatch` of node rows (``SegmentRow``, ``EventRow``, ...) and link rows, as stored
(structured values such as ``attributes`` as canonical JSON text). Reads: the store's read methods return
``*Read`` rows, with the stream's display name joined in and the JSON columns decoded into dicts, so no caller
parses JSON out of a row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import (
    Any,
    NotRequired,  # pydantic (FastAPI schemas) needs these on Python 3.11
)

from typing_extensions import TypedDict


class StreamStatus(StrEnum):
    ANALYZING = "analyzing"  # a file run in progress
    INTERRUPTED = "interrupted"  # a file run whose writer died (read as such; stored as analyzing)
    COMPLETE = "complete"  # a file analysed to its end
    FAILED = "failed"
    LIVE = "live"  # a live stream being read
    STOPPED = "stopped"  # a live stream whose reader stopped


class SegmentStatus(StrEnum):
    OK = "ok"
    STATIC = "static"  # no motion, nothing reported
    FAILED = "failed"  # perception could not read the chunk (retried on a re-run)


class EventType(StrEnum):
    """The event types the pipeline itself writes (a VLM profile may add its own: ``Event.type`` is a string)."""

    ENTER = "enter"
    EXIT = "exit"
    DWELL = "dwell"
    PROXIMITY = "proximity"
    ZONE_ENTER = "zone_enter"
    ZONE_EXIT = "zone_exit"
    LINE_CROSS = "line_cross"
    GAP = "gap"


# -- rows written ---------------------------------------------------------------------------------------------
class SegmentRow(TypedDict):
    id: str
    stream_id: str
    run: str
    idx: int
    t0: float
    t1: float
    caption: str
    motion: float
    status: str  # SegmentStatus
    error: str
    counts: str  # JSON: class -> objects in view
    thumbnail: str
    seen: str  # JSON: class -> best detector score in the chunk, confirmed or not
    unexplained: float  # share of the moving area looked at that no detection covered; -1: not measured


class EventRow(TypedDict):
    id: str
    stream_id: str
    run: str
    type: str  # EventType, or a VLM profile's type
    t0: float
    t1: float
    confidence: float
    label: str
    description: str
    attributes: str  # JSON
    thumbnail: str  # its own picture (its moment, or its subject's), "" for none: its segment's stands in


class EntityRow(TypedDict):
    id: str
    stream_id: str
    run: str
    cls: str
    first_seen: float
    last_seen: float
    confidence: float
    direction: str
    attributes: str  # JSON
    thumbnail: str


class ZoneRow(TypedDict):
    id: str
    stream_id: str
    name: str
    kind: str  # "polygon" or "line"
    points: str  # JSON


class SummaryRow(TypedDict):
    id: str
    stream_id: str
    run: str
    scale: float
    t0: float
    t1: float
    text: str
    counts: str  # JSON
    events: str  # JSON
    notable: str  # JSON


class _Alert(TypedDict):
    """What an alert firing is, written or read."""

    id: str
    stream_id: str
    rule: str
    severity: str
    t0: float
    t1: float
    text: str
    fired: str
    thumbnail: str


class AlertRow(_Alert):
    run: str
    # for the webhook payload only (not stored on the node)
    stream: NotRequired[str]
    event_id: NotRequired[str]
    event_type: NotRequired[str]


class Link(TypedDict):
    src: str
    dst: str


class RoleLink(Link):
    role: str


class SameAsLink(Link):
    confidence: float
    reason: str


@dataclass(slots=True)
class StreamRecord:
    id: str
    uri: str
    name: str
    kind: str  # "file" or "live"
    duration: float
    fps: float
    width: int
    height: int
    status: str  # StreamStatus
    run: str  # the analysis run whose nodes queries read
    settings: str  # JSON of the settings that made that run
    error: str = ""
    updated: str = ""
    start: float = 0.0  # wall clock of t=0 (epoch s); 0 when unknown. Cross-camera reasoning needs it.
    writer: str = ""  # while analysing: "host:pid" of the process writing it (a dead one means interrupted)
    done: float = 0.0  # while analysing: seconds analysed so far
    lost: float = 0.0  # seconds without usable video (damaged stretches of a file, a feed's outages): gap events

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class GraphBatch:
    """Everything one chunk adds, written in one transaction."""

    segments: list[SegmentRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    entities: list[EntityRow] = field(default_factory=list)
    has: list[Link] = field(default_factory=list)  # stream -> segment
    next: list[Link] = field(default_factory=list)  # segment -> segment
    occurs_in: list[Link] = field(default_factory=list)  # event -> segment
    involves: list[RoleLink] = field(default_factory=list)  # event -> entity, with role
    zones: list[ZoneRow] = field(default_factory=list)
    at: list[Link] = field(default_factory=list)  # event -> zone
    summaries: list[SummaryRow] = field(default_factory=list)
    summarizes: list[Link] = field(default_factory=list)  # summary -> segment or finer summary
    alerts: list[AlertRow] = field(default_factory=list)
    triggered_by: list[Link] = field(default_factory=list)  # alert -> event


# -- rows read ------------------------------------------------------------------------------------------------
class StreamRead(TypedDict):
    id: str
    uri: str
    name: str
    kind: str
    duration: float
    status: str
    run: str
    error: str
    updated: str
    start: float
    writer: str
    done: float
    lost: float


class EntityRead(TypedDict):
    id: str
    stream_id: str
    stream: str  # display name
    cls: str
    first_seen: float
    last_seen: float
    confidence: float
    direction: str
    attributes: dict[str, Any]
    thumbnail: str


class _EventFields(TypedDict):
    id: str
    type: str
    t0: float
    t1: float
    confidence: float
    label: str
    description: str
    attributes: dict[str, Any]


class EventRead(_EventFields):
    stream_id: str
    stream: str
    segment_id: str | None
    thumbnail: str | None


class SegmentRead(TypedDict):
    id: str
    stream_id: str
    stream: str
    idx: int
    t0: float
    t1: float
    caption: str
    motion: float
    status: str
    error: str
    counts: dict[str, int]
    thumbnail: str
    seen: dict[str, float]
    unexplained: float  # -1: not measured (a VLM, nothing moving looked at, or a graph from before)


class SummaryRead(TypedDict):
    id: str
    stream_id: str
    stream: str
    scale: float
    t0: float
    t1: float
    text: str
    counts: dict[str, int]
    events: dict[str, int]
    notable: list[dict[str, Any]]


class AlertRead(_Alert):
    stream: str
    delivered: str
    attempts: int
    error: str
    event_id: str | None
    event_type: str | None


class ZoneRead(TypedDict):
    id: str
    stream_id: str
    name: str
    kind: str
    points: list[list[float]]


class ZoneVisitRead(TypedDict):
    id: str  # the entity
    stream_id: str
    stream: str
    cls: str
    t: float
    type: str
    event_attributes: dict[str, Any]
    event_id: str
    confidence: float  # the event's
    first_seen: float
    last_seen: float
    direction: str
    attributes: dict[str, Any]
    thumbnail: str  # the entity's picture
    event_thumbnail: str  # the event's: its moment where perception pictured it, else the entity's


class EventEntityRead(EntityRead):
    event_id: str
    role: str


class SameAsRead(TypedDict):
    id: str
    same_as: str
    confidence: float
    reason: str


class StoryEventRead(_EventFields):
    """An event in one entity's story, with its role in it and its picture (its own, else its segment's)."""

    role: str
    thumbnail: str | None


class PeriodCountRead(TypedDict):
    """How many entities of a class were first seen in one period (``period`` x the period's width in seconds:
    wall-clock time where the stream has a clock, else seconds from its start)."""

    stream_id: str
    cls: str
    period: int
    n: int


class ZonePeriodRead(TypedDict):
    """How many times objects of a class entered a zone (or crossed a line) in one period (``period`` as in
    :class:`PeriodCountRead`, of the event's moment)."""

    zone: str
    type: str
    cls: str
    period: int
    n: int


class AppearanceRead(TypedDict):
    """Another entity taken for the same object (SAME_AS), with how sure and why."""

    entity: EntityRead
    confidence: float
    reason: str


class EntityStoryRead(TypedDict):
    entity: EntityRead
    events: list[StoryEventRead]
    same_as: list[AppearanceRead]
