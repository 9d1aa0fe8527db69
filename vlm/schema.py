"""The one schema every perception backend returns, validated with pydantic.

Keys (``EntityObservation.key``, ``EventObservation.key``) are stable within a stream: the graph stage
derives node ids from them, which is what makes re-running an analysis idempotent.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

EventType = str  # open vocabulary: "enter", "exit", "dwell", "proximity", and whatever VLM profiles add


def said_at(kind: EventType, t0: float, t1: float) -> float:
    """The moment an event's description speaks of: the leaving of a zone spans from the entering and happened at
    its end ("left lane_up" at 0:08.6, not at 0:04.4); the others at their start ("stopped for 3 s" from then)."""
    return t1 if kind == "zone_exit" else t0


class EntityObservation(BaseModel):
    key: str = Field(min_length=1, description="stable within the stream, e.g. 'track-3'")
    cls: str = Field(min_length=1, description="object class, singular, lower case: car, person, forklift")
    confidence: float = Field(ge=0.0, le=1.0)
    first_seen: float = Field(ge=0.0)
    last_seen: float = Field(ge=0.0)
    direction: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)
    thumbnail: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> EntityObservation:
        if self.last_seen < self.first_seen:
            raise ValueError("last_seen is before first_seen")
        return self


class EventObservation(BaseModel):
    key: str = Field(min_length=1)
    type: EventType = Field(min_length=1)
    t0: float = Field(ge=0.0)
    t1: float = Field(ge=0.0)
    confidence: float = Field(ge=0.0, le=1.0)
    label: str | None = Field(default=None, description="class of the main entity, if any")
    description: str = ""
    entities: list[str] = Field(default_factory=list, description="keys of the entities involved")
    roles: dict[str, str] = Field(default_factory=dict, description="entity key -> role (subject, object)")
    attributes: dict[str, Any] = Field(default_factory=dict)
    thumbnail: str | None = Field(default=None, description="its picture (its moment, or its subject's); none: "
                                  "its segment's")

    @model_validator(mode="after")
    def _ordered(self) -> EventObservation:
        if self.t1 < self.t0:
            raise ValueError("t1 is before t0")
        return self


class Observation(BaseModel):
    """What perception saw in one chunk ``[t0, t1)``.

    ``events`` and ``entities`` may refer to times before ``t0``: a track that ends in this chunk reports its
    exit here, and an entity first labelled here may have entered a chunk earlier.
    """

    chunk_idx: int = Field(ge=0)
    t0: float = Field(ge=0.0)
    t1: float = Field(ge=0.0)
    status: Literal["ok", "static", "failed"] = "ok"
    error: str | None = None
    caption: str = ""
    motion: float = Field(default=0.0, ge=0.0, le=1.0)
    counts: dict[str, int] = Field(default_factory=dict, description="distinct entities in view per class")
    seen: dict[str, float] = Field(default_factory=dict, description="class -> best detector score of any box in the "
                                   "chunk, confirmed as an entity or not (what a 'none' answer must not contradict)")
    unexplained: float | None = Field(default=None, ge=0.0, le=1.0, description="share of the moving area on the "
                                      "frames looked at that no detection covered (None: nothing moving was "
                                      "looked at, or not measured); most of it: a 'none' there is not established")
    events: list[EventObservation] = Field(default_factory=list)
    entities: list[EntityObservation] = Field(default_factory=list)
