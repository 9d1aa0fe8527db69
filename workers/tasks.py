"""The Celery tasks of service mode. See the package docstring for the queues and the flow of a file job:

``ingest_file`` (cpu) decodes, samples and chunks the file once, in order. With a VLM backend (chunks are
independent) each chunk goes to ``perceive_chunk`` (perception) as a small payload; with the CV backend
(tracking is sequential) it perceives in place. Every observation is stored in Redis under its chunk index and
``commit`` (graph) writes the observations that are next in order, so a stream's results land in order
whatever order workers finish in. When the last chunk is written the run is finished exactly as in-process.

A CV file longer than ``service.split_s`` is split across workers instead (``perceive_part``): part k reads from
``split_warm_s`` before its own start (to see what is already in view) and, past its end, on to the first chunk
boundary where both it and the next part have nothing open (``PerceptionBackend.settled``); from there the next
part's observations are taken. Tracks never cross such a seam, so the graph is the one a single task makes, with
the next part's track numbers. A part nobody has begun when the one before reaches it is read on through.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import httpx

from common.urls import UrlRefused, check_service_url, redact
from graph import GraphStore, StreamRecord
from ingest import VideoInputError, open_source
from ingest.motion import HISTORY as MOTION_HISTORY
from pipeline import open_graph
from pipeline.chunks import chunks_of, final_with_gaps, perceive_in_order, save_segment_thumbnail, with_gaps
from pipeline.settings import Settings
from pipeline.stream import perception_context, prepare
from pipeline.writer import RunState, RunWriter
from vlm import create_backend
from vlm.schema import Observation
from workers.app import ROUTES, app, client_for
from workers.jobs import Jobs
from workers.payload import decode_chunk, encode_chunk

log = logging.getLogger(__name__)

def settings() -> Settings:
    """The worker's settings, from its environment and settings file (read per task: cheap, and current)."""
    return Settings()


def jobs_of(s: Settings) -> Jobs:
    return Jobs(s.service.redis_url, s.service.job_ttl_s)


def chunk_parallel(s: Settings) -> bool:
    """VLM perception of a chunk needs nothing from the chunk before; tracking (cv, hybrid) does."""
    return s.vlm.backend != "cv" and not s.vlm.hybrid


@contextmanager
def writable_store(s: Settings, jobs: Jobs, job_id: str | None = None) -> Iterator[GraphStore]:
    """The graph, open for writing: under the Redis lock for the embedded store (one writer process); for a
    job's commit also under that job's lock (its chunks land in order, one writer at a time)."""
    with ExitStack() as stack:
        if job_id is not None:
            stack.enter_context(jobs.commit_lock(job_id, s.service.graph_lock_s, s.service.visibility_timeout_s))
        if s.graph.backend == "ladybug":
            stack.enter_context(jobs.graph_lock(s.service.graph_lock_s, s.service.visibility_timeout_s))
        yield stack.enter_context(open_graph(s))


def submit_file(s: Settings, path: Path, stream_id: str | None = None, start: float | None = None) -> str:
    """Create a file job and queue its ingestion; returns the job id."""
    jobs = jobs_of(s)
    job_id = jobs.create("file", path=str(path), stream_id=stream_id or "", start=start or "")
    _send_ingest(s, jobs, job_id)
    return job_id


def _send_ingest(s: Settings, jobs: Jobs, job_id: str) -> None:
    """Queue the job's ingestion, its place in the order recorded first (how a lost one is found again)."""
    jobs.send_ingest(job_id)
    client_for(s).send_task("vidgraph.ingest_file", args=[job_id])


