"""Live streams (RTSP, RTMP, HTTP, HLS) through PyAV: reconnect with backoff, never fall behind real time.

A reader thread decodes continuously and keeps only frames on the sampling grid, stamped with the wall clock
at arrival (``t`` is seconds since the stream's ``origin``, its first frame ever, so times keep growing across
restarts). Sampled frames wait in a short queue that drops its oldest frame when the consumer is slow: the
pipeline may skip frames, but it never works on minutes-old video. When the connection drops or stalls, the
reader reconnects with exponential backoff (1 s, 2 s, 4 s, ... up to ``reconnect_max_s``) and reports the
interval without video as a gap. ``stop()`` ends it from any thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import av

from common.urls import SCHEMES, UrlRefused, check_stream_url, redact
from ingest.errors import VideoInputError
from ingest.frames import Gap, take_gaps
from ingest.probe import VideoInfo
from ingest.source import AVPicture, _target_size

log = logging.getLogger(__name__)

__all__ = ["SCHEMES", "Gap", "Health", "LiveSource", "UnsupportedStream", "check_url"]


HEALTH_EVERY_S = 2.0  # while frames flow, health is reported this often (frames, last frame time)


class UnsupportedStream(VideoInputError):
    reason = "unsupported stream URL"


def check_url(url: str, allowed_hosts: list[str] | tuple[str, ...] = ()) -> str:
    """The URL if the outbound policy (:mod:`common.urls`) allows it, else :class:`UnsupportedStream` naming
    why, with the URL's credentials redacted."""
    try:
        return check_stream_url(url, allowed_hosts)
    except UrlRefused as err:
        raise UnsupportedStream(redact(url), str(err)) from None


@dataclass(slots=True)
class Health:
    state: str = "connecting"  # connecting, streaming, reconnecting, stopped
    connects: int = 0
    frames: int = 0
    dropped: int = 0  # sampled frames dropped because the consumer was behind
    last_frame_wall: float = 0.0
    last_error: str = ""
    gaps: list[Gap] = field(default_factory=list)


def _open(url: str, timeout_s: float) -> av.container.InputContainer:
    options = {"rtsp_transport": "tcp"} if url.startswith("rtsp") else {}
    # (open timeout, read timeout): FFmpeg 8 dropped the old "stimeout" option
    return av.open(url, options=options, timeout=(timeout_s, timeout_s))


