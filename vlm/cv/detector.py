"""The COCO object detector: CenterNet (MobileNetV3) exported to ONNX, run with onnxruntime on the CPU.

The model sees 512x512. A frame much larger than that (its long side over ``TILE_ABOVE`` times 512) shrinks
its small objects below what the model finds, so it is also looked at in square tiles along its long side
(each about the model's size), and the tiles' boxes join the full frame's (per-class NMS): small far objects
from the tiles, large near ones from the full frame. Smaller frames are looked at whole, once.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import supervision as sv

_INPUT = "tower_0/images:0"
_OUTPUT = "tower_0/detections"
SIZE = 512
TILE_ABOVE = 1.5  # frames whose long side exceeds this many model inputs are also read in tiles


def tiles_for(width: int, height: int) -> list[tuple[int, int, int, int]]:
    """Square windows (x0, y0, x1, y1) along the long side, overlapping evenly; none for frames near the
    model's size."""
    long_side, short_side = max(width, height), min(width, height)
    if long_side <= TILE_ABOVE * SIZE:
        return []
    count = math.ceil(long_side / short_side)
    step = (long_side - short_side) / max(1, count - 1)
    starts = [round(i * step) for i in range(count)]
    if width >= height:
        return [(x, 0, x + short_side, height) for x in starts]
    return [(0, y, width, y + short_side) for y in starts]


def _array(values: np.ndarray | None) -> np.ndarray:
    assert values is not None  # this detector always sets scores and classes
    return values


def _clear_of_seams(xyxy: np.ndarray, tile: tuple[int, int, int, int], width: int, height: int,
                    margin: float = 2.0) -> np.ndarray:
    """Boxes of a tile that do not touch one of its inner edges (an object cut there is found whole by the
    neighbouring tile or the full frame)."""
    x0, y0, x1, y1 = tile
    keep = np.ones(len(xyxy), bool)
    if x0 > 0:
        keep &= xyxy[:, 0] > x0 + margin
    if x1 < width:
        keep &= xyxy[:, 2] < x1 - margin
    if y0 > 0:
        keep &= xyxy[:, 1] > y0 + margin
    if y1 < height:
        keep &= xyxy[:, 3] < y1 - margin
    return keep


class CenterNetDetector:
    """``detect(rgb)`` -> ``sv.Detections`` in frame pixels with COCO-80 ``class_id`` and ``confidence``.

    The model's 100 output rows are not suppressed; per-class NMS happens here.
    """

    def __init__(self, path: Path, threads: int = 1, min_score: float = 0.25, tiles: bool = True) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # no busy-waiting between runs: the decoding thread needs the same cores
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # no memory pattern planning: it keeps a second, pre-planned copy of every activation buffer (35-40 MB
        # more resident for this model, no faster: scratch measurement in the 2026-12-03 note)
        options.enable_mem_pattern = False
        self.path = Path(path)
        self.min_score = min_score
        self.tiles = tiles
        self.runs = 0  # model calls, for cost accounting
        self._session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def detect(self, rgb: np.ndarray) -> sv.Detections:
        h, w = rgb.shape[:2]
        parts = [self._run(rgb, 0, 0)]
        if self.tiles:
            for x0, y0, x1, y1 in tiles_for(w, h):
                tile = self._run(rgb[y0:y1, x0:x1], x0, y0)
                if len(tile):
                    keep = _clear_of_seams(tile.xyxy, (x0, y0, x1, y1), w, h)
                    parts.append(sv.Detections(xyxy=tile.xyxy[keep], confidence=_array(tile.confidence)[keep],
                                               class_id=_array(tile.class_id)[keep]))
        found = [p for p in parts if len(p)]
        if not found:
            return sv.Detections.empty()
        merged = sv.Detections.merge(found) if len(found) > 1 else found[0]
        return merged.with_nms(threshold=0.5, class_agnostic=False)

    def _run(self, rgb: np.ndarray, dx: int, dy: int) -> sv.Detections:
        self.runs += 1
        h, w = rgb.shape[:2]
        # The model takes RGB 0-255 at 512x512, no normalisation; a plain resize is what it was trained on.
        batch = cv2.resize(rgb, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR).astype(np.float32)[None]
        rows = self._session.run([_OUTPUT], {_INPUT: batch})[0][0]
        rows = rows[rows[:, 4] >= self.min_score]
        if not len(rows):
            return sv.Detections.empty()
        xyxy = rows[:, :4] * np.array([w / SIZE, h / SIZE, w / SIZE, h / SIZE], np.float32)
        xyxy = np.clip(xyxy, 0, [w, h, w, h]).astype(np.float32) + np.array([dx, dy, dx, dy], np.float32)
        return sv.Detections(xyxy=xyxy, confidence=rows[:, 4].astype(np.float32), class_id=rows[:, 5].astype(int))