# -- file jobs --------------------------------------------------------------------------------------------------
@app.task(name="vidgraph.ingest_file")
def ingest_file(job_id: str) -> dict[str, Any]:
    s = settings()
    jobs = jobs_of(s)
    job = jobs.get(job_id)
    if job is None or job["status"] in ("complete", "failed"):
        return {"job": job_id, "skipped": True}
    jobs.start_ingest(job_id)
    try:
        source, record, run, fingerprint = prepare(Path(job["path"]), s, job["stream_id"] or None,
                                                   float(job["start"]) if job.get("start") else None)
    except (VideoInputError, ValueError) as err:
        jobs.finish(job_id, "failed", str(err))
        return {"job": job_id, "error": str(err)}
    parts = _parts(s, record.duration)
    if parts:  # track numbers depend on where parts met: a run of its own, so a re-run replaces, never adds
        run = record.run = f"{run}-{job_id}"
    jobs.update(job_id, status="running", stream_id=record.id, run=run, fingerprint=fingerprint,
                record=json.dumps(record.row()), duration=record.duration,
                expected=max(1, math.ceil(record.duration / s.ingest.chunk_duration)),  # progress before the end
                **parts)
    if parts:
        for k in range(parts["parts"]):
            client_for(s).send_task("vidgraph.perceive_part", args=[job_id, k])
        return {"job": job_id, "parts": parts["parts"]}
    context = perception_context(s, record, run)
    n = 0
    try:
        if chunk_parallel(s):
            assert s.vlm.backend != "cv"
            for piece in chunks_of(source, s.ingest, record.duration):
                thumbnail = save_segment_thumbnail(piece, context.thumbs_dir)
                jobs.send_chunk(job_id, piece.idx, encode_chunk(piece, s.vlm.frames_per_chunk, s.vlm.input_width),
                                thumbnail)
                perceive_chunk.delay(job_id, piece.idx)
                n += 1
            gaps = final_with_gaps(None, source, record.duration)  # damaged stretches, recorded at the end
            if gaps is not None:
                jobs.put_observation(job_id, n, gaps.model_dump_json(), None, final=True)
                n += 1
        else:
            backend = create_backend(s.vlm, s.cv, context)
            try:
                for piece, observation in perceive_in_order(backend, chunks_of(source, s.ingest, record.duration)):
                    thumbnail = save_segment_thumbnail(piece, context.thumbs_dir)
                    observation = with_gaps(observation, source, before=piece.t1)
                    jobs.put_observation(job_id, piece.idx, observation.model_dump_json(), thumbnail)
                    commit.delay(job_id)
                    n += 1
                final = final_with_gaps(backend.flush(record.duration), source, record.duration)
                if final is not None:
                    jobs.put_observation(job_id, n, final.model_dump_json(), None, final=True)
                    n += 1
            finally:
                backend.close()
    except VideoInputError as err:  # a decode error mid-file: nothing of this run may stay
        jobs.update(job_id, error=str(err))
        abort.delay(job_id, str(err))
        return {"job": job_id, "error": str(err)}
    jobs.update(job_id, total=n)
    commit.delay(job_id)
    return {"job": job_id, "chunks": n}


PART_TRACKS = 1_000_000  # part k of a split file numbers its tracks from k * PART_TRACKS


def _parts(s: Settings, duration: float) -> dict[str, int]:
    """How a long CV file is split across workers (parts, chunks per part, warm-up chunks); empty when it is
    analysed in one task."""
    stride = s.ingest.chunk_duration - s.ingest.chunk_overlap
    per = max(1, round(s.service.split_s / stride))
    parts = math.ceil(math.ceil(duration / stride) / per)
    if s.service.split_s <= 0 or chunk_parallel(s) or s.vlm.hybrid or parts < 2:
        return {}
    # a part begins at least the motion model's memory before its start; MOG2's memory is exponential, so it
    # never agrees exactly: with 10 s (a 2-minute loop) and with 40 s (a 30-minute file) alike, times differed
    # by up to one sampled frame (0.24 s) and motion scores by ~1%
    warm_s = max(s.service.split_warm_s, MOTION_HISTORY / s.ingest.sample_fps)
    return {"parts": parts, "part_chunks": per, "warm_chunks": math.ceil(warm_s / stride)}


