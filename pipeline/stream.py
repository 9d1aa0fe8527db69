"""A stream's identity and what a run of it needs: its record, its run id, its perception context, the graph."""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from common.site import load_camera, load_zones
from graph import GraphStore, StreamRecord, open_store, run_id
from ingest import open_source
from ingest.source import VideoSource
from pipeline.settings import Settings
from pipeline.snapshots import live_dir
from vlm import PerceptionContext

_STREAM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def now() -> str:
    """The wall clock as stored on stream records (``updated``)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_graph(settings: Settings, read_only: bool = False) -> GraphStore:
    """The configured graph store (the embedded one lives in the data directory)."""
    return open_store(settings.graph, settings.graph_path, read_only=read_only)


def forget_stream(store: GraphStore, settings: Settings, stream_id: str) -> None:
    """Delete a stream from the graph and every file derived from it: its thumbnails and, for a live stream,
    its snapshots (``<data_dir>/live/<id>``)."""
    store.delete_stream(stream_id)
    store.flush()
    for directory in (settings.thumbs_dir / stream_id, live_dir(settings.data_dir, stream_id)):
        shutil.rmtree(directory, ignore_errors=True)


def stream_id_for(path: Path) -> str:
    """A readable id that is stable for a file: its name plus a short hash of its absolute path."""
    resolved = str(path.resolve())
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "video"
    return f"{slug}-{hashlib.sha1(resolved.encode()).hexdigest()[:6]}"


def check_stream_id(stream_id: str) -> str:
    """Stream ids name directories and node ids: letters, digits, ``.``, ``_``, ``-``; at most 64."""
    if not _STREAM_ID.fullmatch(stream_id) or ".." in stream_id:
        raise ValueError(f"invalid stream id {stream_id!r}: use letters, digits, '.', '_' and '-' (at most 64)")
    return stream_id


def prepare(path: Path, settings: Settings, stream_id: str | None = None,
            start: float | None = None) -> tuple[VideoSource, StreamRecord, str, str]:
    """Probe a file and derive what a run needs: the opened source, the stream record, the run id and the
    settings fingerprint. Bad input raises :class:`ingest.VideoInputError` here, before anything is written."""
    source = open_source(path, max_width=settings.ingest.decode_max_width, decoder=settings.ingest.decoder)
    info = source.info
    stream_id = check_stream_id(stream_id or stream_id_for(Path(path)))
    fingerprint = settings.perception_fingerprint()
    record = StreamRecord(
        id=stream_id, uri=str(Path(path).resolve()), name=Path(path).name, kind="file", duration=info.duration,
        fps=info.fps, width=info.width, height=info.height, status="analyzing", run=run_id(fingerprint),
        settings=fingerprint, updated=now(),
        # wall clock of t=0: given, else the container's creation time, else unknown (0)
        start=start if start is not None else (info.creation_time or 0.0),
    )
    return source, record, record.run, fingerprint


def live_session(record: StreamRecord) -> str:
    """A live reader's tag: seconds since the stream's origin when it started ("r555"). A restarted reader, whose
    tracker counts from 0 again, never overwrites what an earlier one wrote: its ids and pictures carry the tag."""
    return f"r{max(0, int(time.time() - (record.start or time.time())))}"


def perception_context(settings: Settings, record: StreamRecord, run: str, session: str = "") -> PerceptionContext:
    """What perception knows of a stream: its id, the size it is decoded at, the sample rate, where thumbnails
    (a live reader's in a folder of its ``session``) and VLM replies go, its zones."""
    thumbs = settings.thumbs_dir / record.id / run / session
    thumbs.mkdir(parents=True, exist_ok=True)
    width, height = record.width, record.height
    if settings.ingest.decode_max_width < width:  # perception sees the decoded (scaled) size
        width = settings.ingest.decode_max_width
        height = round(record.height * width / record.width / 2) * 2
    return PerceptionContext(record.id, width, height, thumbs, settings.ingest.sample_fps,
                             tuple(load_zones(settings.zones_file, record.id)),
                             load_camera(settings.zones_file, record.id), cache_dir=settings.vlm_cache_dir)
