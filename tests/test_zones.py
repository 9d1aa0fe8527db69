"""Named zones and counting lines on the car clip: two lanes and a line across the middle of the frame."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from conftest import CAR_CLIP, CAR_FACTS, make_settings, run_cli
from conftest import CAR_ZONES as ZONES

from common.site import load_zones
from common.text import clock
from pipeline import analyze_file, open_graph
from query import ask
from query.parse import parse_question


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


def test_a_place_said_without_a_not_is_where_the_objects_were(store):
    """"Which cars crossed midline but were never in lane_down?" answered "None": both places were read as
    places the cars were outside of ("entering or crossing none of midline, lane_down"), so every car that crossed
    midline was left out. The place said without a negation is now where they were; the negated one is the place
    they never went. Facts: every car crosses midline, and only the two driving up keep out of lane_down."""
    which = ask(store, "which cars crossed midline but were never in lane_down?")
    kept = ask(store, "how many cars were in lane_up but never crossed midline?")
    ups = [f for f in CAR_FACTS if f[2] == "bottom_to_top"]
    assert which.text.startswith("Read as crossing midline, and entering none of lane_down: 2 cars"), which.text
    assert [c.t0 for c in which.citations] == pytest.approx([f[0] for f in ups], abs=1.0), which.text
    assert kept.value == 0, kept.text  # both cars in lane_up cross midline
    assert kept.text.startswith("Read as entering lane_up, and crossing none of midline: 0 cars"), kept.text
    # "without" is a negation too ('without' was said unchecked and the rest answered "yes"); a none says that
    # those at the first place were also at the other, and cites them
    without = ask(store, "did any car use lane_down without crossing midline?")
    assert without.value is False and not without.not_checked, without.text
    assert without.text.endswith("At lane_down, 2 cars were also at midline, cited."), without.text
    downs = [f[0] for f in CAR_FACTS if f[2] == "top_to_bottom"]
    assert sorted(c.t0 for c in without.citations if c.entity_id) == pytest.approx(downs, abs=1.0), without.text


def test_crossing_a_line_in_a_lane_is_a_crossing_made_inside_it(store):
    """"How many white cars crossed midline in lane_down?" said "2 white cars at midline or lane_down": either
    place. Facts: one white car drives up lane_up, the other down lane_down; every car crosses midline in the lane
    it drives. A crossing said "in" a zone is now one made while inside it, and the answer says so."""
    white = ask(store, "how many white cars crossed midline in lane_down?")
    which = ask(store, "which cars crossed midline in lane_up?")
    times = ask(store, "how many times did cars cross midline in lane_down?")
    downs = [f[0] for f in CAR_FACTS if f[2] == "top_to_bottom"]
    assert white.value == 1 and white.citations[0].t0 == pytest.approx(downs[1], abs=1.0), white.text
    assert "crossing midline in lane_down read as crossing it while inside lane_down" in white.notes, white.text
    assert [c.t0 for c in which.citations] == pytest.approx([f[0] for f in CAR_FACTS if f[2] == "bottom_to_top"],
                                                            abs=1.0), which.text
    assert times.value == 2 and all(d <= c.t0 <= d + 4.0 for c, d in zip(times.citations, downs, strict=True)), (
        times.text)
    per_minute = ask(store, "how many cars crossed midline in lane_down per minute?")  # (a split kept it "either")
    assert per_minute.value == 2 and sum(per_minute.breakdown.values()) == 2, per_minute.text


def test_a_none_at_a_place_says_what_other_kinds_did_there(store):
    """"Who crossed midline?" said "None: no people at midline" and no more, while four cars crossed it: the asker
    may have meant them. The none now counts and cites the objects of other kinds that did what was asked there."""
    who = ask(store, "who crossed midline?")
    assert who.text.startswith("None: no people at midline"), who.text
    assert "Of other kinds, 4 cars did, cited" in who.text, who.text
    crossed = [c for c in who.citations if c.entity_id]
    assert [c.t0 for c in crossed] == pytest.approx([f[0] for f in CAR_FACTS], abs=1.0), who.text


def test_a_crossing_is_cited_at_its_moment_with_its_own_picture(store):
    """"When did cars cross midline?" says four moments; it cited each car's whole time in view and its best
    picture, wherever the car was then. Each crossing is now cited at its moment with the event's own picture
    (the car boxed on the line), as "how many times ..." cites them; "the first car crossed midline at" too."""
    crossings = {e["id"]: e for e in store.events(types=["line_cross"])}
    when = ask(store, "when did cars cross midline?")
    first = ask(store, "when did the first car cross midline?")
    assert len(when.citations) == 4
    for c in [*when.citations, *first.citations]:
        [event] = [crossings[i] for i in c.event_ids]
        assert c.t0 == c.t1 == event["t1"] and c.thumbnail == event["thumbnail"], c
        assert "event-line_cross-midline" in c.thumbnail and "crossed midline" in c.what
    assert CAR_FACTS[0][0] < first.citations[0].t0 < CAR_FACTS[0][1]  # while the first car was in view


def test_was_a_lane_empty_is_the_other_side_of_was_anything_there(store):
    """"Was lane_up empty at 0:10?" left 'empty' unchecked and answered the rest: "No: no objects at lane_up",
    a "no" read as the answer, though the lane was empty. The facts: the white car drives up lane_up 4.5-8.8 s and
    the red car 15.0-18.8 s; nothing else uses it."""
    empty = ask(store, "was lane_up empty at 0:10?")
    taken = ask(store, "was lane_up empty at 0:16?")
    after = ask(store, "was lane_up vacant between 0:20 and 0:25?")
    assert empty.value is True and empty.text.startswith("Yes, lane_up was empty") and not empty.not_checked, empty
    assert taken.value is False and taken.text.startswith("No, lane_up was not empty: 1 object"), taken.text
    assert after.value is True, after.text
    # "no" said of the one thing asked: the same other side ('no' was unchecked, and "No: no cars" the answer)
    none = ask(store, "were there no cars in lane_up at 0:10?")
    red = ask(store, "was there no red car?")
    both = ask(store, "was there a car and no person?")  # two things asked: 'no person' is not read
    assert none.value is True and none.text.startswith("Yes, there was none: no cars"), none.text
    assert red.value is False and red.text.startswith("No, there was: 1 red car"), red.text
    person = ask(store, "was no one in lane_up at 0:10?")  # "no one" is a person, as "nobody" is (it was objects)
    assert person.value is True and "no people at lane_up" in person.text, person.text
    cars = ask(store, "were there no cars?")  # (until 2026-12-05 "Yes: 4 cars"; then 'no' was said unchecked)
    assert cars.value is False and cars.text.startswith("No, there was: 4 cars"), cars.text
    assert both.value is not False and "person" in " ".join(both.not_checked), both.text


def test_crossings_per_direction_follow_the_facts(store):
    """'How many times did cars cross the midline per direction?' was not read ('per direction' not checked): a
    counting line's tally by direction is what traffic counts are made of."""
    answer = ask(store, "how many times did cars cross the midline in each direction?")
    truth: dict[str, int] = {}
    for _, _, way in CAR_FACTS:
        truth[way.replace("_", " ")] = truth.get(way.replace("_", " "), 0) + 1
    assert answer.value == 4 and answer.breakdown == truth and not answer.not_checked, answer.text