@app.task(name="vidgraph.perceive_part")
def perceive_part(job_id: str, k: int) -> dict[str, Any]:
    """Part ``k`` of a split file: perceived from its warm-up on, to its seam with the next part (or the end)."""
    s = settings()
    jobs = jobs_of(s)
    job = jobs.get(job_id)
    if job is None or job["status"] in ("complete", "failed") or job.get(f"seam:{k}") or not jobs.claim_part(
            job_id, k, "run"):
        return {"job": job_id, "part": k, "skipped": True}  # ended, done, or absorbed by the part before
    record = StreamRecord(**json.loads(job["record"]))
    parts, per = int(job["parts"]), int(job["part_chunks"])
    try:
        source = open_source(Path(job["path"]), max_width=s.ingest.decode_max_width, decoder=s.ingest.decoder)
    except VideoInputError as err:  # moved or cut since its ingestion
        return _abort_part(s, jobs, job_id, k, err)
    context = replace(perception_context(s, record, job["run"]), track_base=k * PART_TRACKS)
    backend = create_backend(s.vlm, s.cv, context)
    pieces = chunks_of(source, s.ingest, record.duration, first_idx=max(0, k * per - int(job["warm_chunks"])))
    ahead, n = k + 1, 0  # the part to meet at a seam
    try:
        for piece, observation in perceive_in_order(backend, pieces):
            # a warm-up chunk is the part before's (it reads on to a seam at or after this part's start)
            thumbnail = (save_segment_thumbnail(piece, context.thumbs_dir, suffix=f"-p{k}" if k else "")
                         if piece.idx >= k * per else None)
            observation = with_gaps(observation, source, before=piece.t1)
            settled, n = backend.settled, piece.idx + 1
            jobs.put_part_observation(job_id, k, piece.idx, observation.model_dump_json(), thumbnail, settled)
            client_for(s).send_task("vidgraph.commit", args=[job_id])
            if jobs.ended(job_id):  # failed (another part's decode error) or done without this part
                _drop_unowned_thumbnails(jobs, job_id)
                return {"job": job_id, "part": k, "stopped": n}
            while settled and ahead < parts and n >= ahead * per:
                if jobs.claim_part(job_id, ahead, "absorbed"):  # nobody began it: read on through it
                    ahead += 1
                elif jobs.part_settled(job_id, ahead, piece.idx):  # both have nothing open here: the seam
                    jobs.end_part(job_id, k, n)
                    client_for(s).send_task("vidgraph.commit", args=[job_id])
                    return {"job": job_id, "part": k, "seam": n}
                else:
                    break
        final = final_with_gaps(backend.flush(record.duration), source, record.duration)
        if final is not None:
            jobs.put_part_observation(job_id, k, n, final.model_dump_json(), None, True, final=True)
            n += 1
    except VideoInputError as err:  # a decode error mid-file: nothing of this run may stay
        return _abort_part(s, jobs, job_id, k, err)
    finally:
        backend.close()
    jobs.end_part(job_id, k, n, at_end=True)
    client_for(s).send_task("vidgraph.commit", args=[job_id])
    return {"job": job_id, "part": k, "chunks": n}


def _drop_unowned_thumbnails(jobs: Jobs, job_id: str) -> None:
    """Once a split file's job has ended: the thumbnails no segment cites (``Jobs.unowned_thumbnails``). Both
    the finishing commit and a part still reading call it, so one saved after the commit looked goes too."""
    for path in jobs.unowned_thumbnails(job_id):
        Path(path).unlink(missing_ok=True)


def _abort_part(s: Settings, jobs: Jobs, job_id: str, k: int, err: Exception) -> dict[str, Any]:
    """A part could not read its file: the job fails and nothing of its run stays (``abort``)."""
    jobs.update(job_id, error=str(err))
    client_for(s).send_task("vidgraph.abort", args=[job_id, str(err)])
    return {"job": job_id, "part": k, "error": str(err)}


_BACKENDS: dict[tuple[str, str], Any] = {}
_BACKENDS_LOCK = threading.Lock()


