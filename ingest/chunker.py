"""Group sampled frames into chunks, with the knobs of NVIDIA VSS.

``chunk_duration`` seconds per chunk, ``chunk_overlap`` seconds shared with the previous chunk, and
``frames_per_chunk`` frames handed to a VLM (spread evenly over the chunk). Only the current chunk and its
overlap are held, so an hour or a day of video streams through in bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.frames import Frame


@dataclass(slots=True)
class Chunk:
    idx: int
    t0: float
    t1: float
    frames: list[Frame]

    @property
    def motion(self) -> float:
        return max((f.motion for f in self.frames), default=0.0)

    @property
    def active(self) -> bool:
        return any(f.active for f in self.frames)

    def pick(self, n: int) -> list[Frame]:
        """``n`` frames spread evenly over the chunk (all of them if it has fewer)."""
        if n <= 0 or len(self.frames) <= n:
            return list(self.frames)
        step = (len(self.frames) - 1) / max(1, n - 1)
        return [self.frames[round(i * step)] for i in range(n)]


def chunk(frames: Iterable[Frame], duration: float, overlap: float = 0.0, end_time: float | None = None) -> Iterator[Chunk]:
    """Yield chunks ``[t0, t0 + duration)`` starting every ``duration - overlap`` seconds."""
    if duration <= 0:
        raise ValueError("chunk duration must be positive")
    if not 0 <= overlap < duration:
        raise ValueError("chunk overlap must be >= 0 and shorter than the chunk")
    stride = duration - overlap
    idx, t0 = 0, 0.0
    buffer: list[Frame] = []
    for frame in frames:
        while frame.t >= t0 + duration:
            yield Chunk(idx, t0, t0 + duration, [f for f in buffer if f.t < t0 + duration])
            idx, t0 = idx + 1, t0 + stride
            buffer = [f for f in buffer if f.t >= t0]
        buffer.append(frame)
    if buffer:
        last = buffer[-1].t
        t1 = min(t0 + duration, end_time) if end_time and end_time > last else last
        yield Chunk(idx, t0, t1, buffer)
