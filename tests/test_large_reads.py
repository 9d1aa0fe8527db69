"""Reads larger than the embedded store's page cache: answered whole, or refused in one line.

On the million-event bench graph (a month of 20 cameras, ``bench/graph_scale.py``) with the default 128 MB page
cache, "how many cars entered lane_2?" and "what happened in lane_2?" (every camera, the whole month) ended in
a traceback: LadybugDB's "Buffer manager exception: ... The buffer pool is full" while it gathered the rows.
The store now reads such a window in halves (``GraphStore._sliced``), lets go of the connection that held the
rows (``LadybugStore._release``), and a read that cannot be cut is a :class:`GraphReadTooLarge` naming the
setting. Here a smaller graph with heavier rows overflows the smallest page cache the settings allow (64 MB).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_settings
from fastapi.testclient import TestClient
from tests_support import scopes_for

from graph import GraphBatch, StreamRecord
from graph.errors import GraphError, GraphReadTooLarge
from pipeline import open_graph
from pipeline.settings import Settings
from query import ask
from query.openqa import retrieve
from query.parse import parse_question
from vidgraph.api import create_app

RUN = "r1"
CAMERAS, HOURS, PER_HOUR = 4, 100, 60  # 24,000 objects, each entering lane_2
NOTE = json.dumps({"note": "x" * 1500})  # an entity's attributes as heavy as a real one with its colour evidence


def camera(stream: str, tag: str = "") -> GraphBatch:
    """HOURS of one camera: PER_HOUR cars an hour, each an entity with an enter event at lane_2 (``tag`` in
    their ids)."""
    b = GraphBatch()
    for hour in range(HOURS):
        for i in range(PER_HOUR):
            t = hour * 3600.0 + i * 59.0 + 1.0
            ent, ev = f"{stream}/{RUN}/ent/{tag}{hour}-{i}", f"{stream}/{RUN}/ev/zone_enter-{tag}{hour}-{i}"
            b.entities.append({"id": ent, "stream_id": stream, "run": RUN, "cls": "car", "first_seen": t,
                               "last_seen": t + 8, "confidence": 0.8, "direction": "bottom_to_top",
                               "attributes": NOTE, "thumbnail": f"/data/thumbs/{stream}/{hour}/{i}.jpg"})
            b.events.append({"id": ev, "stream_id": stream, "run": RUN, "type": "zone_enter", "t0": t + 1,
                             "t1": t + 1, "confidence": 0.8, "label": "car", "description": "car zone_enter",
                             "attributes": '{"zone": "lane_2"}', "thumbnail": ""})
            b.involves.append({"src": ev, "dst": ent, "role": "subject"})
            b.at.append({"src": ev, "dst": f"{stream}/zone/lane_2"})
    return b


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph, written with a large page cache (as a backfill would be)."""
    path = tmp_path_factory.mktemp("large-reads")
    with open_graph(make_settings(path, graph={"buffer_pool_mb": 1024})) as store:
        for n in range(CAMERAS):
            store.upsert_stream(StreamRecord(f"cam{n}", f"rtsp://cam{n}", f"cam{n}", "live", HOURS * 3600.0, 5.0,
                                             640, 480, "complete", RUN, "{}"))
            store.write_batch(GraphBatch(zones=[{"id": f"cam{n}/zone/lane_2", "stream_id": f"cam{n}",
                                                 "name": "lane_2", "kind": "polygon", "points": "[]"}]))
            store.write_batch(camera(f"cam{n}"))
    return path


def entries(store, n: int, duration: float) -> None:
    """Camera cam0, ``duration`` s long, with ``n`` cars entering 0.1 s apart from its start."""
    store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", duration, 5.0, 640, 480, "complete",
                                     RUN, "{}"))
    store.write_batch(GraphBatch(events=[{"id": f"cam0/{RUN}/ev/enter-{i}", "stream_id": "cam0", "run": RUN,
                                          "type": "enter", "t0": i * 0.1, "t1": i * 0.1, "confidence": 0.8,
                                          "label": "car", "description": "car entered",
                                          "attributes": '{"edge":"bottom","entered":true}', "thumbnail": ""}
                                         for i in range(n)]))


