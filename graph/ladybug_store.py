"""The embedded default: LadybugDB (the maintained Kuzu fork), Cypher in-process, no server.

LadybugDB allows one write transaction at a time, and a second one started on another connection corrupted
state in tests here: every write goes through a single connection behind a lock. Tables must be declared;
only the primary key is indexed.
"""

from __future__ import annotations

import ctypes
import logging
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import ladybug

if TYPE_CHECKING:
    import pyarrow as pa

from graph import cypher
from graph.errors import GraphBusy, GraphError, GraphReadTooLarge
from graph.group import WriteQueue, last_per_key
from graph.records import GraphBatch
from graph.store import GraphStore, Statement

log = logging.getLogger(__name__)

SCHEMA = (
    "CREATE NODE TABLE IF NOT EXISTS Stream(id STRING PRIMARY KEY, uri STRING, name STRING, kind STRING, "
    "duration DOUBLE, fps DOUBLE, width INT64, height INT64, status STRING, run STRING, settings STRING, "
    "error STRING, updated STRING, start DOUBLE, writer STRING, done DOUBLE, lost DOUBLE)",
    "CREATE NODE TABLE IF NOT EXISTS Segment(id STRING PRIMARY KEY, stream_id STRING, run STRING, idx INT64, "
    "t0 DOUBLE, t1 DOUBLE, caption STRING, motion DOUBLE, status STRING, error STRING, counts STRING, "
    "thumbnail STRING, embedding FLOAT[384], seen STRING, unexplained DOUBLE)",
    "CREATE NODE TABLE IF NOT EXISTS Event(id STRING PRIMARY KEY, stream_id STRING, run STRING, type STRING, "
    "t0 DOUBLE, t1 DOUBLE, confidence DOUBLE, label STRING, description STRING, attributes STRING, "
    "embedding FLOAT[384], thumbnail STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Entity(id STRING PRIMARY KEY, stream_id STRING, run STRING, cls STRING, "
    "first_seen DOUBLE, last_seen DOUBLE, confidence DOUBLE, direction STRING, attributes STRING, "
    "thumbnail STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Zone(id STRING PRIMARY KEY, stream_id STRING, name STRING, kind STRING, "
    "points STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Summary(id STRING PRIMARY KEY, stream_id STRING, run STRING, scale DOUBLE, "
    "t0 DOUBLE, t1 DOUBLE, text STRING, counts STRING, events STRING, notable STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Alert(id STRING PRIMARY KEY, stream_id STRING, run STRING, rule STRING, "
    "severity STRING, t0 DOUBLE, t1 DOUBLE, text STRING, fired STRING, thumbnail STRING, delivered STRING, "
    "attempts INT64, error STRING)",
    "CREATE NODE TABLE IF NOT EXISTS DayCount(id STRING PRIMARY KEY, stream_id STRING, run STRING, day INT64, "
    "cls STRING, direction STRING, n INT64, through DOUBLE)",
    "CREATE REL TABLE IF NOT EXISTS HAS(FROM Stream TO Segment)",
    "CREATE REL TABLE IF NOT EXISTS NEXT(FROM Segment TO Segment)",
    "CREATE REL TABLE IF NOT EXISTS `IN`(FROM Event TO Segment)",
    "CREATE REL TABLE IF NOT EXISTS INVOLVES(FROM Event TO Entity, role STRING)",
    "CREATE REL TABLE IF NOT EXISTS AT(FROM Event TO Zone)",
    "CREATE REL TABLE IF NOT EXISTS SAME_AS(FROM Entity TO Entity, confidence DOUBLE, reason STRING)",
    "CREATE REL TABLE IF NOT EXISTS SUMMARIZES(FROM Summary TO Segment, FROM Summary TO Summary)",
    "CREATE REL TABLE IF NOT EXISTS TRIGGERED_BY(FROM Alert TO Event)",
    # columns added since the first release: a graph written by an older version gains them empty
    "ALTER TABLE Stream ADD IF NOT EXISTS writer STRING DEFAULT ''",
    "ALTER TABLE Stream ADD IF NOT EXISTS done DOUBLE DEFAULT 0.0",
    "ALTER TABLE Stream ADD IF NOT EXISTS lost DOUBLE DEFAULT 0.0",
    "ALTER TABLE Segment ADD IF NOT EXISTS seen STRING DEFAULT ''",
    "ALTER TABLE Segment ADD IF NOT EXISTS unexplained DOUBLE DEFAULT -1.0",
    "ALTER TABLE Event ADD IF NOT EXISTS thumbnail STRING DEFAULT ''",
    # a rollup written before the first-seen index has none (longest -1): read by scanning, as before
    "ALTER TABLE DayCount ADD IF NOT EXISTS first STRING DEFAULT ''",
    "ALTER TABLE DayCount ADD IF NOT EXISTS longest DOUBLE DEFAULT -1.0",
)


