"""The graph store interface, with everything expressible in shared Cypher implemented once.

A backend only supplies ``_read`` (a query to a list of dicts), ``_write`` (statements in one transaction)
and its DDL. Choose one with :func:`open_store`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graph import cypher
from graph.errors import GraphUnavailable
from graph.records import GraphBatch, StreamRecord

if TYPE_CHECKING:
    from vidgraph.settings import Settings

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
    def semantic_search(self, label: str, vector: list[float], k: int, streams: list[str] | None) -> list[dict[str, Any]]:
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

    def list_streams(self) -> list[dict[str, Any]]:
        return self._read(cypher.LIST_STREAMS)

    def counts(self) -> dict[str, int]:
        """Node and relationship counts per label/type: what the idempotency tests compare."""
        queries = {**cypher.COUNT_NODES, **{k.strip("`"): v for k, v in cypher.COUNT_RELS.items()}}
        return {name: int(self._read(query)[0]["n"]) for name, query in queries.items()}

    def entities(
        self, streams: list[str] | None = None, cls: str | list[str] | None = None, t0: float | None = None,
        t1: float | None = None,
    ) -> list[dict[str, Any]]:
        """Entities in view during the window; ``cls`` one class or several (one scan either way)."""
        classes = [cls] if isinstance(cls, str) else cls
        return self._filtered(cypher.ENTITIES, _window(t0, t1), streams=streams, classes=classes)

    def events(
        self,
        streams: list[str] | None = None,
        types: list[str] | None = None,
        label: str | None = None,
        t0: float | None = None,
        t1: float | None = None,
        limit: int = 10_000,
    ) -> list[dict[str, Any]]:
        return self._filtered(cypher.EVENTS, {**_window(t0, t1), "limit": limit}, streams=streams, types=types,
                              label=label)

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
    ) -> list[dict[str, Any]]:
        """Alert firings of the streams' committed runs, in time order, with the event that triggered each."""
        return self._filtered(cypher.ALERTS, _window(t0, t1), streams=streams, ids=ids)

    def event_entities(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """The entities each event involves, with their role (one row per pair)."""
        return self._read(cypher.EVENT_ENTITIES, {"ids": list(event_ids)}) if event_ids else []

    def summaries(
        self, streams: list[str] | None = None, scale: float | None = None, t0: float | None = None,
        t1: float | None = None,
    ) -> list[dict[str, Any]]:
        return self._filtered(cypher.SUMMARIES, _window(t0, t1), streams=streams,
                              scale=None if scale is None else float(scale))

    def same_as(self, streams: list[str] | None = None) -> list[dict[str, Any]]:
        return self._filtered(cypher.SAME_AS, {}, streams=streams)

    def zones(self, streams: list[str] | None = None) -> list[dict[str, Any]]:
        return self._filtered(cypher.ZONES, {}, streams=streams)

    def zone_visits(
        self, zone: str, streams: list[str] | None = None, cls: str | None = None, t0: float | None = None,
        t1: float | None = None, types: Sequence[str] = ("zone_enter", "line_cross"),
    ) -> list[dict[str, Any]]:
        """Entities with an event at a zone (default: entered it or crossed the line), one row per such event."""
        return self._filtered(cypher.ZONE_VISITS, {"zone": zone, "types": list(types), **_window(t0, t1)},
                              streams=streams, cls=cls)

    def segments(
        self, streams: list[str] | None = None, t0: float | None = None, t1: float | None = None, limit: int = 100_000
    ) -> list[dict[str, Any]]:
        return self._filtered(cypher.SEGMENTS, {**_window(t0, t1), "limit": limit}, streams=streams)

    def _filtered(self, query: cypher.Filtered, params: dict[str, Any], **filters: Any) -> list[dict[str, Any]]:
        """Run a query with the optional filters that are given (``None``: no such filter)."""
        given = {name: list(value) if isinstance(value, (list, tuple)) else value
                 for name, value in filters.items() if value is not None}
        return self._read(query.build(set(given)), {**params, **given})


_OPEN = 1e18  # seconds: an open time bound (LadybugDB cannot bind a NULL parameter to a DOUBLE comparison)


def _window(t0: float | None, t1: float | None) -> dict[str, float]:
    return {"t0": -_OPEN if t0 is None else float(t0), "t1": _OPEN if t1 is None else float(t1)}


def open_store(settings: Settings, read_only: bool = False) -> GraphStore:
    """The configured backend: ``ladybug`` (embedded, default) or ``neo4j``."""
    backend = settings.graph.backend
    if backend == "ladybug":
        from graph.ladybug_store import LadybugStore

        return LadybugStore(settings.graph_path, read_only=read_only, buffer_pool_mb=settings.graph.buffer_pool_mb)
    if backend == "neo4j":
        try:
            from graph.neo4j_store import Neo4jStore
        except ModuleNotFoundError as err:
            raise GraphUnavailable("graph backend neo4j needs the Neo4j driver: pip install -e '.[neo4j]'") from err

        g = settings.graph
        if not g.neo4j_uri:
            raise ValueError("graph backend neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD)")
        password = g.neo4j_password.get_secret_value() if g.neo4j_password else ""
        return Neo4jStore(g.neo4j_uri, g.neo4j_user, password, database=g.neo4j_database,
                          buffer_batches=g.neo4j_buffer_batches, max_backoff_s=g.neo4j_max_backoff_s)
    raise ValueError(f"unknown graph backend {backend!r} (available: ladybug, neo4j)")