def test_each_crossing_records_the_way_it_went(store):
    """Every midline crossing of the car clip records its own way, the way its car drove (the facts)."""
    crossings = sorted(store.events(types=["line_cross"]), key=lambda e: e["t0"])
    assert [e["attributes"]["direction"] for e in crossings] == [d for _, _, d in CAR_FACTS]


@pytest.mark.parametrize(("line", "path", "ways"), [
    # a horizontal line; an object goes down across it, turns back up across it, and down again
    (((0.0, 0.5), (1.0, 0.5)), [(50, 20), (50, 80), (52, 20), (50, 80)], ["top_to_bottom", "bottom_to_top",
                                                                          "top_to_bottom"]),
    # the same line drawn the other way round: the same ways
    (((1.0, 0.5), (0.0, 0.5)), [(50, 20), (50, 80), (52, 20)], ["top_to_bottom", "bottom_to_top"]),
    # a slanted, mostly vertical line crossed right then left
    (((0.4, 0.0), (0.6, 1.0)), [(20, 50), (80, 50), (20, 50)], ["left_to_right", "right_to_left"]),
])
def test_a_crossing_goes_the_way_of_the_side_it_crossed_to(line, path, ways):
    """Per-direction crossings read each crossing's own way. They used its object's direction of travel, so a car
    that crossed a line and turned back across it counted twice under one direction."""
    from common.site import ZoneSpec
    from vlm.cv.zones import ZoneWatcher

    watcher = ZoneWatcher([ZoneSpec(name="line", kind="line", points=tuple(line))], width=100, height=100)
    hits = []
    for t, (x, y) in enumerate(path):
        hits += watcher.update(float(t), [7], np.array([[x - 5, y - 5, x + 5, y + 5]], np.float32))
    assert [h.direction for h in hits] == ways
    assert [h.side for h in hits][:2] in (["in", "out"], ["out", "in"])  # the sides alternate, as before


def test_zone_exits_carry_the_time_spent_inside(store):
    exits = store.events(types=["zone_exit"])
    assert len(exits) == 4
    for event in exits:
        attributes = event["attributes"]
        assert attributes["zone"] in ("lane_up", "lane_down") and 1.5 < attributes["dwell_s"] < 5.0
        assert event["t1"] - event["t0"] == pytest.approx(attributes["dwell_s"], abs=0.01)


def test_a_segments_caption_says_a_zone_was_left_when_it_was_left(store):
    """The captions said "car 1 left lane_down at 0:14.6", the moment it entered: a zone's leaving spans from its
    entering, and the caption speaks of its end (each exit in the caption of the segment it happened in)."""
    captions = " ".join(s["caption"] for s in store.segments(streams=["car"]))
    for event in store.events(types=["zone_exit"]):
        said = f"{event['description']} at {clock(event['t1'])}."
        assert said in captions, (said, captions)
        assert f"{event['description']} at {clock(event['t0'])}." not in captions, captions


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


def _event(b: Any, ent: str, kind: str, t0: float, t1: float, attributes: str = "{}", zone: str | None = None) -> None:
    """An event of car ``ent`` in the live stream "cam" (run r1), at ``zone`` if given."""
    ev = f"cam/r1/ev/{kind}-{ent}-{t0}"
    b.events.append({"id": ev, "stream_id": "cam", "run": "r1", "type": kind, "t0": t0, "t1": t1, "confidence": 0.8,
                     "label": "car", "description": f"car {ent} {kind}", "attributes": attributes,
                     "thumbnail": ""})
    b.involves.append({"src": ev, "dst": f"cam/r1/ent/{ent}", "role": "subject"})
    if zone:
        b.at.append({"src": ev, "dst": f"cam/zone/{zone}"})


def _moves(b: Any, *moves: tuple[str, str, float, str]) -> None:
    """Zone events at an instant: (car, "zone_enter" or "zone_exit", time, zone)."""
    for ent, kind, t, zone in moves:
        _event(b, ent, kind, t, t, json.dumps({"zone": zone}), zone)


def _cars_at_zones(zones: tuple[str, ...], cars: tuple[str, ...]) -> Any:
    """A batch of the stream "cam": these zones, these cars (in view 0-100 s); events are added with ``_event``."""
    from graph import GraphBatch

    b = GraphBatch(zones=[{"id": f"cam/zone/{z}", "stream_id": "cam", "name": z, "kind": "polygon", "points": "[]"}
                          for z in zones])
    b.entities += [{"id": f"cam/r1/ent/{ent}", "stream_id": "cam", "run": "r1", "cls": "car", "first_seen": 0.0,
                    "last_seen": 100.0, "confidence": 0.9, "direction": "", "attributes": "{}", "thumbnail": ""}
                   for ent in cars]
    return b


def _write_cam(store: Any, b: Any) -> None:
    from graph import StreamRecord

    store.upsert_stream(StreamRecord("cam", "rtsp://cam", "cam", "live", 100.0, 5.0, 640, 480, "complete", "r1",
                                     json.dumps({"vlm": {"backend": "cv"}, "detector": "centernet.onnx"})))
    store.write_batch(b)


