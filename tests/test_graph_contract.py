"""One contract for every graph backend: the embedded LadybugDB store and a real Neo4j 5.

The Neo4j runs use the server ``NEO4J_URI`` names, else one the session starts from ``graph/neo4j_launcher``
(see the ``neo4j_server`` fixture). Against your own server, use a scratch database:

    NEO4J_URI=bolt://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=secret \
        .venv/bin/python -m pytest tests/test_graph_contract.py

The suite writes streams named ``contract-*`` and deletes them again. Counts are compared as differences, so
other data in the database does not matter.
"""

from __future__ import annotations

import uuid

import pytest
from conftest import CAR_CLIP, CAR_FACTS, CAR_ZONES, make_settings

from graph import GraphBatch, StreamRecord, rollup
from pipeline import analyze_file, open_graph
from query import ask


@pytest.fixture(params=["ladybug", "neo4j"])
def backend_settings(request, tmp_path):
    if request.param == "neo4j":
        request.getfixturevalue("neo4j_server")
    return make_settings(tmp_path, graph={"backend": request.param})


@pytest.fixture
def store(backend_settings):
    with open_graph(backend_settings) as opened:
        yield opened


@pytest.fixture
def stream_id(store):
    name = f"contract-{uuid.uuid4().hex[:8]}"
    yield name
    store.delete_stream(name)
    store.flush()


def stream(stream_id: str, run: str = "r1", status: str = "complete") -> StreamRecord:
    return StreamRecord(id=stream_id, uri=f"/videos/{stream_id}.mp4", name=f"{stream_id}.mp4", kind="file",
                        duration=60.0, fps=12.5, width=768, height=432, status=status, run=run, settings="{}")


def batch(stream_id: str, run: str = "r1", n: int = 3) -> GraphBatch:
    b = GraphBatch()
    for i in range(n):
        seg = f"{stream_id}/{run}/seg/{i}"
        b.segments.append({"id": seg, "stream_id": stream_id, "run": run, "idx": i, "t0": i * 10.0,
                           "t1": i * 10.0 + 10, "caption": f"segment {i}", "motion": 0.1 * i, "status": "ok",
                           "error": "", "counts": "{}", "thumbnail": "", "seen": "{}",
                           "unexplained": (-1.0, 0.2, 0.6)[i % 3]})
        b.has.append({"src": stream_id, "dst": seg})
        if i:
            b.next.append({"src": f"{stream_id}/{run}/seg/{i - 1}", "dst": seg})
        cls = "car" if i % 2 == 0 else "person"
        ent, ev = f"{stream_id}/{run}/ent/{i}", f"{stream_id}/{run}/ev/{i}"
        b.entities.append({"id": ent, "stream_id": stream_id, "run": run, "cls": cls, "first_seen": i * 10.0 + 1,
                           "last_seen": i * 10.0 + 5, "confidence": 0.9, "direction": "bottom_to_top",
                           "attributes": f'{{"track": {i}}}', "thumbnail": ""})
        b.events.append({"id": ev, "stream_id": stream_id, "run": run, "type": "enter", "t0": i * 10.0 + 1,
                         "t1": i * 10.0 + 1, "confidence": 0.9, "label": cls, "description": f"{cls} {i} entered",
                         "attributes": "{}", "thumbnail": ""})
        b.occurs_in.append({"src": ev, "dst": seg})
        b.involves.append({"src": ev, "dst": ent, "role": "subject"})
    alert = f"{stream_id}/{run}/alert/person-seen/{stream_id}/{run}/ev/1"
    b.alerts.append({"id": alert, "stream_id": stream_id, "run": run, "rule": "person-seen", "severity": "high",
                     "t0": 11.0, "t1": 11.0, "text": "person 1 entered", "fired": "2026-11-22T00:00:00+00:00",
                     "thumbnail": ""})
    b.triggered_by.append({"src": alert, "dst": f"{stream_id}/{run}/ev/1"})
    return b


def test_stream_round_trip(store, stream_id):
    store.upsert_stream(stream(stream_id))
    got = store.get_stream(stream_id)
    assert got is not None and (got.id, got.status, got.run, got.duration) == (stream_id, "complete", "r1", 60.0)
    assert stream_id in {row["id"] for row in store.list_streams()}
    assert store.get_stream(stream_id + "-missing") is None


