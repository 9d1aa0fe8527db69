"""The frame record that flows from ingest to perception, with RGB converted only when someone looks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np


class Picture(Protocol):
    """A decoded picture that converts on demand: most sampled frames are only ever scored for motion."""

    width: int
    height: int

    def rgb(self) -> np.ndarray: ...

    def grey(self) -> np.ndarray: ...


class ArrayPicture:
    """A picture that is already an RGB array (decord, tests)."""

    def __init__(self, rgb: np.ndarray) -> None:
        self._rgb = rgb
        self.height, self.width = rgb.shape[:2]

    def rgb(self) -> np.ndarray:
        return self._rgb

    def grey(self) -> np.ndarray:
        return cv2.cvtColor(self._rgb, cv2.COLOR_RGB2GRAY)


@dataclass(slots=True)
class Gap:
    """A stretch of a source with no usable video: a live feed's outage, or a file's undecodable or damaged
    frames. Perception never sees it; the run records it (a ``gap`` event) and answers say it was not covered."""

    t0: float  # last good frame before the gap (seconds since the source's origin)
    t1: float  # first good frame after it
    reason: str


def take_gaps(gaps: list[Gap], before: float | None = None) -> list[Gap]:
    """Remove and return the gaps that began before ``before`` (all of them: None), oldest first. ``gaps`` is in
    time order and may be appended to by a decoding thread meanwhile (each pop is atomic)."""
    taken = []
    while gaps and (before is None or gaps[0].t0 < before):
        taken.append(gaps.pop(0))
    return taken


@dataclass(slots=True)
class Frame:
    """One sampled frame.

    ``t`` is the presentation time in seconds from the start of the stream, taken from the container (not
    ``index / fps``), so variable-frame-rate input keeps true times. ``motion`` is the fraction of pixels that
    changed (0..1) and ``motion_boxes`` the moving regions in frame pixels, both filled by the sampler.
    ``image`` is the RGB array, converted from the decoder's YUV on first use and then kept until
    ``release_image``.
    """

    index: int
    t: float
    picture: Picture
    motion: float = 0.0
    motion_boxes: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), dtype=np.float32))
    active: bool = False
    _rgb: np.ndarray | None = None

    @property
    def image(self) -> np.ndarray:
        if self._rgb is None:
            self._rgb = self.picture.rgb()
        return self._rgb

    def release_image(self) -> None:
        """Forget the RGB array (made again if asked for): a frame waiting in a chunk keeps only its YUV."""
        self._rgb = None

    @property
    def height(self) -> int:
        return self.picture.height

    @property
    def width(self) -> int:
        return self.picture.width
