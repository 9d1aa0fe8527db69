"""Real Celery worker and beat processes on the real Redis (127.0.0.1:6379), for service-mode tests.

Each test gets its own Redis database number and data directory; workers are ``celery -A workers.app``
subprocesses configured through the environment exactly as a deployment would be.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis
from vlm_server import Scripted

CELERY = str(Path(sys.executable).with_name("celery"))
REDIS = "redis://127.0.0.1:6379"


def fresh_redis(db: int) -> str:
    url = f"{REDIS}/{db}"
    client = redis.Redis.from_url(url)
    client.ping()  # Redis runs on every machine of this workplace, CI included: fail loudly if it does not
    client.flushdb()
    return url


def service_env(data_dir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "VIDGRAPH_DATA_DIR": str(data_dir), "VIDGRAPH_SERVICE_REDIS_URL": redis_url,
           "VIDGRAPH_SERVICE_VISIBILITY_TIMEOUT_S": "8", "VIDGRAPH_SERVICE_GRAPH_LOCK_S": "5"}
    env.update(extra)
    return env


class Worker:
    def __init__(self, name: str, env: dict[str, str], queues: str = "cpu,perception,graph", log: Path | None = None):
        self.name = name
        self.log = log
        out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [CELERY, "-A", "workers.app", "worker", "-Q", queues, "-c", "1", "-n", f"{name}@%h", "--without-gossip",
             "--without-mingle", "-l", "info"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.log and "ready." in self.log.read_text():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited: {self.log.read_text() if self.log else ''}")
            time.sleep(0.2)
        raise TimeoutError(f"worker {self.name} not ready in {timeout_s} s")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool): nothing gets to acknowledge or clean up."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Beat:
    """``vidgraph beat``: the schedules and the supervisor (dead live readers, lost work)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        out = open(log, "w")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen([str(Path(sys.executable).with_name("vidgraph")), "beat"], env=env, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=20)


def chunk_reply(body: dict, n: int) -> Scripted:
    """A deterministic VLM: the reply depends only on the chunk's time range in the prompt."""
    text = next(part["text"] for part in body["messages"][1]["content"] if part["type"] == "text")
    t0, t1 = (float(x) for x in re.search(r"Chunk ([\d.]+)-([\d.]+) s", text).groups())
    reply = {
        "caption": f"a car passes between {t0:.0f} and {t1:.0f} s",
        "objects": [{"id": "car-1", "class": "car", "description": "a car"}],
        "events": [{"type": "vehicle_enters", "start": t0 + 1, "end": t0 + 2, "confidence": 0.9,
                    "description": f"car enters at {t0 + 1:.0f} s", "objects": ["car-1"]}],
    }
    return Scripted(content=json.dumps(reply))


def split_differences(expected: dict, got: dict) -> dict:
    """How a split file's graph differs from the in-process one (both ``graph_snapshot``s): whether the counts
    are equal, and the largest difference in any entity's first/last seen and any event's start/end, pairing
    them in time order per class and type (meaningful when the counts are equal)."""
    def times(snapshot: dict, key: str) -> dict[str, list[tuple[float, float]]]:
        rows: dict[str, list[tuple[float, float]]] = {}
        for row in snapshot[key]:
            rows.setdefault(row[1], []).append((row[2], row[3]))
        return {kind: sorted(pairs) for kind, pairs in rows.items()}

    worst = 0.0
    for key in ("entities", "events"):
        a, b = times(expected, key), times(got, key)
        for kind in a.keys() & b.keys():
            for (a0, a1), (b0, b1) in zip(a[kind], b[kind], strict=False):
                worst = max(worst, abs(a0 - b0), abs(a1 - b1))
    return {"counts_equal": expected["counts"] == got["counts"], "max_time_s": round(worst, 3),
            "entities": got["counts"]["Entity"]}


def graph_snapshot(store) -> dict:
    """What two analyses of the same input must agree on: counts, and every node's identity and times."""
    events = {(e["id"], e["type"], round(e["t0"], 2), round(e["t1"], 2), e["description"]) for e in store.events()}
    entities = {(e["id"], e["cls"], round(e["first_seen"], 2), round(e["last_seen"], 2)) for e in store.entities()}
    segments = {(s["id"], round(s["t0"], 2), round(s["t1"], 2), s["caption"], round(s["motion"], 4), s["status"])
                for s in store.segments()}
    summaries = {(s["id"], s["text"]) for s in store.summaries()}
    return {"counts": store.counts(), "events": events, "entities": entities, "segments": segments,
            "summaries": summaries}
