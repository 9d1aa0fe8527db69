"""The perception interface and the backend registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.chunker import Chunk
from vlm.schema import Observation

if TYPE_CHECKING:
    from vidgraph.settings import Settings


@dataclass(frozen=True, slots=True)
class PerceptionContext:
    """What a backend needs to know about the stream it watches."""

    stream_id: str
    width: int
    height: int
    thumbs_dir: Path


class PerceptionBackend(ABC):
    """One instance per stream: backends may keep state across chunks (tracks), fed in time order."""

    name: str = "base"

    @abstractmethod
    def perceive(self, chunk: Chunk) -> Observation:
        """Observe one chunk. Chunks arrive in order; overlapping frames may be seen twice."""

    def flush(self, end_time: float) -> Observation | None:
        """End of stream: report what is still open (tracks in view at the end). ``None`` if nothing."""
        return None

    def describe(self) -> str:
        """One line for logs and the CLI: backend and model."""
        return self.name


def create_backend(settings: Settings, context: PerceptionContext) -> PerceptionBackend:
    """Build the backend named by ``settings.vlm.backend`` for one stream."""
    name = settings.vlm.backend
    if name == "cv":
        from vlm.cv.backend import CVPerception

        return CVPerception(settings.vlm, context, sample_fps=settings.ingest.sample_fps)
    raise ValueError(f"unknown perception backend {name!r} (available: cv)")