def small(data_dir: Path):
    return open_graph(make_settings(data_dir, graph={"buffer_pool_mb": 64}), read_only=True)


@pytest.mark.slow
def test_a_zone_read_larger_than_the_page_cache_returns_every_visit_in_time_order(data_dir):
    with small(data_dir) as store:
        visits = store.zone_visits("lane_2", cls="car")
        assert len(visits) == CAMERAS * HOURS * PER_HOUR
        assert len({v["event_id"] for v in visits}) == len(visits)
        assert [v["t"] for v in visits] == sorted(v["t"] for v in visits)
        assert visits[0]["attributes"] == json.loads(NOTE) and visits[0]["event_attributes"] == {"zone": "lane_2"}
        window = store.zone_visits("lane_2", t0=10 * 3600.0, t1=20 * 3600.0)  # a window cut the same way
        assert len(window) == CAMERAS * 10 * PER_HOUR


@pytest.mark.slow
def test_a_count_at_a_zone_over_everything_is_answered(data_dir):
    with small(data_dir) as store:
        answer = ask(store, "how many cars entered lane_2?")
    assert answer.supported and answer.value == CAMERAS * HOURS * PER_HOUR, answer.text


@pytest.mark.slow
def test_the_first_events_and_entities_of_a_large_window_are_the_earliest(data_dir):
    with small(data_dir) as store:
        events = store.events(limit=500)
        entities = store.entities(cls="car")
    first = sorted((hour * 3600.0 + i * 59.0 + 2.0, f"cam{n}/{RUN}/ev/zone_enter-{hour}-{i}")
                   for n in range(CAMERAS) for hour in range(3) for i in range(PER_HOUR))[:500]
    assert [(e["t0"], e["id"]) for e in events] == first
    assert len(entities) == CAMERAS * HOURS * PER_HOUR


@pytest.mark.slow
def test_a_read_that_cannot_be_cut_is_one_clear_error_and_the_store_reads_on(data_dir):
    with small(data_dir) as store:
        with pytest.raises(GraphReadTooLarge, match=r"graph\.buffer_pool_mb = 64") as raised:
            store._read("MATCH (n:Entity) RETURN n.attributes AS a, n.thumbnail AS t ORDER BY n.thumbnail")
        assert isinstance(raised.value, GraphError) and "\n" not in str(raised.value)
        assert len(store.list_streams()) == CAMERAS  # the connection that held the rows was let go


@pytest.fixture(scope="module")
def dense_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every visit of the graph above in one camera's first 50 seconds: no cut of the window fits 64 MB."""
    path = tmp_path_factory.mktemp("dense")
    with open_graph(make_settings(path, graph={"buffer_pool_mb": 1024})) as store:
        store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", 60.0, 5.0, 640, 480, "complete", RUN,
                                         "{}"))
        store.write_batch(GraphBatch(zones=[{"id": "cam0/zone/lane_2", "stream_id": "cam0", "name": "lane_2",
                                             "kind": "polygon", "points": "[]"}]))
        batch = GraphBatch()
        for part in (camera("cam0", tag) for tag in "abcd"):
            for name in ("entities", "events", "involves", "at"):
                getattr(batch, name).extend(getattr(part, name))
        n = len(batch.entities)
        for k, (entity, event) in enumerate(zip(batch.entities, batch.events, strict=True)):
            entity["first_seen"], entity["last_seen"] = 50.0 * k / n, 50.0 * k / n + 8
            event["t0"] = event["t1"] = 50.0 * k / n + 1
        store.write_batch(batch)
    return path