def test_writes_are_idempotent(store, stream_id):
    store.upsert_stream(stream(stream_id))
    before = store.counts()
    store.write_batch(batch(stream_id))
    once = store.counts()
    store.write_batch(batch(stream_id))
    twice = store.counts()
    assert twice == once
    delta = {k: once[k] - before[k] for k in once}
    assert delta == {"Stream": 0, "Segment": 3, "Event": 3, "Entity": 3, "Zone": 0, "Summary": 0, "Alert": 1, "HAS": 3,
                     "NEXT": 2, "IN": 3, "INVOLVES": 3, "AT": 0, "SUMMARIZES": 0, "SAME_AS": 0, "TRIGGERED_BY": 1}


def test_large_batches_bulk_load_and_stay_idempotent(store, stream_id, monkeypatch):
    """On the embedded store a batch of >= 500 new nodes takes the bulk path (COPY FROM Arrow); the same
    rows again, or a batch overlapping them, take MERGE. Either way the graph ends the same."""
    store.upsert_stream(stream(stream_id))
    before = store.counts()
    big = batch(stream_id, n=300)  # 900 nodes
    issued: list[str] = []
    write = store._write
    monkeypatch.setattr(
        store, "_write", lambda statements: (issued.extend(q for q, _ in statements), write(statements))
    )
    store.write_batch(big)
    if store.backend == "ladybug":
        assert sum(q.startswith("COPY ") for q in issued) == 7  # Segment, Entity, Event, HAS, NEXT, IN, INVOLVES
    once = store.counts()
    assert once["Event"] - before["Event"] == 300 and once["INVOLVES"] - before["INVOLVES"] == 300
    assert once["NEXT"] - before["NEXT"] == 299 and once["Alert"] - before["Alert"] == 1
    issued.clear()
    store.write_batch(big)
    assert not any(q.startswith("COPY ") for q in issued)
    overlapping = batch(stream_id, n=350)  # 300 old + 50 new of each
    store.write_batch(overlapping)
    after = store.counts()
    assert after["Event"] - before["Event"] == 350 and after["HAS"] - before["HAS"] == 350
    assert after["IN"] - before["IN"] == 350 and after["Alert"] - before["Alert"] == 1
    rows = store.events(streams=[stream_id], t0=1000.0, t1=1100.0)
    assert [r["t0"] for r in rows] == [1001.0, 1011.0, 1021.0, 1031.0, 1041.0, 1051.0, 1061.0, 1071.0, 1081.0, 1091.0]
    assert all(r["segment_id"] for r in rows)


def test_alert_firings_keep_their_delivery_state_across_rewrites(store, stream_id):
    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id))
    [alert] = store.alerts(streams=[stream_id])
    assert (alert["rule"], alert["delivered"], alert["attempts"], alert["event_type"]) == (
        "person-seen",
        "pending",
        0,
        "enter",
    )
    store.set_alert_delivery([{"id": alert["id"], "delivered": "yes", "attempts": 2, "error": ""}])
    store.write_batch(batch(stream_id))  # the same analysis again: the firing is found, not re-armed
    [again] = store.alerts(streams=[stream_id], ids=[alert["id"]])
    assert (again["delivered"], again["attempts"]) == ("yes", 2)
    assert store.alerts(streams=[stream_id], t0=20.0) == []
    store.delete_stream(stream_id)
    assert store.alerts(streams=[stream_id]) == []


def test_filters(store, stream_id):
    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id))
    mine = [stream_id]
    assert [e["cls"] for e in store.entities(streams=mine)] == ["car", "person", "car"]
    assert len(store.entities(streams=mine, cls="car")) == 2
    assert [e["first_seen"] for e in store.entities(streams=mine, t0=10.0, t1=20.0)] == [11.0]
    events = store.events(streams=mine, types=["enter"], label="person")
    assert [(e["description"], e["segment_id"]) for e in events] == [("person 1 entered", f"{stream_id}/r1/seg/1")]
    assert store.events(streams=mine, types=["exit"]) == []
    assert [e["label"] for e in store.events(streams=mine, label=["car", "bus"])] == ["car", "car"]
    assert store.events(streams=mine, other_than=["enter"]) == [] and len(store.events(streams=mine,
                                                                                      other_than=["exit"])) == 3
    assert [s["idx"] for s in store.segments(streams=mine, t0=15.0)] == [1, 2]
    assert [s["unexplained"] for s in store.segments(streams=mine)] == [-1.0, 0.2, 0.6]
    assert [s["idx"] for s in store.segments(streams=mine, unexplained_above=0.5)] == [2]
    assert len(store.events(streams=mine, limit=2)) == 2
    assert store.stream_counts(mine) == {stream_id: {"segments": 3, "events": 3, "entities": 3}}
    assert len(store.segments(streams=mine, status="ok")) == 3 and store.segments(streams=mine, status="failed") == []
    seen = batch(stream_id, n=1)
    seen.segments[0]["seen"] = '{"bicycle":0.4}'
    store.write_batch(seen)
    assert [s["seen"] for s in store.segments(streams=mine, seen="bicycle", limit=None)] == [{"bicycle": 0.4}]
    assert store.segments(streams=mine, seen="bus") == []
    # by id: the same rows as a window read (an open question at a zone reads its most notable visits so)
    everything = store.events(streams=mine)
    assert sorted(store.events_by_id([e["id"] for e in everything]), key=lambda e: e["id"]) == sorted(
        everything, key=lambda e: e["id"])


