"""The graph at scale: a month of events for 20 cameras, written and read through the store API.

    .venv/bin/python bench/graph_scale.py [--backend ladybug|neo4j] [--events 1000000] [--cameras 20] [--days 30]
        [--reads 200] [--keep DIR | --graph DIR]

Generates realistic traffic (objects passing a camera: an entity that records entering, moving and leaving, its
enter and exit events, a zone entry for half of them, one segment per 10 s of activity) and writes it with
``GraphStore.write_batch``: first in one transaction per camera-month (``--batch-days``; large batches of new
nodes take the embedded store's COPY path, as a backfill or an import would), then 100 camera-hour batches and
live-sized ones (10 s of one camera with one object passing, as a live pipeline writes: 200 committed one by one,
then ``--live-chunks`` (10,000) from all cameras in group commits, long enough for checkpoints to fall inside as
they do live) on the full graph (``--graph DIR --live`` measures those alone on a kept graph).
Prints write throughput in events/s of each (a write counts once it is committed: Neo4j's buffer is flushed
inside the timing), and p50/p95 latency of the main reads: a one-hour time window, one entity's timeline,
a day's zone counts, and semantic top-k over segment embeddings
(random unit vectors on ``--vectors`` segments: the search cost does not depend on what the vectors mean).
Streams start 2025-10-01 00:00 UTC, so clock questions work on the graph; ``--keep DIR`` leaves it in DIR for
``bench/query.py``, and ``--graph DIR`` measures the reads again on such a graph without rebuilding it.
``--backend neo4j`` uses the server ``NEO4J_URI`` names, else starts a local Neo4j 5 with its data in DIR
(``bench/stores.py``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.stores import BACKENDS, bench_settings, exists
from graph import GraphBatch, StreamRecord
from pipeline import open_graph

RUN = "bench"
# what a stream analysed by the offline detector records, so answers word their coverage as for real footage
PERCEPTION = json.dumps({"vlm": {"backend": "cv"}, "detector": "centernet.onnx", "ingest": {"sample_fps": 5.0},
                         "cv": {"proximity_m": 2.0}})
START = 1_759_276_800.0  # 2025-10-01 00:00 UTC: wall clock of every camera's t=0
CLASSES = ("car", "car", "car", "truck", "person", "bus")
# what perception records of an object that drove through (graph questions about passing and leaving read it)
PASSED = json.dumps({"entered": True, "entry_edge": "bottom", "exit_edge": "top", "in_view": False, "left": True,
                     "moved": True, "stationary": False})


def camera_hour(camera: str, hour: int, objects: int, rng: random.Random) -> GraphBatch:
    """One camera-hour of activity: ``objects`` passes, each an entity with enter, exit (and zone) events."""
    b = GraphBatch()
    base = hour * 3600.0
    segments: dict[int, str] = {}
    for i in range(objects):
        t0 = base + rng.uniform(0, 3590)
        t1 = t0 + rng.uniform(2, 10)
        cls = rng.choice(CLASSES)
        seg_idx = int(t0 // 10)
        seg = segments.setdefault(seg_idx, f"{camera}/{RUN}/seg/{seg_idx:08d}")
        ent = f"{camera}/{RUN}/ent/h{hour}-{i}"
        b.entities.append({"id": ent, "stream_id": camera, "run": RUN, "cls": cls, "first_seen": t0, "last_seen": t1,
                           "confidence": 0.8, "direction": "bottom_to_top", "attributes": PASSED, "thumbnail": ""})
        kinds = [("enter", t0, t0), ("exit", t1, t1)] + ([("zone_enter", t0 + 1, t0 + 1)] if i % 2 else [])
        for kind, e0, e1 in kinds:
            ev = f"{camera}/{RUN}/ev/{kind}-h{hour}-{i}"
            b.events.append({"id": ev, "stream_id": camera, "run": RUN, "type": kind, "t0": e0, "t1": e1,
                             "confidence": 0.8, "label": cls, "description": f"{cls} {kind}",
                             "attributes": '{"zone": "lane_2"}' if kind == "zone_enter" else "{}", "thumbnail": ""})
            b.occurs_in.append({"src": ev, "dst": seg})
            b.involves.append({"src": ev, "dst": ent, "role": "subject"})
            if kind == "zone_enter":
                b.at.append({"src": ev, "dst": f"{camera}/zone/lane_2"})
    for idx, seg in sorted(segments.items()):
        b.segments.append({"id": seg, "stream_id": camera, "run": RUN, "idx": idx, "t0": idx * 10.0,
                           "t1": idx * 10.0 + 10, "caption": "activity", "motion": 0.1, "status": "ok", "error": "",
                           "counts": "{}", "thumbnail": "", "seen": "{}", "unexplained": -1.0})
        b.has.append({"src": camera, "dst": seg})
    return b


def one_chunk(camera: str, t: float, rng: random.Random) -> GraphBatch:
    """What one 10-second chunk of a live camera writes: one object passing (entity, enter/exit, a segment)."""
    b = GraphBatch()
    idx = int(t // 10)
    seg, ent = f"{camera}/{RUN}/seg/{idx:08d}", f"{camera}/{RUN}/ent/live-{idx}"
    cls = rng.choice(CLASSES)
    b.segments.append({"id": seg, "stream_id": camera, "run": RUN, "idx": idx, "t0": idx * 10.0, "t1": idx * 10.0 + 10,
                       "caption": "activity", "motion": 0.1, "status": "ok", "error": "", "counts": "{}",
                       "thumbnail": "", "seen": "{}", "unexplained": -1.0})
    b.has.append({"src": camera, "dst": seg})
    b.entities.append({"id": ent, "stream_id": camera, "run": RUN, "cls": cls, "first_seen": t + 1, "last_seen": t + 8,
                       "confidence": 0.8, "direction": "bottom_to_top", "attributes": PASSED, "thumbnail": ""})
    for kind, te in (("enter", t + 1), ("exit", t + 8)):
        ev = f"{camera}/{RUN}/ev/{kind}-live-{idx}"
        b.events.append({"id": ev, "stream_id": camera, "run": RUN, "type": kind, "t0": te, "t1": te,
                         "confidence": 0.8, "label": cls, "description": f"{cls} {kind}", "attributes": "{}",
                         "thumbnail": ""})
        b.occurs_in.append({"src": ev, "dst": seg})
        b.involves.append({"src": ev, "dst": ent, "role": "subject"})
    return b


def timed_write(store, batch: GraphBatch) -> float:
    """Seconds until the batch is committed (a buffering backend is flushed)."""
    start = time.perf_counter()
    store.write_batch(batch)
    store.flush()
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"p50 {statistics.median(ms):7.2f} ms   p95 {ms[int(len(ms) * 0.95) - 1]:7.2f} ms"


def build(store, args, cameras: list[str], hours: int, per_hour: int, rng: random.Random) -> None:
    """Write the month in camera batches of --batch-days (bulk path), then camera-hour batches (MERGE)."""
    for cam in cameras:
        store.upsert_stream(StreamRecord(cam, f"rtsp://{cam}", cam, "live", hours * 3600.0, 5.0, 1920, 1080,
                                         "complete", RUN, PERCEPTION, start=START))
        store.write_batch(GraphBatch(zones=[{"id": f"{cam}/zone/lane_2", "stream_id": cam, "name": "lane_2",
                                             "kind": "polygon", "points": "[]"}]))
    # bulk: one transaction per camera and --batch-days (a backfill or an import): the COPY path
    events = 0
    write_s = 0.0
    for first_day in range(0, args.days, args.batch_days):
        days = range(first_day, min(args.days, first_day + args.batch_days))
        for cam in cameras:
            batch = GraphBatch()
            for hour in range(days[0] * 24, (days[-1] + 1) * 24):
                part = camera_hour(cam, hour, per_hour, rng)
                for name in ("segments", "entities", "events", "has", "occurs_in", "involves", "at"):
                    getattr(batch, name).extend(getattr(part, name))
            write_s += timed_write(store, batch)
            events += len(batch.events)
        print(f"  day {days[-1] + 1}: {events:,} events, {events / write_s:,.0f} events/s", flush=True)
    # pipeline-sized on the full graph: one transaction per camera-hour, then per chunk (below the bulk threshold)
    hour_events, hour_s = 0, 0.0
    for i in range(min(100, args.reads)):
        batch = camera_hour(rng.choice(cameras), hours + i, per_hour, rng)
        hour_s += timed_write(store, batch)
        hour_events += len(batch.events)
    kind = "COPY" if store.backend == "ladybug" else "UNWIND MERGE"
    print(f"write ({args.batch_days}-day camera batches, {kind}): {events:,} events in {write_s:.1f} s = "
          f"{events / write_s:,.0f} events/s (target >= 20,000)")
    print(f"write (camera-hour batches, ~{hour_events // max(1, min(100, args.reads))} events): {hour_events:,} events "
          f"in {hour_s:.1f} s = {hour_events / hour_s:,.0f} events/s")
    live_writes(store, cameras, hours + 200, rng, args.live_chunks)
    roll_up(store, cameras)


def live_writes(store, cameras: list[str], hour: int, rng: random.Random, chunks: int = 10_000) -> None:
    """Live-sized writes (one chunk of one camera: a segment, an object, its events), side by side: each
    committed before the next is sent (one camera's latency), then ``chunks`` from every camera sent as a
    live worker sends them and committed in groups (``graph.group``): the store's capacity for live writes."""
    one_events, one_s = 0, 0.0
    for i in range(200):
        batch = one_chunk(rng.choice(cameras), hour * 3600.0 + i * 10.0, rng)
        one_s += timed_write(store, batch)
        one_events += len(batch.events)
    print(f"write (one-chunk batches, each committed alone): {one_events:,} events in {one_s:.2f} s = "
          f"{one_events / one_s:,.0f} events/s ({one_s / 200 * 1000:.1f} ms a chunk)")
    batches = [one_chunk(cameras[i % len(cameras)], (hour + 1) * 3600.0 + (i // len(cameras)) * 10.0, rng)
               for i in range(chunks)]
    commits = store.commits
    start = time.perf_counter()
    for batch in batches:
        store.write_batch(batch)
    store.flush()
    elapsed = time.perf_counter() - start
    events = sum(len(b.events) for b in batches)
    print(f"write (one-chunk batches from {len(cameras)} cameras, group commit): {events:,} events in "
          f"{elapsed:.2f} s = {events / elapsed:,.0f} events/s in {store.commits - commits} commits "
          f"(target >= 5,000)")


def roll_up(store, cameras: list[str]) -> None:
    """What a finished run does last (pipeline.writer): count its entities by day, for long-window counts."""
    start = time.perf_counter()
    rolled = sum(store.roll_up_days(cam, RUN) for cam in cameras)
    print(f"roll-up by day (as a finished run does): {rolled:,} entities in {time.perf_counter() - start:.1f} s")



def measure_reads(store, args, cameras: list[str], hours: int, per_hour: int, rng: random.Random) -> None:
    """p50/p95 of the main reads, through the store API with its default settings."""
    def timed(fn, n):
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        return samples

    def window():
        cam, hour = rng.choice(cameras), rng.randrange(hours)
        return store.events(streams=[cam], t0=hour * 3600.0, t1=hour * 3600.0 + 3600)

    entity_ids = [f"{rng.choice(cameras)}/{RUN}/ent/h{rng.randrange(hours)}-{rng.randrange(per_hour)}"
                  for _ in range(args.reads)]

    def timeline():
        return store._read(
            "MATCH (e:Event)-[:INVOLVES]->(n:Entity {id: $id}) RETURN e.type AS type, e.t0 AS t0 ORDER BY e.t0",
            {"id": entity_ids.pop()},
        )

    def zone_counts():
        day = rng.randrange(args.days)
        return store.zone_visits("lane_2", streams=[rng.choice(cameras)], t0=day * 86400.0, t1=day * 86400.0 + 86400)

    segments = [r["id"] for r in store._read("MATCH (s:Segment) RETURN s.id AS id LIMIT $n", {"n": args.vectors})]
    vectors = np.random.default_rng(7).normal(size=(len(segments), 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for i in range(0, len(segments), 5000):
        store.set_embeddings("Segment", [{"id": sid, "embedding": v.tolist()}
                                         for sid, v in zip(segments[i:i + 5000], vectors[i:i + 5000], strict=True)])
    store.flush()

    def top_k():
        query = rng.choice(vectors).tolist()
        return store.semantic_search("Segment", query, 10, None)

    assert window() is not None and timeline() and zone_counts()
    print(f"read: time window (1 h, 1 camera)   {percentiles(timed(window, args.reads))}   (target p95 < 50 ms)")
    print(f"read: entity timeline              {percentiles(timed(timeline, args.reads - 1))}   (target p95 < 50 ms)")
    print(f"read: zone counts (1 day, 1 camera) {percentiles(timed(zone_counts, args.reads))}")
    print(f"read: semantic top-10 ({len(segments):,} vectors) {percentiles(timed(top_k, min(args.reads, 50)))}")



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=BACKENDS, default="ladybug")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--cameras", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--vectors", type=int, default=50_000, help="segments given embeddings for semantic top-k")
    parser.add_argument("--keep", type=Path, help="build the graph in this directory and keep it")
    parser.add_argument("--batch-days", type=int, default=30, help="days of one camera per write transaction")
    parser.add_argument("--graph", type=Path, help="only measure reads on a graph kept earlier (same other options)")
    parser.add_argument("--live-chunks", type=int, default=10_000,
                        help="one-chunk batches sent at once for the group-commit figure (2,000 before 2026-12-04)")
    parser.add_argument("--live", action="store_true", help="with --graph: measure the live-sized writes there "
                        "instead of the reads (they add ~5,000 events to it)")
    parser.add_argument("--buffer-pool-mb", type=int, default=1024,
                        help="the page cache while building: week-long transactions need more than the default")
    args = parser.parse_args()
    rng = random.Random(7)
    hours = args.days * 24
    per_hour = max(1, round(args.events / 2.5 / (args.cameras * hours)))  # 2.5 events per object on average
    cameras = [f"cam{c:02d}" for c in range(args.cameras)]

    with tempfile.TemporaryDirectory(prefix="vidgraph-scale-") as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            if exists(args.backend, args.keep):
                raise SystemExit(f"{args.keep} already holds a graph: remove it or pick another directory")
        data_dir = args.graph or args.keep or Path(tmp)
        print(f"backend: {args.backend}", flush=True)
        if not args.graph:
            extra = {"buffer_pool_mb": args.buffer_pool_mb} if args.backend == "ladybug" else {}
            with bench_settings(args.backend, data_dir, **extra) as settings, open_graph(settings) as store:
                build(store, args, cameras, hours, per_hour, rng)
        # reads with the default page cache (128 MB) on the embedded store
        with bench_settings(args.backend, data_dir) as settings, open_graph(settings) as store:
            print(f"graph: {store.counts()}")
            if args.graph and args.live:
                live_writes(store, cameras, hours + 300 + rng.randrange(10_000), rng, args.live_chunks)
            else:
                measure_reads(store, args, cameras, hours, per_hour, rng)

if __name__ == "__main__":
    main()
