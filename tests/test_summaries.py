"""Hierarchical summaries on six minutes of real footage (the car clip looped 12 times)."""

from __future__ import annotations

import pytest
from conftest import CAR_CLIP, loop_video, make_settings, run_cli

from pipeline import analyze_file, open_graph

LOOPS = 12  # 361.9 s: two 5-minute windows, one hour, one day


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("summaries")
    video = loop_video(CAR_CLIP, tmp / "six-minutes.mp4", LOOPS)
    settings = make_settings(tmp / "data")
    with open_graph(settings) as store:
        analyze_file(video, settings, store, stream_id="six")
    return settings


@pytest.fixture
def store(analysed):
    with open_graph(analysed, read_only=True) as opened:
        yield opened


def test_each_level_digests_the_cars_it_covers(store):
    five = store.summaries(scale=300)
    end = store.get_stream("six").duration
    assert end == pytest.approx(361.9, abs=0.1)
    # every window ends with the footage: the last 5 minutes, the hour and the day say 6:01.9, not 10:00 or 24 h
    assert [(s["t0"], s["t1"]) for s in five] == [(0.0, 300.0), (300.0, pytest.approx(end, abs=0.25))]
    # 10 loops start before 300 s (every car of loop 9 is gone by 299 s), 2 after
    assert [s["counts"] for s in five] == [{"car": 40}, {"car": 8}]
    assert five[0]["text"].startswith("0:00.0-5:00.0: 40 cars;")
    [hour] = store.summaries(scale=3600)
    [day] = store.summaries(scale=86400)
    assert hour["counts"] == day["counts"] == {"car": 48}
    assert hour["t1"] == day["t1"] == five[1]["t1"] and day["text"].startswith("0:00.0-6:01.")
    assert hour["events"]["enter"] == 48


def test_levels_are_linked_to_what_they_summarise(store):
    counts = store.counts()
    segments = counts["Segment"]
    assert segments == 37
    # 5-minute summaries -> segments, the hour -> two 5-minute summaries, the day -> the hour
    assert counts["SUMMARIZES"] == segments + 2 + 1
    day_children = store._read(
        "MATCH (d:Summary)-[:SUMMARIZES]->(h:Summary)-[:SUMMARIZES]->(f:Summary) WHERE d.scale = 86400.0 "
        "RETURN h.scale AS hour, count(f) AS fives", {}
    )
    assert day_children == [{"hour": 3600.0, "fives": 2}]


def test_rerun_is_idempotent_and_the_cli_lists_summaries(analysed):
    with open_graph(analysed) as store:
        before = store.counts()
    result = run_cli("summaries", "--scale", "300", data_dir=analysed.data_dir)
    assert result.returncode == 0
    assert [line.split("] ")[1][:13] for line in result.stdout.splitlines()] == ["0:00.0-5:00.0", "5:00.0-6:01.9"]
    with open_graph(analysed) as store:
        analyze_file(store.get_stream("six").uri, analysed, store, stream_id="six")
        assert store.counts() == before