def test_only_the_streams_committed_run_is_visible(store, stream_id):
    store.upsert_stream(stream(stream_id, run="r1"))
    store.write_batch(batch(stream_id, run="r1"))
    store.write_batch(batch(stream_id, run="r2", n=1))  # a re-analysis in progress
    assert len(store.segments(streams=[stream_id])) == 3
    store.upsert_stream(stream(stream_id, run="r2"))  # it completed: switch
    assert len(store.segments(streams=[stream_id])) == 1
    store.delete_other_runs(stream_id, keep_run="r2")
    store.upsert_stream(stream(stream_id, run="r1"))
    assert store.segments(streams=[stream_id]) == []  # r1 is gone for good


def test_delete_run_and_stream(store, stream_id):
    before = store.counts()
    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id, run="r1"))
    store.write_batch(batch(stream_id, run="bad", n=2))
    store.delete_run(stream_id, "bad")
    assert store.counts()["Segment"] - before["Segment"] == 3
    store.delete_stream(stream_id)
    assert store.counts() == before


def test_analysis_gives_the_same_answer_on_every_backend(backend_settings, tmp_path):
    (tmp_path / "zones.toml").write_text(CAR_ZONES)
    settings = backend_settings.model_copy(update={"zones_file": tmp_path / "zones.toml"})
    with open_graph(settings) as store:
        stream_name = f"contract-{uuid.uuid4().hex[:8]}"
        try:
            analyze_file(CAR_CLIP, settings, store, stream_id=stream_name)
            cars = store.entities(streams=[stream_name], cls="car")
            assert [c["direction"] for c in cars] == [d for _, _, d in CAR_FACTS]
            answer = ask(store, "how many cars passed?", streams=[stream_name])
            assert answer.value == 4 and len(answer.citations) == 4
            # counted per zone in the graph (a report's counts per zone): two cars per lane, four across midline
            zones = store.zone_periods(stream_name, None, None, 3600.0)
            assert {(r["zone"], r["type"], r["cls"]): r["n"] for r in zones} == {
                ("lane_up", "zone_enter", "car"): 2, ("lane_down", "zone_enter", "car"): 2,
                ("midline", "line_cross", "car"): 4}
            late = store.zone_periods(stream_name, 20.0, None, 3600.0)  # the last white car, at 25.4 s and 26.6 s
            assert {(r["zone"], r["n"]) for r in late} == {("lane_down", 1), ("midline", 1)}, late
        finally:
            store.delete_stream(stream_name)
            store.flush()


def test_an_unreachable_neo4j_is_a_clear_error(tmp_path, monkeypatch):
    from conftest import run_cli

    from graph.errors import GraphUnavailable

    settings = make_settings(tmp_path, graph={"backend": "neo4j", "neo4j_uri": "bolt://127.0.0.1:1"})
    with pytest.raises(GraphUnavailable, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        open_graph(settings)
    monkeypatch.setenv("VIDGRAPH_GRAPH_BACKEND", "neo4j")
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = run_cli("analyze", str(CAR_CLIP), data_dir=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1")


def test_forget_range_deletes_what_lies_wholly_inside(store, stream_id):
    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id))
    store.forget_range(stream_id, 10.0, 20.0)
    mine = [stream_id]
    assert [s["idx"] for s in store.segments(streams=mine)] == [0, 2]
    assert [e["first_seen"] for e in store.entities(streams=mine)] == [1.0, 21.0]
    assert [e["t0"] for e in store.events(streams=mine)] == [1.0, 21.0]


