"""The graph store interface, with everything expressible in shared Cypher implemented once.

A backend only supplies ``_read`` (a query to a list of dicts), ``_write`` (statements in one transaction)
and its DDL. Choose one with :func:`open_store`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from graph import cypher
from graph.errors import GraphUnavailable
from graph.records import (
    AlertRead,
    EntityRead,
    EventEntityRead,
    EventRead,
    GraphBatch,
    SameAsRead,
    SegmentRead,
    StreamRead,
    StreamRecord,
    SummaryRead,
    ZoneRead,
    ZoneVisitRead,
)
from graph.settings import GraphSettings

Statement = tuple[str, dict[str, Any]]


class GraphStore(ABC):
    backend: str = "abstract"

    # -- what a backend supplies -------------------------------------------------------------------------
    @abstractmethod
    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query; rows as dicts keyed by the RETURN aliases."""

    @abstractmethod
    def _write(self, statements: Sequence[Statement]) -> None:
        """Run write statements in one transaction: all or nothing."""

    @abstractmethod
    def close(self) -> None: ...

    def flush(self) -> None:
        """Wait for buffered writes (backends that buffer override this)."""

    @abstractmethod
    def set_embeddings(self, label: str, rows: list[dict[str, Any]]) -> None:
        """Store ``{"id", "embedding"}`` rows on Segment or Event nodes."""

    @abstractmethod
    def semantic_search(
        self, label: str, vector: list[float], k: int, streams: list[str] | None
    ) -> list[dict[str, Any]]:
        """The ``k`` nearest Segment or Event nodes of the streams' committed runs: ``{"id", "score"}`` rows."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes --------------------------------------------------------------------------------------------
    def upsert_stream(self, stream: StreamRecord) -> None:
        self._write([(cypher.UPSERT_STREAM, {"rows": [stream.row()]})])

    def write_batch(self, batch: GraphBatch) -> None:
        """Nodes first, then relations, all in one transaction; empty parts are skipped."""
        statements = self._batch_statements(batch)
        if statements:
            self._write(statements)

    @staticmethod
    def _batch_statements(batch: GraphBatch) -> list[Statement]:
        parts = [
            (cypher.UPSERT_SEGMENTS, batch.segments),
            (cypher.UPSERT_ENTITIES, batch.entities),
            (cypher.UPSERT_EVENTS, batch.events),
            (cypher.UPSERT_ZONES, batch.zones),
            (cypher.UPSERT_SUMMARIES, batch.summaries),
            (cypher.UPSERT_ALERTS, batch.alerts),
            (cypher.LINK_HAS, batch.has),
            (cypher.LINK_NEXT, batch.next),
            (cypher.LINK_IN, batch.occurs_in),
            (cypher.LINK_INVOLVES, batch.involves),
            (cypher.LINK_AT, batch.at),
            (cypher.LINK_SUMMARIZES_SEGMENT, [r for r in batch.summarizes if "/seg/" in r["dst"]]),
            (cypher.LINK_SUMMARIZES_SUMMARY, [r for r in batch.summarizes if "/sum/" in r["dst"]]),
            (cypher.LINK_TRIGGERED_BY, batch.triggered_by),
        ]
        return [(query, {"rows": rows}) for query, rows in parts if rows]

    def link_same_as(self, rows: list[dict[str, Any]]) -> None:
        """``{"src", "dst", "confidence", "reason"}``: the later entity is the earlier one."""
        if rows:
            self._write([(cypher.LINK_SAME_AS, {"rows": rows})])

    def delete_other_runs(self, stream_id: str, keep_run: str) -> None:
        """Drop what earlier analyses of this stream derived, keeping ``keep_run``."""
        params = {"stream": stream_id, "keep": keep_run}
        queries = (cypher.DELETE_ALERTS, cypher.DELETE_EVENTS, cypher.DELETE_ENTITIES, cypher.DELETE_SEGMENTS,
                   cypher.DELETE_SUMMARIES)
        self._write([(q, params) for q in queries])

    def delete_run(self, stream_id: str, run: str) -> None:
        """Drop what one (failed) analysis run wrote."""
        params = {"stream": stream_id, "run": run}
        queries = (cypher.DELETE_ONLY_RUN_ALERTS, cypher.DELETE_ONLY_RUN_EVENTS, cypher.DELETE_ONLY_RUN_ENTITIES,
                   cypher.DELETE_ONLY_RUN_SEGMENTS, cypher.DELETE_ONLY_RUN_SUMMARIES)
        self._write([(q, params) for q in queries])

    def delete_stream(self, stream_id: str) -> None:
        """Drop a stream and everything derived from it."""
        self.delete_other_runs(stream_id, keep_run="")
        self._write([(cypher.DELETE_ZONES, {"stream": stream_id}), (cypher.DELETE_STREAM, {"stream": stream_id})])

    def forget_range(self, stream_id: str, t0: float, t1: float, keep_summaries: bool = False) -> list[str]:
        """Delete what lies wholly inside ``[t0, t1)`` of a stream; returns the thumbnail files it named.

        ``keep_summaries=True`` is compaction: the detail goes, the 5-minute/hour/day digests and alerts stay.
        """
        params = {"stream": stream_id, "t0": float(t0), "t1": float(t1)}
        thumbnails = [row["thumbnail"] for row in self._read(cypher.RANGE_THUMBNAILS, params)]
        # compaction keeps the digests and the alert firings (incidents outlive their detail)
        queries = cypher.DELETE_RANGE if keep_summaries else (
            cypher.DELETE_RANGE_ALERTS, *cypher.DELETE_RANGE, cypher.DELETE_RANGE_SUMMARIES)
        self._write([(q, params) for q in queries])
        return thumbnails

    # -- reads ---------------------------------------------------------------------------------------------
    def get_stream(self, stream_id: str) -> StreamRecord | None:
        rows = self._read(cypher.GET_STREAM, {"id": stream_id})
        return StreamRecord(**rows[0]) if rows else None

    def list_streams(self) -> list[StreamRead]:
        return cast(list[StreamRead], self._read(cypher.LIST_STREAMS))

    def counts(self) -> dict[str, int]:
        """Node and relationship counts per label/type: what the idempotency tests compare."""
        queries = {**cypher.COUNT_NODES, **{k.strip("`"): v for k, v in cypher.COUNT_RELS.items()}}
        return {name: int(self._read(query)[0]["n"]) for name, query in queries.items()}

    def entities(
        self, streams: list[str] | None = None, cls: str | list[str] | None = None, t0: float | None = None,
        t1: float | None = None,
    ) -> list[EntityRead]:
        """Entities in view during the window; ``cls`` one class or several (one scan either way)."""
        classes = [cls] if isinstance(cls, str) else cls
        rows = self._filtered(cypher.ENTITIES, _window(t0, t1), streams=streams, classes=classes)
        return cast(list[EntityRead], _decoded(rows, "attributes"))

    def events(
        self,
        streams: list[str] | None = None,
        types: list[str] | None = None,
        label: str | None = None,
        t0: float | None = None,
        t1: float | None = None,
        limit: int = 10_000,
    ) -> list[EventRead]:
        rows = self._filtered(cypher.EVENTS, {**_window(t0, t1), "limit": limit}, streams=streams, types=types,
                              label=label)
        return cast(list[EventRead], _decoded(rows, "attributes"))

    def set_alert_delivery(self, rows: list[dict[str, Any]]) -> None:
        """``{"id", "delivered" ("yes", "failed", "pending", "none"), "attempts", "error"}`` per alert."""
        if rows:
            self._write([(cypher.SET_ALERT_DELIVERY, {"rows": rows})])

    def alert_delivery(self, ids: list[str]) -> dict[str, str]:
        """Delivery state by alert id, whatever run the alert belongs to (a run still being written included)."""
        return {r["id"]: r["delivered"] for r in self._read(cypher.ALERT_DELIVERY, {"ids": list(ids)})} if ids else {}

    def alerts(
        self, streams: list[str] | None = None, t0: float | None = None, t1: float | None = None,
        ids: list[str] | None = None,
    ) -> list[AlertRead]:
        """Alert firings of the streams' committed runs, in time order, with the event that triggered each."""
        return cast(list[AlertRead], self._filtered(cypher.ALERTS, _window(t0, t1), streams=streams, ids=ids))

    def event_entities(self, event_ids: list[str]) -> list[EventEntityRead]:
        """The entities each event involves, with their role (one row per pair)."""
        rows = self._read(cypher.EVENT_ENTITIES, {"ids": list(event_ids)}) if event_ids else []
        return cast(list[EventEntityRead], _decoded(rows, "attributes"))

    def summaries(
        self, streams: list[str] | None = None, scale: float | None = None, t0: float | None = None,
        t1: float | None = None,
    ) -> list[SummaryRead]:
        rows = self._filtered(cypher.SUMMARIES, _window(t0, t1), streams=streams,
                              scale=None if scale is None else float(scale))
        return cast(list[SummaryRead], _decoded(rows, "counts", "events", "notable"))

    def same_as(self, streams: list[str] | None = None) -> list[SameAsRead]:
        return cast(list[SameAsRead], self._filtered(cypher.SAME_AS, {}, streams=streams))

    def zones(self, streams: list[str] | None = None) -> list[ZoneRead]:
        return cast(list[ZoneRead], _decoded(self._filtered(cypher.ZONES, {}, streams=streams), "points"))

    def zone_visits(
        self, zone: str, streams: list[str] | None = None, cls: str | None = None, t0: float | None = None,
        t1: float | None = None, types: Sequence[str] = ("zone_enter", "line_cross"),
    ) -> list[ZoneVisitRead]:
        """Entities with an event at a zone (default: entered it or crossed the line), one row per such event."""
        rows = self._filtered(cypher.ZONE_VISITS, {"zone": zone, "types": list(types), **_window(t0, t1)},
                              streams=streams, cls=cls)
        return cast(list[ZoneVisitRead], _decoded(rows, "event_attributes", "attributes"))

    def segments(
        self, streams: list[str] | None = None, t0: float | None = None, t1: float | None = None, limit: int = 100_000
    ) -> list[SegmentRead]:
        rows = self._filtered(cypher.SEGMENTS, {**_window(t0, t1), "limit": limit}, streams=streams)
        return cast(list[SegmentRead], _decoded(rows, "counts", "seen"))

    def _filtered(self, query: cypher.Filtered, params: dict[str, Any], **filters: Any) -> list[dict[str, Any]]:
        """Run a query with the optional filters that are given (``None``: no such filter)."""
        given = {name: list(value) if isinstance(value, (list, tuple)) else value
                 for name, value in filters.items() if value is not None}
        return self._read(query.build(set(given)), {**params, **given})


