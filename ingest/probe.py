"""Check a video file before analysis, so bad input fails before anything is written.

PyAV reads the container's own figures (stream count, frame count, duration). A truncated file whose index
comes first still *opens* and PyAV would silently decode only the frames that are there, so the probe also
demuxes the last seconds and compares where the data really ends with the duration the container promises.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import av

from ingest.errors import InputNotFound, NotAVideo, TruncatedVideo

# Data may legitimately end a little before the container's duration (audio tracks, rounding).
_TRUNCATION_TOLERANCE_S = 1.0
_TAIL_WINDOW_S = 4.0


@dataclass(frozen=True, slots=True)
class VideoInfo:
    path: str
    container: str
    codec: str
    width: int
    height: int
    fps: float
    frame_count: int  # 0 where the container does not say
    duration: float  # seconds
    creation_time: float | None = None  # wall clock of the first frame (epoch s), if the container records it
    rotation: int = 0  # degrees counter-clockwise the picture is turned for display (a phone held upright: 90)

    @property
    def is_gif(self) -> bool:
        return self.codec == "gif" or self.container == "gif"


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Return the video's figures, or raise a :class:`~ingest.errors.VideoInputError` naming the problem."""
    p = Path(path)
    if not p.exists():
        raise InputNotFound(str(p))
    if p.is_dir():
        raise NotAVideo(str(p), "is a directory")
    if p.stat().st_size == 0:
        raise NotAVideo(str(p), "empty file")
    try:
        container = av.open(str(p))
    except av.error.FileNotFoundError as err:
        raise InputNotFound(str(p)) from err
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError) as err:
        raise NotAVideo(str(p), "no video container FFmpeg recognises") from err
    with container:
        if not container.streams.video:
            raise NotAVideo(str(p), "container has no video stream")
        if _still_image(container.format.name):  # decided by what FFmpeg found inside, not by the extension
            raise NotAVideo(str(p), f"a still image, {container.format.name}")
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
        duration = _duration(container, stream)
        rotation = _rotation(container, stream)
        width, height = int(stream.codec_context.width), int(stream.codec_context.height)
        if rotation in (90, 270):  # the size as displayed: what zones and boxes are measured on
            width, height = height, width
        info = VideoInfo(
            path=str(p),
            container=container.format.name,
            codec=stream.codec_context.name,
            width=width,
            height=height,
            fps=fps,
            frame_count=int(stream.frames or 0),
            duration=duration,
            creation_time=_creation_time(container.metadata.get("creation_time")),
            rotation=rotation,
        )
        if info.width <= 0 or info.height <= 0:
            raise NotAVideo(str(p), "video stream has no picture size")
        if duration > 0:
            _check_data_reaches_end(container, stream, duration, str(p))
    return info


def _rotation(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> int:
    """The display rotation of the first frame (its display matrix), as 0, 90, 180 or 270; then back to the start."""
    try:
        frame = next(container.decode(stream))
    except (StopIteration, av.error.FFmpegError):
        return 0
    finally:
        container.seek(0)
    return round(float(getattr(frame, "rotation", 0) or 0) / 90.0) % 4 * 90


def _still_image(format_name: str) -> bool:
    """FFmpeg's image demuxers: ``image2`` (by file pattern) and the ``*_pipe`` ones it picks by content (a JPEG
    named .mp4 is ``jpeg_pipe``). GIF is its own ``gif`` demuxer and stays a video."""
    return format_name == "image2" or format_name.endswith("_pipe")


def _creation_time(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _check_data_reaches_end(container, stream, duration: float, path: str) -> None:
    """Demux the tail of the stream; raise TruncatedVideo if the packets stop short of ``duration``."""
    start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
    seek_to = start + max(0.0, duration - _TAIL_WINDOW_S)
    last_end = None
    try:
        container.seek(int(seek_to / stream.time_base), stream=stream, backward=True, any_frame=False)
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            end = float((packet.pts + (packet.duration or 0)) * stream.time_base) - start
            last_end = end if last_end is None else max(last_end, end)
    except av.error.FFmpegError as err:
        raise TruncatedVideo(path, f"data stops before the end: {err}") from err
    if last_end is None:
        raise TruncatedVideo(path, f"no video data in the last {_TAIL_WINDOW_S:.0f} s of a {duration:.1f} s video")
    if last_end < duration - _TRUNCATION_TOLERANCE_S:
        raise TruncatedVideo(
            path, f"video data ends at {last_end:.1f} s of the {duration:.1f} s the container declares"
        )
