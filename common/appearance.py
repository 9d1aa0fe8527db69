"""A small appearance descriptor per object: a hue-saturation histogram of its best crop.

Cheap and good enough to tell a red car from a white one across chunks or cameras; the entity-resolution
step (``graph/resolve.py``) compares descriptors with histogram intersection. Low-saturation pixels (white,
grey, black) carry no reliable hue, so they go to a separate brightness histogram instead.
"""

from __future__ import annotations

import cv2
import numpy as np

HUE_BINS, SAT_BINS, VALUE_BINS = 8, 3, 4
LENGTH = HUE_BINS * SAT_BINS + VALUE_BINS


def describe(rgb: np.ndarray, box: np.ndarray) -> list[float]:
    """L1-normalised descriptor of the pixels inside ``box`` (the central 80 %, away from the background)."""
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * 0.1, (y1 - y0) * 0.1
    crop = rgb[max(0, int(y0 + dy)) : min(h, int(y1 - dy)), max(0, int(x0 + dx)) : min(w, int(x1 - dx))]
    if crop.size == 0:
        return [0.0] * LENGTH
    hsv = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.int32)
    coloured = hsv[:, 1] >= 60
    hue = np.bincount(
        (hsv[coloured, 0] * HUE_BINS // 180) * SAT_BINS
        + np.minimum((hsv[coloured, 1] - 60) * SAT_BINS // 196, SAT_BINS - 1),
        minlength=HUE_BINS * SAT_BINS,
    )
    grey = np.bincount(hsv[~coloured, 2] * VALUE_BINS // 256, minlength=VALUE_BINS)
    counts = np.concatenate([hue, grey]).astype(np.float64)
    return [round(float(v), 4) for v in counts / counts.sum()]


def similarity(a: list[float], b: list[float]) -> float:
    """Histogram intersection, 0 (nothing shared) to 1 (identical)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.minimum(np.asarray(a), np.asarray(b)).sum())
