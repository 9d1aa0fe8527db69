"""Group commit: write transactions are queued and committed in order by one writer thread; those that queued
while it was committing go in as one transaction. A live camera writes a few rows every chunk, and a commit
costs ~10 ms whatever its size (LadybugDB's checkpointed WAL, Neo4j's round trips), so one commit per chunk
caps a store at ~100 chunks a second; merged, many chunks and streams share one commit. Latency stays
bounded: a transaction waits for at most the commit in flight.

Only transactions made of row upserts (``UNWIND $rows ... MERGE ... SET`` every property, in ``MERGEABLE``)
merge: their rows are concatenated per statement, nodes before relationships, one row per key (the last, as
applying them one after another would leave it). Anything else (deletes, bulk copies, embeddings) commits on
its own, in its place. If a merged commit fails, its transactions are committed one by one, so one bad write
costs only itself; the first failure is raised to the next caller that writes or flushes.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from graph import cypher

Statement = tuple[str, dict[str, Any]]
Transaction = list[Statement]

# the statements whose transactions merge, in the order a merged transaction runs them: nodes, then links
MERGEABLE: tuple[str, ...] = (
    cypher.UPSERT_STREAM, cypher.UPSERT_SEGMENTS, cypher.UPSERT_ENTITIES, cypher.UPSERT_EVENTS,
    cypher.UPSERT_ZONES, cypher.UPSERT_SUMMARIES, cypher.UPSERT_ALERTS, cypher.SET_ALERT_DELIVERY,
    cypher.LINK_HAS, cypher.LINK_NEXT, cypher.LINK_IN, cypher.LINK_INVOLVES, cypher.LINK_AT,
    cypher.LINK_SUMMARIZES_SEGMENT, cypher.LINK_SUMMARIZES_SUMMARY, cypher.LINK_SAME_AS, cypher.LINK_TRIGGERED_BY,
)
_RANK = {query: i for i, query in enumerate(MERGEABLE)}
MAX_GROUP_ROWS = 20_000  # rows in one merged transaction (a bound on its memory and on its commit time)
_STOP = object()


def _mergeable(tx: Transaction) -> bool:
    return all(query in _RANK and params.keys() == {"rows"} and isinstance(params["rows"], list)
               for query, params in tx)


def groups(transactions: Sequence[Transaction], max_rows: int = MAX_GROUP_ROWS) -> list[list[Transaction]]:
    """The transactions in order, consecutive mergeable ones together (up to ``max_rows`` rows a group)."""
    out: list[list[Transaction]] = []
    rows, open_group = 0, False  # open_group: the last group is of mergeable transactions
    for tx in transactions:
        size = sum(len(params.get("rows", ())) for _, params in tx)
        mergeable = _mergeable(tx)
        if open_group and mergeable and rows + size <= max_rows:
            out[-1].append(tx)
            rows += size
        else:
            out.append([tx])
            rows, open_group = size, mergeable
    return out


def merged(group: Sequence[Transaction]) -> Transaction:
    """One transaction doing what the group's transactions do one after another."""
    if len(group) == 1:
        return list(group[0])
    rows: dict[str, list[dict[str, Any]]] = {}
    for tx in group:
        for query, params in tx:
            rows.setdefault(query, []).extend(params["rows"])
    return [(query, {"rows": last_per_key(rows[query])}) for query in sorted(rows, key=_RANK.__getitem__)]


def last_per_key(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per node id or per link's two ends, the last written."""
    return list({(r["id"],) if "id" in r else (r["src"], r["dst"]): r for r in rows}.values())


class WriteQueue:
    """Transactions committed in order by one thread, in groups (see the module). ``put`` blocks while
    ``maxsize`` transactions wait: back-pressure on ingestion when the store is slow or away."""

    def __init__(self, commit: Callable[[Transaction], None], name: str, maxsize: int = 256,
                 max_rows: int = MAX_GROUP_ROWS) -> None:
        self._commit, self.max_rows = commit, max_rows
        self._queue: queue.Queue[object] = queue.Queue(maxsize=maxsize)
        self._failure: BaseException | None = None
        self.commits = 0  # transactions committed (merged ones count once)
        self._thread = threading.Thread(target=self._drain, name=name, daemon=True)
        self._thread.start()

    def put(self, statements: Sequence[Statement]) -> None:
        self.raise_failure()
        if not self._thread.is_alive():  # closed: nothing would ever commit it, and flush would wait forever
            raise RuntimeError("the store is closed: this write was not made")
        self._queue.put(list(statements))

    def flush(self) -> None:
        """Wait until everything put is committed (or has failed: the failure is raised)."""
        self._queue.join()
        self.raise_failure()

    def close(self) -> None:
        """Commit what is queued and stop the writer thread (again: nothing to do)."""
        if not self._thread.is_alive():
            return
        try:
            self.flush()
        finally:
            self._queue.put(_STOP)
            self._thread.join(timeout=30)

    def raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure

    def _drain(self) -> None:
        while True:
            items = [self._queue.get()]
            while True:  # what queued during the last commit goes in with it
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                for group in groups([i for i in items if i is not _STOP], self.max_rows):  # type: ignore[misc]
                    self._commit_group(group)
            finally:
                for _ in items:
                    self._queue.task_done()
            if _STOP in items:
                return

    def _commit_group(self, group: list[Transaction]) -> None:
        try:
            self._commit(merged(group))
            self.commits += 1
            return
        except BaseException as err:
            if len(group) == 1:
                self._failure = self._failure or err
                return
        for tx in group:  # one bad write costs only itself
            try:
                self._commit(tx)
                self.commits += 1
            except BaseException as err:
                self._failure = self._failure or err
