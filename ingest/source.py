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
from ingest.frames import ArrayPicture, Gap, Picture, take_gaps
from ingest.probe import VideoInfo, probe


class VideoSource(Protocol):
    """Anything that yields frames with presentation times."""

    info: VideoInfo

    def frames(self, sample_fps: float | None = None, start: float = 0.0) -> Iterator[tuple[int, float, Picture]]:
        """Yield ``(frame_index, t_seconds, picture)``; with ``sample_fps`` only frames on that time grid (the
        grid is anchored at t = 0, so a read from ``start`` takes the frames a read from the beginning would)."""
        ...

    def pop_gaps(self, before: float | None = None) -> list[Gap]:
        """Stretches read so far that had no usable video (never yielded), begun before ``before``."""
        ...


class _TimeGrid:
    """Picks the first frame at or after each tick of a ``fps`` grid, so sampling follows real time."""

    def __init__(self, fps: float | None, start: float = 0.0) -> None:
        self.step = 1.0 / fps if fps else 0.0
        self.next_t = math.ceil(start / self.step - 1e-3) * self.step if self.step else 0.0  # the tick at or after

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

    def pop_gaps(self, before: float | None = None) -> list[Gap]:
        return []  # decord stops at the first undecodable frame (DecodeFailed) rather than skipping it

    def frames(self, sample_fps: float | None = None, start: float = 0.0) -> Iterator[tuple[int, float, Picture]]:
        reader = self._reader
        count = len(reader)
        # Frame start times from the container index: true times, also for variable frame rate.
        times = reader.get_frame_timestamp(range(count))[:, 0]
        grid = _TimeGrid(sample_fps, start)
        first = int(np.searchsorted(times, start - 1e-6)) if start > 0 else 0
        if first:
            reader.seek_accurate(first)  # seek() alone gave other pixels (test_ingest)
        index = first
        try:
            for index in range(first, count):
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
    """Files and GIFs through PyAV, which reports frame times itself.

    Decodes packet by packet: a packet the decoder refuses, a frame it flags as corrupt (decoded from damaged
    data: smeared, frozen or grey) and the frames predicted from those until the next keyframe are skipped, and
    the stretch they cover is kept as a :class:`Gap`
    (``pop_gaps``) for the run to record, so damage costs its own seconds and is said, never silently
    analysed as an empty scene. A file with no decodable frame at all is :class:`DecodeFailed`.
    """

    def __init__(self, info: VideoInfo, max_width: int | None = None) -> None:
        self.info = info
        self._size = _target_size(info.width, info.height, max_width)
        self._gaps: list[Gap] = []

    def pop_gaps(self, before: float | None = None) -> list[Gap]:
        return take_gaps(self._gaps, before)

    def frames(self, sample_fps: float | None = None, start: float = 0.0) -> Iterator[tuple[int, float, Picture]]:
        grid = _TimeGrid(sample_fps, start)
        fps = self.info.fps or 25.0
        damage = _Damage(1.0 / fps)
        index = packets = 0
        try:
            with av.open(self.info.path) as container:
                stream = container.streams.video[0]
                base = stream.time_base
                zero = float(stream.start_time * base) if stream.start_time is not None and base else 0.0
                if start > 0 and base:  # from the keyframe before ``start``; the frames before it are dropped
                    container.seek(round((start + zero) / base), stream=stream, backward=True)
                width, height = self._size
                for packet in container.demux(stream):
                    packets += packet.size > 0  # the last, empty packet only flushes the decoder
                    try:
                        decoded = packet.decode()
                    except av.error.InvalidDataError:
                        damage.refused(float(packet.pts * base) - zero if packet.pts is not None and base else None)
                        continue
                    for frame in decoded:
                        index += 1
                        t = float(frame.time) - zero if frame.time is not None else (index - 1) / fps
                        if start > 0:  # after a seek: the frame's place from its time; those before are skipped
                            index = round(t * fps) + 1
                            if t < start - 1e-6:
                                continue
                        if frame.is_corrupt or (damage.since is not None and not frame.key_frame):
                            damage.corrupt(t)  # flagged, or predicted from damaged frames until a keyframe
                            continue
                        gap = damage.good(t)
                        if gap is not None:
                            self._gaps.append(gap)
                        if grid.take(t):
                            yield index - 1, t, AVPicture(frame, width, height, self.info.rotation)
        except av.error.FFmpegError as err:
            raise DecodeFailed(self.info.path, f"at frame {index + 1}: {err}") from err
        self._finish(damage, packets, start)

    def _finish(self, damage: _Damage, packets: int, start: float = 0.0) -> None:
        if damage.last_good is None:
            raise DecodeFailed(self.info.path, f"no frame of {packets} could be decoded")
        gap = damage.end(max(self.info.duration, damage.last_good))
        if gap is not None:
            self._gaps.append(gap)
        # PyAV returns whatever it could read from a cut file without complaint: compare the packets read with
        # the container's own frame count so a cut file is reported, not analysed as a shorter video
        expected = self.info.frame_count
        if expected and start > 0 and self.info.duration > 0:  # read from ``start``: the rest of the file
            expected = round(expected * max(0.0, 1.0 - start / self.info.duration))
        if expected and packets < 0.98 * expected:
            raise TruncatedVideo(self.info.path, f"read {packets} of {expected} frames")


