"""The perception interface, and :func:`create_backend` (each backend's config builds it: ``vlm.settings``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.site import CameraLabels, ZoneSpec
from ingest.chunker import Chunk
from ingest.frames import Frame
from vlm.cv.config import CVSettings
from vlm.schema import Observation
from vlm.settings import CVOnly, VLMConfig


@dataclass(frozen=True, slots=True)
class PerceptionContext:
    """What a backend needs to know about the stream it watches (the sample rate is stated here, once)."""

    stream_id: str
    width: int
    height: int
    thumbs_dir: Path
    sample_fps: float
    zones: tuple[ZoneSpec, ...] = ()  # named polygons and counting lines for this stream
    camera: CameraLabels = field(default_factory=CameraLabels)  # what its detector's labels mean (site file)
    cache_dir: Path | None = None  # where VLM replies are cached (None: not cached)
    # told of every frame a tracker processed, with the confirmed tracks' (key, label, latest box): the live view
    on_tracks: Callable[[Frame, list[tuple[str, str, Any]]], None] | None = None
    track_base: int = 0  # a tracker numbers its tracks from here (each part of a file split across workers its own)


class PerceptionBackend(ABC):
    """One instance per stream: backends may keep state across chunks (tracks), fed in time order."""

    name: str = "base"
    concurrency: int = 1  # >1: chunks are independent and may be perceived this many at once
    batch_size: int = 1  # >1: the pipeline hands over this many chunks at once (perceive_batch)

    @abstractmethod
    def perceive(self, chunk: Chunk) -> Observation:
        """Observe one chunk. Chunks arrive in order; overlapping frames may be seen twice."""

    def perceive_batch(self, chunks: Sequence[Chunk]) -> list[Observation]:
        """Several chunks in one go (a batch on a GPU); by default one after another."""
        return [self.perceive(chunk) for chunk in chunks]

    def flush(self, end_time: float) -> Observation | None:
        """End of stream: report what is still open (tracks in view at the end). ``None`` if nothing."""
        return None

    @property
    def settled(self) -> bool:
        """Nothing carried into the next chunk: everything seen so far is reported and a backend started here
        would go on as this one does (a file may be split across workers at such a chunk boundary)."""
        return False

    def describe(self) -> str:
        """One line for logs and the CLI: backend and model."""
        return self.name

    def close(self) -> None:
        """Release connections or models."""


def create_backend(vlm: VLMConfig, cv: CVSettings, context: PerceptionContext) -> PerceptionBackend:
    """The perception ``vlm.backend`` names, for one stream: the offline ``cv`` backend, a VLM, or both (hybrid)."""
    from vlm.cv.backend import CVPerception

    if isinstance(vlm, CVOnly):
        return CVPerception(cv, context)
    model = vlm.create(context)
    if vlm.hybrid:
        from vlm.hybrid import HybridPerception

        return HybridPerception(CVPerception(cv, context), model)
    return model
