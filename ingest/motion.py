"""Cheap motion scoring on a low-resolution copy of each sampled frame.

Surveillance footage is mostly static, so perception cost should follow activity, not hours. A MOG2
background model on a ~192 px wide grey image costs well under a millisecond per frame; it yields a motion
score (fraction of pixels in the foreground) and the moving regions, which the ``cv`` perception backend
tracks and the VLM backends use to skip static chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_SHADOW_FREE = 200  # MOG2 marks shadows 127 and foreground 255: keep only real foreground
HISTORY = 200  # frames the background model remembers: one started later agrees with it after about this many


@dataclass(frozen=True, slots=True)
class MotionResult:
    score: float  # fraction of pixels moving, 0..1
    boxes: np.ndarray  # (N, 4) float32 xyxy in full-frame pixels
    active: bool


class MotionDetector:
    """Background subtraction on a small grey copy of the frame.

    ``threshold`` is the moving fraction that marks a frame active; ``min_region`` the smallest moving region
    (fraction of the frame) reported as a box, so compression noise and leaves do not become objects.
    """

    def __init__(self, width: int = 192, threshold: float = 0.002, min_region: float = 0.002) -> None:
        self.width = width
        self.threshold = threshold
        self.min_region = min_region
        self._bg = cv2.createBackgroundSubtractorMOG2(history=HISTORY, varThreshold=16, detectShadows=True)
        self._open = np.ones((3, 3), np.uint8)
        self._dilate = np.ones((7, 7), np.uint8)  # joins the pieces of one object (roof, windscreen, bonnet)

    def __call__(self, grey: np.ndarray, frame_width: int | None = None) -> MotionResult:
        """Score one grey frame (any resolution); boxes are scaled to ``frame_width`` (default: its own)."""
        h, w = grey.shape[:2]
        scale = self.width / w
        small = cv2.resize(grey, (self.width, max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        grey = cv2.GaussianBlur(small, (5, 5), 0)
        scale *= w / frame_width if frame_width else 1.0
        foreground = (self._bg.apply(grey) > _SHADOW_FREE).astype(np.uint8)
        mask = cv2.morphologyEx(foreground, cv2.MORPH_OPEN, self._open)
        score = float(mask.mean())
        if score < self.threshold:
            return MotionResult(score, np.zeros((0, 4), np.float32), False)
        count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(mask, self._dilate))
        min_area = self.min_region * mask.size
        boxes = [
            (x / scale, y / scale, (x + bw) / scale, (y + bh) / scale)
            for x, y, bw, bh, area in stats[1:count]
            if area >= min_area
        ]
        return MotionResult(score, np.asarray(boxes, np.float32).reshape(-1, 4), True)
