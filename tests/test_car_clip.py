"""End to end on car-detection.mp4 against the facts checked frame by frame in ../shared/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CAR_CLIP, CAR_FACTS, make_settings

from pipeline import analyze_file, open_graph
from query import ask


def test_exactly_four_cars_with_the_right_times_and_directions(car_store):
    cars = car_store.entities(cls="car")
    assert len(cars) == 4
    assert len(car_store.entities()) == 4  # nothing else: no people, no stray objects
    for car, (first, last, direction) in zip(cars, CAR_FACTS, strict=True):
        assert car["first_seen"] == pytest.approx(first, abs=1.0)
        assert car["last_seen"] == pytest.approx(last, abs=1.0)
        assert car["direction"] == direction


def test_no_person_events(car_store):
    events = car_store.events()
    assert events and all(e["label"] == "car" for e in events)
    assert not car_store.events(types=["proximity"])
    assert not car_store.entities(cls="person")


def test_every_car_enters_and_exits_once_at_the_right_edges(car_store):
    enters = car_store.events(types=["enter"])
    exits = car_store.events(types=["exit"])
    assert len(enters) == len(exits) == 4
    expected_edges = {"bottom_to_top": ("bottom", "top"), "top_to_bottom": ("top", "bottom")}
    for enter, exit_, (_, _, direction) in zip(enters, exits, CAR_FACTS, strict=True):
        assert (enter["attributes"]["edge"], exit_["attributes"]["edge"]) == expected_edges[direction]
        assert exit_["attributes"]["direction"] == direction
        assert exit_["segment_id"]  # linked to the segment the car left in


def test_how_many_cars_passed_answers_four_with_four_cited_thumbnails(car_store):
    answer = ask(car_store, "how many cars passed?")
    assert answer.supported and answer.value == 4
    assert answer.text.startswith("4 cars")
    assert len(answer.citations) == 4
    for citation, (first, last, _) in zip(answer.citations, CAR_FACTS, strict=True):
        assert citation.stream == "car-detection.mp4"
        assert citation.t0 == pytest.approx(first, abs=1.0) and citation.t1 == pytest.approx(last, abs=1.0)
        assert citation.thumbnail and Path(citation.thumbnail).is_file()


def test_segments_form_a_chain_with_captions_and_thumbnails(car_store):
    segments = car_store.segments()
    assert [s["idx"] for s in segments] == [0, 1, 2, 3]
    assert segments[0]["caption"].startswith("0:00.0-0:10.0: 1 car in view.")
    assert all(Path(s["thumbnail"]).is_file() for s in segments)
    counts = car_store.counts()
    assert counts["NEXT"] == len(segments) - 1 and counts["HAS"] == len(segments)


def test_rerunning_analyze_changes_nothing(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        first = analyze_file(CAR_CLIP, settings, store)
        before = store.counts()
        second = analyze_file(CAR_CLIP, settings, store)
        assert store.counts() == before
        assert second.unchanged and not first.unchanged
        assert before["Entity"] == 4 and before["Stream"] == 1


def test_five_second_chunks_still_give_four_cars_one_entity_each(tmp_path):
    settings = make_settings(tmp_path, ingest={"chunk_duration": 5.0})
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store)
        cars = store.entities(cls="car")
        # car 1 (4.5-8.8 s) spans the 5 s boundary: still one entity
        assert len(cars) == 4
        assert len(store.segments()) == 7


def test_other_settings_replace_the_previous_run_when_complete(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
        analyze_file(CAR_CLIP, settings.with_overrides(ingest={"chunk_duration": 15.0}), store, stream_id="car")
        counts = store.counts()
        assert counts["Segment"] == 3 and counts["Entity"] == 4 and counts["Stream"] == 1
        run = store.get_stream("car").run
    # the replaced run's pictures go with it (they stayed on disk, shown by nothing)
    assert [d.name for d in (settings.thumbs_dir / "car").iterdir()] == [run]


def test_motion_only_mode_still_finds_the_four_moving_objects(tmp_path):
    settings = make_settings(tmp_path, cv={"motion_only": True})
    with open_graph(settings) as store:
        result = analyze_file(CAR_CLIP, settings, store)
        assert "motion-only" in result.backend
        objects = store.entities()
        assert [o["cls"] for o in objects] == ["object"] * 4
        assert [o["direction"] for o in objects] == [d for _, _, d in CAR_FACTS]