def test_semantic_search_finds_the_nearest_vectors_of_committed_runs(store, stream_id):
    import numpy as np

    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id))
    store.write_batch(batch(stream_id, run="old", n=1))
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"{stream_id}/r1/seg/{i}" for i in range(3)] + [f"{stream_id}/old/seg/0"]
    store.set_embeddings("Segment", [{"id": i, "embedding": v.tolist()} for i, v in zip(ids, vectors, strict=True)])
    query = (vectors[2] + 0.1 * vectors[0]).tolist()
    hits = store.semantic_search("Segment", query, 2, [stream_id])
    assert [h["id"] for h in hits] == [ids[2], ids[0]] and hits[0]["score"] > hits[1]["score"]
    assert ids[3] not in {h["id"] for h in store.semantic_search("Segment", vectors[3].tolist(), 4, [stream_id])}


def _days_of_traffic(stream_id: str, run: str = "r1") -> GraphBatch:
    """Five days of entities, some in view across midnight, of two classes and two directions."""
    b = GraphBatch()
    for i in range(300):
        first = i * 1440.0 + (i % 7) * 60.0  # every 24 minutes, jittered
        # some stay two hours, over day boundaries too; a few stay thirty hours
        last = first + (108000.0 if i % 100 == 50 else 7200.0 if i % 25 == 0 else 40.0)
        b.entities.append({"id": f"{stream_id}/{run}/ent/{i}", "stream_id": stream_id, "run": run,
                           "cls": "car" if i % 3 else "truck", "first_seen": first, "last_seen": last,
                           "confidence": 0.9, "direction": "bottom_to_top" if i % 2 else "top_to_bottom",
                           "attributes": "{}", "thumbnail": ""})
    return b


def test_counts_over_rolled_up_days_equal_counting_one_by_one(store, stream_id):
    store.upsert_stream(stream(stream_id))
    store.write_batch(_days_of_traffic(stream_id))
    store.flush()
    windows = [(None, None), (10.0, None), (86399.0, 2 * 86400.0 + 1), (3600.0, 4 * 86400.0 - 3600.0),
               (86400.0, 3 * 86400.0), (2 * 86400.0 - 100.0, 2 * 86400.0 + 100.0), (5000.0, 400000.0),
               # early in a later day: that day's rollup less those gone, plus those in view since the day before
               (86400.0 + 600.0, None), (2 * 86400.0 + 3000.0, 4 * 86400.0 + 10.0), (86400.0 + 30000.0, None)]
    asks = [(None, None), ("car", None), ("truck", "top_to_bottom"), (("car", "truck"), "bottom_to_top")]

    def one_by_one(cls, direction, t0, t1):
        return len(store.entities([stream_id], list(cls) if isinstance(cls, tuple) else cls, t0, t1,
                                  direction=direction))

    expected = {(w, a): one_by_one(*a, *w) for w in windows for a in asks}
    def counted(cls, direction, t0, t1):
        return store.entity_counts([stream_id], list(cls) if isinstance(cls, tuple) else cls, t0, t1,
                                   direction=direction).get(stream_id, 0)

    before = {(w, a): counted(*a, *w) for w in windows for a in asks}
    assert before == expected  # no rollup yet: counted entity by entity
    assert store.roll_up_days(stream_id, "r1") == 300
    assert store._rolled([stream_id], {stream_id: "r1"}) > 5 * 86400  # whole days now come from the rollup
    after = {(w, a): counted(*a, *w) for w in windows for a in asks}
    assert after == expected and expected[((None, None), (None, None))] == 300
    # forgetting a range re-rolls what is left; a new run does not read the old run's days
    store.forget_range(stream_id, 86400.0, 2 * 86400.0)
    left = len(store.entities([stream_id]))
    assert left < 300 and store.entity_counts([stream_id], t0=10.0).get(stream_id, 0) == len(
        store.entities([stream_id], t0=10.0))
    store.upsert_stream(stream(stream_id, run="r2"))
    assert store.entity_counts([stream_id]) == {}


