"""A live stream run by a real Celery worker: added by id, written chunk by chunk while the API-side reads the
graph read-only, stopped by id; a reader whose worker died is restarted by the supervisor task."""

from __future__ import annotations

import itertools
import time

import pytest
from conftest import make_settings
from service_helpers import Worker, fresh_redis, service_env
from test_live import _has_gst_rtsp, rtsp_server

from graph.neo4j_local import free_port
from pipeline import open_graph
from pipeline.settings import Settings
from workers.jobs import Jobs
from workers.tasks import add_stream, restart_dead_streams, stop_stream

DB = 11
pytestmark = pytest.mark.skipif(not _has_gst_rtsp(), reason="GStreamer RTSP server missing: .ci/run installs it")


def _segments(settings) -> list[dict]:
    """The stream's segments, read-only."""
    if not settings.graph_path.exists():
        return []
    with open_graph(settings, read_only=True) as store:
        return store.segments(streams=["dock"])


def _wait(predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_runs_restarts_and_stops_a_live_stream(tmp_path):
    redis_url = fresh_redis(DB)
    data = tmp_path / "data"
    env = service_env(data, redis_url, VIDGRAPH_INGEST_CHUNK_DURATION="4")
    settings = Settings(data_dir=data, service={"redis_url": redis_url})
    reader_settings = make_settings(data)
    jobs = Jobs(redis_url)
    port = free_port()
    with rtsp_server(port):
        first = Worker("live1", env, queues="live", log=tmp_path / "live1.log")
        try:
            first.wait_ready()
            add_stream(settings, f"rtsp://127.0.0.1:{port}/live", "dock", "dock camera")
            _wait(lambda: len(_segments(reader_settings)) >= 2, 60, "the first chunks of the live stream")
            assert jobs.live("dock")["alive"] and jobs.live("dock")["state"] == "streaming"
        finally:
            first.kill()  # the reader dies with its worker; its heartbeat expires
        jobs.r.delete("vidgraph:live:dock:beat")  # as if the 60 s heartbeat TTL had run out
        assert not jobs.live("dock")["alive"]
        second = Worker("live2", env, queues="live", log=tmp_path / "live2.log")
        try:
            second.wait_ready()
            # the first reader was killed mid-write, maybe inside a checkpoint: the read-only open completes it
            # (test_ladybug_writes::test_a_writer_killed_in_its_checkpoint_leaves_a_graph_readers_open)
            before = len(_segments(reader_settings))
            assert restart_dead_streams(settings) == ["dock"]  # what beat's ensure_streams runs every 30 s
            _wait(lambda: len(_segments(reader_settings)) > before + 1, 60, "the restarted reader's chunks")
            assert stop_stream(settings, "dock")
            _wait(lambda: jobs.live("dock")["state"] == "stopped", 30, "the reader to stop")
        finally:
            second.stop()
    with open_graph(reader_settings, read_only=True) as store:
        record = store.get_stream("dock")
        assert record.kind == "live" and record.status == "stopped" and record.name == "dock camera"
        segments = store.segments(streams=["dock"])
        assert all(b["t0"] >= a["t1"] - 0.01 for a, b in itertools.pairwise(segments))  # one time axis across restarts
        assert store.entities(streams=["dock"], cls="car")