def test_events_per_zone_are_counted_where_they_happened(tmp_path):
    """"How many times did cars stop per lane?" was not read ('per zone' not checked). A stop is under each zone
    its car was inside meanwhile (from entering to leaving: a zone_exit's span), a zone's own event under that
    zone, and a stop outside every zone under "in no zone"."""
    b = _cars_at_zones(("lane_1", "lane_2"), ("a", "b", "c"))
    _event(b, "a", "zone_exit", 10.0, 50.0, '{"dwell_s":40.0,"zone":"lane_1"}', "lane_1")  # in lane_1 10-50 s
    _event(b, "a", "stopped", 20.0, 30.0)  # -> lane_1
    _event(b, "b", "zone_exit", 60.0, 70.0, '{"dwell_s":10.0,"zone":"lane_2"}', "lane_2")
    _event(b, "b", "stopped", 80.0, 90.0)  # after it left lane_2 -> in no zone
    _event(b, "c", "zone_exit", 30.0, 50.0, '{"dwell_s":20.0,"zone":"lane_1"}', "lane_1")
    _event(b, "c", "zone_exit", 35.0, 60.0, '{"dwell_s":25.0,"zone":"lane_2"}', "lane_2")
    _event(b, "c", "stopped", 40.0, 45.0)  # on the line between the lanes: in both
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        stops = ask(store, "how many times did cars stop per lane?")
        exits = ask(store, "how many times did cars leave lane_1 or lane_2 per lane?")
    assert stops.value == 3 and stops.breakdown == {"lane_1": 2, "lane_2": 1, "in no zone": 1}, stops.text
    assert "per zone it happened in" in stops.text and not stops.not_checked
    assert exits.breakdown == {"lane_1": 2, "lane_2": 2}, exits.text  # a zone's own events: their zone


def test_leaving_a_zone_counts_its_exits_not_its_entering(tmp_path):
    """"How many cars left lane_1?" counted every car that entered it, one still inside at the end too ('left'
    was read as any visit), and named them "cars at lane_1". Its exits are counted now, said so."""
    b = _cars_at_zones(("lane_1",), ("a", "b"))
    _event(b, "a", "zone_enter", 10.0, 10.0, '{"zone":"lane_1"}', "lane_1")
    _event(b, "a", "zone_exit", 50.0, 50.0, '{"zone":"lane_1"}', "lane_1")
    _event(b, "b", "zone_enter", 10.0, 10.0, '{"zone":"lane_1"}', "lane_1")  # still inside at the end
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        left = ask(store, "how many cars left lane_1?")
        entered = ask(store, "how many cars entered lane_1?")
    assert (left.value, left.text.split(":")[0]) == (1, "1 car that left lane_1"), left.text
    assert entered.value == 2, entered.text


def test_a_real_clips_stops_are_inside_a_zone_that_holds_the_whole_frame(tmp_path):
    """The residential street's four stops (cars parked, and one that pulls in), with a zone drawn over the whole
    frame and one over a corner no car reaches: every stop happened while its car was inside the first."""
    from conftest import DATA

    zones = tmp_path / "zones.toml"
    zones.write_text('[[zone]]\nname = "street"\npoints = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]\n\n'
                     '[[zone]]\nname = "corner"\npoints = [[0.0, 0.0], [0.05, 0.0], [0.05, 0.05], [0.0, 0.05]]\n')
    settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": zones})
    with open_graph(settings) as store:
        analyze_file(DATA / "residential-street-vehicles.mp4", settings, store, stream_id="street")
        stops = ask(store, "how many times did a car stop per zone?")
        plain = ask(store, "how many times did a car stop?")
    # the corner is shown, at 0 (a lane where nothing happened was left out of the split)
    assert stops.value == plain.value >= 3 and stops.breakdown == {"street": stops.value, "corner": 0}, stops.text


def test_compass_headings_are_read_only_where_the_site_says_which_way_the_picture_faces(tmp_path):
    """"How many cars went northbound?" was read as bottom to top in the picture whatever way the camera
    faced. A camera table's ``up`` now says which heading the picture's top faces; without one, a heading is
    not checked and the answer says how to give it. The car clip: the white (4.5 s) and red (15.0 s) cars drive
    bottom to top, the silver (14.4 s) and the last white (25.2 s) top to bottom (CAR_FACTS)."""
    from conftest import OVERHEAD_SITE

    site = tmp_path / "site.toml"
    site.write_text(OVERHEAD_SITE.read_text() + '\n[[camera]]\nstream = "north-*"\nup = "north"\n'
                    '\n[[camera]]\nstream = "south-*"\nup = "south"\n')
    settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": site})
    with open_graph(settings) as store:
        for sid in ("north-car", "south-car", "plain-car"):
            analyze_file(CAR_CLIP, settings, store, stream_id=sid)
        north = ask(store, "which cars went northbound?", streams=["north-car"])
        south_facing = ask(store, "which cars went northbound?", streams=["south-car"])
        west = ask(store, "how many cars drove west?", streams=["north-car"])
        unknown = ask(store, "how many cars went northbound?", streams=["plain-car"])
        mixed = ask(store, "how many cars went northbound?")
    starts = sorted(int(c.t0) for c in north.citations)
    assert north.value is not None and len(north.value) == 2 and starts == [4, 15], (north.text, starts)
    assert "northbound read as the way it runs in the picture, whose top faces north" in north.text, north.text
    assert sorted(int(c.t0) for c in south_facing.citations) == [14, 25], south_facing.text
    assert west.value == 0 and not west.not_checked, west.text  # right to left: nobody
    for answer in (unknown, mixed):
        assert not answer.supported and "northbound" in " ".join(answer.not_checked), answer.text
    assert "give up = \"north\"" in unknown.text and "face different ways" in mixed.text, (unknown.text, mixed.text)


def test_a_camera_table_with_an_unknown_heading_is_refused_by_name(tmp_path):
    from common.site import load_camera

    site = tmp_path / "site.toml"
    site.write_text('[[camera]]\nstream = "*"\nup = "up"\n')
    with pytest.raises(ValueError, match="up must be north, east, south or west"):
        load_camera(site, "cam")


