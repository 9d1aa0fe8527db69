"""Video sources: decode frames with true timestamps, one at a time.

Two decoders, both yielding ``(index, t, rgb)`` lazily with presentation times from the container:

* ``pyav`` (default): FFmpeg through PyAV. Decodes only as fast as it is consumed, so memory stays flat
  whatever the length of the input; also the only one that opens GIFs and live streams.
* ``decord``: frame-accurate and quick, but its background decoder runs ahead of a slow consumer with no
  back-pressure (dmlc/decord#157, #208, #304): with the detector in the loop, 10 minutes of 768x432 video
  grew the process past 1.2 GB here. Use it for short files or fast consumers (``decoder = "decord"``).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Protocol

import av
import numpy as np

from ingest.errors import DecodeFailed, TruncatedVideo
from ingest.frames import ArrayPicture, Picture
from ingest.probe import VideoInfo, probe


class VideoSource(Protocol):
    """Anything that yields frames with presentation times."""

    info: VideoInfo

    def frames(self, sample_fps: float | None = None) -> Iterator[tuple[int, float, Picture]]:
        """Yield ``(frame_index, t_seconds, picture)``; with ``sample_fps`` only frames on that time grid."""
        ...


class _TimeGrid:
    """Picks the first frame at or after each tick of a ``fps`` grid, so sampling follows real time."""

    def __init__(self, fps: float | None) -> None:
        self.step = 1.0 / fps if fps else 0.0
        self.next_t = 0.0

    def take(self, t: float) -> bool:
        if not self.step:
            return True
        # Containers store times as float32 or rationals: 8.39999962 is the 8.4 s tick.
        tolerance = 1e-3 * self.step
        if t + tolerance < self.next_t:
            return False
        # Next tick strictly after t: a slow source never produces a burst of catch-up frames.
        self.next_t = (math.floor((t + tolerance) / self.step) + 1) * self.step
        return True


def _target_size(width: int, height: int, max_width: int | None) -> tuple[int, int]:
    if not max_width or width <= max_width:
        return width, height
    scale = max_width / width
    return max_width, int(round(height * scale / 2) * 2)  # even height, as decoders prefer


class DecordSource:
    """Files through decord: sequential decode, skipping (not converting) frames between samples."""

    def __init__(self, info: VideoInfo, max_width: int | None = None) -> None:
        import decord

        self.info = info
        width, height = _target_size(info.width, info.height, max_width)
        kwargs = {"width": width, "height": height} if (width, height) != (info.width, info.height) else {}
        try:
            self._reader = decord.VideoReader(info.path, ctx=decord.cpu(0), num_threads=1, **kwargs)
        except Exception as err:  # decord raises DECORDError (an Exception) or RuntimeError
            raise _decord_error(info, err) from err

    def frames(self, sample_fps: float | None = None) -> Iterator[tuple[int, float, Picture]]:
        reader = self._reader
        count = len(reader)
        # Frame start times from the container index: true times, also for variable frame rate.
        times = reader.get_frame_timestamp(range(count))[:, 0]
        grid = _TimeGrid(sample_fps)
        try:
            for index in range(count):
                t = float(times[index])
                if grid.take(t):
                    yield index, t, ArrayPicture(reader.next().asnumpy())
                else:
                    reader.skip_frames(1)
        except StopIteration:
            raise TruncatedVideo(self.info.path, f"decoder stopped at frame {index} of {count}") from None
        except Exception as err:
            raise DecodeFailed(self.info.path, f"at frame {index} of {count}: {err}") from err


def _decord_error(info: VideoInfo, err: Exception) -> Exception:
    text = str(err).splitlines()[-1] if str(err) else type(err).__name__
    if "av_read_frame" in text or "moov" in text:
        return TruncatedVideo(info.path, "container index points past the end of the data")
    return DecodeFailed(info.path, text)


class AVPicture:
    """A decoded PyAV frame: grey is the luma plane (no conversion), RGB is made only when asked for."""

    def __init__(self, frame: av.VideoFrame, width: int, height: int, rotation: int = 0) -> None:
        self._frame = frame
        self.width, self.height = width, height  # as displayed
        self._turns = rotation // 90 % 4  # quarter turns counter-clockwise from the coded picture to the display

    def rgb(self) -> np.ndarray:
        # FFmpeg's swscale converts and scales in one pass, at the coded orientation; then turned for display
        coded = (self.height, self.width) if self._turns % 2 else (self.width, self.height)
        rgb = self._frame.to_ndarray(width=coded[0], height=coded[1], format="rgb24")
        return np.ascontiguousarray(np.rot90(rgb, self._turns)) if self._turns else rgb

    def grey(self) -> np.ndarray:
        frame = self._frame
        if frame.format.name in ("yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12"):
            plane = frame.planes[0]
            luma = np.frombuffer(memoryview(plane), np.uint8).reshape(frame.height, plane.line_size)
            grey: np.ndarray = luma[:, : frame.width]  # full-resolution view, no copy
        else:
            grey = frame.to_ndarray(format="gray")
        return np.rot90(grey, self._turns) if self._turns else grey


class PyAVSource:
    """Files, GIFs and (later) streams through PyAV, which reports frame times itself."""

    def __init__(self, info: VideoInfo, max_width: int | None = None) -> None:
        self.info = info
        self._size = _target_size(info.width, info.height, max_width)

    def frames(self, sample_fps: float | None = None) -> Iterator[tuple[int, float, Picture]]:
        grid = _TimeGrid(sample_fps)
        index = -1
        try:
            with av.open(self.info.path) as container:
                stream = container.streams.video[0]
                base = stream.time_base
                start = float(stream.start_time * base) if stream.start_time is not None and base else 0.0
                width, height = self._size
                for index, frame in enumerate(container.decode(stream)):
                    t = float(frame.time) - start if frame.time is not None else index / (self.info.fps or 1.0)
                    if not grid.take(t):
                        continue
                    yield index, t, AVPicture(frame, width, height, self.info.rotation)
        except av.error.FFmpegError as err:
            raise DecodeFailed(self.info.path, f"at frame {index + 1}: {err}") from err
        # PyAV returns whatever it could read from a damaged file without complaint: compare with the
        # container's own frame count so a cut file is reported, not analysed as a shorter video.
        expected = self.info.frame_count
        if expected and index + 1 < 0.98 * expected:
            raise TruncatedVideo(self.info.path, f"decoded {index + 1} of {expected} frames")


Decoder = Literal["pyav", "decord"]


def open_source(path: str | os.PathLike[str], max_width: int | None = None, decoder: Decoder = "pyav") -> VideoSource:
    """Probe ``path`` and open it with ``decoder``; raises VideoInputError on bad input."""
    info = probe(Path(path))
    if decoder == "decord" and not info.is_gif:  # decord cannot open GIFs ("broken metadata")
        return DecordSource(info, max_width)
    return PyAVSource(info, max_width)
