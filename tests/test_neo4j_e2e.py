"""The whole product on a real Neo4j 5 (the session's server, see ``neo4j_server`` in conftest.py):
analyze -> ask -> report -> dashboard through the CLI, forget and compact, semantic search through the vector
index, two Celery workers writing at once, and an outage in the middle of an analysis.

Every test writes its own streams (``<name>-<random>``) and deletes them, so they share one database.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid

import pytest
from conftest import CAR_CLIP, loop_video, make_settings, run_cli
from service_helpers import Worker, fresh_redis, service_env

from graph import neo4j_local
from pipeline import analyze_file, open_graph
from pipeline.settings import Settings
from query import ask

DB = 10  # this module's Redis database

pytestmark = pytest.mark.usefixtures("neo4j_server")


def _id(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:6]}"


def stream_snapshot(store, stream: str) -> dict:
    """What two analyses of one stream must agree on: every node's identity, times and text."""
    mine = [stream]
    return {
        "events": sorted((e["id"], e["type"], round(e["t0"], 2), round(e["t1"], 2), e["description"])
                         for e in store.events(streams=mine)),
        "entities": sorted((e["id"], e["cls"], round(e["first_seen"], 2), round(e["last_seen"], 2), e["direction"])
                           for e in store.entities(streams=mine)),
        "segments": sorted((s["id"], round(s["t0"], 2), round(s["t1"], 2), s["caption"], s["status"])
                           for s in store.segments(streams=mine)),
        "summaries": sorted((s["id"], s["text"]) for s in store.summaries(streams=mine)),
        "alerts": sorted((a["id"], a["text"]) for a in store.alerts(streams=mine)),
    }


def _embedded(tmp_path, clip, stream: str, **sections) -> dict:
    settings = make_settings(tmp_path / "embedded", **sections)
    with open_graph(settings) as store:
        analyze_file(clip, settings, store, stream_id=stream)
        return stream_snapshot(store, stream)


def _neo4j(tmp_path, **sections) -> Settings:
    return make_settings(tmp_path / "neo4j-data", graph={"backend": "neo4j"}, **sections)


@pytest.fixture
def neo4j_cli(tmp_path, monkeypatch):
    """Run the CLI on the Neo4j backend; streams it names are deleted afterwards."""
    monkeypatch.setenv("VIDGRAPH_GRAPH_BACKEND", "neo4j")
    made: list[str] = []

    def cli(*args: str, stream: str | None = None):
        if stream:
            made.append(stream)
        return run_cli(*args, data_dir=tmp_path / "cli")

    yield cli
    with open_graph(_neo4j(tmp_path)) as store:
        for stream in made:
            store.delete_stream(stream)


def test_the_local_server_reports_no_usage_data_to_neo4j(neo4j_server):
    """The repo's launcher left Neo4j's usage report on: every 24 hours the server sent its store size, counts and
    machine to neo4j.com, an outbound call no setting of vidgraph named (its log said so at every start)."""
    if neo4j_server is None:
        pytest.skip("an external Neo4j: its own configuration decides")
    import neo4j

    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=("neo4j", os.environ["NEO4J_PASSWORD"])) as driver:
        records, _, _ = driver.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name = 'dbms.usage_report.enabled' RETURN value")
    assert [r["value"] for r in records] == ["false"]


def test_analyze_ask_report_and_dashboard_on_neo4j_match_the_embedded_store(tmp_path, neo4j_cli):
    stream = _id("car")
    done = neo4j_cli("analyze", str(CAR_CLIP), "--stream-id", stream, "-q", stream=stream)
    assert done.returncode == 0, done.stderr
    assert f"{stream}: 0:30.2 analysed" in done.stdout

    answered = neo4j_cli("ask", "how many cars passed?", "--stream", stream, "--json")
    assert answered.returncode == 0, answered.stderr
    on_neo4j = json.loads(answered.stdout)
    settings = make_settings(tmp_path / "embedded")
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id=stream)
        embedded = ask(store, "how many cars passed?", streams=[stream]).to_dict()
        expected = stream_snapshot(store, stream)
    assert on_neo4j["value"] == embedded["value"] == 4
    assert on_neo4j["text"] == embedded["text"]
    assert [c["entity_id"] for c in on_neo4j["citations"]] == [c["entity_id"] for c in embedded["citations"]]

    with open_graph(_neo4j(tmp_path)) as store:
        assert stream_snapshot(store, stream) == expected  # the same graph, node for node

    reported = neo4j_cli("report", "--stream", stream, "--format", "md", "--name", "car-report")
    assert reported.returncode == 0, reported.stderr
    text = (tmp_path / "cli" / "reports" / "car-report.md").read_text()
    assert "4 cars" in text and text.count("| car ") >= 4

    from dashboard.data import LocalBackend

    board = LocalBackend(_neo4j(tmp_path))
    assert stream in {s["id"] for s in board.streams()}
    assert len(board.entities(streams=[stream], cls="car")) == 4
    assert len(board.events(streams=[stream])) == len(expected["events"])


