"""The production backend: Neo4j 5 through the official ``neo4j`` driver.

Same Cypher as the embedded store (``graph/cypher.py``); what differs is here: constraints and indexes
instead of table DDL, managed transactions (``execute_write`` retries transient errors itself), and a
bounded write buffer. Writes go to a queue drained by one writer thread in groups (``graph.group``); while
Neo4j is unreachable the writer keeps retrying with backoff and, once the buffer is full, ``write_batch``
blocks: ingestion pauses, nothing is dropped. Reads flush the buffer first, so a caller reads its own writes.

Connection from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` (and ``NEO4J_DATABASE``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from graph import cypher
from graph.errors import GraphUnavailable
from graph.group import WriteQueue
from graph.store import GraphStore, Statement

log = logging.getLogger(__name__)

SCHEMA = (
    *(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
      for label in ("Stream", "Segment", "Event", "Entity", "Zone", "Summary", "Alert", "DayCount")),
    "CREATE INDEX alert_stream_t0 IF NOT EXISTS FOR (n:Alert) ON (n.stream_id, n.t0)",
    "CREATE INDEX segment_stream_t0 IF NOT EXISTS FOR (n:Segment) ON (n.stream_id, n.t0)",
    "CREATE INDEX event_stream_t0 IF NOT EXISTS FOR (n:Event) ON (n.stream_id, n.t0)",
    "CREATE INDEX event_stream_t1 IF NOT EXISTS FOR (n:Event) ON (n.stream_id, n.t1)",  # zone visits by time
    "CREATE INDEX event_type IF NOT EXISTS FOR (n:Event) ON (n.type)",
    "CREATE INDEX entity_stream_cls IF NOT EXISTS FOR (n:Entity) ON (n.stream_id, n.cls)",
    # a camera's class over a window: seeks on a time bound instead of filtering a month of that class. With
    # both, the planner seeks last_seen >= t0 for "in view during" windows (short for recent ones, which
    # operators ask about most) and first_seen for the edge days of counts
    "CREATE INDEX entity_stream_cls_first IF NOT EXISTS FOR (n:Entity) ON (n.stream_id, n.cls, n.first_seen)",
    "CREATE INDEX entity_stream_cls_last IF NOT EXISTS FOR (n:Entity) ON (n.stream_id, n.cls, n.last_seen)",
    "CREATE INDEX daycount_stream_day IF NOT EXISTS FOR (n:DayCount) ON (n.stream_id, n.day)",
    "CREATE INDEX summary_stream_scale_t0 IF NOT EXISTS FOR (n:Summary) ON (n.stream_id, n.scale, n.t0)",
    *(f"CREATE VECTOR INDEX {label.lower()}_embedding IF NOT EXISTS FOR (n:{label}) ON (n.embedding) "
      "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}"
      for label in ("Segment", "Event")),
)

_OUTAGE = (ServiceUnavailable, SessionExpired, TransientError)


def _label(label: str) -> str:
    if label not in ("Segment", "Event"):
        raise ValueError(f"no embeddings on {label!r}")
    return label


class Neo4jStore(GraphStore):
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None, buffer_batches: int = 256,
                 max_backoff_s: float = 30.0) -> None:
        self.uri, self.database = uri, database
        # notifications off: the server warns about every property key no node has yet (an empty database)
        self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, OSError, ValueError) as err:
            self._driver.close()
            raise GraphUnavailable(f"cannot reach Neo4j at {uri}: {' '.join(str(err).split())}") from err
        for statement in SCHEMA:
            self._driver.execute_query(statement, database_=database)
        self.max_backoff_s = max_backoff_s
        self._local = threading.local()  # a thread's read transaction (reading())
        self._writes = WriteQueue(self._commit, "vidgraph-neo4j-writer", maxsize=buffer_batches)

    # -- writes: buffered, grouped, retried through outages ------------------------------------------------
    def _write(self, statements: Sequence[Statement]) -> None:
        self._writes.put(statements)  # blocks when the buffer is full: back-pressure on ingestion

    def _commit(self, statements: list[Statement]) -> None:
        delay = 0.5
        while True:
            try:
                with self._driver.session(database=self.database) as session:
                    session.execute_write(lambda tx: [tx.run(q, p).consume() for q, p in statements])
                return
            except _OUTAGE as err:
                log.warning("Neo4j unavailable (%s); write buffered, retrying in %.1f s", err, delay)
                time.sleep(delay)
                delay = min(delay * 2, self.max_backoff_s)

    def flush(self) -> None:
        """Wait until every buffered write is committed."""
        self._writes.flush()

    # -- reads ---------------------------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[None]:
        if getattr(self._local, "tx", None) is not None:  # nested: the outer transaction serves
            yield
            return
        self.flush()
        session = self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS)
        with session, session.begin_transaction() as tx:
            self._local.tx = tx
            try:
                yield
            finally:
                self._local.tx = None

    def _has_first_index(self) -> bool:
        """Entity reads use the (stream_id, cls, first_seen/last_seen) indexes: Neo4j seeks where LadybugDB
        scans, and the rollup's key lookups measured no faster here (``bench/query.py``, p95 38.5 against 37.1
        ms), so they are not used."""
        return False

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        tx = getattr(self._local, "tx", None)
        if tx is not None:  # inside reading(): this thread's transaction, flushed when it began
            result = tx.run(query, params or {})
            return _plain(result.keys(), result.values())
        self.flush()
        records, _, keys = self._driver.execute_query(
            query, params or {}, database_=self.database, routing_=neo4j.RoutingControl.READ
        )
        return _plain(keys, records)

    # -- the dialect differences: vectors ----------------------------------------------------------------
    def set_embeddings(self, label: str, rows: list[dict[str, Any]]) -> None:
        query = (f"UNWIND $rows AS r MATCH (n:{_label(label)} {{id: r.id}}) "
                 "CALL db.create.setNodeVectorProperty(n, 'embedding', r.embedding)")
        self._write([(query, {"rows": rows})])

    def semantic_search(
        self, label: str, vector: list[float], k: int, streams: list[str] | None
    ) -> list[dict[str, Any]]:
        # the vector index is approximate and global: over-fetch, then keep the streams' committed runs
        # Neo4j's cosine score is (1 + cos) / 2: returned as the cosine, as the embedded store does
        query = cypher.filtered(
            "CALL db.index.vector.queryNodes($index, $fetch, $q) YIELD node AS n, score "
            "WHERE true@streams@ "
            "MATCH (st:Stream {id: n.stream_id}) WHERE n.run = st.run "
            "RETURN n.id AS id, 2 * score - 1 AS score ORDER BY score DESC LIMIT $k",
            streams="n.stream_id IN $streams")
        params = {"index": f"{_label(label).lower()}_embedding", "fetch": k * 10, "q": vector, "k": k}
        return self._filtered(query, params, streams=streams)

    def close(self) -> None:
        try:
            self._writes.close()
        finally:
            self._driver.close()


def _plain(keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows as dicts. Every read returns scalars, so ``Record.data()``'s recursive conversion (a quarter to a
    third of the client's time on a 200-row read) is not needed."""
    return [dict(zip(keys, row, strict=True)) for row in rows]
