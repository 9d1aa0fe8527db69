"""Hybrid perception: precise tracks from the ``cv`` backend, rich semantics from a VLM, one graph.

The cv backend runs first on each chunk (it keeps track state, so chunks go in order). Its tracks go to the
VLM as context: a list of ids, classes and times in the prompt and, optionally, numbered boxes drawn on the
frames (set-of-marks prompting). The VLM is asked to use those ids, so its events INVOLVE the tracked
entities instead of creating loose ones. A failed VLM reply fails the chunk's status (so a re-run retries
it) but keeps everything the tracker found.
"""

from __future__ import annotations

from ingest.chunker import Chunk
from vlm.base import PerceptionBackend
from vlm.cv.backend import CVPerception
from vlm.schema import Observation
from vlm.vlm_base import VLMPerception


class HybridPerception(PerceptionBackend):
    name = "hybrid"

    def __init__(self, cv: CVPerception, vlm: VLMPerception) -> None:
        self.cv, self.vlm = cv, vlm

    def describe(self) -> str:
        return f"hybrid: {self.cv.describe()} + {self.vlm.describe()}"

    def perceive(self, chunk: Chunk) -> Observation:
        tracked = self.cv.perceive(chunk)
        described = self.vlm.perceive(chunk, tracks=self.cv.last_tracks)
        return merge(tracked, described)

    def flush(self, end_time: float) -> Observation | None:
        return self.cv.flush(end_time)

    def close(self) -> None:
        self.vlm.close()


def merge(tracked: Observation, described: Observation) -> Observation:
    if described.status != "ok":
        error = described.error if described.status == "failed" else None
        return tracked.model_copy(update={"status": described.status if error else tracked.status, "error": error})
    tracked_keys = {e.key for e in tracked.entities}
    return tracked.model_copy(update={
        "caption": f"{described.caption} [{tracked.caption}]",
        "events": sorted(tracked.events + described.events, key=lambda e: (e.t0, e.key)),
        "entities": tracked.entities + [e for e in described.entities if e.key not in tracked_keys],
    })