# The node tables the bulk path inserts into and their columns (the rest of a batch goes through MERGE).
_BULK_NODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "segments": ("Segment", ("id", "stream_id", "run", "idx", "t0", "t1", "caption", "motion", "status", "error",
                             "counts", "thumbnail", "seen", "unexplained")),
    "entities": ("Entity", ("id", "stream_id", "run", "cls", "first_seen", "last_seen", "confidence", "direction",
                            "attributes", "thumbnail")),
    "events": ("Event", ("id", "stream_id", "run", "type", "t0", "t1", "confidence", "label", "description",
                         "attributes", "thumbnail")),
}


# Relationship tables the bulk path COPYs into (one FROM-TO pair each), with their property columns.
_BULK_RELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "has": ("HAS", ()), "next": ("NEXT", ()), "occurs_in": ("`IN`", ()), "involves": ("INVOLVES", ("role",)),
    "at": ("AT", ()),
}
_FLOATS = {"t0", "t1", "motion", "unexplained", "first_seen", "last_seen", "confidence"}
_COPIES_PER_CONNECTION = 48  # COPY holds buffer-pool memory until its connection closes: recycle it
# What a commit's updates hold in the page cache until the next checkpoint, at most: ~16 KB per updated column
# of a node group, ~190 KB for a stream's row (measured on 0.22). LadybugDB checkpoints by itself only when its
# log reaches 16 MB, thousands of such commits later; the store checkpoints after an eighth of its cache's worth.
_COMMIT_HOLDS = 200 << 10
# Checkpoints come sooner where they cost little: each hands back what the commits since the last one hold (an
# hour's analysis peaked at 525-537 MB checkpointing every 81 commits, 493 MB every 16; 487 -> 471 MB from 16 to 8
# after chunks let their frames go, in the same 282-286 s; live group commits on a million events: 4,065 and
# 4,039 events/s with 16 and 8, 2026-12-03). A file's writer waits for perception most of the time; a busy live
# writer on a million events does not, and a checkpoint there takes 0.2-0.4 s, so there they come as rarely as
# the page cache allows.
_MIN_CHECKPOINT_COMMITS = 8
_CHECKPOINT_SHARE = 0.1  # of the writer's time, at most, spent checkpointing early


def _checkpoint_due(commits: int, most: int, since_s: float, last_checkpoint_s: float) -> bool:
    """Whether to checkpoint after ``commits`` commits and ``since_s`` seconds since the last checkpoint, which
    took ``last_checkpoint_s``: always after ``most`` commits (the page-cache bound); from
    ``_MIN_CHECKPOINT_COMMITS`` on, once a checkpoint like the last would take at most ``_CHECKPOINT_SHARE`` of
    the time since."""
    if commits >= most:
        return True
    return commits >= _MIN_CHECKPOINT_COMMITS and last_checkpoint_s <= _CHECKPOINT_SHARE * since_s


# LadybugDB frees a transaction's working memory at commit, but glibc keeps freed pages inside its heaps: they
# stayed resident (~30 MB of a 5-minute analysis's 504 MB peak). ``malloc_trim`` hands them back; it walks the
# heaps (~16 ms on a fragmented 400 MB one), so at most once a second.
_TRIM_EVERY_S = 1.0