def test_forget_and_compact_on_neo4j(tmp_path, neo4j_cli):
    stream = _id("car")
    assert neo4j_cli("analyze", str(CAR_CLIP), "--stream-id", stream, "-q", stream=stream).returncode == 0
    compacted = neo4j_cli("compact", stream, "--before", "12")
    assert compacted.returncode == 0, compacted.stderr
    with open_graph(_neo4j(tmp_path)) as store:
        cars = store.entities(streams=[stream], cls="car")
        assert len(cars) == 3 and all(c["first_seen"] > 12 for c in cars)  # the first car (4.5-8.8 s) is compacted
        assert store.summaries(streams=[stream])  # its digests stay
    forgotten = neo4j_cli("forget", stream, "--since", "20", "--until", "30")
    assert forgotten.returncode == 0, forgotten.stderr
    with open_graph(_neo4j(tmp_path)) as store:
        assert len(store.entities(streams=[stream], cls="car")) == 2
    assert neo4j_cli("forget", stream).returncode == 0
    with open_graph(_neo4j(tmp_path)) as store:
        assert store.get_stream(stream) is None and store.entities(streams=[stream]) == []


def test_semantic_search_through_the_vector_index_finds_what_the_exact_scan_finds(tmp_path):
    from graph.embeddings import create_embedder

    stream = _id("car")
    sections = {"graph": {"embedder": "minilm"}}
    embedder = create_embedder("minilm")
    query = embedder.embed(["a car drives from bottom to top"])[0].tolist()
    embedded_settings = make_settings(tmp_path / "embedded", **sections)
    with open_graph(embedded_settings) as store:
        analyze_file(CAR_CLIP, embedded_settings, store, stream_id=stream)
        exact = store.semantic_search("Event", query, 3, [stream])
    settings = make_settings(tmp_path / "neo4j", graph={"backend": "neo4j", "embedder": "minilm"})
    with open_graph(settings) as store:
        try:
            analyze_file(CAR_CLIP, settings, store, stream_id=stream)
            indexed = store.semantic_search("Event", query, 3, [stream])
            plan = store._read("EXPLAIN CALL db.index.vector.queryNodes('event_embedding', 3, $q) YIELD node "
                               "RETURN node", {"q": query})
        finally:
            store.delete_stream(stream)
    assert plan == []  # the vector index exists and the query plans against it
    # Neo4j's index quantises vectors: the same hits, scores (cosines, as the exact scan gives) within 0.01
    assert {h["id"] for h in indexed} == {h["id"] for h in exact} and len(exact) == 3
    scores = {h["id"]: h["score"] for h in exact}
    assert all(h["score"] == pytest.approx(scores[h["id"]], abs=0.01) for h in indexed)


def test_two_workers_write_to_neo4j_at_once_and_make_the_in_process_graph(tmp_path):
    from workers.tasks import submit_file, wait_for

    redis_url = fresh_redis(DB)
    env = service_env(tmp_path / "svc", redis_url, VIDGRAPH_GRAPH_BACKEND="neo4j")
    clip = loop_video(CAR_CLIP, tmp_path / "loop2.mp4", 2)
    streams = {_id("a"): CAR_CLIP, _id("b"): clip}
    expected = {stream: _embedded(tmp_path, path, stream) for stream, path in streams.items()}
    workers = [Worker(name, env, log=tmp_path / f"{name}.log") for name in ("w1", "w2")]
    try:
        for worker in workers:
            worker.wait_ready()
        settings = Settings(data_dir=tmp_path / "svc", service={"redis_url": redis_url})
        jobs = {stream: submit_file(settings, path, stream) for stream, path in streams.items()}
        finished = {stream: wait_for(job, settings, 300) for stream, job in jobs.items()}
    finally:
        for worker in workers:
            worker.stop()
    for job in finished.values():
        assert job["status"] == "complete", job["error"]
    logs = [w.log.read_text() for w in workers]
    assert all("vidgraph.ingest_file" in log and "vidgraph.commit" in log for log in logs)  # both wrote
    spans = sorted((float(j["created"]), float(j["updated"])) for j in finished.values())
    assert spans[1][0] < spans[0][1]  # the two jobs ran at the same time
    assert not any("lock:graph" in key for key in fresh_redis_keys(redis_url))  # no embedded-store lock taken
    with open_graph(_neo4j(tmp_path)) as store:
        try:
            for stream in streams:
                assert stream_snapshot(store, stream) == expected[stream]
        finally:
            for stream in streams:
                store.delete_stream(stream)


