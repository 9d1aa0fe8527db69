"""Service-mode scaling: chunks per second of one file job with 1 and then 2 Celery workers, side by side.

    .venv/bin/python bench/service.py [--loops 4] [--vlm-latency 0.5] [--redis redis://127.0.0.1:6379/15]

Real worker processes on the real Redis. Two perception paths:

- VLM (chunk-parallel): a local OpenAI-compatible endpoint that answers each chunk after ``--vlm-latency``
  seconds, standing in for a GPU model server; chunks spread over workers, so 2 workers should approach 2x;
- CV (the offline default): tracking is sequential, so a file's chunks stay in one task; a second worker
  helps only with other files. Its ratio is printed too, to show that honestly.

The input is the car clip looped ``--loops`` times (real footage). Prints chunks/s per setup and the ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CAR_CLIP, loop_video
from service_helpers import Worker, chunk_reply, fresh_redis, service_env
from vlm_server import FakeVLMServer, Scripted

from pipeline.settings import Settings
from workers.tasks import submit_file, wait_for


def run(clip: Path, workers: int, tmp: Path, redis_db: int, extra_env: dict[str, str]) -> tuple[int, float]:
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
    return job["total"], elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loops", type=int, default=4, help="the car clip looped this many times (30 s each)")
    parser.add_argument("--vlm-latency", type=float, default=0.5, help="seconds the stand-in VLM takes per chunk")
    parser.add_argument("--redis-db", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vidgraph-service-") as tmp_name:
        tmp = Path(tmp_name)
        clip = loop_video(CAR_CLIP, tmp / "loop.mp4", args.loops)

        def reply(body, n):
            return Scripted(**{**vars(chunk_reply(body, n)), "delay_s": args.vlm_latency})

        with FakeVLMServer(reply) as vlm:
            vlm_env = {"VIDGRAPH_VLM_BACKEND": "openai", "VIDGRAPH_VLM_BASE_URL": vlm.base_url,
                       "VIDGRAPH_VLM_MODEL": "bench"}
            results = {}
            for label, env in (("VLM, chunk-parallel", vlm_env), ("CV, one task per file", {})):
                for n in (1, 2):
                    chunks, seconds = run(clip, n, tmp, args.redis_db, env)
                    results[(label, n)] = chunks / seconds
                    print(f"{label:24} {n} worker{'s' if n > 1 else ' '}: {chunks} chunks in {seconds:6.2f} s = "
                          f"{chunks / seconds:6.2f} chunks/s", flush=True)
                print(
                    f"{label:24} scaling 2 vs 1 workers: {results[(label, 2)] / results[(label, 1)]:.2f}x", flush=True
                )


if __name__ == "__main__":
    main()