@pytest.mark.slow
def test_the_cli_says_a_read_too_large_for_the_page_cache_in_one_line(dense_dir):
    exe = shutil.which("vidgraph", path=str(Path(sys.executable).parent)) or "vidgraph"
    env = {**os.environ, "VIDGRAPH_DATA_DIR": str(dense_dir), "VIDGRAPH_GRAPH_BUFFER_POOL_MB": "64"}
    result = subprocess.run([exe, "ask", "how many cars entered lane_2?"], capture_output=True, text=True, env=env,
                            timeout=300)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, (result.stdout[:300], result.stderr[-600:])
    assert "page cache" in lines[0] and "graph.buffer_pool_mb = 64" in lines[0], lines[0]


@pytest.mark.slow
def test_the_api_says_a_read_too_large_for_the_page_cache_with_a_503(dense_dir):
    settings = Settings(data_dir=dense_dir, graph={"buffer_pool_mb": 64},
                        service={"redis_url": "redis://127.0.0.1:1/0", "api_token": "t0ken-for-this-test"})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/ask", json={"question": "how many cars entered lane_2?"},
                               headers={"Authorization": "Bearer t0ken-for-this-test"})
    assert response.status_code == 503, response.text[:300]
    assert "graph.buffer_pool_mb = 64" in response.json()["detail"]


@pytest.mark.slow
def test_an_open_question_at_a_zone_finds_its_events_after_the_first_10000_of_the_window(tmp_path):
    """What happened at a zone was looked for among the window's first 10,000 events (``store.events``'
    limit): on a busy camera the zone's own events, later in the window, were never evidence."""
    with open_graph(make_settings(tmp_path)) as store:
        store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", 4000.0, 5.0, 640, 480, "complete",
                                         RUN, "{}"))
        store.write_batch(GraphBatch(zones=[{"id": "cam0/zone/lane_2", "stream_id": "cam0", "name": "lane_2",
                                             "kind": "polygon", "points": "[]"}]))
        busy = GraphBatch(events=[{"id": f"cam0/{RUN}/ev/motion-{i}", "stream_id": "cam0", "run": RUN,
                                   "type": "motion", "t0": i * 0.1, "t1": i * 0.1, "confidence": 0.5, "label": "",
                                   "description": "motion", "attributes": "{}", "thumbnail": ""}
                                  for i in range(10_050)])
        store.write_batch(busy)
        late = camera("cam0")
        late.entities, late.events, late.involves, late.at = (rows[:3] for rows in (
            late.entities, late.events, late.involves, late.at))
        for row in (*late.entities, *late.events):
            for key in ("first_seen", "last_seen", "t0", "t1"):
                if key in row:
                    row[key] += 3000.0
        store.write_batch(late)
        q = parse_question("what happened at lane_2?", zones=("lane_2",))
        evidence = retrieve(store, q, scopes_for(store, q), embedder=None)
    cited = {i for e in evidence if e.kind == "event" for i in e.citation.event_ids}
    assert cited == {e["id"] for e in late.events}, [e.text for e in evidence]


@pytest.mark.slow
def test_status_counts_every_event_of_a_stream_not_the_first_10000(tmp_path):
    """`vidgraph status` counted a stream's events by reading them with the events read's default limit: a
    month of a camera (51,000 events) showed 10000. It took 25 s on the million-event graph; counted in the
    graph it takes under 2."""
    from conftest import run_cli

    with open_graph(make_settings(tmp_path)) as store:
        store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", 4000.0, 5.0, 640, 480, "complete",
                                         RUN, "{}"))
        store.write_batch(GraphBatch(events=[{"id": f"cam0/{RUN}/ev/motion-{i}", "stream_id": "cam0", "run": RUN,
                                              "type": "motion", "t0": i * 0.1, "t1": i * 0.1, "confidence": 0.5,
                                              "label": "", "description": "motion", "attributes": "{}",
                                              "thumbnail": ""} for i in range(10_050)]))
        store.write_batch(GraphBatch(events=[{"id": "cam0/old/ev/1", "stream_id": "cam0", "run": "old",
                                              "type": "motion", "t0": 1.0, "t1": 1.0, "confidence": 0.5, "label": "",
                                              "description": "an earlier run's", "attributes": "{}",
                                              "thumbnail": ""}]))
    result = run_cli("status", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)["streams"][0]
    assert (row["events"], row["segments"], row["entities"]) == (10_050, 0, 0)


