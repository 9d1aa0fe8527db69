"""A stretch of a video file as a small file of its own, for playing a moment in a browser.

Playing a moment of a long recording by handing the browser the whole file means whoever serves it reads the
whole file (Streamlit's ``st.video(path)`` loads every byte into memory: 278 MB for an hour of the car clip,
each time the page is drawn). :func:`cut` copies the packets of the stretch into a new MP4 instead, without
re-encoding: from the keyframe at or before the start, so the clip may begin up to a keyframe interval early.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import av

from ingest.errors import VideoInputError

MAX_CLIP_S = 120.0  # a longer stretch is cut to its first two minutes
KEEP_CLIPS = 200  # clips kept in a cache directory; the oldest go first


def cut(source: Path, t0: float, t1: float, directory: Path) -> tuple[Path, float]:
    """The stretch ``t0``-``t1`` (seconds from the file's start) of ``source`` as an MP4 in ``directory``
    (made once per file version and stretch, then reused) and the time in the clip where ``t0`` falls."""
    t0, t1 = max(0.0, t0), min(max(t0, t1), max(0.0, t0) + MAX_CLIP_S)
    stat = source.stat()
    key = hashlib.sha1(f"{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{t0:.2f}|{t1:.2f}".encode()).hexdigest()
    out = directory / f"{key[:20]}.mp4"
    offset_file = out.with_suffix(".start")
    if out.is_file() and offset_file.is_file():
        out.touch()
        return out, float(offset_file.read_text())
    directory.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".part.mp4")
    try:
        start = _copy(source, t0, t1, partial)
    except (av.error.FFmpegError, ValueError, IndexError) as err:
        partial.unlink(missing_ok=True)
        raise VideoInputError(f"cannot cut {source.name} at {t0:.1f}-{t1:.1f} s: {err}") from err
    partial.replace(out)
    offset = round(max(0.0, t0 - start), 3)
    offset_file.write_text(f"{offset:.3f}")
    _prune(directory)
    return out, offset


def _copy(source: Path, t0: float, t1: float, out: Path) -> float:
    """Copy the video packets from the keyframe at or before ``t0`` through ``t1``; the clip's first time."""
    with av.open(str(source)) as inp, av.open(str(out), "w", format="mp4") as dst:
        video = inp.streams.video[0]
        copy = dst.add_stream_from_template(video)
        unit = video.time_base
        if unit is None:
            raise ValueError("the video stream has no time base")
        base = float(video.start_time * unit) if video.start_time is not None else 0.0
        inp.seek(int((base + t0) / unit), stream=video, backward=True, any_frame=False)
        first: int | None = None
        for packet in inp.demux(video):
            if packet.pts is None or packet.dts is None:
                continue
            if float(packet.pts * unit) - base > t1:
                break
            if first is None:
                first = packet.dts
            packet.pts -= first
            packet.dts -= first
            packet.stream = copy
            dst.mux(packet)
        if first is None:
            raise ValueError("no video in that stretch")
        return float(first * unit) - base


def _prune(directory: Path) -> None:
    clips = sorted(directory.glob("*.mp4"), key=lambda p: p.stat().st_mtime)
    for old in clips[:-KEEP_CLIPS]:
        old.unlink(missing_ok=True)
        old.with_suffix(".start").unlink(missing_ok=True)
