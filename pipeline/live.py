"""A live stream through the pipeline: URL in, a growing Stream in the graph, gaps recorded as gaps.

Times are seconds since the stream's first frame ever (``Stream.start`` is that wall clock), so a restarted
reader continues the same time axis and chunk numbering; chunks without frames (the stream was down) are
skipped and the outage is written as a ``gap`` event with its reason. Each chunk is written in its own
short session (``open_writer``), so other writers get the embedded store between chunks.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace

from common.urls import redact
from graph import GraphStore, StreamRecord, run_id
from ingest.live import Health, LiveSource, check_url
from pipeline.chunks import chunks_of, perceive_in_order, save_segment_thumbnail, with_gaps
from pipeline.settings import Settings
from pipeline.snapshots import LiveSnapshots, live_dir
from pipeline.stream import live_session, now, perception_context
from pipeline.writer import RunWriter
from vlm import create_backend

log = logging.getLogger(__name__)


@dataclass(slots=True)
class LiveResult:
    stream_id: str
    chunks: int
    gaps: int


def run_live(
    url: str,
    stream_id: str,
    settings: Settings,
    open_writer: Callable[[], AbstractContextManager[GraphStore]],
    should_stop: Callable[[], bool],
    name: str | None = None,
    on_health: Callable[[Health], None] | None = None,
) -> LiveResult:
    """Read ``url`` until ``should_stop()``; every chunk lands in the graph as it closes."""
    fingerprint = settings.perception_fingerprint()
    run = run_id(fingerprint)
    with open_writer() as store:
        previous = store.get_stream(stream_id)
    origin = previous.start if previous is not None and previous.kind == "live" and previous.start else None
    check_url(url, settings.ingest.allowed_hosts)  # again where it is opened: the policy holds for every caller
    snapshots = LiveSnapshots(live_dir(settings.data_dir, stream_id), lambda: source.origin)
    source = LiveSource(url, settings.ingest.sample_fps, settings.ingest.decode_max_width, origin=origin,
                        open_timeout_s=settings.service.open_timeout_s,
                        reconnect_max_s=settings.service.reconnect_max_s, on_health=on_health,
                        on_frame=snapshots.now)
    while not source.wait_connected(1.0):  # the size of the picture is needed before perception starts
        if should_stop():
            source.stop()
            return LiveResult(stream_id, 0, 0)
    record = StreamRecord(id=stream_id, uri=redact(url), name=name or stream_id, kind="live", duration=0.0,
                          fps=source.info.fps, width=source.info.width, height=source.info.height, status="live",
                          run=run, settings=fingerprint, updated=now(), start=source.origin or time.time(),
                          lost=previous.lost if origin is not None and previous is not None else 0.0)
    session = live_session(record)
    context = replace(perception_context(settings, record, run, session), on_tracks=snapshots.analysed)
    backend = create_backend(settings.vlm, settings.cv, context)
    with open_writer() as store:
        writer = RunWriter.start_live(store, settings, record, fingerprint, session, context.zones)
    chunks = gaps = 0
    try:
        for piece, observation in perceive_in_order(backend, chunks_of(source, settings.ingest, prefetch_bytes=0,
                                                                       skip_empty=True)):
            observation = with_gaps(observation, source)
            gaps += sum(e.type == "gap" for e in observation.events)
            thumbnail = save_segment_thumbnail(piece, context.thumbs_dir)
            with open_writer() as store:
                writer.write(store, observation, thumbnail)
                writer.update_stream(store, piece.t1)
                writer.close(store)  # deliver this chunk's alerts while the store is open
            chunks += 1
            if should_stop():
                break
    finally:
        source.stop()
        backend.close()
        with open_writer() as store:
            writer.stop(store)
            writer.close(store)
    return LiveResult(stream_id, chunks, gaps)