@pytest.mark.slow
def test_how_often_and_a_report_count_every_event_of_the_window(tmp_path):
    """'How many times did a car enter?' and a report's event counts read the window's events with the events
    read's default limit: over 10,000 enterings they said 10000."""
    from query.report import build_report
    from vlm.profiles import load_profile

    n = 10_050
    with open_graph(make_settings(tmp_path)) as store:
        entries(store, n, 2000.0)
        answer = ask(store, "how many times did a car enter?")
        report = build_report(store, load_profile("generic"))
    assert answer.value == n, answer.text[:200]
    assert report.event_counts.get("enter") == n, report.event_counts


@pytest.mark.slow
def test_a_none_cites_what_the_detector_saw_after_the_first_100000_segments(tmp_path):
    """A "none" cites segments where the detector saw boxes of the class that no entity came from; it looked for
    them among the window's first 100,000 segments (the segments read's default limit), so on a month of
    cameras a late sighting went unsaid, and every segment was read to find a few."""
    n = 100_050
    with open_graph(make_settings(tmp_path)) as store:
        store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", n * 10.0, 5.0, 640, 480, "complete",
                                         RUN, json.dumps({"vlm": {"backend": "cv"}, "detector": "centernet.onnx"})))
        store.write_batch(GraphBatch(segments=[
            {"id": f"cam0/{RUN}/seg/{i}", "stream_id": "cam0", "run": RUN, "idx": i, "t0": i * 10.0,
             "t1": i * 10.0 + 10, "caption": "", "motion": 0.0, "status": "ok", "error": "", "counts": "{}",
             "thumbnail": "", "seen": '{"bicycle":0.4}' if i == n - 1 else "{}", "unexplained": -1.0}
            for i in range(n)]))
        answer = ask(store, "were there any bicycles?")
    assert answer.value is False and "bicycle-like boxes" in answer.text, answer.text[:300]
    assert any(c.t0 == (n - 1) * 10.0 for c in answer.citations)