def test_the_wrong_way_is_against_the_direction_the_site_sets_for_a_zone(tmp_path):
    """"Did any car drive the wrong way in lane_up?" said 'the wrong way' not checked and answered whether any
    car used the lane. A zone's table may set the way its traffic goes (``direction``); the wrong way is moving
    the opposite way through it. The car clip's lane_up carries the white (4.5 s) and red (15.0 s) cars bottom
    to top, lane_down the others top to bottom (CAR_FACTS): set as they drive, nobody goes the wrong way; set
    reversed for lane_up (as an operator might for another camera), those two do. Unset, it is not checked."""
    ways = ZONES.replace('name = "lane_down"', 'name = "lane_down"\ndirection = "top to bottom"').replace(
        'name = "lane_up"', 'name = "lane_up"\ndirection = "bottom to top"')
    reversed_up = ways.replace('direction = "bottom to top"', 'direction = "top-to-bottom"')
    answers = {}
    for name, text in (("right", ways), ("reversed", reversed_up), ("unset", ZONES)):
        site = tmp_path / f"{name}.toml"
        site.write_text(text)
        settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": site})
        with open_graph(settings) as store:
            analyze_file(CAR_CLIP, settings, store, stream_id=name)
            answers[name] = (ask(store, "did any car drive the wrong way in lane_up?", streams=[name]),
                             ask(store, "how many cars went the wrong way?", streams=[name]))
            if name == "reversed":  # two cameras that set lane_up two ways: not one answer
                two = ask(store, "did any car drive the wrong way in lane_up?", streams=["right", "reversed"])
                assert two.value is None and "lane_up is set to run different ways" in two.text, two.text
    (right, right_all), (wrong, wrong_all), (unset, _) = answers["right"], answers["reversed"], answers["unset"]
    assert (right.value, right.supported, right_all.value) == (False, True, 0), (right.text, right_all.text)
    assert right.text.startswith("Against the way set in the site file (lane_up runs bottom to top): No: "), right.text
    assert (wrong.value, wrong_all.value) == (True, 2), (wrong.text, wrong_all.text)
    ups = [f[0] for f in CAR_FACTS if f[2] == "bottom_to_top"]
    assert sorted(c.t0 for c in wrong.citations) == pytest.approx(ups, abs=1.0), wrong.text
    assert wrong_all.text.startswith("Against the way set in the site file (lane_down runs top to bottom; lane_up "
                                     "runs top to bottom): 2 in all. In lane_up: 2 cars"), wrong_all.text
    assert unset.value is None and not unset.supported and unset.text.startswith(
        "Not checked: the wrong way: no direction is set for lane_up in the site file"), unset.text


@pytest.mark.parametrize("entry, error", [
    ('[[zone]]\nname = "a"\npoints = [[0, 0], [1, 0], [1, 1]]\ndirection = "up"\n', "zone 'a': direction is for"),
    ('[[line]]\nname = "b"\npoints = [[0, 0.5], [1, 0.5]]\ndirection = "left to right"\n', "line 'b': direction is"),
])
def test_a_zone_direction_is_a_way_in_the_picture_and_only_for_zones(tmp_path, entry, error):
    site = tmp_path / "site.toml"
    site.write_text(entry)
    with pytest.raises(ValueError, match=error):
        load_zones(site)


def _lane_change() -> Any:
    """Car a goes from lane_1 into lane_2, car b stays in lane_1, car c enters no zone."""
    b = _cars_at_zones(("lane_1", "lane_2"), ("a", "b", "c"))
    _moves(b, ("a", "zone_enter", 10.0, "lane_1"), ("a", "zone_enter", 30.0, "lane_2"),
           ("b", "zone_enter", 20.0, "lane_1"))
    return b


def _ask_lane_change(tmp_path: Any, *questions: str) -> list[Any]:
    """The answers to these questions about :func:`_lane_change`'s cars."""
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, _lane_change())
        return [ask(store, question) for question in questions]


def test_a_lane_change_is_entering_more_than_one_zone(tmp_path):
    """"Did any car change lanes?" said 'change lanes' not checked and answered whether there were cars. It is
    read as entering more than one of the zones drawn (said first): car a goes from lane_1 into lane_2, car b
    stays in lane_1, car c enters no zone."""
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, _lane_change())
        which = ask(store, "which cars changed lanes?")
        how_many = ask(store, "how many cars switched lanes?")
        first = ask(store, "did the first car change lanes?")  # all three came at 0 s: not told apart
    assert which.text.startswith("Read as entering more than one of lane_1, lane_2: 1 car that entered more than "
                                 "one zone"), which.text
    assert [c.entity_id for c in which.citations] == ["cam/r1/ent/a"] and how_many.value == 1, how_many.text
    assert first.value is None and "3 cars appeared, together" in first.text, first.text


def test_both_zones_of_one_object_is_entering_each_of_them(tmp_path):
    """"Did any car use lane_1 and lane_2?" said "not checked whether one car did both"; "did any car use both
    lanes?" and "how many cars used both lanes?" said 'both lanes' unchecked and answered for every car. One object
    asked of is the objects that entered each of the zones named ("both lanes": the two drawn), said first; "were
    there cars in both lanes?" stays each zone apart (a car at each)."""
    one, both, how_many, apart, every = _ask_lane_change(  # a: lane_1 then lane_2, b: lane_1, c: none
        tmp_path, "did any car use lane_1 and lane_2?", "did any car use both lanes?",
        "how many cars used both lane_1 and lane_2?", "were there cars in both lanes?",
        "were there cars in every lane?")
    for answer in (one, both):
        assert answer.value is True and answer.not_checked == [], answer.text
        assert answer.text.startswith("Read as entering each of lane_1, lane_2: Yes: 1 car"), answer.text
        assert [c.entity_id for c in answer.citations] == ["cam/r1/ent/a"], answer.text
    assert "'both lanes' read as lane_1 and lane_2, the zones drawn" in both.text, both.text
    assert how_many.value == 1 and [c.entity_id for c in how_many.citations] == ["cam/r1/ent/a"], how_many.text
    for answer in (apart, every):
        assert answer.value is True and answer.not_checked == [], answer.text
        assert answer.text.startswith("Yes: a car at lane_1 and a car at lane_2 were both seen"), answer.text


