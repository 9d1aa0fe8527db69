"""Service-mode scaling: chunks per second of one file job with 1 and then 2 Celery workers, side by side.

    .venv/bin/python bench/service.py [--loops 4] [--vlm-latency 0.5] [--redis redis://127.0.0.1:6379/15]

Real worker processes on the real Redis. Two perception paths:

- VLM (chunk-parallel): a local OpenAI-compatible endpoint that answers each chunk after ``--vlm-latency``
  seconds, standing in for a GPU model server; chunks spread over workers, so 2 workers should approach 2x;
- CV (the offline default): tracking is sequential, so a file's chunks stay in one task; a second worker
  helps only with other files. Its ratio is printed too, to show that honestly;
- CV split (``service.split_s``): one long file (the car clip looped ``--split-loops`` times, 30 minutes by
  default) in two parts that meet where neither has a track open; 1 and 2 workers, and how the graph differs
  from the in-process one (equal counts? the largest difference of any entity's or event's times).

The input is the car clip looped ``--loops`` times (real footage). Prints chunks/s per setup and the ratio.
``--cv-threads`` sets each worker's onnxruntime threads (2 by default, which already keeps one analysis on
both of this machine's cores busy most of the time).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CAR_CLIP, loop_video, make_settings
from service_helpers import Worker, chunk_reply, fresh_redis, graph_snapshot, service_env, split_differences
from vlm_server import FakeVLMServer, Scripted

from ingest import probe
from pipeline import analyze_file, open_graph
from pipeline.settings import Settings
from workers.tasks import submit_file, wait_for


def run(clip: Path, workers: int, tmp: Path, redis_db: int, extra_env: dict[str, str]
        ) -> tuple[int, float, Path]:
    data = tmp / f"data-{workers}-{len(extra_env)}"
    redis_url = fresh_redis(redis_db)
    env = service_env(data, redis_url, **extra_env)
    env["VIDGRAPH_SERVICE_VISIBILITY_TIMEOUT_S"] = "3600"
    started = [Worker(f"bench{i}", env, log=tmp / f"w{i}-{workers}-{len(extra_env)}.log") for i in range(workers)]
    try:
        for worker in started:
            worker.wait_ready()
        settings = Settings(data_dir=data, service={"redis_url": redis_url})
        begin = time.perf_counter()
        job = wait_for(submit_file(settings, clip, "bench"), settings, timeout_s=1800)
        elapsed = time.perf_counter() - begin
    finally:
        for worker in started:
            worker.stop()
    if job["status"] != "complete":
        raise SystemExit(f"job failed: {job['error']}")
    return job["total"], elapsed, data


def split(clip: Path, tmp: Path, args: argparse.Namespace) -> None:
    """One long file in two parts: in-process first (the graph to match), then 1 and 2 workers."""
    settings = make_settings(tmp / "inproc", cv={"threads": args.cv_threads})
    begin = time.perf_counter()
    with open_graph(settings) as store:
        analyze_file(clip, settings, store, stream_id="bench")
        expected = graph_snapshot(store)
    print(f"CV split: in-process {time.perf_counter() - begin:7.1f} s ({args.split_loops} loops of the car clip, "
          f"{expected['counts']['Entity']} entities)", flush=True)
    env = {"VIDGRAPH_SERVICE_SPLIT_S": str(probe(clip).duration / 2 + 1), "VIDGRAPH_CV_THREADS": str(args.cv_threads)}
    seconds = {}
    for n in (1, 2):
        chunks, seconds[n], data = run(clip, n, tmp, args.redis_db, env)
        with open_graph(make_settings(data), read_only=True) as store:
            differences = split_differences(expected, graph_snapshot(store))
        print(f"CV split in 2 parts, {n} worker{'s' if n > 1 else ' '}: {chunks} chunks in {seconds[n]:7.1f} s; "
              f"against in-process: counts equal {differences['counts_equal']}, largest time difference "
              f"{differences['max_time_s']:.2f} s", flush=True)
    print(f"CV split scaling 2 vs 1 workers: {seconds[1] / seconds[2]:.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loops", type=int, default=4, help="the car clip looped this many times (30 s each)")
    parser.add_argument("--vlm-latency", type=float, default=0.5, help="seconds the stand-in VLM takes per chunk")
    parser.add_argument("--redis-db", type=int, default=15)
    parser.add_argument("--split-loops", type=int, default=60, help="the split file: the car clip this many times")
    parser.add_argument("--cv-threads", type=int, default=2, help="onnxruntime threads of each worker")
    parser.add_argument("--only", choices=("vlm", "cv", "split"), help="run one of the setups")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidgraph-service-") as tmp_name:
        tmp = Path(tmp_name)
        if args.only in (None, "split"):
            split(loop_video(CAR_CLIP, tmp / "long.mp4", args.split_loops), tmp, args)
        if args.only == "split":
            return
        clip = loop_video(CAR_CLIP, tmp / "loop.mp4", args.loops)

        def reply(body, n):
            return Scripted(**{**vars(chunk_reply(body, n)), "delay_s": args.vlm_latency})

        with FakeVLMServer(reply) as vlm:
            vlm_env = {"VIDGRAPH_VLM_BACKEND": "openai", "VIDGRAPH_VLM_BASE_URL": vlm.base_url,
                       "VIDGRAPH_VLM_MODEL": "bench"}
            results = {}
            setups = (("VLM, chunk-parallel", vlm_env), ("CV, one task per file", {"VIDGRAPH_CV_THREADS": str(
                args.cv_threads)}))
            for label, env in setups:
                if args.only not in (None, label[:3].strip(",").lower()):
                    continue
                for n in (1, 2):
                    chunks, seconds, _ = run(clip, n, tmp, args.redis_db, env)
                    results[(label, n)] = chunks / seconds
                    print(f"{label:24} {n} worker{'s' if n > 1 else ' '}: {chunks} chunks in {seconds:6.2f} s = "
                          f"{chunks / seconds:6.2f} chunks/s", flush=True)
                print(
                    f"{label:24} scaling 2 vs 1 workers: {results[(label, 2)] / results[(label, 1)]:.2f}x", flush=True
                )


if __name__ == "__main__":
    main()
