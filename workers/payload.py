"""A chunk as a task message: the frames a VLM sees (JPEG at its input width) plus the chunk's motion.

Decoding, sampling and motion scoring happen once, in order, in ``ingest_file``; only what perception of one
chunk needs travels to a ``perception`` worker (about 0.5 MB for 8 frames at 640 px), so the Segment nodes
(times, motion) are the same as in-process and the VLM sees the same frames, re-encoded once as JPEG.
"""

from __future__ import annotations

import base64
from typing import Any

import cv2
import numpy as np

from ingest.chunker import Chunk
from ingest.frames import ArrayPicture, Frame

JPEG_QUALITY = 95


def encode_chunk(piece: Chunk, frames: int, width: int) -> dict[str, Any]:
    picked = piece.pick(frames)
    encoded = []
    for frame in picked:
        image = frame.image
        if image.shape[1] > width:
            image = cv2.resize(
                image, (width, round(image.shape[0] * width / image.shape[1])), interpolation=cv2.INTER_AREA
            )
        ok, jpeg = cv2.imencode(
            ".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]
        )
        if not ok:
            raise ValueError(f"JPEG encoding failed for frame at {frame.t:.2f} s")
        encoded.append({"index": frame.index, "t": frame.t, "motion": frame.motion, "active": frame.active,
                        "jpeg": base64.b64encode(jpeg.tobytes()).decode()})
    return {"idx": piece.idx, "t0": piece.t0, "t1": piece.t1, "motion": piece.motion, "active": piece.active,
            "frames": encoded}


def decode_chunk(payload: dict[str, Any]) -> Chunk:
    frames = []
    for f in payload["frames"]:
        bgr = cv2.imdecode(np.frombuffer(base64.b64decode(f["jpeg"]), np.uint8), cv2.IMREAD_COLOR)
        if bgr is None:
            raise ValueError(f"chunk {payload['idx']}: frame {f['index']} is not a JPEG")
        frames.append(Frame(f["index"], f["t"], ArrayPicture(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)),
                            motion=f["motion"], active=f["active"]))
    return Chunk(payload["idx"], payload["t0"], payload["t1"], frames,
                 motion_of_all=payload["motion"], active_of_all=payload["active"])
