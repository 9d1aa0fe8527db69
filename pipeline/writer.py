"""The graph side of a run: the only code that writes a run's nodes, wherever its observations come from.

A run is one analysis of one stream with one set of settings (``run`` is the hash of those settings). Three
ways in, one writer:

* :meth:`RunWriter.start_file` - a file: the stream shows its previous run until this one completes
  (:meth:`finish`), and a failed run is rolled back (:meth:`roll_back`) to exactly what was there before;
* :meth:`RunWriter.start_live` - a live stream: what is seen stays (never rolled back), and a restarted
  reader continues the same stream;
* :meth:`RunWriter.resume` - a worker continuing a file run another worker began, from :meth:`state`
  (JSON-able and bounded: two numbers, the open summary windows and the entities in view), so a day-long
  job's commits cost the same at the end as at the start.

The writer holds the run's state, never a store connection: every method takes the store session it writes
to (a live stream writes each chunk in its own short session). Each observation becomes one batch, written in
one transaction with the summaries it closes and the alert firings its events cause; webhook delivery states
are stored by the writer too, so no other thread writes the store.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from alerts import AlertRule, Occupancy, WebhookNotifier, fire, load_rules
from common.site import ZoneSpec
from graph import GraphBatch, GraphStore, SegmentIndex, StreamRecord, observation_batch, summary_batch, zone_batch
from graph.embeddings import Embedder
from graph.resolve import resolve_stream
from graph.summaries import SummaryBuilder
from pipeline.settings import Settings
from pipeline.stream import forget_stream, now
from vlm import Observation

log = logging.getLogger(__name__)

def writer_id() -> str:
    """Who writes a run ("host:pid"), for telling a live writer from a dead one."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(slots=True)
class RunStats:
    segments: int = 0
    events: int = 0
    failed: int = 0
    entities: set[str] = field(default_factory=set)


@dataclass(slots=True)
class RunState:
    """What a run's writer needs to continue in another process (JSON-able; bounded whatever the run's length)."""

    previous: dict[str, Any] | None  # the stream's record before this run began (a file run rolls back to it)
    last_segment: int  # index of the latest segment written (-1: none)
    summaries: dict[str, Any]  # SummaryBuilder.state()
    lost: float = 0.0  # seconds of gaps written so far
    occupancy: dict[str, Any] | None = None  # alerts.occupancy.Occupancy.state()


