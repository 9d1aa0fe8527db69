"""Named zones and counting lines on the car clip: two lanes and a line across the middle of the frame."""

from __future__ import annotations

import pytest
from conftest import CAR_CLIP, CAR_FACTS, make_settings, run_cli
from conftest import CAR_ZONES as ZONES

from common.site import load_zones
from pipeline import analyze_file, open_graph
from query import ask


@pytest.fixture(scope="module")
def zoned(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("zones")
    (tmp / "zones.toml").write_text(ZONES)
    settings = make_settings(tmp / "data").model_copy(update={"zones_file": tmp / "zones.toml"})
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    return settings


@pytest.fixture
def store(zoned):
    with open_graph(zoned, read_only=True) as opened:
        yield opened


def test_each_lane_is_used_by_the_two_cars_driving_its_way(store):
    up = ask(store, "how many cars used lane up?")
    down = ask(store, "how many cars used lane_down?")
    assert (up.value, down.value) == (2, 2)
    ups = [f for f in CAR_FACTS if f[2] == "bottom_to_top"]
    assert [c.t0 for c in up.citations] == pytest.approx([f[0] for f in ups], abs=1.0)
    assert all("bottom to top" in c.what for c in up.citations)


def test_every_car_crosses_the_midline_once_on_the_side_of_its_direction(store):
    crossings = store.events(types=["line_cross"])
    assert len(crossings) == 4
    sides = [e["attributes"]["side"] for e in crossings]
    directions = [d for _, _, d in CAR_FACTS]
    side_of = dict(zip(directions, sides, strict=True))
    assert side_of["bottom_to_top"] != side_of["top_to_bottom"]  # the two directions cross to opposite sides
    assert [side_of[d] for d in directions] == sides
    assert ask(store, "how many cars crossed the midline?").value == 4


def test_zone_exits_carry_the_time_spent_inside(store):
    exits = store.events(types=["zone_exit"])
    assert len(exits) == 4
    for event in exits:
        attributes = event["attributes"]
        assert attributes["zone"] in ("lane_up", "lane_down") and 1.5 < attributes["dwell_s"] < 5.0
        assert event["t1"] - event["t0"] == pytest.approx(attributes["dwell_s"], abs=0.01)


def test_zones_are_nodes_linked_to_their_events(store):
    zones = {z["name"]: z["kind"] for z in store.zones()}
    assert zones == {"lane_down": "polygon", "lane_up": "polygon", "midline": "line"}  # "dock" is another camera's
    assert store.counts()["AT"] == 4 + 4 + 4  # enter + exit per car, one crossing per car


def test_a_malformed_zones_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "zones.toml"
    bad.write_text('[[line]]\nname = "gate"\npoints = [[0.0, 0.5]]\n')
    with pytest.raises(ValueError, match=r"line 'gate' needs a name and 2 .exactly. points"):
        load_zones(bad)
    result = run_cli("analyze", str(CAR_CLIP), "--zones", str(bad), data_dir=tmp_path)
    assert result.returncode == 2 and "line 'gate'" in result.stderr