def fresh_redis_keys(url: str) -> list[str]:
    import redis

    return [k.decode() for k in redis.Redis.from_url(url).keys("*")]


def test_an_outage_mid_analysis_pauses_ingestion_and_loses_nothing(tmp_path):
    """A Neo4j of its own is killed after 40 s of a 120 s input and started again 6 s later: the writes wait in
    the bounded buffer (ingestion pauses when it is full) and the graph ends identical to the embedded one."""
    clip = loop_video(CAR_CLIP, tmp_path / "loop4.mp4", 4)
    stream = "outage"
    expected = _embedded(tmp_path, clip, stream)
    password = uuid.uuid4().hex
    home, port = tmp_path / "outage-neo4j", neo4j_local.free_port()
    server = neo4j_local.start(home, port, password, owner_pid=os.getpid())
    settings = make_settings(tmp_path / "data", graph={
        "backend": "neo4j", "neo4j_uri": server.uri, "neo4j_password": password, "neo4j_buffer_batches": 2,
        "neo4j_max_backoff_s": 1.0})
    progress: list[tuple[float, float]] = []  # (wall clock, seconds of video done)
    outage: dict[str, float] = {}
    restarted: list[neo4j_local.LocalNeo4j] = []

    failures: list[BaseException] = []

    def restart_later() -> None:
        time.sleep(6.0)
        outage["restart"] = time.monotonic()
        try:
            restarted.append(neo4j_local.start(home, port, password, owner_pid=os.getpid()))
        except BaseException as err:  # reported by the assertion below
            failures.append(err)
        outage["up"] = time.monotonic()

    restarter = threading.Thread(target=restart_later, daemon=True)

    def on_progress(done: float, total: float) -> None:
        progress.append((time.monotonic(), done))
        if done >= 40.0 and "down" not in outage:
            server.kill()
            outage["down"] = time.monotonic()
            restarter.start()

    snapshot: list[dict] = []

    def analyze() -> None:
        try:
            with open_graph(settings) as store:
                analyze_file(clip, settings, store, stream_id=stream, progress=on_progress)
                snapshot.append(stream_snapshot(store, stream))
        except BaseException as err:  # reported by the assertion below
            failures.append(err)

    # the writes wait for Neo4j as long as it is away: if the restarted server never answers, the analysis
    # waits forever, so it runs on a thread of its own and the test fails after a bound, saying why
    analysis = threading.Thread(target=analyze, daemon=True)
    try:
        analysis.start()
        deadline = time.monotonic() + 600
        while analysis.is_alive() and not failures and time.monotonic() < deadline:
            analysis.join(timeout=1.0)
        restarter.join(timeout=200)  # start() may see the server's READY line after the writes went through
        assert not analysis.is_alive(), f"the analysis still waits for Neo4j; restart: {failures}"
    finally:
        for s in (server, *restarted):
            if s.running():
                s.stop()
    assert not failures and "down" in outage and "up" in outage, failures
    assert snapshot == [expected]  # nothing lost, nothing duplicated
    during = [done for wall, done in progress if outage["down"] < wall < outage["restart"]]
    after = [done for wall, done in progress if wall > outage["up"]]
    assert max(during, default=40.0) <= 40.0 + 3 * 10.0  # paused: at most the buffer's few chunks went on
    assert outage["restart"] - outage["down"] >= 5.9 and len(during) <= 4
    assert after and after[-1] == pytest.approx(clip_duration(clip), abs=0.2)  # resumed to the end


def clip_duration(path) -> float:
    from ingest import probe

    return probe(path).duration