class RunWriter:
    def __init__(self, settings: Settings, record: StreamRecord, fingerprint: str, *,
                 embedder: Embedder | None = None, notify: bool = True) -> None:
        self.settings, self.record, self.fingerprint, self.embedder = settings, record, fingerprint, embedder
        self.run = record.run
        stride = settings.ingest.chunk_duration - settings.ingest.chunk_overlap
        self.segments = SegmentIndex(record.id, self.run, stride)
        self.summaries = SummaryBuilder(record.id, self.run, tuple(settings.graph.summary_scales),
                                        grace_s=settings.ingest.chunk_duration + settings.cv.track_linger_s)
        self.rules: list[AlertRule] = load_rules(settings.alerts.rules_file) if settings.alerts.rules_file else []
        self.notifier = _notifier(settings) if self.rules and notify else None
        # zone stays so far, for rules on how many are inside at once; no zone event comes later than this
        self.occupancy = Occupancy(self.rules, settings.ingest.chunk_duration + settings.cv.track_linger_s,
                                   hold_s=settings.cv.unseen_s)
        self.previous: StreamRecord | None = None
        self.shown: StreamRecord | None = None  # a file run: the stream's record as others see it meanwhile
        self.session = ""  # a live reader's tag in its entity and event ids (start_live)
        self.stats = RunStats()

    # -- the three ways in -----------------------------------------------------------------------------------
    @classmethod
    def start_file(cls, store: GraphStore, settings: Settings, record: StreamRecord, fingerprint: str,
                   zones: tuple[ZoneSpec, ...] = (), embedder: Embedder | None = None) -> RunWriter:
        """Record the stream as analysing (its previous run stays visible until this one is done); write its zones."""
        writer = cls(settings, record, fingerprint, embedder=embedder)
        writer.previous = store.get_stream(record.id)
        record.writer = writer_id()
        writer.shown = _shown(record, writer.previous)
        store.upsert_stream(writer.shown)
        store.write_batch(zone_batch(record.id, zones))
        return writer

    @classmethod
    def start_live(cls, store: GraphStore, settings: Settings, record: StreamRecord, fingerprint: str,
                   session: str, zones: tuple[ZoneSpec, ...] = ()) -> RunWriter:
        """A live stream shows its current run from the start and is never rolled back: what was seen stays.
        ``session``: this reader's tag in its ids (``live_session``)."""
        writer = cls(settings, record, fingerprint)
        writer.session = session
        writer.occupancy.live = True  # a zone_dwell rule fires while the object is still inside
        store.upsert_stream(record)
        store.drop_day_counts(record.id)  # it grows again: counts are read entity by entity until it stops
        store.write_batch(zone_batch(record.id, zones))
        return writer

    @classmethod
    def resume(cls, settings: Settings, record: StreamRecord, fingerprint: str, state: RunState,
               notify: bool = True) -> RunWriter:
        """Continue a file run from :meth:`state`, in this process."""
        writer = cls(settings, record, fingerprint, notify=notify)
        writer.previous = StreamRecord(**state.previous) if state.previous else None
        writer.shown = _shown(record, writer.previous)
        writer.segments.last_idx = state.last_segment
        writer.summaries.restore(state.summaries)
        writer.record.lost = state.lost
        if state.occupancy:
            writer.occupancy = Occupancy(writer.rules, writer.occupancy.horizon_s, state.occupancy,
                                         hold_s=writer.occupancy.hold_s)
        return writer

    def state(self) -> RunState:
        occupancy = self.occupancy.state() if self.occupancy.watches else None
        return RunState(self.previous.row() if self.previous else None, self.segments.last_idx,
                        self.summaries.state(), self.record.lost, occupancy)

    # -- writing ---------------------------------------------------------------------------------------------
    def write(self, store: GraphStore, observation: Observation, thumbnail: str | None,
              is_segment: bool = True) -> None:
        """One observation, in chunk order, as one batch (``is_segment=False``: the end-of-stream flush)."""
        batch = observation_batch(self.record.id, self.run, observation, self.segments, thumbnail,
                                  is_segment=is_segment, session=self.session)
        closed = self.summaries.add(observation, batch.segments[0]["id"] if batch.segments else None)
        if closed:
            store.write_batch(summary_batch(closed))
        # firings go in the same transaction as their events
        fire(self.rules, batch, self.record.name, self.record.start or 0.0, ZoneInfo(self.settings.timezone),
             self.occupancy)
        store.write_batch(batch)
        self._deliver(store, batch)
        if self.embedder is not None:
            _embed(store, self.embedder, batch)
        self.record.lost += sum(e.t1 - e.t0 for e in observation.events if e.type == "gap")
        self._heartbeat(store, observation.t1)
        self.stats.segments += len(batch.segments)
        self.stats.events += len(batch.events)
        self.stats.failed += observation.status == "failed"
        self.stats.entities.update(row["id"] for row in batch.entities)

    def _heartbeat(self, store: GraphStore, done: float) -> None:
        """A file run in progress says who writes it and how far it got, with every batch (one small write per
        chunk, so "done" is never behind what is stored): a stream still "analyzing" whose writer is gone was
        interrupted (``query`` reads it so)."""
        if self.shown is None:
            return
        self.shown.writer, self.shown.updated, self.shown.done = writer_id(), now(), done
        if self.previous is None:  # a first run: what it lost so far (a re-run shows the previous run's)
            self.shown.lost = self.record.lost
        store.upsert_stream(self.shown)

    def update_stream(self, store: GraphStore, duration: float) -> None:
        """A live stream has grown to ``duration`` seconds."""
        self.record.duration, self.record.updated = duration, now()
        store.upsert_stream(self.record)

    def finish(self, store: GraphStore) -> None:
        """A file run is complete: last summaries, the stream switched to this run, older runs dropped, entities
        linked (SAME_AS); a buffering backend (Neo4j) has committed everything when this returns."""
        store.write_batch(summary_batch(self.summaries.finish()))
        r = self.record
        r.status, r.settings, r.error, r.updated, r.writer = "complete", self.fingerprint, "", now(), ""
        r.done = r.duration
        store.upsert_stream(r)
        store.delete_other_runs(r.id, keep_run=self.run)
        for other in (self.settings.thumbs_dir / r.id).glob("*"):  # and their pictures
            if other.name != self.run:
                shutil.rmtree(other, ignore_errors=True)
        resolve_stream(store, r.id, self.settings.graph)
        store.roll_up_days(r.id, self.run)  # counts over long windows read whole days from here
        store.flush()

    def stop(self, store: GraphStore) -> None:
        """A live stream's reader stops: its last summaries; the stream stays with what it saw (rolled up by day:
        while it runs its entities may still change, so its counts are read entity by entity)."""
        store.write_batch(summary_batch(self.summaries.finish()))
        self.record.status, self.record.updated = "stopped", now()
        store.upsert_stream(self.record)
        store.roll_up_days(self.record.id, self.record.run)
        store.flush()

    def roll_back(self, store: GraphStore, err: BaseException) -> None:
        """Leave the store, and the thumbnails beside it, as they were before this run began."""
        log.warning("analysis of %s failed (%s); removing what this run wrote", self.record.uri, err)
        if self.previous is None:
            forget_stream(store, self.settings, self.record.id)
            return
        if self.previous.run != self.run:  # the same run id is the same analysis: its pictures are the previous'
            store.delete_run(self.record.id, self.run)
            shutil.rmtree(self.settings.thumbs_dir / self.record.id / self.run, ignore_errors=True)
        store.upsert_stream(self.previous)

    def close(self, store: GraphStore) -> None:
        """Wait for webhook deliveries and store their states (while ``store`` is still open)."""
        if self.notifier is not None:
            store.set_alert_delivery(self.notifier.close())
            self.notifier = _notifier(self.settings) if self.rules else None  # a live stream writes on

    def _deliver(self, store: GraphStore, batch: GraphBatch) -> None:
        if self.notifier is None:
            return
        store.set_alert_delivery(self.notifier.results())
        if batch.alerts:
            state = store.alert_delivery([a["id"] for a in batch.alerts])
            self.notifier.submit([a for a in batch.alerts if state.get(a["id"]) == "pending"])


def _shown(record: StreamRecord, previous: StreamRecord | None) -> StreamRecord:
    """A file run's stream as others see it while it runs: analysing, its previous run still the one read."""
    if previous is None:
        return StreamRecord(**record.row())
    return StreamRecord(**{**record.row(), "run": previous.run, "settings": previous.settings})


def _notifier(settings: Settings) -> WebhookNotifier:
    a = settings.alerts
    token = a.webhook_token.get_secret_value() if a.webhook_token else None
    return WebhookNotifier(a.webhook_url, token=token, max_retries=a.max_retries, backoff_s=a.backoff_s)


def _embed(store: GraphStore, embedder: Embedder, batch: GraphBatch) -> None:
    """Vectors of the segment captions and event descriptions just written."""
    texts = {"Segment": {r["id"]: r["caption"] for r in batch.segments},
             "Event": {r["id"]: r["description"] for r in batch.events}}
    for label, by_id in texts.items():
        if by_id:
            vectors = embedder.embed(list(by_id.values()))
            store.set_embeddings(label, [{"id": i, "embedding": v.tolist()}
                                         for i, v in zip(by_id, vectors, strict=True)])
