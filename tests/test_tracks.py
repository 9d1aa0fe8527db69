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


def test_a_near_miss_is_pictured_at_its_closest_look(tmp_path):
    """A person and a car seen within the proximity distance on three looks, 1.5, 0.5 and 1.0 m apart: the event's
    picture is the closest look's frame with both boxed (each look's frame has its own grey level here)."""
    import cv2

    from ingest.frames import ArrayPicture, Frame
    from vlm.base import PerceptionContext
    from vlm.cv.backend import CVPerception
    from vlm.cv.config import CVSettings
    from vlm.cv.tracks import Track

    perception = CVPerception(CVSettings(motion_only=True), PerceptionContext("cam", 640, 480, tmp_path, 5.0))
    person_box = np.array([100.0, 200.0, 150.0, 370.0])  # 170 px tall: 100 px a metre
    person = Track(0, "person", 0.0, 0.0, person_box, person_box, votes={"person": 1.0}, announced=True)
    car = Track(1, "vehicle", 0.0, 0.0, person_box, person_box, votes={"car": 1.0}, announced=True)
    for t, gap_m, grey in ((0.2, 1.5, 40), (0.4, 0.5, 120), (0.6, 1.0, 200)):
        left = 150.0 + gap_m * 100
        car.last_box = np.array([left, 250.0, left + 200, 370.0])
        frame = Frame(int(t * 5), t, ArrayPicture(np.full((480, 640, 3), grey, np.uint8)))
        perception._update_proximity(frame, [person, car])
    perception._update_proximity(Frame(10, 2.0, ArrayPicture(np.zeros((480, 640, 3), np.uint8))), [])  # apart
    [event] = perception._pending.events
    assert event.type == "proximity" and event.attributes["min_distance_m"] == 0.5
    picture = cv2.imread(event.thumbnail)
    assert abs(float(np.median(picture)) - 120) < 8  # the 0.5 m look, not the first (40) or the last (200)
    hsv = cv2.cvtColor(picture, cv2.COLOR_BGR2HSV)
    assert (cv2.inRange(hsv, np.array([15, 80, 120]), np.array([40, 255, 255])) > 0).sum() > 200  # the boxes