def test_from_one_zone_to_another_is_entering_them_in_that_order(tmp_path):
    """"Did any car go from lane_2 to lane_1?" was read as either zone ("Yes": cars a and b); from one zone to
    another is entering the first, then the second. "The lane_1 zone" is lane_1 ('zone' was unchecked)."""
    there, back, how_many, zone = _ask_lane_change(  # a: lane_1 at 0:10, then lane_2 at 0:30; b: lane_1; c: none
        tmp_path, "did any car go from lane_1 to lane_2?", "did any car go from lane_2 to lane_1?",
        "how many cars went from lane_1 into lane_2?", "did any car enter the lane_2 zone?")
    assert there.value is True and [c.entity_id for c in there.citations] == ["cam/r1/ent/a"], there.text
    assert there.text.startswith("Read as entering lane_1, then lane_2: Yes: 1 car"), there.text
    assert back.value is False and back.text.startswith("Read as entering lane_2, then lane_1: No"), back.text
    assert how_many.value == 1, how_many.text
    assert zone.value is True and zone.not_checked == [], zone.text


def test_entering_a_zone_more_than_once_is_two_entries_or_more(tmp_path):
    """"Did any car enter lane_1 twice?" said 'twice' unchecked and answered for every car that entered it. "When
    did a car enter lane_1 more than once?" said 'more once' unchecked and listed every car's first entry: it is
    each entry of the car that entered twice. "Which car entered lane_1 the most times?" said 'most' unchecked and
    listed every car: it is the car with the most entries, and how many."""
    b = _cars_at_zones(("lane_1", "lane_2"), ("a", "b", "c"))
    _moves(b, ("a", "zone_enter", 10.0, "lane_1"), ("a", "zone_exit", 20.0, "lane_1"),
           ("a", "zone_enter", 40.0, "lane_1"), ("b", "zone_enter", 20.0, "lane_1"))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        twice, how_many, once, when, most, fewest = (ask(store, q) for q in (
            "did any car enter lane_1 twice?", "how many cars entered lane_1 more than once?",
            "how many cars entered lane_1?", "when did a car enter lane_1 more than once?",
            "which car entered lane_1 the most times?", "which car entered lane_1 least often?"))
    assert twice.value is True and twice.not_checked == [], twice.text
    assert when.not_checked == [] and when.text == "Car: entered lane_1 at 0:10.0; entered lane_1 at 0:40.0.", when.text
    # "the most times" was 'most' unchecked and every car that entered
    assert most.not_checked == [] and most.text.startswith("Entered lane_1 the most times: 2 times each. 1 car"), most
    assert [c.entity_id for c in most.citations] == ["cam/r1/ent/a"], most.text
    assert fewest.text.startswith("Entered lane_1 the fewest times: 1 time each. 1 car"), fewest.text
    assert [c.entity_id for c in fewest.citations] == ["cam/r1/ent/b"], fewest.text
    assert [c.entity_id for c in twice.citations] == ["cam/r1/ent/a"], twice.text
    assert how_many.value == 1 and "more than once" in how_many.text, how_many.text
    assert once.value == 2, once.text


def test_right_to_left_in_a_zone_is_a_direction_not_leaving_it(tmp_path):
    """"Did any car drive right to left in lane_1?" read the 'left' of the direction as leaving lane_1, and
    answered No for a car going that way inside lane_1 that had not left it."""
    b = _lane_change()  # a: lane_1 from 0:10 (then lane_2), b: lane_1 from 0:20 and still inside
    for entity in b.entities:
        entity["direction"] = "right_to_left" if entity["id"].endswith("/b") else "left_to_right"
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        answer = ask(store, "did any car drive right to left in lane_1?")
        how_many = ask(store, "how many times did a car moving right to left enter lane_1?")
    assert answer.value is True and [c.entity_id for c in answer.citations] == ["cam/r1/ent/b"], answer.text
    assert how_many.value == 1, how_many.text


def test_two_zones_are_compared_by_their_counts(tmp_path):
    """"Were there more cars in lane_1 than in lane_2?" and "was lane_2 busier than lane_1?" said 'more' or
    'busier' unchecked and answered whether there were cars at either; "how many more ... than ...?" likewise.
    Each zone is counted as "how many cars were in lane_1?" would be, then compared (or the difference given)."""
    more, busier, by, fewer = _ask_lane_change(  # a: lane_1 then lane_2, b: lane_1, c: none
        tmp_path, "were there more cars in lane_1 than in lane_2?", "was lane_2 busier than lane_1?",
        "how many more cars used lane_1 than lane_2?", "how many fewer cars were in lane_2 than in lane_1?")
    assert more.value is True and more.text.startswith("Yes: 2 cars at lane_1 against 1 car at lane_2"), more.text
    assert busier.value is False and busier.text.startswith("No: 1 object at lane_2 against 2 objects at lane_1"), (
        busier.text)
    assert (by.value, fewer.value) == (1, 1) and by.text.startswith("1 more: "), by.text
    assert not (more.not_checked or busier.not_checked or by.not_checked), busier.text


