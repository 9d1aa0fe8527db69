"""The in-process pipeline: probe -> decode/sample/chunk -> perceive -> write, one chunk at a time.

Failure rules, so the store never holds half an analysis:

* bad input (missing, not a video, truncated) is found by :func:`ingest.probe` before anything is written;
* a failure later (decode error mid-file, Ctrl-C) deletes what this run wrote and restores the stream's
  previous state; a new stream disappears again;
* a re-run with the same settings MERGEs onto identical ids (nothing changes); with other settings it
  writes a new run and switches the stream to it only when complete, then drops the old run.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2

from graph import GraphStore, SegmentIndex, StreamRecord, observation_batch, run_id, summary_batch, zone_batch
from graph.embeddings import Embedder, create_embedder
from graph.resolve import ResolveSettings, resolve_stream
from graph.summaries import SummaryBuilder
from query.alerts import WebhookNotifier, fire, load_rules
from ingest import Chunk, MotionDetector, chunk, open_source, sample
from vidgraph.settings import Settings
from vlm import Observation, PerceptionBackend, PerceptionContext, create_backend
from vlm.cv.zones import load_zones

log = logging.getLogger(__name__)

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


def stream_id_for(path: Path) -> str:
    """A readable id that is stable for a file: its name plus a short hash of its absolute path."""
    resolved = str(path.resolve())
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "video"
    return f"{slug}-{hashlib.sha1(resolved.encode()).hexdigest()[:6]}"


_STREAM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_stream_id(stream_id: str) -> str:
    """Stream ids name directories and node ids: letters, digits, ``.``, ``_``, ``-``; at most 64."""
    if not _STREAM_ID.fullmatch(stream_id) or ".." in stream_id:
        raise ValueError(f"invalid stream id {stream_id!r}: use letters, digits, '.', '_' and '-' (at most 64)")
    return stream_id


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _save_segment_thumbnail(chunk: Chunk, directory: Path) -> str | None:
    """The frame with most motion (or the middle one) as a small JPEG: the picture behind a citation."""
    if not chunk.frames:
        return None
    frame = max(chunk.frames, key=lambda f: f.motion) if chunk.active else chunk.frames[len(chunk.frames) // 2]
    path = directory / f"seg-{chunk.idx:06d}.jpg"
    scale = 320 / frame.width
    small = cv2.resize(frame.image, (320, round(frame.height * scale)), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(path), cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 75])
    return str(path)


def perceive_in_order(backend: PerceptionBackend, pieces: Iterable[Chunk]) -> Iterator[tuple[Chunk, Observation]]:
    """Perceive chunks, ``backend.concurrency`` at a time, yielding results in chunk order.

    Stateful backends (tracking) have concurrency 1. For a VLM endpoint, a few requests in flight hide its
    latency; at most that many chunks of frames are held, so memory stays bounded.
    """
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


class StreamWriter:
    """The graph side of one analysis run, wherever its observations come from (this process or workers).

    ``begin`` records the stream as analysing (keeping the previous run visible until this one completes) and
    writes its zones; ``write`` turns each observation, in chunk order, into one batch (with the summaries it
    closes and the alerts it fires); ``finish`` writes the last summaries, switches the stream to this run,
    drops the old one and links entities (SAME_AS); ``roll_back`` leaves the store as it was before ``begin``.
    ``replay`` rebuilds the in-memory state (segment index, open summary windows) from observations already
    written, so a worker can continue a run another worker started.
    """

    def __init__(self, store: GraphStore, settings: Settings, record: StreamRecord, run: str,
                 fingerprint: str, embedder: Embedder | None = None, notify: bool = True) -> None:
        self.store, self.settings, self.record, self.run, self.fingerprint = store, settings, record, run, fingerprint
        self.embedder = embedder
        self.rules = load_rules(settings.alerts.rules_file) if settings.alerts.rules_file else []
        self.notify = notify
        self.notifier = _notifier(settings, store) if self.rules and notify else None
        self.previous: StreamRecord | None = None
        self.segments = SegmentIndex()
        self.summaries = SummaryBuilder(record.id, run, tuple(settings.graph.summary_scales),
                                        grace_s=settings.ingest.chunk_duration + settings.vlm.track_linger_s)
        self.counted = {"segments": 0, "events": 0, "failed": 0, "entities": set()}

    def use(self, store: GraphStore) -> None:
        """Continue on another session of the store (a live stream writes each chunk in its own session)."""
        self.store = store
        self.notifier = _notifier(self.settings, store) if self.rules and self.notify else None

    def begin(self, zones: tuple = ()) -> StreamRecord | None:
        self.previous = self.store.get_stream(self.record.id)
        if self.previous is not None:  # an existing stream keeps showing its old run until this one is done
            self.record.run, self.record.settings = self.previous.run, self.previous.settings
        self.store.upsert_stream(self.record)
        self.store.write_batch(zone_batch(self.record.id, zones))
        return self.previous

    def replay(self, observation: Observation, is_segment: bool = True) -> None:
        """Fold an already-written observation into the state without writing it again."""
        batch = observation_batch(self.record.id, self.run, observation, self.segments, None, is_segment=is_segment)
        self.summaries.add(observation, batch.segments[0]["id"] if batch.segments else None)

    def write(self, observation: Observation, thumbnail: str | None, is_segment: bool = True) -> None:
        batch = observation_batch(self.record.id, self.run, observation, self.segments, thumbnail, is_segment=is_segment)
        closed = self.summaries.add(observation, batch.segments[0]["id"] if batch.segments else None)
        if closed:
            self.store.write_batch(summary_batch(closed))
        fire(self.rules, batch, self.record.name)  # firings go in the same transaction as their events
        self.store.write_batch(batch)
        if self.notifier is not None and batch.alerts:
            self.notifier.submit(batch.alerts)
        if self.embedder is not None:
            _embed(self.store, self.embedder, batch)
        self.counted["segments"] += len(batch.segments)
        self.counted["events"] += len(batch.events)
        self.counted["failed"] += observation.status == "failed"
        self.counted["entities"].update(row["id"] for row in batch.entities)

    def finish(self) -> None:
        self.store.write_batch(summary_batch(self.summaries.finish()))
        r = self.record
        r.status, r.run, r.settings, r.error, r.updated = "complete", self.run, self.fingerprint, "", _now()
        self.store.upsert_stream(r)
        self.store.delete_other_runs(r.id, keep_run=self.run)
        g = self.settings.graph
        resolve_stream(self.store, r.id, ResolveSettings(g.reid_window_s, g.transit_s, g.min_similarity))
        self.store.flush()  # a buffering backend (Neo4j) has committed everything when this returns

    def roll_back(self, err: BaseException) -> None:
        _roll_back(self.store, self.record, self.previous, self.run, err)

    def close(self) -> None:
        if self.notifier is not None:
            self.notifier.close()


def prepare(path: Path, settings: Settings, stream_id: str | None = None, start: float | None = None):
    """Probe a file and derive what a run needs: the opened source, the stream record, the run id.

    Bad input raises :class:`ingest.VideoInputError` here, before anything is written.
    """
    source = open_source(path, max_width=settings.ingest.decode_max_width, decoder=settings.ingest.decoder)
    info = source.info
    stream_id = check_stream_id(stream_id or stream_id_for(Path(path)))
    fingerprint = settings.perception_fingerprint()
    run = run_id(fingerprint)
    record = StreamRecord(
        id=stream_id,
        uri=str(Path(path).resolve()),
        name=Path(path).name,
        kind="file",
        duration=info.duration,
        fps=info.fps,
        width=info.width,
        height=info.height,
        status="analyzing",
        run=run,
        settings=fingerprint,
        updated=_now(),
        # wall clock of t=0: given, else the container's creation time, else unknown (0)
        start=start if start is not None else (info.creation_time or 0.0),
    )
    return source, record, run, fingerprint


def perception_context(settings: Settings, record: StreamRecord, run: str) -> PerceptionContext:
    """What perception knows of a stream: its id, the size it is decoded at, where thumbnails go, its zones."""
    thumbs = settings.thumbs_dir / record.id / run
    thumbs.mkdir(parents=True, exist_ok=True)
    width, height = record.width, record.height
    if settings.ingest.decode_max_width < width:  # perception sees the decoded (scaled) size
        width = settings.ingest.decode_max_width
        height = round(record.height * width / record.width / 2) * 2
    return PerceptionContext(record.id, width, height, thumbs, tuple(load_zones(settings.zones_file, record.id)))


def chunks_of(source, settings: Settings, duration: float) -> Iterator[Chunk]:
    """Decode, sample and chunk a source as the settings say."""
    motion = MotionDetector(settings.ingest.motion_width, settings.ingest.motion_threshold)
    frames = sample(source, settings.ingest.sample_fps, motion)
    return chunk(frames, settings.ingest.chunk_duration, settings.ingest.chunk_overlap, duration)


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
    writer = StreamWriter(store, settings, record, run, fingerprint, embedder)
    backend = create_backend(settings, context)
    writer.begin(context.zones)
    duration = record.duration
    try:
        for piece, observation in perceive_in_order(backend, chunks_of(source, settings, duration)):
            writer.write(observation, _save_segment_thumbnail(piece, context.thumbs_dir))
            if progress:
                progress(min(piece.t1, duration), duration)
        final = backend.flush(duration)
        if final is not None:
            writer.write(final, None, is_segment=False)
        writer.finish()
    except BaseException as err:
        writer.roll_back(err)
        raise
    finally:
        backend.close()
        writer.close()
    counted = writer.counted
    return AnalyzeResult(
        stream_id=record.id,
        run=run,
        duration=duration,
        segments=counted["segments"],
        events=counted["events"],
        entities=len(counted["entities"]),
        backend=backend.describe(),
        unchanged=unchanged,
        failed_segments=counted["failed"],
    )


def _notifier(settings: Settings, store: GraphStore) -> WebhookNotifier:
    a = settings.alerts
    token = a.webhook_token.get_secret_value() if a.webhook_token else None
    return WebhookNotifier(a.webhook_url, store, token=token, max_retries=a.max_retries, backoff_s=a.backoff_s)


def _embed(store: GraphStore, embedder: Embedder, batch) -> None:
    """Vectors of the segment captions and event descriptions just written."""
    for label, rows, field in (("Segment", batch.segments, "caption"), ("Event", batch.events, "description")):
        if rows:
            vectors = embedder.embed([row[field] for row in rows])
            store.set_embeddings(label, [{"id": r["id"], "embedding": v.tolist()} for r, v in zip(rows, vectors)])


def _roll_back(store: GraphStore, record: StreamRecord, previous: StreamRecord | None, run: str, err: BaseException) -> None:
    """Leave the store as it was before this run started."""
    log.warning("analysis of %s failed (%s); removing what this run wrote", record.uri, err)
    if previous is None:
        store.delete_stream(record.id)
        return
    if previous.run != run:
        store.delete_run(record.id, run)
    store.upsert_stream(previous)