class _Damage:
    """Turns refused packets and corrupt frames into gaps between the good frames around them. Damage comes in
    bursts with a few clean-looking frames between (until the next keyframe): stretches less than ``MERGE_S``
    apart are one gap, handed out once good frames have run that long."""

    MERGE_S = 1.0

    def __init__(self, frame_s: float) -> None:
        self.frame_s = frame_s
        self.last_good: float | None = None
        self.since: float | None = None  # the first lost moment of the open stretch
        self.closed: Gap | None = None  # the last stretch, held while more damage may follow
        self.refused_n = self.corrupt_n = 0

    def refused(self, t: float | None) -> None:
        self.refused_n += 1
        self._open(t)

    def corrupt(self, t: float) -> None:
        self.corrupt_n += 1
        self._open(t)

    def _open(self, t: float | None) -> None:
        if self.since is None and self.closed is not None and (t or 0.0) - self.closed.t1 < self.MERGE_S:
            self.since, self.closed = self.closed.t0, None  # the same burst: the gap reopens from its start
        after_good = self.last_good + self.frame_s if self.last_good is not None else 0.0
        self.since = min([after_good] + [x for x in (t, self.since) if x is not None])

    def good(self, t: float) -> Gap | None:
        """A good frame at ``t``; returns a gap once it is over (good frames for ``MERGE_S`` after it)."""
        if self.since is not None and t > self.since:
            self.closed = Gap(self.since, t, self._reason())
            self.since = None
        self.last_good = t
        if self.closed is not None and t - self.closed.t1 >= self.MERGE_S:
            done, self.closed = self.closed, None
            self.refused_n = self.corrupt_n = 0
            return done
        return None

    def end(self, t: float) -> Gap | None:
        """The end of the input at ``t``: damage that ran to the end, or a gap still held."""
        if self.since is not None:
            self.closed = Gap(self.since, max(t, self.since), self._reason())
        return self.closed

    def _reason(self) -> str:
        what = [f"{n} {word}{'s' if n > 1 else ''}"
                for n, word in ((self.refused_n, "undecodable packet"), (self.corrupt_n, "damaged frame")) if n]
        return "damaged video: " + ", ".join(what)


Decoder = Literal["pyav", "decord"]


def open_source(path: str | os.PathLike[str], max_width: int | None = None, decoder: Decoder = "pyav") -> VideoSource:
    """Probe ``path`` and open it with ``decoder``; raises VideoInputError on bad input."""
    info = probe(Path(path))
    # decord cannot open GIFs ("broken metadata") and ignores a display matrix (a phone's portrait video)
    if decoder == "decord" and not info.is_gif and not info.rotation:
        return DecordSource(info, max_width)
    return PyAVSource(info, max_width)
