"""vlm/cv/tracks: a new track carried back along earlier sightings that no track took, on synthetic detector
runs (the clip-level effect is in bench/perception.py)."""

from __future__ import annotations

import numpy as np

from vlm.cv.tracks import Detection, TrackBook


def person(x: float, score: float) -> Detection:
    return Detection(np.array([x, 100, x + 50, 250], np.float32), score, "person", "person", "person")


def book() -> TrackBook:
    return TrackBook(640, 360, detect_fps=2.5, linger_s=1.0, reid_s=3.0, still_s=3.0, activate=0.35)


def run(tracks: TrackBook, runs: list[tuple[float, list[Detection]]]) -> dict[float, float]:
    for t, found in runs:
        tracks.update(t, found)
    return {round(float(tr.first_box[0])): tr.first_seen for tr in tracks.tracks.values()}


def test_each_track_takes_the_nearest_sighting_of_an_earlier_run():
    """Before, a track took every box of a run within reach, one after another, and kept the last: the right
    person's track could start on the left person's box."""
    tracks = book()
    firsts = run(tracks, [(0.0, [person(200, 0.25), person(262, 0.25)]),
                          (0.4, [person(200, 0.6), person(262, 0.6)]), (0.8, [person(202, 0.6), person(264, 0.6)])])
    assert firsts == {200: 0.0, 262: 0.0}, firsts


def test_the_trail_back_ends_reid_s_before_the_track_began():
    """Before, each step back could be up to ``reid_s`` from the last, so a trail of faint boxes at one spot
    (a queue of far cars at a motorway's vanishing point) carried a track back as far as boxes were kept."""
    tracks = book()
    faint = [(round(0.4 * i, 1), [person(200, 0.25)]) for i in range(13)]  # 0.0 .. 4.8 s
    firsts = run(tracks, [*faint, (5.2, [person(200, 0.6)]), (5.6, [person(201, 0.6)])])
    assert list(firsts.values()) == [2.4], firsts  # the earliest faint box within 3 s of 5.2