@app.task(name="vidgraph.perceive_chunk")
def perceive_chunk(job_id: str, idx: int) -> int:
    """One chunk through the VLM backend; the observation goes to Redis and ``commit`` is asked to run."""
    s = settings()
    jobs = jobs_of(s)
    job = jobs.get(job_id)
    chunk = jobs.chunk(job_id, idx)
    if job is None or job["status"] in ("complete", "failed") or chunk is None:
        return -1  # ended, or a duplicate of a chunk already perceived
    jobs.start_chunk(job_id, idx, chunk["seq"])
    record = StreamRecord(**json.loads(job["record"]))
    key = (record.id, job["run"])
    with _BACKENDS_LOCK:  # one backend per stream and run per process (HTTP client, loaded model, reply cache)
        if key not in _BACKENDS:
            _BACKENDS[key] = create_backend(s.vlm, s.cv, perception_context(s, record, job["run"]))
        backend = _BACKENDS[key]
    observation = backend.perceive(decode_chunk(chunk["payload"]))
    jobs.put_observation(job_id, idx, observation.model_dump_json(), chunk["thumbnail"])
    commit.delay(job_id)
    return idx


@app.task(name="vidgraph.commit")
def commit(job_id: str) -> dict[str, Any]:
    """Write the observations that are next in chunk order; finish the run after the last one."""
    s = settings()
    jobs = jobs_of(s)
    job = jobs.get(job_id)
    if job is None or job["status"] in ("complete", "failed") or not job.get("record"):
        return {"job": job_id, "skipped": True}  # a late duplicate: do not even open the store
    if jobs.observation(job_id, job["next"]) is None and job["total"] != job["next"]:
        return {"job": job_id, "waiting": job["next"]}  # the next chunk in order is not perceived yet
    with writable_store(s, jobs, job_id) as store:
        job = jobs.get(job_id)  # read again under the lock: another commit may have moved on
        if job is None or job["status"] in ("complete", "failed") or not job.get("record"):
            return {"job": job_id, "skipped": True}
        writer = _writer(s, store, jobs, job)
        done, total = job["next"], job["total"]
        try:
            while (item := jobs.observation(job_id, done)) is not None:
                writer.write(store, Observation.model_validate_json(item["observation"]), item["thumbnail"],
                             is_segment=not item["final"])
                done += 1
                store.flush()  # committed before Redis says so: a worker killed now loses nothing it claimed
                jobs.update(job_id, next=done, state=json.dumps(asdict(writer.state())))
            total = (jobs.get(job_id) or job)["total"]
            if 0 <= total <= done:
                writer.finish(store)
                jobs.finish(job_id, "complete")
                _drop_unowned_thumbnails(jobs, job_id)
        finally:
            writer.close(store)
    return {"job": job_id, "committed": done, "total": total}


def _writer(s: Settings, store: GraphStore, jobs: Jobs, job: dict[str, Any]) -> RunWriter:
    """The job's run writer: begun by the first commit, resumed from its saved state by every later one (the
    state is bounded, so a day-long job's last commit costs what its first did)."""
    record = StreamRecord(**json.loads(job["record"]))
    if job.get("state"):
        return RunWriter.resume(s, record, job["fingerprint"], RunState(**json.loads(job["state"])))
    writer = RunWriter.start_file(store, s, record, job["fingerprint"], perception_context(s, record, job["run"]).zones)
    store.flush()
    jobs.update(job["id"], state=json.dumps(asdict(writer.state())))
    return writer


@app.task(name="vidgraph.abort")
def abort(job_id: str, error: str) -> None:
    """Undo what a failed job wrote (the stream's previous run becomes visible again)."""
    s = settings()
    jobs = jobs_of(s)
    job = jobs.get(job_id)
    if job is None or job["status"] in ("complete", "failed"):
        return
    if job.get("state"):
        with writable_store(s, jobs, job_id) as store:
            record = StreamRecord(**json.loads(job["record"]))
            writer = RunWriter.resume(s, record, job["fingerprint"], RunState(**json.loads(job["state"])), notify=False)
            writer.roll_back(store, RuntimeError(error))
    jobs.finish(job_id, "failed", error)