class LiveSource:
    """Frames of a live URL, for :func:`ingest.sample` (with ``prefetch_bytes=0``: this class buffers)."""

    def __init__(
        self,
        url: str,
        sample_fps: float,
        max_width: int | None = None,
        origin: float | None = None,
        open_timeout_s: float = 10.0,
        reconnect_max_s: float = 30.0,
        queue_frames: int = 64,
        on_health: Callable[[Health], None] | None = None,
        on_frame: Callable[[float, AVPicture], None] | None = None,
    ) -> None:
        if url.split("://", 1)[0].lower() not in SCHEMES:
            raise UnsupportedStream(redact(url), f"scheme must be one of {', '.join(SCHEMES)}")
        self.url, self.sample_fps, self.max_width = url, sample_fps, max_width
        self.open_timeout_s, self.reconnect_max_s = open_timeout_s, reconnect_max_s
        self.origin = origin  # wall clock of t = 0; set at the first frame when None
        self.health = Health()
        self._on_health = on_health or (lambda h: None)
        self._on_frame = on_frame or (lambda t, picture: None)  # each kept frame, as it arrives (live view)
        self._queue: deque[tuple[int, float, AVPicture]] = deque(maxlen=queue_frames)
        self._ready = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.info = VideoInfo(
            path=url, container="live", codec="", width=0, height=0, fps=0.0, frame_count=0, duration=0.0
        )

    # -- control ----------------------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        with self._ready:
            self._ready.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def pop_gaps(self, before: float | None = None) -> list[Gap]:
        return take_gaps(self.health.gaps, before)

    def wait_connected(self, timeout_s: float) -> bool:
        """Start reading and wait for the first frame (so ``info`` has the stream's size)."""
        self._start()
        deadline = time.monotonic() + timeout_s
        with self._ready:
            while not self._queue and not self._stop.is_set() and time.monotonic() < deadline:
                self._ready.wait(0.1)
        return bool(self._queue)

    # -- the VideoSource protocol -----------------------------------------------------------------------------
    def frames(self, sample_fps: float | None = None, start: float = 0.0) -> Iterator[tuple[int, float, AVPicture]]:
        """The sampled frames, as the reader thread keeps them (at the rate this source was made with)."""
        if start:
            raise ValueError(f"{redact(self.url)}: a live stream is read from now, not from {start} s")
        if sample_fps is not None and abs(sample_fps - self.sample_fps) > 1e-9:
            raise ValueError(f"{redact(self.url)}: sampled at {self.sample_fps} fps, not {sample_fps}: "
                             "one rate per source")
        self._start()
        while True:
            with self._ready:
                while not self._queue and not self._stop.is_set():
                    self._ready.wait(0.5)
                if not self._queue and self._stop.is_set():
                    if self._error is not None:
                        raise RuntimeError(f"{redact(self.url)}: live reader failed") from self._error
                    return
                item = self._queue.popleft()
            yield item

    # -- the reader thread ------------------------------------------------------------------------------------
    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._read, name=f"live-{redact(self.url)}", daemon=True)
            self._thread.start()

    def _set(self, state: str, error: str = "") -> None:
        self.health.state = state
        if error:
            self.health.last_error = redact(error)
        self._on_health(self.health)

    def _read(self) -> None:
        try:
            self._read_forever()
        except BaseException as err:  # a bug, not a network problem: end the stream and tell the consumer
            self._error = err
            self._set("failed", f"reader crashed: {err!r}")
            self.stop()

    def _read_forever(self) -> None:
        step = 1.0 / self.sample_fps
        next_t = 0.0
        index = 0
        backoff = 1.0
        last_t: float | None = None
        gap_reason = ""
        reported = 0.0
        while not self._stop.is_set():
            try:
                container = _open(self.url, self.open_timeout_s)
            except (av.error.FFmpegError, OSError) as err:
                self._set("reconnecting", f"open failed: {err}")
                gap_reason = gap_reason or f"open failed: {err}"
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.reconnect_max_s)
                continue
            self.health.connects += 1
            try:
                with container:
                    stream = container.streams.video[0]
                    width, height = _target_size(
                        stream.codec_context.width, stream.codec_context.height, self.max_width
                    )
                    self.info = replace(self.info, width=width, height=height,
                                        fps=float(stream.average_rate or 0) or self.sample_fps)
                    for frame in container.decode(stream):
                        if self._stop.is_set():
                            break
                        now = time.time()
                        if self.origin is None:
                            self.origin = now
                        t = now - self.origin
                        if last_t is not None and gap_reason:
                            self.health.gaps.append(Gap(last_t, t, gap_reason))
                            log.warning("%s: no video for %.1f s (%s)", redact(self.url), t - last_t, gap_reason)
                        gap_reason = ""
                        backoff = 1.0
                        if self.health.state != "streaming":
                            self.health.last_error = ""  # recovered: an old error is history, not health
                            self._set("streaming")
                        last_t = t
                        self.health.last_frame_wall = now
                        if t + 1e-6 < next_t:
                            continue  # between sampling ticks: decoded (the stream needs it), not kept
                        next_t = (int(t / step) + 1) * step
                        picture = AVPicture(frame, width, height)
                        with self._ready:
                            if len(self._queue) == self._queue.maxlen:
                                self.health.dropped += 1  # the consumer is behind: drop the oldest, stay live
                            self._queue.append((index, t, picture))
                            self._ready.notify_all()
                        self._on_frame(t, picture)
                        index += 1
                        self.health.frames += 1
                        if now - reported >= HEALTH_EVERY_S:  # frames and the last frame's time move on
                            reported = now
                            self._on_health(self.health)
                gap_reason = gap_reason or "stream ended"
            except (av.error.FFmpegError, OSError) as err:
                gap_reason = f"connection lost: {err}"
            if not self._stop.is_set():
                self._set("reconnecting", gap_reason)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, self.reconnect_max_s)
        self._set("stopped")