def test_the_event_log_is_in_order_and_camera_by_camera_without_a_shared_clock(tmp_path):
    """"List all events", "what happened first?" and "what events happened in lane_1?" were open questions. They
    list the events recorded in order, at the places asked; the first or last of cameras that share no clock is
    each one's, said so, not one picked by offsets that mean nothing across them."""
    from tests_support import small_stream

    from graph import GraphBatch

    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, _lane_change())  # a: lane_1 at 0:10 then lane_2 at 0:30, b: lane_1 at 0:20
        small_stream(store, '{"detector": "centernet.onnx"}', [("car", 1.0, 9.0)], stream="gate")
        store.write_batch(GraphBatch(events=[{"id": "gate/r1/ev/enter-0", "stream_id": "gate", "run": "r1",
                                              "type": "enter", "t0": 1.0, "t1": 1.0, "confidence": 0.8, "label": "car",
                                              "description": "car 0 entered from the left", "attributes": "{}",
                                              "thumbnail": ""}]))
        log = ask(store, "list all events", streams=["cam"])
        lane = ask(store, "what events happened in lane_1?", streams=["cam"])
        first = ask(store, "what happened first?", streams=["cam"])
        each = ask(store, "what happened first?")
    assert log.value == 3 and log.text.startswith("3 events (by kind: zone enter 3): 0:10.0 car a zone_enter; "
                                                  "0:20.0 car b zone_enter; 0:30.0 car a zone_enter"), log.text
    assert lane.value == 2 and "0:30.0" not in lane.text, lane.text
    assert first.value == 10.0 and first.text.startswith("The first event: 0:10.0 car a zone_enter (of 3)"), first.text
    assert each.value is None and each.text.startswith("The first event on each camera (they share no clock): "
                                                       "cam 0:10.0 car a zone_enter; gate.mp4 0:01.0 car 0 "
                                                       "entered from the left"), each.text


def test_a_zone_or_a_lane_change_asked_of_no_object_is_asked_of_anything(tmp_path):
    """"Were there any lane changes?", "did anything enter lane_1?" and "how many entered lane_1?" (no object
    named) were open questions, answered with evidence ranked: they are asked of any object."""
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, _lane_change())
        changes = ask(store, "were there any lane changes?")
        entered = ask(store, "did anything enter lane_1?")
        how_many = ask(store, "how many entered lane_2?")
    assert changes.value is True and changes.text.startswith("Read as entering more than one of lane_1, lane_2: "
                                                             "Yes: 1 object"), changes.text
    assert [c.entity_id for c in changes.citations] == ["cam/r1/ent/a"], changes.text
    assert entered.value is True and sorted(c.entity_id for c in entered.citations) == ["cam/r1/ent/a",
                                                                                       "cam/r1/ent/b"], entered.text
    assert how_many.value == 1 and how_many.supported, how_many.text


def test_still_in_a_zone_is_yet_there_not_standing_still(tmp_path):
    """"Was the car still in lane_1 at the end?", "were any cars still in lane_1 after 0:25?" asked for cars that
    stood still (a moving car inside was a "No"): "still in", "still there" is yet there. "Standing still in
    lane_1" stays a standstill."""
    assert (parse_question("was the car still in lane_1 at the end?", ("lane_1",)).still,
            parse_question("is anyone still in lane_1?", ("lane_1",)).still,
            parse_question("was a car standing still in lane_1?", ("lane_1",)).still,
            parse_question("were the cars still?").still) == (False, False, True, True)
    b = _cars_at_zones(("lane_1",), ("a",))
    _moves(b, ("a", "zone_enter", 20.0, "lane_1"))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        after = ask(store, "were any cars still in lane_1 after 0:25?")
    assert after.value is True and after.not_checked == [], after.text


def test_at_the_same_time_in_a_zone_is_inside_it_at_once(tmp_path):
    """"How many cars were in lane_1 at the same time?" overlapped the cars' time in view: two cars in view all
    along, one in the lane 10-20 s and the other 30-40 s, were "2 at once". It is their stretches inside it."""
    b = _cars_at_zones(("lane_1",), ("a", "b", "c"))
    _moves(b, ("a", "zone_enter", 10.0, "lane_1"), ("a", "zone_exit", 20.0, "lane_1"),
           ("b", "zone_enter", 30.0, "lane_1"), ("b", "zone_exit", 40.0, "lane_1"))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        apart = ask(store, "how many cars were in lane_1 at the same time?")
        ever = ask(store, "were there ever 2 cars in lane_1?")  # a number "ever" there: at once (was 2 in all)
        c = _cars_at_zones((), ("c",))
        _moves(c, ("c", "zone_enter", 15.0, "lane_1"))  # inside with a from 15 s
        store.write_batch(c)
        together = ask(store, "were there ever 2 cars in lane_1 at once?")
    assert (apart.value, apart.text.split(",")[0]) == (1, "At most 1 car inside lane_1 at the same time"), apart.text
    assert ever.value is False and ever.text.startswith("No: at most 1 car inside lane_1 at the same time"), ever.text
    assert ever.text.endswith("In all, 2 cars were inside lane_1: 0:10.0-0:20.0; 0:30.0-0:40.0."), ever.text
    assert together.value is True and together.text.startswith(
        "Yes: 2 cars inside lane_1 at the same time, at 0:15.0"), together.text


def test_still_in_a_zone_now_is_inside_it_as_the_footage_ends(tmp_path):
    """"Are any cars still in lane_1?" counted a car that had entered lane_1, left it for lane_2 and was still in
    view at the end: still in it is not having left it after its last entering."""
    b = _cars_at_zones(("lane_1", "lane_2"), ("a", "b"))
    for entity in b.entities:  # both in view to the end
        entity["attributes"] = '{"entered": true, "left": false, "moved": true}'
    _moves(b, ("a", "zone_enter", 10.0, "lane_1"), ("a", "zone_exit", 20.0, "lane_1"),
           ("a", "zone_enter", 20.0, "lane_2"), ("b", "zone_enter", 30.0, "lane_1"))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        now = ask(store, "how many cars are still in lane_1?")
        lane_2 = ask(store, "is a car still in lane_2?")
    assert now.value == 1 and [c.entity_id for c in now.citations] == ["cam/r1/ent/b"], now.text
    assert lane_2.value is True and [c.entity_id for c in lane_2.citations] == ["cam/r1/ent/a"], lane_2.text


def test_the_zone_is_the_one_drawn_and_only_where_one_is(tmp_path):
    """"Did a car enter the zone?" said 'zone' unchecked where one zone is drawn: it is that zone, said in a note;
    where two are drawn, which one is not guessed."""
    one = _cars_at_zones(("dock",), ("a",))
    _moves(one, ("a", "zone_enter", 10.0, "dock"))
    with open_graph(make_settings(tmp_path / "one")) as store:
        _write_cam(store, one)
        answer = ask(store, "did a car enter the zone?")
    assert answer.value is True and answer.not_checked == [], answer.text
    assert answer.notes[0] == "'the zone' read as dock, the one zone drawn", answer.notes
    assert answer.question == "did a car enter the zone?", answer.question  # quoted as asked
    two = _cars_at_zones(("lane_1", "lane_2"), ("a",))
    _moves(two, ("a", "zone_enter", 10.0, "lane_1"))
    with open_graph(make_settings(tmp_path / "two")) as store:
        _write_cam(store, two)
        answer = ask(store, "did a car enter the lane?")
    assert "lane" in answer.not_checked, answer.text


