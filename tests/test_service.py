"""Service mode with real Celery worker processes on the real Redis: the same graph as in-process analysis,
chunks spread over workers, and a worker killed mid-job losing nothing and duplicating nothing."""

from __future__ import annotations

import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CAR_CLIP, loop_video, make_settings, run_cli
from service_helpers import Beat, Worker, chunk_reply, fresh_redis, graph_snapshot, service_env, split_differences
from vlm_server import FakeVLMServer, Scripted

from pipeline import analyze_file, open_graph
from pipeline.settings import Settings
from workers.jobs import Jobs

DB = 12  # this module's Redis database


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(name: str, env: dict[str, str]) -> Worker:
        worker = Worker(name, env, log=tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def beat(tmp_path):
    started: list[Beat] = []

    def start(env: dict[str, str]) -> Beat:
        started.append(Beat({**env, "VIDGRAPH_SERVICE_SUPERVISE_S": "2"}, log=tmp_path / "beat.log"))
        return started[-1]

    yield start
    for b in started:
        b.stop()


def _submit_and_wait(env: dict[str, str], path, stream_id: str, timeout_s: float = 180.0) -> dict:
    from workers.tasks import submit_file, wait_for

    settings = Settings(_env_file=None, data_dir=env["VIDGRAPH_DATA_DIR"],
                        service={"redis_url": env["VIDGRAPH_SERVICE_REDIS_URL"]})
    job_id = submit_file(settings, path, stream_id)
    return wait_for(job_id, settings, timeout_s)


def _in_process(data_dir, path, stream_id, **sections) -> dict:
    settings = make_settings(data_dir, **sections)
    with open_graph(settings) as store:
        analyze_file(path, settings, store, stream_id=stream_id)
        return graph_snapshot(store)


def _service_graph(data_dir) -> dict:
    with open_graph(make_settings(data_dir), read_only=True) as store:
        return graph_snapshot(store)


@contextmanager
def stand_in_vlm(tmp_path, redis_url: str, latency_s: float):
    """A deterministic VLM endpoint taking ``latency_s`` per chunk; the in-process settings and the workers'
    environment that point at it."""
    with FakeVLMServer(lambda body, n: Scripted(**{**vars(chunk_reply(body, n)), "delay_s": latency_s})) as vlm:
        vlm_settings = {"backend": "openai", "base_url": vlm.base_url, "model": "test-vlm"}
        env = service_env(tmp_path / "svc", redis_url, VIDGRAPH_VLM_BACKEND="openai",
                          VIDGRAPH_VLM_BASE_URL=vlm.base_url, VIDGRAPH_VLM_MODEL="test-vlm")
        yield vlm_settings, env


def _tasks_run_by(log) -> list[str]:
    return re.findall(r"Task (vidgraph\.\w+)\[[^\]]+\] succeeded", log.read_text())


def test_two_workers_make_the_same_graph_as_in_process(tmp_path, workers):
    redis_url = fresh_redis(DB)
    env = service_env(tmp_path / "svc", redis_url)
    for name in ("w1", "w2"):
        workers(name, env)
    expected = _in_process(tmp_path / "inproc", CAR_CLIP, "car")
    job = _submit_and_wait(env, CAR_CLIP, "car")
    assert job["status"] == "complete", job["error"]
    assert (job["total"], job["next"]) == (4, 4)
    assert _service_graph(tmp_path / "svc") == expected
    assert expected["counts"]["Entity"] == 4


def test_a_long_cv_file_split_across_two_workers_makes_the_in_process_graph(tmp_path, workers):
    """Three-minute loop of the car clip in 60 s parts, each read from 40 s before its start (the motion model's
    200 sampled frames): parts meet at chunk boundaries where neither has a track open, so the counts are those
    of one analysis and every time is within one sampled frame (a 0.2 s tick plus one 0.08 s source frame):
    the later part's background model has a shorter past than the in-process one."""
    redis_url = fresh_redis(DB)
    clip = loop_video(CAR_CLIP, tmp_path / "loop6.mp4", 6)
    env = service_env(tmp_path / "svc", redis_url, VIDGRAPH_SERVICE_SPLIT_S="60")
    workers_started = [workers(name, env) for name in ("w1", "w2")]
    expected = _in_process(tmp_path / "inproc", clip, "loop")
    job = _submit_and_wait(env, clip, "loop")
    assert job["status"] == "complete", job["error"]
    assert (job["total"], job["next"], job["parts"], job["part_chunks"], job["warm_chunks"]) == (19, 19, "4", "6", "4")
    # part 0 handed over to part 1 (which began reading at chunk 2, 20 s) before the end
    assert job["part:1"] == "run" and 6 <= int(job["seam:0"]) < 19, job
    differences = split_differences(expected, _service_graph(tmp_path / "svc"))
    assert differences["counts_equal"] and differences["entities"] == 24, differences
    assert differences["max_time_s"] <= 0.2 + 0.08 + 1e-6, differences
    # no chunk picture stays on disk that no segment cites (before: part 1's four warm-up chunks and the chunks
    # it read before part 0 met it at the seam left theirs)
    with open_graph(make_settings(tmp_path / "svc"), read_only=True) as store:
        cited = {Path(seg["thumbnail"]).name for seg in store.segments()}
    on_disk = {p.name for p in (tmp_path / "svc").rglob("seg-*.jpg")}
    assert on_disk == cited and len(cited) == 19, (sorted(on_disk - cited), len(cited))
    # again with one worker: part 0 reads through the rest, so its tracks are numbered otherwise; the new run
    # replaces the first (before: both runs' entities stayed, 48 cars)
    workers_started[1].stop()
    again = _submit_and_wait(env, clip, "loop")
    assert again["status"] == "complete" and again["part:1"] == "absorbed", again
    assert split_differences(expected, _service_graph(tmp_path / "svc"))["counts_equal"]


def _ingested_split_job(tmp_path, monkeypatch) -> tuple[dict[str, str], str, Jobs, Settings]:
    """A three-minute loop submitted with 60 s parts and ingested in this process (no worker took the ingestion):
    its four part messages wait in the queue. Returns the workers' environment, the job, its Jobs and settings."""
    redis_url = fresh_redis(DB)
    clip = loop_video(CAR_CLIP, tmp_path / "loop6.mp4", 6)
    env = service_env(tmp_path / "svc", redis_url, VIDGRAPH_SERVICE_SPLIT_S="60")
    for name in ("VIDGRAPH_DATA_DIR", "VIDGRAPH_SERVICE_REDIS_URL", "VIDGRAPH_SERVICE_SPLIT_S"):
        monkeypatch.setenv(name, env[name])
    from workers.tasks import ingest_file, submit_file

    settings = Settings(data_dir=tmp_path / "svc", service={"redis_url": redis_url})
    job_id = submit_file(settings, clip, "loop")
    jobs = Jobs(redis_url)
    assert "vidgraph.ingest_file" in (jobs.r.rpop("cpu") or "")
    assert ingest_file(job_id) == {"job": job_id, "parts": 4}  # the ingestion, here: it sends the four parts
    return env, job_id, jobs, settings


def test_a_split_files_part_lost_with_its_worker_is_sent_again(tmp_path, workers, beat, monkeypatch):
    """Part 0's message taken by a worker that died: the other parts run (the first reads through the rest),
    the job stops moving, and beat sends part 0 again, which meets part 1 at a seam (before: the job waited
    for chunk 0 for good)."""
    from workers.tasks import wait_for

    env, job_id, jobs, settings = _ingested_split_job(tmp_path, monkeypatch)
    expected = _in_process(tmp_path / "inproc", tmp_path / "loop6.mp4", "loop")
    assert "vidgraph.perceive_part" in (jobs.r.rpop("cpu") or "")  # part 0's, taken by a worker that died
    workers("w1", env)
    beat(env)
    job = wait_for(job_id, settings, 240)
    assert job["status"] == "complete", job["error"]
    assert job["part:0"] == "run" and job["part:1"] == "run" and int(job["seam:0"]) < 19, job
    differences = split_differences(expected, _service_graph(tmp_path / "svc"))
    assert differences["counts_equal"] and differences["max_time_s"] <= 0.2 + 0.08 + 1e-6, differences


def test_a_part_stops_reading_once_its_job_has_ended(tmp_path, monkeypatch):
    """A job that failed (another part's decode error) or completed without this part: the part stops at its
    next chunk (before: it read to its seam or the end of the file for nothing)."""
    from workers.tasks import perceive_part

    _, job_id, jobs, _ = _ingested_split_job(tmp_path, monkeypatch)  # no worker: this test runs part 1 itself
    result: dict = {}
    reader = threading.Thread(target=lambda: result.update(perceive_part(job_id, 1)))
    reader.start()
    deadline = time.monotonic() + 60
    while not jobs.r.hlen(f"vidgraph:job:{job_id}:obs:1") and time.monotonic() < deadline:
        time.sleep(0.02)
    jobs.finish(job_id, "failed", "part 0: decoder stopped")
    reader.join(60)
    assert "stopped" in result and result["stopped"] <= 4, result  # part 1 reads chunks 2-12 when not stopped
    assert not jobs.get(job_id).get("seam:1")


def test_a_part_whose_file_went_away_fails_its_job_in_one_line(tmp_path, monkeypatch):
    """The file removed between the ingestion and a part: the part says so and asks for the run to be undone
    (before: open_source raised in the task, a traceback in the worker's log, and the job waited)."""
    from workers.tasks import perceive_part

    _, job_id, jobs, _ = _ingested_split_job(tmp_path, monkeypatch)
    (tmp_path / "loop6.mp4").unlink()
    result = perceive_part(job_id, 1)
    assert "loop6.mp4" in result["error"] and "\n" not in result["error"], result
    assert jobs.get(job_id)["error"] == result["error"]
    assert any("vidgraph.abort" in m for m in jobs.r.lrange("graph", 0, -1))


def test_a_split_files_chunks_come_from_the_part_that_owns_them(tmp_path):
    """The ownership chain: part 0 owns its chunks up to its seam, then the next part that ran (not one read
    through), and the part that read to the end owns the rest and says the count."""
    jobs = Jobs(fresh_redis(DB))
    job_id = jobs.create("file", path="x", parts=3, part_chunks=4, warm_chunks=2)
    assert jobs.claim_part(job_id, 0, "run") and jobs.claim_part(job_id, 2, "run")
    assert jobs.claim_part(job_id, 2, "run") and not jobs.claim_part(job_id, 2, "absorbed")  # redelivered: again
    for k, idx in [(0, i) for i in range(7)] + [(2, i) for i in range(6, 12)]:
        jobs.put_part_observation(job_id, k, idx, f"part {k}", f"seg-{idx}-p{k}.jpg", settled=idx == 5)
    assert jobs.observation(job_id, 3)["observation"] == "part 0"
    assert jobs.observation(job_id, 5) is None  # part 0 is still reading: chunk 5 may still be its own
    assert jobs.claim_part(job_id, 1, "absorbed") and not jobs.claim_part(job_id, 1, "run")
    assert jobs.claim_part(job_id, 1, "absorbed")  # part 0 redelivered: it reads through part 1 again
    jobs.end_part(job_id, 0, 6)  # part 0 read through part 1 and met part 2, settled after chunk 5
    assert [jobs.observation(job_id, i)["observation"] for i in (5, 6, 7)] == ["part 0", "part 2", "part 2"]
    assert jobs.get(job_id)["total"] == -1
    jobs.end_part(job_id, 2, 12, at_end=True)
    assert jobs.get(job_id)["total"] == 12 and jobs.observation(job_id, 11)["observation"] == "part 2"
    assert jobs.get(job_id)["perceived"] == 7 + 4  # progress: not part 2's warm-up chunks 6 and 7
    assert jobs.unowned_thumbnails(job_id) == ["seg-6-p0.jpg"]  # part 0 read chunk 6 before the seam was found


def test_submit_wait_shows_the_jobs_progress_and_ends_with_its_state(tmp_path, workers, monkeypatch):
    """``vidgraph submit --wait`` as a user runs it: a progress bar with what was perceived and written (before:
    nothing but "queued" until the end), then the job's state."""
    redis_url = fresh_redis(DB)
    env = service_env(tmp_path / "svc", redis_url)
    workers("w1", env)
    monkeypatch.setenv("VIDGRAPH_SERVICE_REDIS_URL", redis_url)
    done = run_cli("submit", str(CAR_CLIP), "--stream-id", "car", "--wait", data_dir=tmp_path / "svc")
    assert done.returncode == 0, done.stderr
    assert re.search(r"job \w+: complete$", done.stdout.strip()), done.stdout
    assert "complete, 4 chunks perceived, 4 written" in done.stderr and "━" in done.stderr, done.stderr


def test_vlm_chunks_spread_over_workers_and_land_in_order(tmp_path, workers):
    redis_url = fresh_redis(DB)
    clip = loop_video(CAR_CLIP, tmp_path / "loop3.mp4", 3)  # 90 s: 10 chunks
    with stand_in_vlm(tmp_path, redis_url, 0.4) as (vlm_settings, env):
        w1, w2 = workers("w1", env), workers("w2", env)
        expected = _in_process(tmp_path / "inproc", clip, "loop", vlm=vlm_settings)
        job = _submit_and_wait(env, clip, "loop")
    assert job["status"] == "complete", job["error"]
    assert _service_graph(tmp_path / "svc") == expected
    assert expected["counts"]["Segment"] == job["total"] == 10
    perceived = [_tasks_run_by(w.log).count("vidgraph.perceive_chunk") for w in (w1, w2)]
    assert sum(perceived) >= 10 and min(perceived) >= 2, perceived  # both workers took chunks


def test_a_worker_killed_mid_job_loses_no_chunk_and_duplicates_nothing(tmp_path, workers, beat):
    redis_url = fresh_redis(DB)
    clip = loop_video(CAR_CLIP, tmp_path / "loop4.mp4", 4)  # 120 s: 13 chunks
    with stand_in_vlm(tmp_path, redis_url, 1.0) as (vlm_settings, env):
        w1, w2 = workers("w1", env), workers("w2", env)
        beat(env)  # a message w1 took before kombu recorded it is sent again by the supervisor
        w1.wait_ready()
        w2.wait_ready()
        expected = _in_process(tmp_path / "inproc", clip, "loop", vlm=vlm_settings)
        from workers.tasks import submit_file, wait_for

        settings = Settings(data_dir=tmp_path / "svc", service={"redis_url": redis_url})
        job_id = submit_file(settings, clip, "loop")
        jobs = Jobs(redis_url)
        deadline = time.monotonic() + 60
        while jobs.get(job_id)["perceived"] < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        w1.kill()  # mid-job: it holds a chunk in flight and possibly one prefetched
        job = wait_for(job_id, settings, 180)
    assert job["status"] == "complete", job["error"]
    assert _service_graph(tmp_path / "svc") == expected
    assert expected["counts"]["Segment"] == job["total"] == 13


def test_an_ingestion_lost_with_its_worker_is_sent_again(tmp_path, workers, beat):
    """The same loss for a file's ingestion message: the job stayed queued for good."""
    redis_url = fresh_redis(DB)
    env = service_env(tmp_path / "svc", redis_url)
    expected = _in_process(tmp_path / "inproc", CAR_CLIP, "car")
    from workers.tasks import submit_file, wait_for

    settings = Settings(data_dir=tmp_path / "svc", service={"redis_url": redis_url})
    job_id = submit_file(settings, CAR_CLIP, "car")
    jobs = Jobs(redis_url)
    taken = jobs.r.rpop("cpu")  # a worker's BRPOP took it, and the worker died
    assert taken and "vidgraph.ingest_file" in taken and jobs.r.llen("cpu") == 0
    workers("w1", env)
    beat(env)
    job = wait_for(job_id, settings, 120)
    assert job["status"] == "complete", job["error"]
    assert _service_graph(tmp_path / "svc") == expected
    assert "vidgraph.ingest_file" in _tasks_run_by(tmp_path / "w1.log")


def test_a_chunk_message_lost_with_its_worker_is_sent_again(tmp_path, workers, beat):
    """Redis hands a message to a worker before kombu records it as unacknowledged: a worker killed in that
    moment takes the message with it, and nothing redelivers it (this stalled a CI run for good)."""
    redis_url = fresh_redis(DB)
    clip = loop_video(CAR_CLIP, tmp_path / "loop2.mp4", 2)  # 60 s: 7 chunks
    with stand_in_vlm(tmp_path, redis_url, 0.05) as (vlm_settings, env):
        expected = _in_process(tmp_path / "inproc", clip, "loop", vlm=vlm_settings)
        from workers.tasks import submit_file, wait_for

        settings = Settings(data_dir=tmp_path / "svc", service={"redis_url": redis_url})
        job_id = submit_file(settings, clip, "loop")
        ingest = Worker("ingest", env, queues="cpu", log=tmp_path / "ingest.log")  # ingestion only
        deadline = time.monotonic() + 60
        while "vidgraph.ingest_file" not in " ".join(_tasks_run_by(ingest.log)) and time.monotonic() < deadline:
            time.sleep(0.1)  # acknowledged: stopping the worker now does not send the ingestion again
        ingest.stop()
        jobs = Jobs(redis_url)
        assert jobs.get(job_id)["total"] == 7 and jobs.r.llen("perception") == 7
        taken = jobs.r.rpop("perception")  # what the next worker's BRPOP would take: chunk 0
        assert taken and "vidgraph.perceive_chunk" in taken
        workers("w1", env)
        beat(env)
        job = wait_for(job_id, settings, 120)
    assert job["status"] == "complete", job["error"]
    assert _service_graph(tmp_path / "svc") == expected
    assert expected["counts"]["Segment"] == job["total"] == 7
