"""The API under load: many concurrent ``POST /ask`` on loopback against a real ``vidgraph serve``.

    .venv/bin/python bench/api_load.py [--clients 200] [--seconds 20] [--question "how many cars passed?"]

The car clip is analysed into a fresh data directory, then ``vidgraph serve`` (uvicorn, one process, the
embedded graph) answers ``--clients`` clients that each send the question again as soon as their answer comes
back, for ``--seconds``. Prints requests/s, latency p50/p95/p99, errors by kind (target: none) and the server's
peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CAR_CLIP, make_settings, wait_for_http

from graph.neo4j_local import free_port
from pipeline import analyze_file, open_graph


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def load(url: str, token: str, question: str, clients: int, seconds: float) -> tuple[list[float], Counter]:
    latencies: list[float] = []
    errors: Counter = Counter()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, limits=limits,
                                 timeout=60) as client:
        async def one_client() -> None:
            while time.monotonic() < deadline:
                start = time.perf_counter()
                try:
                    response = await client.post("/ask", json={"question": question})
                    if response.status_code == 200:
                        latencies.append(time.perf_counter() - start)
                    else:
                        errors[f"HTTP {response.status_code}"] += 1
                except httpx.HTTPError as err:
                    errors[type(err).__name__] += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--question", default="how many cars passed?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidgraph-api-load-") as tmp:
        data = Path(tmp) / "data"
        settings = make_settings(data)
        with open_graph(settings) as store:
            analyze_file(CAR_CLIP, settings, store, stream_id="car")
        token, port = secrets.token_urlsafe(16), free_port()
        env = {**os.environ, "VIDGRAPH_DATA_DIR": str(data), "VIDGRAPH_SERVICE_API_TOKEN": token}
        exe = Path(sys.executable).parent / "vidgraph"
        server = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        peak = [0.0]
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], rss_mb(server.pid))

        try:
            url = f"http://127.0.0.1:{port}"
            if not wait_for_http(f"{url}/health", 20.0):
                raise SystemExit(f"vidgraph serve did not answer on {url} within 20 s")
            threading.Thread(target=watch, daemon=True).start()
            started = time.perf_counter()
            latencies, errors = asyncio.run(load(url, token, args.question, args.clients, args.seconds))
            took = time.perf_counter() - started
        finally:
            done.set()
            server.terminate()
            _, stderr = server.communicate(timeout=30)
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(len(ms) * p))] if ms else float("nan")

    print(f"{args.clients} concurrent clients, {args.seconds:g} s, POST /ask {args.question!r}")
    print(f"answered {len(ms)} ({len(ms) / took:.1f}/s); latency p50 {statistics.median(ms) if ms else 0:.0f} ms, "
          f"p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms")
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    print(f"server peak RSS: {peak[0]:.0f} MB")
    tracebacks = stderr.count("Traceback")
    if tracebacks:
        print(f"server logged {tracebacks} tracebacks; last lines:\n" + "\n".join(stderr.splitlines()[-5:]))


if __name__ == "__main__":
    main()
