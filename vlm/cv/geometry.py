"""Small box geometry helpers: frame edges, direction of travel, gaps in metres."""

from __future__ import annotations

import numpy as np

PERSON_HEIGHT_M = 1.7  # a standing person's box height gives the local image scale


def centre(box: np.ndarray) -> tuple[float, float]:
    return float(box[0] + box[2]) / 2, float(box[1] + box[3]) / 2


def touched_edges(box: np.ndarray, width: int, height: int, margin: float = 0.08) -> list[str]:
    """Every frame edge a box touches (within ``margin`` of the frame size): two in a corner, none inside."""
    gaps = _edge_gaps(box, width, height)
    return [edge for edge, gap in gaps.items() if gap <= margin]


def _edge_gaps(box: np.ndarray, width: int, height: int) -> dict[str, float]:
    return {"left": box[0] / width, "right": (width - box[2]) / width, "top": box[1] / height,
            "bottom": (height - box[3]) / height}


def nearest_edge(box: np.ndarray, width: int, height: int, margin: float = 0.08,
                 heading: np.ndarray | None = None) -> str:
    """The frame edge a box touches (within ``margin`` of the frame size), else ``"inside"``.

    A box in a corner touches two edges; with ``heading`` (its velocity, px/s) the edge it was moving towards
    is the one it leaves by (a car in the nearest lane reaches the side edge while it drives out at the bottom),
    else the closer one.
    """
    gaps = _edge_gaps(box, width, height)
    touched = touched_edges(box, width, height, margin)
    if not touched:
        return "inside"
    if heading is not None and len(touched) > 1:
        vx, vy = float(heading[0]) / width, float(heading[1]) / height
        outward = {"left": -vx, "right": vx, "top": -vy, "bottom": vy}
        edge = max(touched, key=lambda e: outward[e])
        if outward[edge] > 0:
            return edge
    return min(touched, key=lambda e: gaps[e])


def direction(first: np.ndarray, last: np.ndarray, width: int, height: int, min_travel: float = 0.1) -> str:
    """Dominant direction of travel between two boxes, in image terms (``bottom_to_top`` ...)."""
    (x0, y0), (x1, y1) = centre(first), centre(last)
    dx, dy = (x1 - x0) / width, (y1 - y0) / height
    if max(abs(dx), abs(dy)) < min_travel:
        return "stationary"
    if abs(dy) >= abs(dx):
        return "bottom_to_top" if dy < 0 else "top_to_bottom"
    return "left_to_right" if dx > 0 else "right_to_left"


def gap_metres(person: np.ndarray, other: np.ndarray) -> float:
    """Approximate gap between a person's box and another box, scaled by the person's box height.

    A camera with a calibrated ground plane would do better; without one, the person's own height is the
    only metric reference in the picture. Overlapping boxes are 0 m apart.
    """
    dx = max(0.0, float(max(person[0], other[0]) - min(person[2], other[2])))
    dy = max(0.0, float(max(person[1], other[1]) - min(person[3], other[3])))
    person_height_px = max(1.0, float(person[3] - person[1]))
    return float(np.hypot(dx, dy)) * PERSON_HEIGHT_M / person_height_px