def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc; elsewhere freed memory goes back as that allocator does
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def _arrow(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pa.Table:
    import pyarrow as pa  # only bulk writes need it: 25 MB that an analysis writing chunk by chunk never uses

    types = {c: pa.float64() if c in _FLOATS else pa.int64() if c == "idx" else pa.string() for c in columns}
    return pa.table({c: pa.array([r[c] for r in rows], type=types[c]) for c in columns})


_NODE_MERGE = re.compile(r"^MERGE \((\w+):(\w+) \{id: id\}\)$", re.M)  # the node upserts of graph.cypher
_ON_CREATE = re.compile(r"^ON CREATE SET (.*)$\n?", re.M)  # kept as a SET on CREATE, dropped on MATCH
# the link upserts of graph.cypher (``_link``): the two endpoints' labels
_LINK_MERGE = re.compile(r"^MATCH \(a:(\w+) \{id: r\.src\}\)\nMATCH \(b:(\w+) \{id: r\.dst\}\)\nMERGE \(a\)-\[", re.M)
# a transaction's node ids created so far by label, and the links (query, src, dst) it has written
_Fresh = tuple[dict[str, set[str]], set[tuple[str, str, str]]]
BULK_MIN_ROWS = 500  # smaller batches: upserts by key (_by_key) cost about the same as a COPY


def _label(label: str) -> str:
    if label not in ("Segment", "Event"):
        raise ValueError(f"no embeddings on {label!r}")
    return label


_TIME_BOUND = re.compile(r"(\b\w+\.\w+) (>=|>|<=|<) \$(t0|t1|before|after|below|since|left|unexplained)\b")
# literal bounds are rounded outward (times to the hour, shares to a tenth): few distinct statements, same rows
_PRUNE_STEP = {"unexplained": 0.1}
_PRUNE_HOUR = 3600.0
_WINDOW_STATEMENTS = 16
_LARGE_READ = 10_000  # rows: a read this large leaves its connection holding much of the buffer pool
_POOL_FULL = "The buffer pool is full"  # LadybugDB's RuntimeError when a read's rows do not fit its page cache


def _with_time_literals(query: str, params: dict[str, Any]) -> str:
    """Repeat each time-window bound (and the unexplained-motion share's) as a number literal beside its
    parameter.

    LadybugDB skips whole node groups by their min/max (zone maps) only for literal bounds: a one-hour window of
    one camera on a million events took 78 ms with ``e.t1 >= $t0 AND e.t0 <= $t1`` and 6 ms with literals (and
    "first seen before X" over a month of entities: 31 ms with a parameter, 3 ms with a literal; a month of one
    camera's segments for those with unexplained motion: 42 ms with a parameter, 2 ms with a literal, on the bench
    graph). The literal is the bound rounded outward (times to the hour, the share to a tenth: a superset, so the
    parameter still decides), computed by ``float`` and ``math`` from our own numbers, never from text: the query
    is still parameterised for everything a user typed. Open bounds (+-1e18) get no literal.
    """

    def bound(match: re.Match[str]) -> str:
        column, op, name = match.groups()
        value = params.get(name)
        if not isinstance(value, (int, float)) or abs(value) >= 1e17:
            return match.group(0)
        rounded = math.floor if op.startswith(">") else math.ceil
        size = _PRUNE_STEP.get(name, _PRUNE_HOUR)
        literal = float(rounded(float(value) / size) * size)
        return f"{match.group(0)} AND {column} {op} {literal:.1f}"  # never exponent form: Cypher reads 1e+16 wrong

    return _TIME_BOUND.sub(bound, query) if _TIME_BOUND.search(query) else query


_ADDED = re.compile(r"^ALTER TABLE (\w+) ADD IF NOT EXISTS (\w+) ")  # the columns added since the first release


def _lacks_columns(conn: ladybug.Connection) -> list[str]:
    """The columns added since the first release (``SCHEMA``'s ALTERs) that this graph's tables lack."""
    wanted: dict[str, list[str]] = {}
    for statement in SCHEMA:
        if added := _ADDED.match(statement):
            wanted.setdefault(added[1], []).append(added[2])
    missing = []
    for table, columns in wanted.items():
        try:
            result = conn.execute(f"CALL table_info('{table}') RETURN name")  # our own table names, never input
        except RuntimeError:  # a table an older graph does not have at all: read as such (DayCount)
            continue
        assert not isinstance(result, list)
        have = {str(row[0]) for row in cast(list[list[Any]], result.get_all())}
        missing += [f"{table}.{column}" for column in columns if column not in have]
    return missing


def _apply_schema(conn: ladybug.Connection) -> None:
    """Create what a new graph lacks, and add to an older one the columns added since (idempotent)."""
    for statement in SCHEMA:
        conn.execute(statement)


def _upgrade(path: Path, buffer_pool: int, missing: list[str]) -> None:
    """Add the columns an older graph lacks (with their defaults; nothing else changes). A read-only open cannot,
    and every read naming such a column failed ("Cannot find property unexplained for s")."""
    try:
        db = _open_database(path, False, buffer_pool)
    except (GraphBusy, RuntimeError) as err:
        raise GraphError(f"{path} was written by an older vidgraph (it lacks {', '.join(missing)}) and could not "
                         f"be opened for writing to add them: {err}") from err
    try:
        conn = ladybug.Connection(db)
        _apply_schema(conn)
        conn.close()
    finally:
        db.close()


READER_MAX_DB_BYTES = 64 * 1024**3  # address space a read-only open reserves (at least twice the file's size)


def auto_checkpoint_bytes(buffer_pool: int) -> int:
    """The log size at which LadybugDB checkpoints by itself, inside a COMMIT: a quarter of the page cache, and
    never below its own default (16 MB). Live group commits on the million-event graph log 2-4 MB each, so at
    16 MB every fifth or so of them paid a 0.2-0.4 s checkpoint: 4,003-4,820 events/s with the default 128 MB
    cache; 5,226-5,469 with a quarter (32 MB) and 6,138-6,414 with half, for the same peak RSS (410-415 MB)
    and month-wide reads right after (2026-12-05, scratch runs of ``bench/graph_scale.live_writes``). The
    store's own checkpoints (``_checkpoint_due``) still come first wherever small commits pile up."""
    return max(16 << 20, buffer_pool // 4)


def _open_database(path: Path, read_only: bool, buffer_pool: int, wait_s: float = 10.0) -> ladybug.Database:
    """Open the database file. Readers open beside a writer process; one that arrives while the writer is
    checkpointing tries again for up to ``wait_s`` (a checkpoint takes a second at most). A second writer
    waits up to ``wait_s`` for the first to close, then is refused with the reason."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            # every open reserves max_db_size of address space (8 TiB by default): 16 readers at once used up
            # a process's 128 TiB and the 17th failed ("Mmap ... failed"); a reader never grows the file
            limit = max(READER_MAX_DB_BYTES, 2 * path.stat().st_size) if read_only and path.exists() else None
            return ladybug.Database(str(path), read_only=read_only, buffer_pool_size=buffer_pool,
                                    max_db_size=limit, checkpoint_threshold=auto_checkpoint_bytes(buffer_pool))
        except RuntimeError as err:
            text = str(err)
            if "Could not set lock" in text and not read_only:
                if time.monotonic() < deadline:
                    time.sleep(0.5)
                    continue
                raise GraphBusy(
                    f"{path} is open for writing by another process ({text.split('(', 1)[-1].split(')')[0]}) "
                    f"and stayed so for {wait_s:g} s; in service mode the workers own it: submit work to them"
                ) from err
            if read_only and path.exists() and time.monotonic() < deadline:
                # an open that lands on the writer's checkpoint fails with one of several messages ("recovery is
                # pending", "Reading past the end of the file ... .wal", "invalid local node offset", "out of
                # bounds ... may be corrupted"; 0.22, measured): the next open after it works. Where the writer
                # died in its checkpoint, no open for reading ever works until one for writing recovers it
                if "recovery is pending" in text and path.resolve() not in _WRITING and _recovered(path, buffer_pool):
                    continue
                time.sleep(0.2)
                continue
            if read_only and path.exists():
                raise GraphError(f"{path} could not be opened for reading for {wait_s:g} s: {text}") from err
            raise


# the graphs this process has open for writing: a writer here is alive, and its checkpoint its own. (The lock
# that tells another process's writer is per process: an open for writing here would take it and break in.)
_WRITING: Counter[Path] = Counter()


def _recovered(path: Path, buffer_pool: int) -> bool:
    """Complete a checkpoint that a dead writer left half done, as LadybugDB asks (an open for writing recovers
    it); False while a writer of another process holds the graph: its own checkpoint is under way, and it
    finishes it. Never called while this process writes the graph (``_WRITING``)."""
    try:
        db = _open_database(path, False, buffer_pool, wait_s=0)
    except GraphBusy:
        return False
    db.close()
    log.warning("%s: completed the checkpoint a writer that died left pending", path)
    return True


class LadybugStore(GraphStore):
    backend = "ladybug"

    def __init__(self, path: Path, read_only: bool = False, buffer_pool_mb: int = 128) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # LadybugDB's default pool is 80% of RAM; a bounded pool keeps long runs flat in memory
        self._pool_mb = buffer_pool_mb
        self._db = _open_database(self.path, read_only, buffer_pool_mb * 1024 * 1024)
        self._writing = None if read_only else self.path.resolve()
        if self._writing is not None:
            _WRITING[self._writing] += 1
        self._conn = ladybug.Connection(self._db)
        if read_only and (missing := _lacks_columns(self._conn)):  # a graph an older version wrote: upgrade it
            self._conn.close()
            self._db.close()
            _upgrade(self.path, buffer_pool_mb * 1024 * 1024, missing)
            self._db = _open_database(self.path, read_only, buffer_pool_mb * 1024 * 1024)
            self._conn = ladybug.Connection(self._db)
        self._window_conn: ladybug.Connection | None = None
        self._tables: set[str] | None = None
        self._first_index: bool | None = None
        self._copies = 0
        self._checkpoint_every = max(16, buffer_pool_mb * 1024 * 1024 // 8 // _COMMIT_HOLDS)  # commits
        self._since_checkpoint = 0
        self._checkpointed = time.monotonic()  # when the last checkpoint ended
        self._checkpoint_s = 0.0  # what it took
        self._trimmed = 0.0
        self._window_uses = 0
        self._lock = threading.Lock()
        self._writes = WriteQueue(self._commit, "vidgraph-ladybug-writer")
        if not read_only:
            with self._lock:
                _apply_schema(self._conn)

    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        # a statement with no parameters is planned again on every call (2-3 ms for the stream list), one with
        # parameters is prepared once per connection: an unused one buys the cached plan
        params = params or {"prepared": True}
        windowed = _with_time_literals(query, params)
        self.flush()  # a caller reads its own writes
        with self._lock:
            conn = self._conn if windowed is query else self._window_connection()
            rows: list[dict[str, Any]] | None = None
            try:
                result = conn.execute(windowed, params)
                assert not isinstance(result, list)  # one statement, one result
                columns = result.get_column_names()
                rows = [dict(zip(columns, row, strict=True)) for row in result.get_all()]
            except RuntimeError as error:
                if _POOL_FULL not in str(error):
                    raise
            # outside the handler: the error's traceback holds the failed statement (and its memory) while it lives
            if rows is None or len(rows) > _LARGE_READ:
                self._release(conn)
            if rows is None:
                raise GraphReadTooLarge(
                    f"a read needed more memory than the embedded graph's page cache holds (graph.buffer_pool_mb = "
                    f"{self._pool_mb}, VIDGRAPH_GRAPH_BUFFER_POOL_MB): ask about fewer streams or a shorter window, "
                    "or raise it")
            return rows

    def _release(self, conn: ladybug.Connection) -> None:
        """Close a connection and put a new one in its place: what a large read (or one that filled the buffer
        pool) held stays in the pool until its connection closes (measured: a month's zone visits read in halves
        failed at the second half until then)."""
        conn.close()
        if conn is self._window_conn:
            self._window_conn = None
        else:
            self._conn = ladybug.Connection(self._db)

    def _event_entity_rows(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """One event at a time (``cypher.EVENT_ENTITIES_OF``: a key lookup each, where the list form scans every
        event), in the list form's order."""
        rows = [r for i in dict.fromkeys(event_ids) for r in self._read(cypher.EVENT_ENTITIES_OF, {"id": i})]
        return sorted(rows, key=lambda r: (r["event_id"], r["id"]))

    def _has_rollups(self) -> bool:
        if self._tables is None:
            self._tables = {row["name"] for row in self._read("CALL show_tables() RETURN name")}
        return "DayCount" in self._tables

    def _has_first_index(self) -> bool:
        if self._first_index is None:
            self._first_index = self._has_rollups() and "longest" in {
                row["name"] for row in self._read("CALL table_info('DayCount') RETURN name")}
        return self._first_index

    def _window_connection(self) -> ladybug.Connection:
        """A connection for queries with time literals, replaced every ``_WINDOW_STATEMENTS`` queries: LadybugDB
        caches every distinct statement a connection ran and each holds buffer-pool memory until the
        connection closes (a 128 MB pool filled after 85 distinct windows)."""
        if self._window_conn is None or self._window_uses >= _WINDOW_STATEMENTS:
            if self._window_conn is not None:
                self._window_conn.close()
            self._window_conn, self._window_uses = ladybug.Connection(self._db), 0
        self._window_uses += 1
        return self._window_conn

    def _write(self, statements: Sequence[Statement]) -> None:
        self._writes.put(statements)

    def flush(self) -> None:
        self._writes.flush()

    def _commit(self, statements: Sequence[Statement]) -> None:
        """One transaction, on the writer thread (``graph.group``)."""
        with self._lock:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                fresh: _Fresh = ({}, set())
                for statement in statements:
                    for query, params in self._by_key(*statement, fresh):
                        self._conn.execute(query, params)
            except BaseException:
                # LadybugDB may have aborted the transaction already (e.g. out of buffer memory): keep the cause
                with suppress(RuntimeError):
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self._since_checkpoint += 1
            if _checkpoint_due(self._since_checkpoint, self._checkpoint_every,
                               time.monotonic() - self._checkpointed, self._checkpoint_s):
                began = time.monotonic()
                self._conn.execute("CHECKPOINT")
                self._checkpointed = time.monotonic()
                self._checkpoint_s, self._since_checkpoint = self._checkpointed - began, 0
            if _TRIM is not None and time.monotonic() - self._trimmed > _TRIM_EVERY_S:
                _TRIM(0)
                self._trimmed = time.monotonic()
            self._copies += sum(query.startswith("COPY ") for query, _ in statements)
            if self._copies >= _COPIES_PER_CONNECTION:
                self._conn.close()
                self._conn, self._copies = ladybug.Connection(self._db), 0

    def _by_key(self, query: str, params: dict[str, Any], fresh: _Fresh) -> list[Statement]:
        """A node upsert (``UNWIND $rows ... MERGE (n:T {id: id}) SET ...``) as primary-key work: which ids exist,
        ``MATCH ... SET`` those, ``CREATE ... SET`` the rest. LadybugDB plans that MERGE as a hash join over a
        scan of the whole table: ~120 ms per statement on a million events whatever the number of rows, so a
        live chunk's commit took ~250 ms; by key it takes a few ms. Exact, in the caller's transaction: this
        connection is the only writer. Two rows with one id: the last one wins, as MERGE then SET would.

        A link (``MATCH (a) MATCH (b) MERGE (a)-[x:R]->(b)``) from or to a node this transaction created cannot
        exist yet unless this transaction made it: those rows are CREATEd. MERGE looks through the node's links
        first (a stream's HAS links number tens of thousands on a month of video): a live group commit spent
        ~40% of its time there. ``fresh``: the transaction's created ids by label, and the links it wrote."""
        if not params.get("rows"):
            return [(query, params)]
        if (link := _LINK_MERGE.search(query)) is not None:
            return self._links(query, params, link, fresh)
        found = _NODE_MERGE.search(query)
        if found is None:
            return [(query, params)]
        rows = last_per_key(params["rows"])
        existing = self._present(found.group(2), [r["id"] for r in rows])
        merge = found.group(0)
        update = _ON_CREATE.sub("", query.replace(merge, merge.replace("MERGE", "MATCH", 1)))
        create = _ON_CREATE.sub(r"SET \1\n", query.replace(merge, merge.replace("MERGE", "CREATE", 1)))
        old = [r for r in rows if r["id"] in existing]
        new = [r for r in rows if r["id"] not in existing]
        fresh[0].setdefault(found.group(2), set()).update(r["id"] for r in new)
        return [(q, {**params, "rows": part}) for q, part in ((update, old), (create, new)) if part]

    @staticmethod
    def _links(query: str, params: dict[str, Any], link: re.Match[str], fresh: _Fresh) -> list[Statement]:
        created, linked = fresh
        src_new, dst_new = created.get(link.group(1), set()), created.get(link.group(2), set())
        old: list[dict[str, Any]] = []
        new: list[dict[str, Any]] = []
        for r in last_per_key(params["rows"]):
            fresh_end = r["src"] in src_new or r["dst"] in dst_new
            (new if fresh_end and (query, r["src"], r["dst"]) not in linked else old).append(r)
            linked.add((query, r["src"], r["dst"]))
        create = query.replace("\nMERGE (a)-[", "\nCREATE (a)-[", 1)
        return [(q, {**params, "rows": part}) for q, part in ((query, old), (create, new)) if part]

    # -- the dialect differences: bulk writes ---------------------------------------------------------------
    def write_batch(self, batch: GraphBatch) -> None:
        """Large batches of new nodes go in by ``COPY FROM`` Arrow tables, nodes and their relationships, in
        the batch's one transaction; everything else goes through the shared MERGE path, so re-writing stays
        idempotent. The COPY path is taken only after a primary-key lookup found none of the batch's node ids:
        a COPY that met an existing key crashed LadybugDB 0.22.

        Each COPY holds buffer-pool memory until its connection closes (a 128 MB pool filled after 37 COPYs of
        2,000 rows; kuzudb/kuzu#5779), so the writing connection is replaced every
        ``_COPIES_PER_CONNECTION`` COPYs, between transactions.
        """
        nodes = sum(len(getattr(batch, part)) for part in _BULK_NODES)
        if nodes < BULK_MIN_ROWS or self._any_exists(batch):
            super().write_batch(batch)
            return
        copies: list[Statement] = []
        for part, (label, columns) in _BULK_NODES.items():
            if rows := getattr(batch, part):
                copies.append((f"COPY {label}({', '.join(columns)}) FROM $rows", {"rows": _arrow(rows, columns)}))
        for part, (rel, properties) in _BULK_RELS.items():
            if rows := getattr(batch, part):
                links = [{"from": r["src"], "to": r["dst"], **{p: r[p] for p in properties}} for r in rows]
                copies.append((f"COPY {rel} FROM $rows", {"rows": _arrow(links, ("from", "to", *properties))}))
        skip = {*_BULK_NODES, *_BULK_RELS}
        rest = GraphBatch(**{name: getattr(batch, name) for name in batch.__slots__ if name not in skip})
        self._write(copies + self._batch_statements(rest))

    def _any_exists(self, batch: GraphBatch) -> bool:
        self.flush()  # a queued write may hold these ids
        with self._lock:
            return any(self._present(label, ids) for part, (label, _) in _BULK_NODES.items()
                       if (ids := [r["id"] for r in getattr(batch, part)]))

    def _present(self, label: str, ids: list[str]) -> set[str]:
        """Which of these ids the table has (primary-key lookups); the caller holds the lock."""
        result = self._conn.execute(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id", {"ids": ids})
        assert not isinstance(result, list)
        return {str(row[0]) for row in cast(list[list[Any]], result.get_all())}

    # -- the dialect differences: vectors ----------------------------------------------------------------
    def set_embeddings(self, label: str, rows: list[dict[str, Any]]) -> None:
        # Python floats arrive as DOUBLE[]: cast to the column's fixed-size array
        query = (f"UNWIND $rows AS r MATCH (n:{_label(label)} {{id: r.id}}) "
                 "SET n.embedding = CAST(r.embedding AS FLOAT[384])")
        self._write([(query, {"rows": rows})])

    def semantic_search(
        self, label: str, vector: list[float], k: int, streams: list[str] | None
    ) -> list[dict[str, Any]]:
        # exact search: a brute-force scan, ~24 ms per 100k vectors here (no vector extension offline)
        query = cypher.filtered(
            f"MATCH (n:{_label(label)}) WHERE n.embedding IS NOT NULL@streams@ "
            "MATCH (st:Stream {id: n.stream_id}) WHERE n.run = st.run "
            "RETURN n.id AS id, array_cosine_similarity(n.embedding, CAST($q AS FLOAT[384])) AS score "
            "ORDER BY score DESC LIMIT $k",
            streams="n.stream_id IN $streams")
        return self._filtered(query, {"q": vector, "k": k}, streams=streams)

    def close(self) -> None:
        try:
            self._writes.close()
        finally:
            self._close_connections()

    def _close_connections(self) -> None:
        with self._lock:
            if self._window_conn is not None:
                self._window_conn.close()
            self._conn.close()
            self._db.close()
            if self._writing is not None:
                _WRITING[self._writing] -= 1
                if _WRITING[self._writing] <= 0:
                    del _WRITING[self._writing]
                self._writing = None
