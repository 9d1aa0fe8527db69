"""End-to-end question latency on the million-event graph: structured answers and open-question context.

    .venv/bin/python bench/graph_scale.py [--backend neo4j] --keep /tmp/vidgraph-1m   # once: a month, 20 cameras
    .venv/bin/python bench/query.py [--backend neo4j] --graph /tmp/vidgraph-1m [--n 40]

Each question goes through ``query.ask`` exactly as the CLI sends it (parsing, clock-time resolution on the
streams' wall clocks, graph reads, citations). Structured questions are timed whole (target p95 < 50 ms); open
questions are timed without an LLM, which measures retrieval and context assembly (the LLM call itself is the
model server's latency, not ours). The bench graph has no summaries (it is generated, not perceived), so a
day-wide open question reads segments; with summaries it would read fewer rows. Then the incident report of the
last 24 h (``query.report.build_report``, generic profile) of one camera and of all of them, and the counts a
report makes in the graph side by side.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.stores import BACKENDS, bench_settings, exists
from pipeline import open_graph
from query import ask
from query.report import build_report
from vlm.profiles import load_profile

STRUCTURED = [
    "how many cars passed in {cam} between {h}:00 and {h1}:00 yesterday?",
    "how many trucks used lane_2 in {cam} between {h}:00 and {h1}:00 yesterday?",
    "when did the first truck appear in {cam} in the last hour?",
    "which buses were seen in {cam} in the last 10 minutes?",
    "how many times did cars enter lane_2 in {cam} in the last 2 hours?",
    "how long were people in view in {cam} in the last 30 minutes?",
    "was there a person in {cam} between {h}:00 and {h1}:00 yesterday?",
    "how many vehicles in {cam} after 10 s?",
    "how many cars were in lane_2 in {cam} at {h}:30:05 yesterday?",
    "how many trucks in {cam} on {day}?",
    "how many cars per hour in {cam} on {day}?",
]
OPEN = [
    "what happened at lane_2 in {cam} between {h}:00 and {h1}:00 yesterday?",
    "what happened in {cam} in the last 15 minutes?",
]


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"p50 {statistics.median(ms):8.1f} ms   p95 {ms[max(0, int(len(ms) * 0.95) - 1)]:8.1f} ms   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=BACKENDS, default="ladybug")
    parser.add_argument("--graph", type=Path, required=True, help="a data dir kept by bench/graph_scale.py --keep")
    parser.add_argument("--n", type=int, default=40, help="questions per template")
    parser.add_argument("--reports", type=int, default=5, help="one-camera reports timed")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured questions per template first (a server "
                        "that has just started, Neo4j's JVM above all, is slower until its code is compiled)")
    args = parser.parse_args()
    if not exists(args.backend, args.graph):
        raise SystemExit(f"no {args.backend} graph in {args.graph}: run bench/graph_scale.py --backend "
                         f"{args.backend} --keep {args.graph} first")
    rng = random.Random(11)
    with bench_settings(args.backend, args.graph) as settings, open_graph(settings, read_only=True) as store:
        print(f"backend: {args.backend}")
        counts = store.counts()
        cameras = [s["id"] for s in store.list_streams()]
        print(f"graph: {counts['Event']:,} events, {counts['Entity']:,} entities, {counts['Segment']:,} segments, "
              f"{len(cameras)} cameras")

        first = min(float(s["start"] or 0.0) for s in store.list_streams())
        days = max(1, int(max(float(s["duration"] or 0.0) for s in store.list_streams()) // 86400))

        def run(templates: list[str], n: int) -> dict[str, list[float]]:
            timings: dict[str, list[float]] = {t: [] for t in templates}
            for _ in range(n):
                for template in templates:
                    h = rng.randrange(0, 23)
                    day = datetime.fromtimestamp(first + rng.randrange(days) * 86400.0, UTC).strftime("%Y-%m-%d")
                    question = template.format(cam=rng.choice(cameras), h=f"{h:02d}", h1=f"{h + 1:02d}", day=day)
                    start = time.perf_counter()
                    answer = ask(store, question)
                    timings[template].append(time.perf_counter() - start)
                    if template in STRUCTURED and not answer.supported:
                        raise SystemExit(f"not answered on the structured path: {question!r}: {answer.text}")
            return timings

        run(STRUCTURED + OPEN, args.warmup)
        structured = run(STRUCTURED, args.n)
        for template, samples in structured.items():
            print(f"  {template[:70]:70} {percentiles(samples)}")
        every = [s for samples in structured.values() for s in samples]
        print(f"structured answers, end to end: {percentiles(every)}   (target p95 < 50 ms)")
        open_ = run(OPEN, args.n)
        for template, samples in open_.items():
            print(f"  {template[:70]:70} {percentiles(samples)}")
        print(f"open questions, retrieval + context (no LLM call): "
              f"{percentiles([s for v in open_.values() for s in v])}")
        for question in ("how many cars per day?", "what happened?"):  # the whole month, every camera
            start = time.perf_counter()
            ask(store, question)
            print(f"{question!r}, the whole graph: {time.perf_counter() - start:.1f} s")
        one = []
        for _ in range(args.reports):
            start = time.perf_counter()
            build_report(store, load_profile("generic"), streams=[rng.choice(cameras)])
            one.append(time.perf_counter() - start)
        print(f"incident report, last 24 h, one camera: {percentiles(one)}")
        start = time.perf_counter()
        build_report(store, load_profile("generic"))
        print(f"incident report, last 24 h, all {len(cameras)} cameras: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        month = build_report(store, load_profile("generic"), since_s=30 * 86400.0)
        print(f"incident report, last 30 days, all {len(cameras)} cameras: {time.perf_counter() - start:.1f} s "
              f"({month.incident_total} incidents counted, {len(month.incidents)} listed)")
        camera = rng.choice(cameras)  # the counts a report makes in the graph, side by side, over a camera's month
        for what, counted in (("events per type", lambda: store.event_type_counts(camera)),
                              ("objects per quarter hour", lambda: store.first_seen_periods(camera, None, None, 900.0)),
                              ("zone entries per quarter hour", lambda: store.zone_periods(camera, None, None, 900.0))):
            start = time.perf_counter()
            counted()
            print(f"a report's count, {what}, one camera's 30 days: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
