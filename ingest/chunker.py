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
    # a chunk shipped to a worker carries only the frames perception sees, and the motion of all of them
    motion_of_all: float | None = None
    active_of_all: bool | None = None

    @property
    def motion(self) -> float:
        if self.motion_of_all is not None:
            return self.motion_of_all
        return max((f.motion for f in self.frames), default=0.0)

    @property
    def active(self) -> bool:
        if self.active_of_all is not None:
            return self.active_of_all
        return any(f.active for f in self.frames)

    def pick(self, n: int) -> list[Frame]:
        """``n`` frames spread evenly over the chunk (all of them if it has fewer)."""
        if n <= 0 or len(self.frames) <= n:
            return list(self.frames)
        step = (len(self.frames) - 1) / max(1, n - 1)
        return [self.frames[round(i * step)] for i in range(n)]


def chunk(
    frames: Iterable[Frame], duration: float, overlap: float = 0.0, end_time: float | None = None,
    skip_empty: bool = False, first_idx: int = 0,
) -> Iterator[Chunk]:
    """Yield chunks ``[t0, t0 + duration)`` starting every ``duration - overlap`` seconds, numbered from t = 0
    (a stream that starts late, like a live stream resuming, starts at the chunk its first frame falls in).
    ``skip_empty`` drops chunks without frames (a live stream's gaps) instead of yielding them; ``first_idx``:
    frames read from the middle of a file begin with that chunk."""
    if duration <= 0:
        raise ValueError("chunk duration must be positive")
    if not 0 <= overlap < duration:
        raise ValueError("chunk overlap must be >= 0 and shorter than the chunk")
    stride = duration - overlap
    idx, t0 = first_idx, first_idx * stride
    buffer: list[Frame] = []
    for frame in frames:
        if not buffer and frame.t >= t0 + duration and skip_empty:  # jump over a gap in one step
            idx = max(idx, int((frame.t - duration) // stride) + 1)
            t0 = idx * stride
        while frame.t >= t0 + duration:
            inside = [f for f in buffer if f.t < t0 + duration]
            if inside or not skip_empty:
                yield Chunk(idx, t0, t0 + duration, inside)
            idx, t0 = idx + 1, t0 + stride
            buffer = [f for f in buffer if f.t >= t0]
        buffer.append(frame)
    if buffer:
        last = buffer[-1].t
        t1 = min(t0 + duration, end_time) if end_time and end_time > last else last
        yield Chunk(idx, t0, t1, buffer)
