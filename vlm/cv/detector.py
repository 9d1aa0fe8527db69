"""The COCO object detector: CenterNet (MobileNetV3) exported to ONNX, run with onnxruntime on the CPU."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
import supervision as sv

_INPUT = "tower_0/images:0"
_OUTPUT = "tower_0/detections"
_SIZE = 512


class CenterNetDetector:
    """``detect(rgb)`` -> ``sv.Detections`` in frame pixels with COCO-80 ``class_id`` and ``confidence``.

    The model's 100 output rows are not suppressed; per-class NMS happens here.
    """

    def __init__(self, path: Path, threads: int = 2, min_score: float = 0.25) -> None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.path = Path(path)
        self.min_score = min_score
        self._session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def detect(self, rgb: np.ndarray) -> sv.Detections:
        h, w = rgb.shape[:2]
        # The model takes RGB 0-255 at 512x512, no normalisation; a plain resize is what it was trained on.
        batch = cv2.resize(rgb, (_SIZE, _SIZE), interpolation=cv2.INTER_LINEAR).astype(np.float32)[None]
        rows = self._session.run([_OUTPUT], {_INPUT: batch})[0][0]
        rows = rows[rows[:, 4] >= self.min_score]
        if not len(rows):
            return sv.Detections.empty()
        xyxy = rows[:, :4] * np.array([w / _SIZE, h / _SIZE, w / _SIZE, h / _SIZE], np.float32)
        xyxy = np.clip(xyxy, 0, [w, h, w, h]).astype(np.float32)
        detections = sv.Detections(xyxy=xyxy, confidence=rows[:, 4].astype(np.float32), class_id=rows[:, 5].astype(int))
        return detections.with_nms(threshold=0.5, class_agnostic=False)
