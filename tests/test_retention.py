"""Retention: forget a stream or a time range, compact old detail into summaries; files go too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_settings, run_cli

from pipeline import open_graph


@pytest.fixture
def data_dir(car_store_dir, tmp_path):
    """A private copy of the analysed car clip (stream id "car"), thumbnails re-pointed at the copy."""
    copy = tmp_path / "data"
    shutil.copytree(car_store_dir, copy)
    return copy


def _thumbs(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "thumbs").rglob("*.jpg"))


def test_compact_keeps_the_summaries_and_drops_the_detail(data_dir):
    result = run_cli("compact", "car", "--before", "10", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    with open_graph(make_settings(data_dir), read_only=True) as store:
        cars = store.entities(cls="car")
        assert len(cars) == 3 and min(c["first_seen"] for c in cars) > 10  # the first car (4.5-8.8 s) is gone
        assert [s["idx"] for s in store.segments()] == [1, 2, 3]
        [five] = store.summaries(scale=300)
        assert five["counts"] == {"car": 4}  # the digest still remembers it


def test_forget_a_range_and_then_the_stream(data_dir, car_store_dir):
    # the copy's thumbnail paths point into the session fixture's folder: forget must not touch those
    outside = _thumbs(car_store_dir)
    assert run_cli("forget", "car", "--since", "10", "--until", "20", data_dir=data_dir).returncode == 0
    with open_graph(make_settings(data_dir), read_only=True) as store:
        assert [c["first_seen"] < 10 or c["first_seen"] > 20 for c in store.entities()] == [True, True]
    assert _thumbs(car_store_dir) == outside
    assert run_cli("forget", "car", data_dir=data_dir).returncode == 0
    with open_graph(make_settings(data_dir), read_only=True) as store:
        assert all(n == 0 for n in store.counts().values())
    missing = run_cli("forget", "nope", data_dir=data_dir)
    assert missing.returncode == 2 and "no stream 'nope'" in missing.stderr


def test_forgetting_deletes_the_thumbnails_it_owns(tmp_path):
    from conftest import CAR_CLIP

    data_dir = tmp_path / "own"
    assert run_cli("analyze", str(CAR_CLIP), "--stream-id", "car", "-q", data_dir=data_dir).returncode == 0
    before = len(_thumbs(data_dir))
    result = run_cli("compact", "car", "--before", "10", data_dir=data_dir)
    assert "(2 thumbnails)" in result.stdout  # segment 0's picture and the first car's
    assert len(_thumbs(data_dir)) == before - 2
