"""From a source to perceived chunks: decode, sample, score motion, chunk; perceive in order; thumbnails."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from common.pictures import jpeg
from ingest import Chunk, MotionDetector, chunk, sample
from ingest.frames import Gap
from ingest.sampler import PREFETCH_BYTES
from ingest.settings import IngestSettings
from ingest.source import VideoSource
from vlm import Observation, PerceptionBackend
from vlm.schema import EventObservation


def chunks_of(source: VideoSource, ingest: IngestSettings, duration: float | None = None,
              prefetch_bytes: int = PREFETCH_BYTES, skip_empty: bool = False, first_idx: int = 0) -> Iterator[Chunk]:
    """Decode, sample and chunk a source as the ingest settings say (``prefetch_bytes=0``: decode in this
    thread, for sources that buffer themselves; ``skip_empty``: a live stream's gaps make no chunks;
    ``first_idx``: a file read from the start of that chunk on)."""
    motion = MotionDetector(ingest.motion_width, ingest.motion_threshold)
    start = first_idx * (ingest.chunk_duration - ingest.chunk_overlap)
    frames = sample(source, ingest.sample_fps, motion, prefetch_bytes=prefetch_bytes, start=start)
    return chunk(frames, ingest.chunk_duration, ingest.chunk_overlap, duration, skip_empty=skip_empty,
                 first_idx=first_idx)


def gap_event(gap: Gap) -> EventObservation:
    """A stretch without usable video (a feed's outage, a file's damaged frames) as the run records it."""
    return EventObservation(key=f"gap-{round(gap.t0 * 10)}", type="gap", t0=gap.t0, t1=gap.t1, confidence=1.0,
                            label="stream", description=f"no usable video for {gap.t1 - gap.t0:.1f} s ({gap.reason})",
                            attributes={"reason": gap.reason, "seconds": round(gap.t1 - gap.t0, 2)})


def with_gaps(observation: Observation, source: VideoSource, before: float | None = None) -> Observation:
    """``observation`` with the source's gaps begun before ``before`` (all: None) as gap events."""
    gaps = source.pop_gaps(before)
    if not gaps:
        return observation
    return observation.model_copy(update={"events": [*observation.events, *map(gap_event, gaps)]})


def final_with_gaps(final: Observation | None, source: VideoSource, end: float) -> Observation | None:
    """The end-of-stream observation (no segment) with every gap not yet recorded; one of its own if there was
    no flush but there are gaps."""
    if final is None:
        final = Observation(chunk_idx=0, t0=end, t1=end, status="ok")
    final = with_gaps(final, source)
    return final if final.events or final.entities else None


def save_segment_thumbnail(piece: Chunk, directory: Path, suffix: str = "") -> str | None:
    """The frame with most motion (or the middle one) as a small JPEG: the picture behind a citation
    (``suffix``: a part of a split file names its own, as two parts may see one chunk)."""
    if not piece.frames:
        return None
    frame = max(piece.frames, key=lambda f: f.motion) if piece.active else piece.frames[len(piece.frames) // 2]
    path = directory / f"seg-{piece.idx:06d}{suffix}.jpg"
    picture = jpeg(frame.image, quality=75)
    if picture is None:
        return None
    path.write_bytes(picture)
    return str(path)


def perceive_in_order(backend: PerceptionBackend, pieces: Iterable[Chunk]) -> Iterator[tuple[Chunk, Observation]]:
    """Perceive chunks, ``backend.concurrency`` at a time (or in batches of ``backend.batch_size``), yielding
    results in chunk order.

    Stateful backends (tracking) have concurrency 1. For a VLM endpoint, a few requests in flight hide its
    latency; at most that many chunks of frames are held, so memory stays bounded. A chunk's frames are let go
    when the caller asks for the next one (use them inside the loop): otherwise the loop's variables would hold
    them while the next chunk is decoded, two chunks of frames instead of one.
    """
    for piece, observation in _perceived(backend, pieces):
        yield piece, observation
        piece.frames = []


def _perceived(backend: PerceptionBackend, pieces: Iterable[Chunk]) -> Iterator[tuple[Chunk, Observation]]:
    if backend.batch_size > 1:
        batch: list[Chunk] = []
        for piece in pieces:
            batch.append(piece)
            if len(batch) == backend.batch_size:
                yield from zip(batch, backend.perceive_batch(batch), strict=True)
                batch = []
        if batch:
            yield from zip(batch, backend.perceive_batch(batch), strict=True)
        return
    if backend.concurrency <= 1:
        for piece in pieces:
            yield piece, backend.perceive(piece)
        return
    with ThreadPoolExecutor(max_workers=backend.concurrency, thread_name_prefix="vidgraph-perceive") as pool:
        in_flight: deque[tuple[Chunk, Future[Observation]]] = deque()
        for piece in pieces:
            in_flight.append((piece, pool.submit(backend.perceive, piece)))
            if len(in_flight) >= backend.concurrency:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
