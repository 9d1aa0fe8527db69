"""Plain rows written to the graph, the same for every backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    status: str  # "analyzing", "complete", "failed"
    run: str  # the analysis run whose nodes queries read
    settings: str  # JSON of the settings that made that run
    error: str = ""
    updated: str = ""
    start: float = 0.0  # wall clock of t=0 (epoch s); 0 when unknown. Cross-camera reasoning needs it.

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class GraphBatch:
    """Everything one chunk adds, written in one transaction."""

    segments: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    has: list[dict[str, str]] = field(default_factory=list)  # stream -> segment
    next: list[dict[str, str]] = field(default_factory=list)  # segment -> segment
    occurs_in: list[dict[str, str]] = field(default_factory=list)  # event -> segment
    involves: list[dict[str, str]] = field(default_factory=list)  # event -> entity, with role
    zones: list[dict[str, str]] = field(default_factory=list)
    at: list[dict[str, str]] = field(default_factory=list)  # event -> zone
    summaries: list[dict[str, Any]] = field(default_factory=list)
    summarizes: list[dict[str, str]] = field(default_factory=list)  # summary -> segment or finer summary
    alerts: list[dict[str, Any]] = field(default_factory=list)
    triggered_by: list[dict[str, str]] = field(default_factory=list)  # alert -> event