def test_the_first_seen_index_reads_exactly_what_a_scan_reads(store, stream_id, monkeypatch):
    """Entities of a rolled-up run come from the rollup's first-seen lists by key lookups; wherever the lists
    cannot prove their answer (cut short, a window past them) the store scans. Either way: the scan's rows."""
    store.upsert_stream(stream(stream_id))
    store.write_batch(_days_of_traffic(stream_id))
    store.flush()
    windows = [(None, None), (10.0, None), (86399.0, 2 * 86400.0 + 1), (3600.0, 4 * 86400.0 - 3600.0),
               (2 * 86400.0 - 100.0, 2 * 86400.0 + 100.0), (86400.0 + 600.0, None), (86400.0 + 30000.0, None),
               (4 * 86400.0 + 50000.0, 4 * 86400.0 + 52000.0), (9 * 86400.0, None)]
    asks = [(None, None), ("car", None), ("truck", "top_to_bottom"), (("car", "truck"), "bottom_to_top")]
    reads = [(w, a, limit, before) for w in windows for a in asks for limit in (None, 1, 20)
             for before in (None, 3 * 86400.0)]

    def read(index: bool) -> dict:
        monkeypatch.setattr(store, "_has_first_index", lambda: index)
        return {r: store.entities([stream_id], list(r[1][0]) if isinstance(r[1][0], tuple) else r[1][0], *r[0],
                                  direction=r[1][1], limit=r[2], first_seen_before=r[3]) for r in reads}

    def indexed() -> int:
        monkeypatch.setattr(store, "_has_first_index", lambda: True)
        return sum(store._first_in_view([stream_id], [c] if isinstance(c, str) else c and list(c), *w, d, limit, before)
                   is not None for w, (c, d), limit, before in reads)

    scanned = read(index=False)
    assert indexed() == 0  # nothing rolled up yet
    for listed in (7, rollup.LISTED):  # lists cut at 7 of a day's ~15 per class and direction, then whole
        monkeypatch.setattr(rollup, "LISTED", listed)
        assert store.roll_up_days(stream_id, "r1") == 300
        assert read(index=True) == scanned
        served = indexed()
        assert 0 < served < len(reads) if listed == 7 else served == len(reads)
    # a new run is not read from the old run's lists
    store.upsert_stream(stream(stream_id, run="r2"))
    assert indexed() == 0 and store.entities([stream_id], limit=5) == []


def test_a_graph_written_before_the_rollup_is_still_read(tmp_path):
    """A read-only open does not migrate: a graph without the DayCount table counts entity by entity."""
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        store.upsert_stream(stream("old"))
        store.write_batch(batch("old"))
        store._write([("DROP TABLE DayCount", {})])
    with open_graph(settings, read_only=True) as store:
        assert store.entity_counts(["old"], "car") == {"old": 2}
        assert ask(store, "how many cars?").value == 2


def test_an_entity_story_has_its_events_and_its_same_as_links_from_either_end(store, stream_id):
    store.upsert_stream(stream(stream_id))
    store.write_batch(batch(stream_id))
    first, last = f"{stream_id}/r1/ent/0", f"{stream_id}/r1/ent/2"
    store.link_same_as([{"src": first, "dst": last, "confidence": 0.8, "reason": "same colour, heading"}])
    story = store.entity_story(first)
    assert story["entity"]["id"] == first and story["entity"]["attributes"] == {"track": 0}
    assert [(e["type"], e["t0"], e["role"]) for e in story["events"]] == [("enter", 1.0, "subject")]
    assert story["events"][0]["thumbnail"] == ""  # its segment's (none here)
    [other] = story["same_as"]
    assert other["entity"]["id"] == last and other["confidence"] == 0.8 and other["reason"] == "same colour, heading"
    assert [a["entity"]["id"] for a in store.entity_story(last)["same_as"]] == [first]  # seen from the other end
    assert store.entity_story(f"{stream_id}/r1/ent/nope") is None


