"""Entity resolution on real footage: the car clip seen by two "cameras", the second a minute later."""

from __future__ import annotations

import pytest
from conftest import CAR_CLIP, make_settings, run_cli

from pipeline import analyze_file, open_graph

T0 = 1_763_800_000.0  # some wall-clock second


@pytest.fixture(scope="module")
def two_cameras(tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("two-cameras"))
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="cam-a", start=T0)
        analyze_file(CAR_CLIP, settings, store, stream_id="cam-b", start=T0 + 60)
    return settings


def test_each_car_on_the_second_camera_is_linked_to_itself_on_the_first(two_cameras):
    with open_graph(two_cameras, read_only=True) as store:
        a = {e["id"]: e for e in store.entities(streams=["cam-a"])}
        b = {e["id"]: e for e in store.entities(streams=["cam-b"])}
        links = store.same_as()
    assert len(links) == 4
    for link in links:
        later, earlier = b[link["id"]], a[link["same_as"]]
        assert later["first_seen"] == earlier["first_seen"]  # the same car, one minute later
        assert link["reason"] == "camera transit" and link["confidence"] > 0.99


def test_no_links_without_wall_clocks_or_beyond_the_transit_time(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="cam-a", start=T0)
        analyze_file(CAR_CLIP, settings, store, stream_id="cam-far", start=T0 + 3600)  # an hour later
        assert store.same_as() == []
        # within one stream nothing reappears within 10 s: the second white car is not taken for the first
        assert [link for link in store.same_as() if link["id"].startswith("cam-a")] == []


def test_rerunning_keeps_one_link_per_pair(two_cameras):
    with open_graph(two_cameras) as store:
        before = store.counts()["SAME_AS"]
        analyze_file(CAR_CLIP, two_cameras, store, stream_id="cam-b", start=T0 + 60)
        assert store.counts()["SAME_AS"] == before == 4


def test_the_cli_takes_the_start_time(tmp_path):
    data_dir = tmp_path / "data"
    for name, start in (("cam-a", "2026-11-22T14:00:00"), ("cam-b", "2026-11-22T14:01:00")):
        result = run_cli("analyze", str(CAR_CLIP), "--stream-id", name, "--start", start, "-q", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
    with open_graph(make_settings(data_dir), read_only=True) as store:
        assert store.get_stream("cam-b").start - store.get_stream("cam-a").start == 60.0
        assert len(store.same_as()) == 4

