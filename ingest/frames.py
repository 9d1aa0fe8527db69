"""The frame record that flows from ingest to perception."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(slots=True)
class Frame:
    """One sampled frame.

    ``t`` is the presentation time in seconds from the start of the stream, taken from the container (not
    ``index / fps``), so variable-frame-rate input keeps true times. ``motion`` is the fraction of pixels that
    changed (0..1) and ``motion_boxes`` the moving regions in full-frame pixels, both filled by the sampler.
    """

    index: int
    t: float
    image: np.ndarray  # RGB, HxWx3, uint8
    motion: float = 0.0
    motion_boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.float32))
    active: bool = False

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def width(self) -> int:
        return int(self.image.shape[1])
