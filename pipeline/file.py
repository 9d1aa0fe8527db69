"""A video file analysed in this process: probe -> decode/sample/chunk -> perceive -> write, one chunk at a time.

Failure rules, so the store never holds half an analysis:

* bad input (missing, not a video, truncated) is found by :func:`ingest.probe` before anything is written;
* a failure later (decode error mid-file, Ctrl-C) deletes what this run wrote and restores the stream's
  previous state; a new stream disappears again;
* a re-run with the same settings MERGEs onto identical ids (nothing changes); with other settings it
  writes a new run and switches the stream to it only when complete, then drops the old run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph import GraphStore
from graph.embeddings import create_embedder
from pipeline.chunks import chunks_of, final_with_gaps, perceive_in_order, save_segment_thumbnail, with_gaps
from pipeline.settings import Settings
from pipeline.stream import perception_context, prepare
from pipeline.writer import RunWriter
from vlm import create_backend

Progress = Callable[[float, float], None]  # (seconds done, seconds total)


@dataclass(slots=True)
class AnalyzeResult:
    stream_id: str
    run: str
    duration: float
    segments: int
    events: int
    entities: int
    backend: str
    unchanged: bool  # a re-run with the same settings
    failed_segments: int = 0  # chunks perception could not read (kept, marked failed, retried on re-run)
    lost: float = 0.0  # seconds without usable video (damaged stretches, skipped and recorded as gap events)


def analyze_file(
    path: Path,
    settings: Settings,
    store: GraphStore,
    stream_id: str | None = None,
    progress: Progress | None = None,
    start: float | None = None,
) -> AnalyzeResult:
    """Analyse one video file into the graph. Raises :class:`ingest.VideoInputError` on bad input."""
    source, record, run, fingerprint = prepare(path, settings, stream_id, start)
    previous = store.get_stream(record.id)
    unchanged = (
        previous is not None
        and previous.run == run
        and previous.status == "complete"
        and not any(s["status"] == "failed" for s in store.segments(streams=[record.id]))
    )
    context = perception_context(settings, record, run)
    embedder = create_embedder(settings.graph.embedder)  # a missing model fails here, before any write
    backend = create_backend(settings.vlm, settings.cv, context)
    writer = RunWriter.start_file(store, settings, record, fingerprint, context.zones, embedder)
    duration = record.duration
    try:
        for piece, observation in perceive_in_order(backend, chunks_of(source, settings.ingest, duration)):
            observation = with_gaps(observation, source, before=piece.t1)  # damaged stretches: recorded, said
            writer.write(store, observation, save_segment_thumbnail(piece, context.thumbs_dir))
            if progress:
                progress(min(piece.t1, duration), duration)
        final = final_with_gaps(backend.flush(duration), source, duration)
        if final is not None:
            writer.write(store, final, None, is_segment=False)
        writer.finish(store)
    except BaseException as err:
        writer.roll_back(store, err)
        raise
    finally:
        backend.close()
        writer.close(store)
    stats = writer.stats
    return AnalyzeResult(stream_id=record.id, run=run, duration=duration, segments=stats.segments,
                         events=stats.events, entities=len(stats.entities), backend=backend.describe(),
                         unchanged=unchanged, failed_segments=stats.failed, lost=writer.record.lost)