@app.task(name="vidgraph.recover_jobs")
def recover_jobs() -> dict[str, list[int]]:
    """Beat runs this every ``service.supervise_s``: see :func:`resend_lost_work`."""
    return resend_lost_work(settings())


def resend_lost_work(s: Settings) -> dict[str, list[int]]:
    """Send again the work of running jobs whose task messages a dead worker took with it; returns the chunks
    sent again per job.

    kombu redelivers a task a visibility timeout after its worker died only if it had recorded the message as
    unacknowledged, and Redis hands a message over (BRPOP) a moment before that: a worker killed in that moment
    loses the message for good, and its job would wait forever. So a chunk that no worker began although the
    queue went past it is sent again a visibility timeout after it was sent (if it was in a dead worker's
    unacknowledged set, kombu restores it too: the duplicate costs one more VLM call and writes nothing twice),
    and a job that has not moved for that long is sent a commit (whose own message may have been lost). A queued
    job's ingestion lost the same way is sent again (listed with no chunks). Of a split file that has not moved
    for a visibility timeout, every part not finished nor read through by the one before is sent again
    (listed as parts, numbered from -1 down: part k as -1 - k)."""
    jobs = jobs_of(s)
    vt = s.service.visibility_timeout_s
    queue_empty = jobs.r.llen(ROUTES["vidgraph.perceive_chunk"]["queue"]) == 0  # kombu: a queue is a list
    ingest_empty = jobs.r.llen(ROUTES["vidgraph.ingest_file"]["queue"]) == 0
    resent: dict[str, list[int]] = {}
    for job in jobs.recent(1000):
        if jobs.lost_ingest(job, vt, ingest_empty):
            _send_ingest(s, jobs, job["id"])
            resent[job["id"]] = []
        if job["status"] != "running":
            continue
        lost = jobs.lost_chunks(job["id"], vt, queue_empty)
        for idx in lost:
            jobs.send_chunk(job["id"], idx)
            client_for(s).send_task("vidgraph.perceive_chunk", args=[job["id"], idx])
        if lost:
            resent[job["id"]] = lost
        idle = time.time() - float(job["updated"]) > vt
        parts = [k for k in range(int(job.get("parts") or 0))
                 if idle and not job.get(f"seam:{k}") and job.get(f"part:{k}") != "absorbed"]
        for k in parts:  # no part moved for a visibility timeout: those unfinished died or lost their message
            client_for(s).send_task("vidgraph.perceive_part", args=[job["id"], k])
        if parts:
            resent[job["id"]] = [*lost, *(-1 - k for k in parts)]
        if lost or idle:
            client_for(s).send_task("vidgraph.commit", args=[job["id"]])
    if resent:
        log.warning("sent again ingestions ([]), chunks and parts (-1 - k) whose messages were lost: %s", resent)
    return resent


# -- live streams ---------------------------------------------------------------------------------------------
@app.task(name="vidgraph.run_stream", acks_late=False)
def run_stream(stream_id: str) -> dict[str, Any]:
    """Read one live stream until it is stopped. Acknowledged at once (it runs for days): if its worker dies,
    ``ensure_streams`` sees the heartbeat stop and starts it again elsewhere."""
    from pipeline.live import run_live

    s = settings()
    jobs = jobs_of(s)
    live = jobs.live(stream_id)
    if live is None or live.get("desired") != "running" or live["alive"]:
        return {"stream": stream_id, "skipped": True}
    jobs.heartbeat(stream_id)
    stop = threading.Event()

    def beat() -> None:  # heartbeat and stop flag, independent of how long a chunk takes
        while not stop.wait(5.0):
            current = jobs.live(stream_id)
            if current is None or current.get("desired") != "running":
                stop.set()
                return
            jobs.heartbeat(stream_id)

    def health(h) -> None:
        # "stopped" is said below, once run_live has written the stream's last state to the graph: the
        # reader stops first, and a stop that looked done before that could be cut off
        state = {} if h.state == "stopped" else {"state": h.state}
        jobs.set_live(stream_id, **state, connects=h.connects, frames=h.frames, dropped=h.dropped,
                      last_frame_wall=h.last_frame_wall, last_error=h.last_error)

    threading.Thread(target=beat, daemon=True, name=f"beat-{stream_id}").start()
    try:
        result = run_live(live["url"], stream_id, s, lambda: writable_store(s, jobs), stop.is_set,
                          name=live.get("name") or None, on_health=health)
    finally:
        stop.set()
        jobs.set_live(stream_id, state="stopped")
        jobs.r.delete(f"vidgraph:live:{stream_id}:beat")
    return {"stream": stream_id, "chunks": result.chunks, "gaps": result.gaps}