def test_not_in_a_zone_is_entering_none_of_them(tmp_path):
    """"Did any car not use a lane?" said 'not lane' unchecked and answered whether there were cars; "how many
    cars never entered lane_2?" counted those that did. It is the objects that entered none of the zones named
    (every zone drawn, when none is), said first; one inside as a window began entered it."""
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, _lane_change())  # a: lane_1 then lane_2, b: lane_1, c: none
        any_not = ask(store, "did any car not use a lane?")
        never = ask(store, "how many cars never entered lane_2?")
        which = ask(store, "which cars did not enter lane_1?")
        later = ask(store, "how many cars were not in lane_1 after 0:25?")  # a and b are inside it since before
        # at a moment: inside then (a since 0:10; b comes at 0:20), as "how many cars were in lane_1 at 0:15?" reads
        # it (every car was "not in lane_1": no event falls at 0:15)
        moment = ask(store, "how many cars were not in lane_1 at 0:15?")
    assert any_not.value is True and any_not.not_checked == [], any_not.text
    assert any_not.text.startswith("Read as entering none of lane_1, lane_2: Yes: 1 car"), any_not.text
    assert [c.entity_id for c in any_not.citations] == ["cam/r1/ent/c"], any_not.text
    assert never.value == 2 and sorted(c.entity_id for c in never.citations) == ["cam/r1/ent/b", "cam/r1/ent/c"]
    assert [c.entity_id for c in which.citations] == ["cam/r1/ent/c"], which.text
    assert later.value == 1, later.text
    assert moment.value == 2 and sorted(c.entity_id for c in moment.citations) == ["cam/r1/ent/b", "cam/r1/ent/c"], (
        moment.text)


def test_a_stay_that_ends_with_the_footage_is_no_leaving(tmp_path):
    """The worker is still in view in the last frame of worker-zone-detection.gif, so still on a floor zone drawn
    over the whole picture. The stay's end was written as "left floor": "how many people left floor?" said 1,
    "is anyone still in floor?" said no, and a rule on leaving the zone fired. The stay now ends with "was still
    in floor at the end" (left: false): no leaving, still inside, the time inside unchanged; a dwell still fires."""
    from conftest import DATA

    (tmp_path / "site.toml").write_text('[[zone]]\nname = "floor"\npoints = [[0, 0], [1, 0], [1, 1], [0, 1]]\n')
    (tmp_path / "rules.toml").write_text('[[rule]]\nname = "left-floor"\nevent = "zone_exit"\nzone = "floor"\n\n'
                                         '[[rule]]\nwhen = "person in floor for more than 2 s"\n')
    settings = make_settings(tmp_path / "data", alerts={"rules_file": tmp_path / "rules.toml"}).model_copy(
        update={"zones_file": tmp_path / "site.toml"})
    with open_graph(settings) as store:
        analyze_file(DATA / "worker-zone-detection.gif", settings, store, stream_id="floor")
        [person] = store.entities(cls="person")
        assert person["attributes"]["left"] is False  # in view to the end (its last frame shows him)
        [stay] = store.events(types=["zone_exit"])
        assert stay["attributes"]["left"] is False and stay["description"].endswith("was still in floor at the end")
        assert not store.events(types=["zone_exit"], counted=True)
        assert [a["rule"] for a in store.alerts()] == ["person-in-floor-for-more-than-2-s"]
        left = ask(store, "how many people left floor?")
        when = ask(store, "when did the person leave floor?")
        still = ask(store, "is anyone still in floor?")
        inside = ask(store, "how long was the person in floor?")
    assert left.value == 0, left.text
    assert not when.value, when.text
    assert still.value and still.text.startswith("Yes"), still.text
    assert inside.value == pytest.approx(person["last_seen"] - person["first_seen"], abs=0.05), inside.text


def test_a_stay_that_ends_with_the_object_lost_inside_is_not_a_no_to_leaving(tmp_path):
    """In store-aisle-detection.gif one shopper is lost from view inside the picture (whole-frame zone: inside
    it). Whether they left the zone is not known: "did anyone leave floor?" is not a "no", and cites them."""
    from conftest import DATA

    (tmp_path / "site.toml").write_text('[[zone]]\nname = "floor"\npoints = [[0, 0], [1, 0], [1, 1], [0, 1]]\n')
    settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": tmp_path / "site.toml"})
    with open_graph(settings) as store:
        analyze_file(DATA / "store-aisle-detection.gif", settings, store, stream_id="aisle")
        people = {p["id"]: p for p in store.entities(cls="person")}
        stays = store.zone_visits("floor", types=("zone_exit",))
        answer = ask(store, "did anyone leave floor?")
    lost = {v["id"] for v in stays
            if v["event_attributes"].get("left") is False and people[v["id"]]["attributes"]["left"]}
    assert lost, "a shopper lost from view inside the picture"
    assert all(v["event_attributes"].get("left") is False for v in stays)  # nobody walked out of the picture
    assert not answer.supported and "is not known" in answer.text, answer.text
    assert "so this is not a 'no'" in answer.text, answer.text
    assert lost <= {c.entity_id for c in answer.citations}


_HALVES = ('[[zone]]\nname = "restricted"\npoints = [[0.5, 0], [1, 0], [1, 1], [0.5, 1]]\n\n'
           '[[zone]]\nname = "walkway"\npoints = [[0, 0], [0.5, 0], [0.5, 1], [0, 1]]\n')


