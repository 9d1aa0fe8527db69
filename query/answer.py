"""What the query layer returns: an answer and the evidence behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from common.text import clock


@dataclass(slots=True)
class Citation:
    stream_id: str
    stream: str  # display name (file name)
    t0: float
    t1: float
    thumbnail: str | None = None
    what: str = ""  # one line: what is cited (an entity, an event, a segment)
    entity_id: str | None = None
    event_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        span = clock(self.t0) if abs(self.t1 - self.t0) < 0.05 else f"{clock(self.t0)}-{clock(self.t1)}"
        return f"[{self.stream} @ {span}] {self.what}".rstrip()


@dataclass(slots=True)
class Answer:
    question: str
    text: str
    kind: str  # the question's intent (query.parse.Intent), "alerts" (query.firings), or "unsupported"
    value: Any = None
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True  # False: the question was not understood; citations are evidence, not an answer
    not_checked: list[str] = field(default_factory=list)  # parts of the question no perception here evaluated
    notes: list[str] = field(default_factory=list)  # what the answer's coverage lacks (partial footage, ...)
    breakdown: dict[str, int] = field(default_factory=dict)  # "per hour", "per lane": the count under each

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
