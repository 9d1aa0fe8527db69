"""Job and live-stream state in Redis, shared by the API, the workers and beat.

Keys (``vidgraph:`` prefix):

- ``job:<id>`` (hash): kind, path, stream_id, status (queued, running, complete, failed), total (chunk count,
  set when ingestion knows it), next (first chunk not yet committed), perceived, error, created, updated, and
  the run's record/settings as JSON;
- ``job:<id>:obs`` (hash): chunk index -> observation JSON, written by whichever worker perceived it;
- a file split across workers (``parts``, ``part_chunks``, ``warm_chunks`` in the job): ``job:<id>:obs:<k>``
  (hash) part k's observations, ``job:<id>:settled:<k>`` (set) the chunks after which part k had nothing open,
  and in the job ``part:<k>`` (run, or absorbed by the part before that read on through it), ``seam:<k>`` (the
  first chunk part k does not own) and ``end:<k>`` (part k read to the end: its chunk count);
- ``job:<id>:chunks`` (hash): chunk index -> the payload a VLM chunk is perceived from, kept until its
  observation is stored; ``job:<id>:sent`` (hash): chunk index -> its place in the perception queue's order
  (``seq``) and when it was sent; ``job:<id>:started`` (hash): chunk index -> when a worker began it;
- ``perception:seq`` (counter): chunks sent to perception; ``perception:started`` (sorted set): the highest
  ``seq`` a worker has begun;
- ``jobs`` (sorted set): job ids by creation time;
- ``live:<id>`` (hash): a live stream's URL, desired state (running, stopped) and health; ``lives`` (set);
  ``live:<id>:beat`` (string with a TTL): the reader's heartbeat;
- ``lock:graph``: the embedded store's single-writer lock.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast

import redis

from common.urls import redact

PREFIX = "vidgraph:"


class Jobs:
    def __init__(self, url: str, ttl_s: int = 7 * 86400) -> None:
        self.r = redis.Redis.from_url(url, decode_responses=True)
        self.ttl_s = ttl_s

    # -- file jobs ------------------------------------------------------------------------------------------
    def create(self, kind: str, **fields: Any) -> str:
        job_id = uuid.uuid4().hex[:12]
        now = time.time()
        data = {"id": job_id, "kind": kind, "status": "queued", "next": 0, "perceived": 0, "total": -1,
                "error": "", "created": now, "updated": now, **fields}
        pipe = self.r.pipeline()
        pipe.hset(PREFIX + f"job:{job_id}", mapping={k: _str(v) for k, v in data.items()})
        pipe.zadd(PREFIX + "jobs", {job_id: now})
        pipe.execute()
        return job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        data = cast(dict[str, Any], self.r.hgetall(PREFIX + f"job:{job_id}"))
        if not data:
            return None
        for key in ("next", "perceived", "total", "expected"):
            data[key] = int(data.get(key, 0) or 0)
        if data.get("parts"):
            data["total"] = _chain(data, None)[1]
        return data

    def update(self, job_id: str, **fields: Any) -> None:
        self.r.hset(
            PREFIX + f"job:{job_id}", mapping={**{k: _str(v) for k, v in fields.items()}, "updated": time.time()}
        )

    def ended(self, job_id: str) -> bool:
        return self.r.hget(PREFIX + f"job:{job_id}", "status") in ("complete", "failed")

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        ids = cast(list[str], self.r.zrevrange(PREFIX + "jobs", 0, limit - 1))
        return [job for job in (self.get(i) for i in ids) if job]

    def finish(self, job_id: str, status: str, error: str = "") -> None:
        """Mark a job ended and let its observations expire."""
        self.update(job_id, status=status, error=error)
        parts = int(self.r.hget(PREFIX + f"job:{job_id}", "parts") or 0)
        self.r.delete(*(PREFIX + f"job:{job_id}:{part}" for part in ("chunks", "sent", "started")),
                      *(PREFIX + f"job:{job_id}:settled:{k}" for k in range(parts)))
        for key in ("obs", *(f"obs:{k}" for k in range(parts))):
            self.r.expire(PREFIX + f"job:{job_id}:{key}", self.ttl_s)
        self.r.expire(PREFIX + f"job:{job_id}", self.ttl_s)

    # -- observations -----------------------------------------------------------------------------------------
    def put_observation(
        self, job_id: str, idx: int, observation: str, thumbnail: str | None, final: bool = False
    ) -> None:
        value = json.dumps({"observation": observation, "thumbnail": thumbnail, "final": final})
        if self.r.hset(PREFIX + f"job:{job_id}:obs", str(idx), value):  # new, not a redelivered duplicate
            self.r.hincrby(PREFIX + f"job:{job_id}", "perceived", 1)
            for part in ("chunks", "sent"):  # its payload is not needed any more
                self.r.hdel(PREFIX + f"job:{job_id}:{part}", str(idx))
            self.update(job_id)  # the job moved

    def observation(self, job_id: str, idx: int) -> dict[str, Any] | None:
        """Chunk ``idx``'s observation; of a split file, from the part that owns it (None: not known yet)."""
        key = PREFIX + f"job:{job_id}:obs"
        if self.r.hexists(PREFIX + f"job:{job_id}", "parts"):  # only a split job's seams are read
            owner = _chain(cast(dict[str, str], self.r.hgetall(PREFIX + f"job:{job_id}")), idx)[0]
            if owner is None:
                return None
            key += f":{owner}"
        value = self.r.hget(key, str(idx))
        return json.loads(value) if value else None

    # -- a file split across workers ---------------------------------------------------------------------------
    def claim_part(self, job_id: str, k: int, how: str) -> bool:
        """Take part ``k``: to ``run`` it, or as ``absorbed`` by the part before it, which reads on through it
        (only if nobody began it). Taking it the same way again succeeds: a part redelivered after its worker
        died runs again, writes the same and reads through what it had read through. False if it was taken
        the other way."""
        if self.r.hsetnx(PREFIX + f"job:{job_id}", f"part:{k}", how):
            return True
        return self.r.hget(PREFIX + f"job:{job_id}", f"part:{k}") == how

    def put_part_observation(self, job_id: str, k: int, idx: int, observation: str, thumbnail: str | None,
                             settled: bool, final: bool = False) -> None:
        """Part ``k``'s observation of chunk ``idx``, and whether it had nothing open after it."""
        value = json.dumps({"observation": observation, "thumbnail": thumbnail, "final": final})
        if settled:
            self.r.sadd(PREFIX + f"job:{job_id}:settled:{k}", str(idx))
        if self.r.hset(PREFIX + f"job:{job_id}:obs:{k}", str(idx), value) and not final:
            per = int(self.r.hget(PREFIX + f"job:{job_id}", "part_chunks") or 0)
            if idx >= k * per:  # its warm-up chunks belong to the part before
                self.r.hincrby(PREFIX + f"job:{job_id}", "perceived", 1)
        self.update(job_id)

    def unowned_thumbnails(self, job_id: str) -> list[str]:
        """Of a split file: the thumbnails parts saved for chunks another part owns (read past a seam). None
        of them is cited once the run is written; the commit that finishes it, or a part that saw it finished,
        removes them."""
        job = cast(dict[str, str], self.r.hgetall(PREFIX + f"job:{job_id}"))
        found: list[str] = []
        for k in range(int(job.get("parts") or 0)):
            for idx, value in self.r.hscan_iter(PREFIX + f"job:{job_id}:obs:{k}"):
                thumbnail = json.loads(value)["thumbnail"]
                if thumbnail and _chain(job, int(idx))[0] != k:
                    found.append(thumbnail)
        return found

    def part_settled(self, job_id: str, k: int, idx: int) -> bool:
        return bool(self.r.sismember(PREFIX + f"job:{job_id}:settled:{k}", str(idx)))

    def end_part(self, job_id: str, k: int, seam: int, at_end: bool = False) -> None:
        """Part ``k`` owns its chunks up to ``seam``, and (``at_end``) it read the file to its end."""
        self.update(job_id, **{f"seam:{k}": seam, **({f"end:{k}": seam} if at_end else {})})

    # -- chunks on their way to perception ---------------------------------------------------------------------
    def send_chunk(self, job_id: str, idx: int, payload: dict[str, Any] | None = None,
                   thumbnail: str | None = None) -> None:
        """Record that chunk ``idx`` goes (again) to the perception queue: its payload the first time, and
        each time its place in the queue's order and the time it was sent."""
        if payload is not None:
            self.r.hset(PREFIX + f"job:{job_id}:chunks", str(idx),
                        json.dumps({"payload": payload, "thumbnail": thumbnail}))
        elif not self.r.hexists(PREFIX + f"job:{job_id}:chunks", str(idx)):
            return  # perceived meanwhile
        seq = self.r.incr(PREFIX + "perception:seq")
        self.r.hset(PREFIX + f"job:{job_id}:sent", str(idx), json.dumps({"seq": seq, "sent": time.time()}))

    def chunk(self, job_id: str, idx: int) -> dict[str, Any] | None:
        """The chunk's payload and thumbnail, with its ``seq``; None once it has been perceived."""
        value = self.r.hget(PREFIX + f"job:{job_id}:chunks", str(idx))
        sent = self.r.hget(PREFIX + f"job:{job_id}:sent", str(idx))
        return {**json.loads(value), **json.loads(sent or '{"seq": 0}')} if value else None

    def start_chunk(self, job_id: str, idx: int, seq: int) -> None:
        """A worker begins perceiving chunk ``idx``: every chunk sent before it was taken from the queue."""
        self.r.hset(PREFIX + f"job:{job_id}:started", str(idx), time.time())
        self.r.zadd(PREFIX + "perception:started", {"max": seq}, gt=True)

    def lost_chunks(self, job_id: str, older_than_s: float, queue_empty: bool) -> list[int]:
        """Chunks sent more than ``older_than_s`` ago that no worker began although the queue went past them
        (a chunk sent later was begun, or the queue is empty): their message was taken by a worker that died."""
        raw = cast(dict[str, str], self.r.hgetall(PREFIX + f"job:{job_id}:sent"))  # small: no payloads
        started = cast(dict[str, str], self.r.hgetall(PREFIX + f"job:{job_id}:started"))
        taken_up_to = self.r.zscore(PREFIX + "perception:started", "max") or 0
        lost = []
        for idx, value in raw.items():
            chunk = json.loads(value)
            if idx not in started and _passed_over(chunk["seq"], chunk["sent"], taken_up_to, older_than_s, queue_empty):
                lost.append(int(idx))
        return sorted(lost)

    # -- ingestions on their way to a worker -------------------------------------------------------------------
    def send_ingest(self, job_id: str) -> None:
        """Record that the job's ingestion goes (again) to the queue: its place in the order and the time."""
        seq = self.r.incr(PREFIX + "ingest:seq")
        self.r.hset(PREFIX + f"job:{job_id}", mapping={"ingest_seq": seq, "ingest_sent": time.time()})

    def start_ingest(self, job_id: str) -> None:
        """A worker begins the job's ingestion: every ingestion sent before it was taken from the queue."""
        seq = int(self.r.hget(PREFIX + f"job:{job_id}", "ingest_seq") or 0)
        self.r.hset(PREFIX + f"job:{job_id}", "ingest_started", time.time())
        self.r.zadd(PREFIX + "ingest:started", {"max": seq}, gt=True)

    def lost_ingest(self, job: dict[str, Any], older_than_s: float, queue_empty: bool) -> bool:
        """Whether a queued job's ingestion, sent more than ``older_than_s`` ago, was taken by a worker that died
        before beginning it (no worker began it although the queue went past it)."""
        if job["status"] != "queued" or job.get("ingest_started") or not job.get("ingest_seq"):
            return False
        taken_up_to = self.r.zscore(PREFIX + "ingest:started", "max") or 0
        return _passed_over(int(job["ingest_seq"]), float(job["ingest_sent"]), taken_up_to, older_than_s, queue_empty)

    # -- live streams -----------------------------------------------------------------------------------------
    def set_live(self, stream_id: str, **fields: Any) -> None:
        pipe = self.r.pipeline()
        pipe.hset(PREFIX + f"live:{stream_id}", mapping={k: _str(v) for k, v in fields.items()})
        pipe.sadd(PREFIX + "lives", stream_id)
        pipe.execute()

    def live(self, stream_id: str) -> dict[str, Any] | None:
        data = cast(dict[str, Any], self.r.hgetall(PREFIX + f"live:{stream_id}"))
        if not data:
            return None
        data["alive"] = bool(self.r.exists(PREFIX + f"live:{stream_id}:beat"))
        return data

    def lives(self) -> list[dict[str, Any]]:
        """Every live stream as shown to people: credentials in URLs and errors redacted (``live()`` keeps
        the URL the reader needs)."""
        ids = cast(set[str], self.r.smembers(PREFIX + "lives"))
        shown = [s for s in (self.live(i) for i in sorted(ids)) if s]
        for s in shown:
            for key in ("url", "last_error"):
                if s.get(key):
                    s[key] = redact(s[key])
        return shown

    def remove_live(self, stream_id: str) -> None:
        self.r.delete(PREFIX + f"live:{stream_id}", PREFIX + f"live:{stream_id}:beat")
        self.r.srem(PREFIX + "lives", stream_id)

    def heartbeat(self, stream_id: str, ttl_s: int = 60) -> None:
        self.r.set(PREFIX + f"live:{stream_id}:beat", time.time(), ex=ttl_s)

    # -- locks -------------------------------------------------------------------------------------------------
    @contextmanager
    def graph_lock(self, expire_s: float = 120.0, wait_s: float = 3600.0) -> Iterator[None]:
        """Held while a process has the embedded graph open for writing (LadybugDB: one writer process).
        A lock whose holder died expires after ``expire_s``."""
        with self._lock("lock:graph", "the graph", expire_s, wait_s):
            yield

    @contextmanager
    def commit_lock(self, job_id: str, expire_s: float = 120.0, wait_s: float = 3600.0) -> Iterator[None]:
        """Held while one worker commits a job's observations: a job's chunks land in order, from one writer at
        a time, whatever the graph backend (Neo4j takes several writers, but not for one stream)."""
        with self._lock(f"lock:commit:{job_id}", f"job {job_id}", expire_s, wait_s):
            yield

    @contextmanager
    def _lock(self, key: str, what: str, expire_s: float, wait_s: float) -> Iterator[None]:
        lock = self.r.lock(PREFIX + key, timeout=expire_s, blocking_timeout=wait_s)
        if not lock.acquire():
            raise TimeoutError(f"{what} stayed locked by another writer for {wait_s:.0f} s")
        try:
            yield
        finally:
            with suppress(redis.exceptions.LockError):  # it expired while we held it: the next writer has it now
                lock.release()


