"""Small JPEGs of frames: the picture behind a citation, an entity's thumbnail, the live view. One way of drawing
boxes and one size rule, so every picture boxes objects alike (tests find the boxes by their colour)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import cv2
import numpy as np

BOX_BGR = (0, 200, 255)  # orange
OUTLINE_BGR = (255, 255, 0)  # cyan: a zone or line the picture is about
THUMB_WIDTH = 320  # pixels across for thumbnails


def jpeg(rgb: np.ndarray, width: int = THUMB_WIDTH, boxes: Iterable[tuple[Sequence[float] | np.ndarray, str]] = (),
         quality: int = 80, outlines: Iterable[tuple[np.ndarray, bool]] = ()) -> bytes | None:
    """The RGB frame as a JPEG, each ``(box, label)`` drawn (x0, y0, x1, y1 in its pixels; the label above the
    box when not empty), each ``(points, closed)`` outline under them (a zone's polygon, a counting line: N x 2
    pixels), scaled down to ``width`` pixels across (never up). None if encoding failed."""
    image = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    for points, closed in outlines:
        cv2.polylines(image, [np.asarray(points, np.int32).reshape(-1, 1, 2)], closed, OUTLINE_BGR, 2, cv2.LINE_AA)
    for box, label in boxes:
        x0, y0, x1, y1 = (int(v) for v in box)
        cv2.rectangle(image, (x0, y0), (x1, y1), BOX_BGR, 2)
        if label:
            cv2.putText(image, label, (x0, max(12, y0 - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, BOX_BGR, 1, cv2.LINE_AA)
    if image.shape[1] > width:
        image = cv2.resize(image, (width, round(image.shape[0] * width / image.shape[1])), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return data.tobytes() if ok else None