_LISTS = ("notable", "points")  # JSON columns holding lists; the others hold objects


def _decoded(rows: list[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    """Rows with their JSON columns decoded (an empty value is an empty object or list)."""
    for row in rows:
        for column in columns:
            value = row.get(column)
            row[column] = json.loads(value) if value else ([] if column in _LISTS else {})
    return rows


_OPEN = 1e18  # seconds: an open time bound (LadybugDB cannot bind a NULL parameter to a DOUBLE comparison)


def _window(t0: float | None, t1: float | None) -> dict[str, float]:
    return {"t0": -_OPEN if t0 is None else float(t0), "t1": _OPEN if t1 is None else float(t1)}


def open_store(graph: GraphSettings, path: Path | None = None, read_only: bool = False) -> GraphStore:
    """The backend ``graph.backend`` names: ``ladybug`` (embedded, default; its file is ``graph.path``, else
    ``path``) or ``neo4j`` (a server, from the ``neo4j_*`` settings)."""
    if graph.backend == "ladybug":
        from graph.ladybug_store import LadybugStore

        where = graph.path or path
        if where is None:
            raise ValueError("the embedded graph needs a path (graph.path, or the data directory's graph.lbdb)")
        return LadybugStore(where, read_only=read_only, buffer_pool_mb=graph.buffer_pool_mb)
    try:
        from graph.neo4j_store import Neo4jStore
    except ModuleNotFoundError as err:
        raise GraphUnavailable("graph backend neo4j needs the Neo4j driver: pip install -e '.[neo4j]'") from err
    if not graph.neo4j_uri:
        raise ValueError("graph backend neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD)")
    password = graph.neo4j_password.get_secret_value() if graph.neo4j_password else ""
    return Neo4jStore(graph.neo4j_uri, graph.neo4j_user, password, database=graph.neo4j_database,
                      buffer_batches=graph.neo4j_buffer_batches, max_backoff_s=graph.neo4j_max_backoff_s)