def _str(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def progress(job: dict[str, Any]) -> float:
    """How far a file job is, 0..1. Until the reader has counted every chunk (``total``), progress is measured
    against the count the file's duration gives (``expected``) and stays below 1. A file split across workers
    counts what its parts perceived: its chunks are written in order, often only at the end."""
    total, expected = job["total"], job.get("expected", 0)
    done = job["perceived"] if job.get("parts") else job["next"]
    if job["status"] == "complete":
        return 1.0
    if total > 0 and not job.get("parts"):
        return round(done / total, 3)
    return round(min(done / expected, 0.99), 3) if expected > 0 else 0.0


def _chain(job: dict[str, Any], idx: int | None) -> tuple[int | None, int]:
    """Of a file split across workers: the part that owns chunk ``idx`` (None: not decided yet) and the chunk
    count (-1 while unknown). Part 0 owns chunks up to its seam (at least its own ``part_chunks``), then the next
    part that ran (not absorbed) owns them up to its seam, and so on; the part that read to the end owns the rest."""
    parts, per = int(job["parts"]), int(job["part_chunks"])
    p: int | None = 0
    while p is not None:
        seam, end = job.get(f"seam:{p}"), job.get(f"end:{p}")
        if not seam:  # still reading: it owns at least its own chunks, the last part everything
            return (p if idx is not None and (idx < (p + 1) * per or p == parts - 1) else None), -1
        if end:
            return (p if idx is not None and idx < int(end) else None), int(end)
        if idx is not None and idx < int(seam):
            return p, -1
        p = next((q for q in range(p + 1, parts) if job.get(f"part:{q}") == "run"), None)
    return None, -1


def _passed_over(seq: int, sent: float, taken_up_to: float, older_than_s: float, queue_empty: bool) -> bool:
    """Whether a message not begun, ``seq`` in its queue's order and sent at ``sent``, was passed over: the queue
    went past it (it is empty, or a message sent later was begun: ``taken_up_to``) and it was sent more than
    ``older_than_s`` ago (a visibility timeout: kombu would have redelivered one it had recorded)."""
    return (queue_empty or seq < taken_up_to) and time.time() - sent > older_than_s