@app.task(name="vidgraph.ensure_streams")
def ensure_streams() -> list[str]:
    """Beat runs this every 30 s: see :func:`restart_dead_streams`."""
    return restart_dead_streams(settings())


def restart_dead_streams(s: Settings) -> list[str]:
    """Start every live stream that should run and has no live reader (its worker died, or never started)."""
    jobs = jobs_of(s)
    started = []
    for live in jobs.lives():
        if live.get("desired") == "running" and not live["alive"]:
            client_for(s).send_task("vidgraph.run_stream", args=[live["id"]])
            started.append(live["id"])
    return started


def add_stream(s: Settings, url: str, stream_id: str, name: str | None = None) -> None:
    """Queue a live stream (its URL checked against the outbound policy: ``ingest.live.check_url``)."""
    from ingest.live import check_url

    check_url(url, s.ingest.allowed_hosts)
    jobs = jobs_of(s)
    jobs.set_live(stream_id, id=stream_id, url=url, name=name or stream_id, desired="running", state="queued",
                  added=time.time())
    client_for(s).send_task("vidgraph.run_stream", args=[stream_id])


def stop_stream(s: Settings, stream_id: str) -> bool:
    """Ask a live stream's reader to stop (it notices within 5 s); False if no such stream."""
    jobs = jobs_of(s)
    if jobs.live(stream_id) is None:
        return False
    jobs.set_live(stream_id, desired="stopped")
    return True


# -- reports ----------------------------------------------------------------------------------------------------
@app.task(name="vidgraph.render_report")
def render_report(schedule: dict[str, Any]) -> str:
    """Render one scheduled (or requested) report into the reports directory; optionally announce it."""
    from query.report import build_report, parse_since, render, stamped_name
    from query.timewords import parse_day
    from vlm.profiles import load_profile

    s = settings()
    with open_graph(s, read_only=True) as store:
        report = build_report(store, load_profile(s.vlm.profile), schedule.get("streams"),
                              parse_since(schedule.get("since", "24h")), schedule.get("min_severity", "low"),
                              s.timezone, title=f"{schedule['name']}: incident report",
                              day=parse_day(schedule["day"]) if schedule.get("day") else None)
    path = render(report, schedule.get("format", "pdf"), s.reports_dir, stamped_name(schedule["name"]))
    if url := schedule.get("webhook_url"):
        try:
            check_service_url(url, "report webhook")
            httpx.post(url, json={"name": schedule["name"], "path": str(path), "incidents": report.incident_total},
                       timeout=10.0)
        except (httpx.HTTPError, UrlRefused) as err:
            log.warning("report %s: webhook %s failed: %s", path.name, redact(url), redact(str(err)))
    return str(path)


def wait_for(job_id: str, s: Settings, timeout_s: float = 600.0, poll_s: float = 0.2,
             on_poll: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """Block until a job ends (for the CLI and tests); ``on_poll`` sees the job at every look."""
    jobs = jobs_of(s)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = jobs.get(job_id)
        if job and on_poll is not None:
            on_poll(job)
        if job and job["status"] in ("complete", "failed"):
            return job
        time.sleep(poll_s)
    raise TimeoutError(f"job {job_id} did not finish in {timeout_s:.0f} s")