@pytest.mark.slow
def test_an_open_question_finds_the_most_notable_events_after_the_first_10000_of_the_window(tmp_path):
    """Outside a zone, an open question's events were picked among the window's first 10,000 (``store.events``'
    limit): over a long window of a busy camera, a near miss late in it was never evidence; the first hours'
    comings and goings were. The most notable kinds are now read first, each apart."""
    with open_graph(make_settings(tmp_path)) as store:
        entries(store, 10_050, 4000.0)
        late = [{"id": f"cam0/{RUN}/ev/{kind}-{i}", "stream_id": "cam0", "run": RUN, "type": kind,
                 "t0": 3000.0 + i, "t1": 3010.0 + i, "confidence": 0.6, "label": label,
                 "description": f"{kind} {i}", "attributes": "{}", "thumbnail": ""}
                for i, (kind, label) in enumerate([("proximity", "person-car"), ("proximity", "person-car"),
                                                   ("dwell", "car")])]
        store.write_batch(GraphBatch(events=late))
        q = parse_question("what happened?")
        evidence = retrieve(store, q, scopes_for(store, q), embedder=None)
        people = parse_question("what did the people do?")
        theirs = retrieve(store, people, scopes_for(store, people), embedder=None)
    cited = [i for e in evidence if e.kind == "event" for i in e.citation.event_ids]
    assert cited[:3] == [e["id"] for e in late], [e.text for e in evidence][:5]  # the most notable lead
    # and then entries, as many as the evidence holds: more than one read holds (they run 0-1005 s, the first
    # 10,000 to 1000 s), so from each of the window's 24 parts that has any, the last's too; they were the first 21
    entered = [float(e.citation.t0) for e in evidence if e.kind == "event" and "entered" in e.text]
    assert len(cited) == 24 and len(entered) == 21, entered
    assert {int(t // (4000.0 / 24)) for t in entered} == set(range(7)) and max(entered) >= 1000.0, entered
    # people: only the near misses (a proximity counts for either class); no car's entry or dwell
    assert [i for e in theirs if e.kind == "event" for i in e.citation.event_ids] == [e["id"] for e in late[:2]]


@pytest.mark.parametrize("tz", ["Europe/London", "Asia/Kathmandu", "America/St_Johns"])
def test_counts_per_period_come_from_the_graph_each_object_in_its_own_period(tmp_path, monkeypatch, tz):
    """"How many cars per day?" over a month of 20 cameras read every car (208,000) to label it: ~700 MB. The
    graph now counts them per bin of the stream's clock that no period boundary of any time zone cuts, and only
    the cars cited are read. Each car still falls in the period of its own first sighting: over a summer-time
    change (London, 26 Oct 2025), zones a quarter or a half hour off the hour (Kathmandu +5:45, St John's -2:30),
    and cars first seen on a boundary or a millisecond before it."""
    import random
    from collections import Counter
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    zone, rng = ZoneInfo(tz), random.Random(7)
    start = datetime(2025, 10, 25, 9, 7, 30, tzinfo=UTC).timestamp() + 0.25  # a clock that starts off any boundary
    firsts = [round(rng.uniform(0.0, 2 * 86400.0), 3) for _ in range(2000)]
    for hours in range(1, 48):  # on the top of local hours, and just before
        top = datetime.fromtimestamp(start + hours * 3600.0, zone).replace(minute=0, second=0, microsecond=0)
        firsts += [top.timestamp() - start, top.timestamp() - start - 0.001]
    with open_graph(make_settings(tmp_path)) as store:
        store.upsert_stream(StreamRecord("cam0", "rtsp://cam0", "cam0", "live", 2 * 86400.0 + 60, 5.0, 640, 480,
                                         "complete", RUN, "{}", start=start))
        store.write_batch(GraphBatch(entities=[
            {"id": f"cam0/{RUN}/ent/{i}", "stream_id": "cam0", "run": RUN, "cls": "car" if i % 5 else "truck",
             "first_seen": t, "last_seen": t + 5.0, "confidence": 0.8, "direction": "", "attributes": "{}",
             "thumbnail": ""} for i, t in enumerate(firsts)]))
        limits: list[int | None] = []
        read = store.entities

        def entities(*args, **kwargs):
            limits.append(kwargs.get("limit"))
            return read(*args, **kwargs)

        monkeypatch.setattr(store, "entities", entities)
        cars = [t for i, t in enumerate(firsts) if i % 5]
        for unit, size, fmt in (("day", 1, "%Y-%m-%d"), ("hour", 1, "%Y-%m-%d %H:00"),
                                ("15 minutes", 15, "%Y-%m-%d %H:%M"), ("minute", 1, "%Y-%m-%d %H:%M"),
                                ("week", 1, "week of %Y-%m-%d"),  # Saturday 25 October to Monday 27th
                                ("month", 1, "%Y-%m")):
            answer = ask(store, f"how many cars per {unit}?", tz=tz)

            def label(t: float, size: int = size, fmt: str = fmt) -> str:
                at = datetime.fromtimestamp(start + t, zone)
                if fmt.startswith("week"):  # the Monday it began
                    return (at - timedelta(days=at.weekday())).strftime(fmt)
                return at.replace(minute=at.minute // size * size if fmt.endswith("%M") else at.minute).strftime(fmt)

            assert answer.value == len(cars), answer.text[:200]
            assert {k: v for k, v in answer.breakdown.items() if v} == Counter(label(t) for t in cars), unit
            assert len(answer.citations) == min(len(cars), 200)
    assert limits and all(n is not None and n <= 200 for n in limits), limits  # only the cars cited were read