def test_a_stay_begun_with_the_footage_is_no_entering_and_each_zone_is_entering_it(tmp_path):
    """worker-zone-detection.gif: the worker stands in the right half in the first frame and walks into the left
    half, where the last frame shows him. "When did someone enter restricted?" said 0:00.0, his first sighting;
    "how many times did anyone enter each zone?" counted comings into the picture per zone ("0 times": he was
    there from the start), and leaving each zone, goings out of it. His stay in restricted now begins "as the
    footage began" (entered: false): no entering, still a stay; the walkway is entered once, restricted left."""
    from conftest import DATA

    (tmp_path / "site.toml").write_text(_HALVES)
    settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": tmp_path / "site.toml"})
    with open_graph(settings) as store:
        analyze_file(DATA / "worker-zone-detection.gif", settings, store, stream_id="floor")
        begun = [e for e in store.events(types=["zone_enter"]) if e["attributes"].get("entered") is False]
        when = ask(store, "when did someone enter the restricted zone?")
        there = ask(store, "was anyone in restricted?")
        each = ask(store, "how many times did anyone enter each zone?")
        walked = ask(store, "when did the person enter the walkway?")
        left = ask(store, "how many times did people leave each zone?")
        per_zone = ask(store, "how many people per zone?")
        [out] = [e for e in store.events(types=["zone_exit"]) if e["attributes"].get("left") is not False]
    assert [(e["t0"], e["description"]) for e in begun] == [(0.0, "person 0 was in restricted as the footage began")]
    assert not when.value and when.text.startswith("No people that entered restricted"), when.text
    assert there.value is True, there.text
    assert each.value == 1 and each.text.endswith("(1 of 2 with none): walkway 1, restricted 0."), each.text
    assert walked.value and 0.0 < walked.citations[0].t0 < 2.0, walked.text  # he crosses the middle early on
    # leaving: out of restricted, at that moment (a zone_exit spans the stay: it was cited at 0:00.0), and not the
    # walkway, where he still was at the end (it counted leaving the picture: "0 times")
    assert left.value == 1 and [c.t0 for c in left.citations] == [out["t1"]], left.text
    assert left.text.endswith("(1 of 2 with none): restricted 1, walkway 0."), left.text
    # "per zone entered: restricted 1" counts his stay there too, and now says it was not an entering
    assert per_zone.breakdown == {"restricted": 1, "walkway": 1}, per_zone.text
    assert per_zone.text.endswith("Of these, 1 was already inside as the footage began (not seen entering): 1 in "
                                  "restricted."), per_zone.text



def test_when_in_a_zone_is_the_time_inside_and_a_none_of_entering_names_who_was_there_from_the_start(tmp_path):
    """worker-zone-detection.gif, halves drawn: the worker stands in the right half (restricted) in the first frame
    and walks into the left half early on. "When was someone in restricted?" answered his whole time in view
    (0:00.0-0:04.4); it is now his stretch inside, to his leaving. "Did anyone enter restricted?" said "No" and
    nothing of the worker in it as the footage began; the none now says so and cites that stay's edge."""
    from conftest import DATA

    (tmp_path / "site.toml").write_text(_HALVES)
    settings = make_settings(tmp_path / "data").model_copy(update={"zones_file": tmp_path / "site.toml"})
    with open_graph(settings) as store:
        analyze_file(DATA / "worker-zone-detection.gif", settings, store, stream_id="floor")
        [person] = store.entities()
        [out] = [e for e in store.events(types=["zone_exit"]) if e["attributes"].get("left") is not False]
        when = ask(store, "when was someone in restricted?")
        entered = ask(store, "did anyone enter the restricted zone?")
        what = ask(store, "what entered restricted?")  # of any class: it said nothing of him either
    assert out["attributes"]["zone"] == "restricted" and out["t1"] < 2.0 < person["last_seen"]
    assert "1 object was in restricted as the footage began (not seen entering it), cited" in what.text, what.text
    assert when.value == [(0.0, out["t1"])], when.text
    assert when.text == f"People were inside restricted at 0:00.0-{clock(out['t1'])}.", when.text
    assert (entered.value, entered.supported) == (False, True), entered.text
    assert "1 person was in restricted as the footage began (not seen entering it), cited" in entered.text
    assert any(c.t0 == 0.0 and c.what.endswith("was in restricted as the footage began") for c in entered.citations)


def test_objects_in_a_zone_from_the_start_are_first_there_not_first_to_enter_it(tmp_path):
    """Two cars inside lane_1 as the footage began: "which car was in lane_1 first?" said "2 cars at lane_1 entered
    lane_1 first, together" (neither entered it); a third that drove in later is no tie."""
    b = _cars_at_zones(("lane_1",), ("a", "b", "c"))
    for ent in ("a", "b"):
        _event(b, ent, "zone_enter", 0.0, 0.0, '{"zone": "lane_1", "entered": false}', "lane_1")
    _moves(b, ("c", "zone_enter", 30.0, "lane_1"))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        first = ask(store, "which car was in lane_1 first?")
        entered = ask(store, "which car entered lane_1 first?")
    assert first.text == "2 cars were first in lane_1, together, as the footage began, at 0:00.0 in cam.", first.text
    assert entered.text.startswith("The first car (colour not recorded) entered lane_1 at 0:30.0"), entered.text


def test_the_colour_of_the_first_of_several_seen_together_is_each_ones(tmp_path):
    """"What colour was the first car?" of two cars first seen at one look said "2 cars appeared first, together,
    at 0:00.0" and no colour; "what colour was the first person wearing?" left 'wearing' unchecked besides. Each
    one's colour is said (or that it was not recorded)."""
    b = _cars_at_zones(("lane_1",), ("a", "b"))
    b.entities[0]["attributes"] = json.dumps({"colour": "white"})
    people = _cars_at_zones((), ("p",))
    people.entities[0].update(cls="person", attributes=json.dumps({"colour": "red"}))
    with open_graph(make_settings(tmp_path)) as store:
        _write_cam(store, b)
        store.write_batch(people)
        cars = ask(store, "what colour was the first car?")
        person = ask(store, "what colour was the first person wearing?")
    assert cars.text == ("2 cars appeared first, together, at 0:00.0 in cam: one (white) and one (colour not "
                         "recorded)."), cars.text
    assert not person.not_checked and "(red)" in person.text, person.text
