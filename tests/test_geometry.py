"""vlm/cv/geometry: edges, directions and the person-height metric scale used by proximity events."""

from __future__ import annotations

import numpy as np
import pytest

from vlm.cv.geometry import direction, gap_metres, nearest_edge, touched_edges

W, H = 768, 432


def box(x0, y0, x1, y1):
    return np.array([x0, y0, x1, y1], np.float32)


@pytest.mark.parametrize(
    "b, edge",
    [(box(300, 380, 400, 432), "bottom"), (box(300, 0, 400, 60), "top"), (box(0, 100, 50, 200), "left"),
     (box(720, 100, 768, 200), "right"), (box(300, 150, 400, 250), "inside")],
)
def test_nearest_edge(b, edge):
    assert nearest_edge(b, W, H) == edge


def test_a_box_in_a_corner_leaves_by_the_edge_it_was_heading_for():
    corner = box(690, 330, 768, 432)  # touches the right and the bottom edge
    assert nearest_edge(corner, W, H, heading=np.array([40.0, 300.0])) == "bottom"
    assert nearest_edge(corner, W, H, heading=np.array([300.0, 40.0])) == "right"
    assert nearest_edge(corner, W, H, heading=np.array([-50.0, -300.0])) == "right"  # moving away: the closer
    assert nearest_edge(corner, W, H) == "right"  # no heading: the closer edge (0 px right, 0 px bottom: first)
    assert nearest_edge(box(300, 380, 400, 432), W, H, heading=np.array([300.0, 0.0])) == "bottom"  # one edge


def test_direction_follows_the_dominant_axis():
    assert direction(box(300, 380, 400, 432), box(300, 0, 400, 60), W, H) == "bottom_to_top"
    assert direction(box(300, 0, 400, 60), box(320, 380, 420, 432), W, H) == "top_to_bottom"
    assert direction(box(0, 200, 50, 250), box(700, 180, 760, 230), W, H) == "left_to_right"
    assert direction(box(300, 200, 350, 250), box(310, 205, 360, 255), W, H) == "stationary"


def test_gap_in_metres_is_scaled_by_the_person_box_height():
    person = box(100, 100, 140, 270)  # 170 px tall: 100 px per metre
    assert gap_metres(person, box(340, 100, 500, 270)) == pytest.approx(2.0)
    assert gap_metres(person, box(120, 200, 300, 300)) == 0.0  # overlapping
    assert gap_metres(person, box(240, 370, 400, 420)) == pytest.approx(np.hypot(100, 100) / 100)


def test_a_box_in_a_corner_touches_both_edges():
    assert touched_edges(box(700, 380, 768, 432), W, H) == ["right", "bottom"]
    assert touched_edges(box(300, 380, 400, 432), W, H) == ["bottom"]
    assert touched_edges(box(300, 100, 400, 200), W, H) == []