def test_live_sized_writes_share_commits_and_read_back_as_written(store, stream_id):
    """Two hundred one-chunk batches, each with the stream's heartbeat and its one track growing, as a live
    writer sends them: committed in far fewer transactions (group commit), read back exactly."""
    record = stream(stream_id, status="analyzing")
    store.upsert_stream(record)
    store.flush()
    before, links = store.commits, store.counts()
    for i in range(200):
        b = GraphBatch()
        seg = f"{stream_id}/r1/seg/{i}"
        b.segments.append({"id": seg, "stream_id": stream_id, "run": "r1", "idx": i, "t0": i * 10.0,
                           "t1": i * 10.0 + 10, "caption": "", "motion": 0.1, "status": "ok", "error": "",
                           "counts": "{}", "thumbnail": "", "seen": "{}", "unexplained": -1.0})
        b.has.append({"src": stream_id, "dst": seg})
        b.entities.append({"id": f"{stream_id}/r1/ent/0", "stream_id": stream_id, "run": "r1", "cls": "person",
                           "first_seen": 1.0, "last_seen": i * 10.0 + 9, "confidence": 0.9, "direction": "",
                           "attributes": "{}", "thumbnail": ""})
        # an event per chunk on the one entity, and the first chunk's segment linked again now and then:
        # links to nodes new in a commit are created, links that may exist are merged (one link each either way)
        ev = f"{stream_id}/r1/ev/{i}"
        b.events.append({"id": ev, "stream_id": stream_id, "run": "r1", "type": "seen", "t0": i * 10.0,
                         "t1": i * 10.0, "confidence": 0.9, "label": "person", "description": "person 0 seen",
                         "attributes": "{}", "thumbnail": ""})
        b.involves.append({"src": ev, "dst": f"{stream_id}/r1/ent/0", "role": "subject"})
        b.occurs_in.append({"src": ev, "dst": seg})
        if i % 7 == 0:
            b.has.append({"src": stream_id, "dst": f"{stream_id}/r1/seg/0"})
        store.write_batch(b)
        record.done = i * 10.0 + 10
        store.upsert_stream(record)
    store.flush()
    assert store.commits - before < 40  # 400 transactions
    assert len(store.segments([stream_id])) == 200
    (person,) = store.entities([stream_id])
    assert person["last_seen"] == 1999.0
    assert store.get_stream(stream_id).done == 2000.0
    counts = store.counts()
    assert {k: counts[k] - links[k] for k in ("HAS", "IN", "INVOLVES", "Event")} == \
        {"HAS": 200, "IN": 200, "INVOLVES": 200, "Event": 200}


def test_report_counts_are_counted_in_the_graph(store, stream_id):
    """What a report counts without reading the rows: events per type without the enters that only mark a first
    sighting, objects per class and period of their first sighting (wall clock where the stream has one), and
    alert firings per severity; only the current run's."""
    start = 1_700_000_000.0  # the wall clock of t=0: periods count from the epoch, not from the stream
    store.upsert_stream(StreamRecord(**{**stream(stream_id).row(), "start": start}))
    b = batch(stream_id, n=5)
    b.events[0]["attributes"] = '{"edge":"left","entered":false}'  # in view from the first frame
    b.events[1]["attributes"] = '{"edge":"left","entered":true}'
    b.events.append({**b.events[2], "id": f"{stream_id}/r1/ev/x", "type": "exit", "attributes": '{"left":false}'})
    store.write_batch(b)
    store.write_batch(batch(stream_id, run="old", n=2))  # another run: not read
    assert store.event_type_counts(stream_id) == {"enter": 4}
    assert store.event_type_counts(stream_id, t0=15.0, t1=60.0) == {"enter": 3}
    assert [e["id"] for e in store.events(streams=[stream_id], counted=True)] == [f"{stream_id}/r1/ev/{i}"
                                                                                for i in range(1, 5)]
    assert len(store.events(streams=[stream_id])) == 6
    periods = store.first_seen_periods(stream_id, None, None, 20.0)
    expected: dict[tuple[str, int], int] = {}
    for i in range(5):  # entity i first seen at 10 i + 1
        key = ("car" if i % 2 == 0 else "person", int((start + i * 10.0 + 1) // 20))
        expected[key] = expected.get(key, 0) + 1
    assert {(r["cls"], r["period"]): r["n"] for r in periods} == expected
    assert {r["stream_id"] for r in periods} == {stream_id}
    # of some classes and one direction, as a count per period of a question asks
    cars = store.first_seen_periods(stream_id, None, None, 20.0, classes=["car"])
    assert {(r["cls"], r["period"]): r["n"] for r in cars} == {k: n for k, n in expected.items() if k[0] == "car"}
    direction = store.entities([stream_id])[0]["direction"]
    ways = store.first_seen_periods(stream_id, None, None, 20.0, classes=["car", "person"], direction=direction)
    assert sum(r["n"] for r in ways) == sum(1 for e in store.entities([stream_id]) if e["direction"] == direction)
    assert store.first_seen_periods(stream_id, None, None, 20.0, direction="no_such_way") == []
    assert store.alert_counts(stream_id) == {"high": 1} and store.alert_counts(stream_id, t0=20.0) == {}
    assert len(store.alerts(streams=[stream_id], limit=0)) == 0 and len(store.alerts(streams=[stream_id])) == 1
    later = {**b.alerts[0], "id": f"{stream_id}/r1/alert/later", "t0": 41.0, "t1": 41.0}
    store.write_batch(GraphBatch(alerts=[later]))
    assert [a["t0"] for a in store.alerts(streams=[stream_id])] == [11.0, 41.0]
    assert [a["t0"] for a in store.alerts(streams=[stream_id], newest=True, limit=1)] == [41.0]
