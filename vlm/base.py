"""The perception interface and the backend registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.chunker import Chunk
from vlm.cv.zones import ZoneSpec
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
    zones: tuple[ZoneSpec, ...] = ()  # named polygons and counting lines for this stream


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

    def describe(self) -> str:
        """One line for logs and the CLI: backend and model."""
        return self.name

    def close(self) -> None:
        """Release connections or models."""


def create_backend(settings: Settings, context: PerceptionContext) -> PerceptionBackend:
    """Build the backend named by ``settings.vlm.backend`` for one stream (wrapped for hybrid mode)."""
    from vlm.cv.backend import CVPerception

    name = settings.vlm.backend
    if name == "cv":
        return CVPerception(settings.vlm, context, sample_fps=settings.ingest.sample_fps)
    vlm = _create_vlm(settings, context)
    if settings.vlm.hybrid:
        from vlm.hybrid import HybridPerception

        vlm.draw_marks = settings.vlm.marks
        return HybridPerception(CVPerception(settings.vlm, context, sample_fps=settings.ingest.sample_fps), vlm)
    return vlm


def _create_vlm(settings: Settings, context: PerceptionContext):
    from vlm.profiles import load_profile

    name, vlm = settings.vlm.backend, settings.vlm
    shared = {  # what every VLM backend takes (vlm.vlm_base.VLMPerception)
        "profile": load_profile(vlm.profile),
        "context": context,
        "frames_per_chunk": settings.ingest.frames_per_chunk,
        "input_width": vlm.input_width,
        "cache_dir": settings.vlm_cache_dir,
    }
    if name == "transformers":
        from vlm.transformers_backend import TransformersPerception

        if not vlm.model:
            raise ValueError("the transformers backend needs a model: a local directory or a cached hub id")
        return TransformersPerception(
            model=vlm.model, max_new_tokens=vlm.max_tokens, min_new_tokens=vlm.min_new_tokens,
            batch_size=vlm.batch_size, device=vlm.device, dtype=vlm.dtype, local_files_only=vlm.local_files_only,
            **shared,
        )
    if name in ("openai", "ollama"):
        from vlm.openai_backend import OpenAIPerception

        base_url, model, api_key = vlm.endpoint()
        return OpenAIPerception(
            base_url=base_url, model=model, api_key=api_key, timeout_s=vlm.timeout_s, max_retries=vlm.max_retries,
            concurrency=vlm.concurrency, max_tokens=vlm.max_tokens, structured_output=vlm.structured_output,
            **shared,
        )
    raise ValueError(f"unknown perception backend {name!r} (available: cv, openai, ollama, transformers)")
