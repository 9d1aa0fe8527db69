"""What a live camera sees, for the live view: small JPEGs a dashboard can show every second or two.

Per stream, in ``<data_dir>/live/<stream_id>/``: ``now.jpg`` is the latest frame as it arrives from the camera
(the reader thread's, at most one write per ``every_s``), ``analysed.jpg`` the latest frame perception has
processed with the confirmed tracks boxed and labelled, and ``*.json`` beside each says when (seconds on the
stream's axis and wall clock) and which tracks. Perception works a chunk at a time, so "analysed" runs up to a
chunk behind "now": the live view shows both, with their times, rather than boxes drawn on a frame they do not
belong to. Files are replaced atomically, so a reader never sees half a JPEG.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from common.pictures import jpeg
from ingest.frames import Frame, Picture

WIDTH = 640  # pixels across: enough to see what is there, small enough to send every second


def live_dir(data_dir: Path, stream_id: str) -> Path:
    return data_dir / "live" / stream_id


class LiveSnapshots:
    def __init__(self, directory: Path, origin: Callable[[], float | None], every_s: float = 1.0) -> None:
        self.directory, self.origin, self.every_s = directory, origin, every_s
        directory.mkdir(parents=True, exist_ok=True)
        self._last = {"now": 0.0, "analysed": 0.0}
        self._lock = threading.Lock()

    def now(self, t: float, picture: Picture) -> None:
        """A frame as it arrives (the reader thread): written if ``every_s`` has passed since the last."""
        if self._due("now"):
            self._write("now", picture.rgb(), t, [])

    def analysed(self, frame: Frame, tracks: list[tuple[str, str, Any]]) -> None:
        """A frame perception processed, with the confirmed tracks' latest boxes."""
        if self._due("analysed"):
            self._write("analysed", frame.image, frame.t, tracks)

    def _due(self, name: str) -> bool:
        with self._lock:
            wall = time.monotonic()
            if wall - self._last[name] < self.every_s:
                return False
            self._last[name] = wall
            return True

    def _write(self, name: str, rgb: np.ndarray, t: float, tracks: list[tuple[str, str, Any]]) -> None:
        picture = jpeg(rgb, WIDTH, [(box, f"{label} {key.rsplit('-', 1)[-1]}") for key, label, box in tracks],
                       quality=75)
        if picture is None:
            return
        origin = self.origin()
        meta = {"t": round(t, 2), "wall": round(origin + t, 2) if origin else None, "written": round(time.time(), 2),
                "tracks": [{"key": key, "label": label} for key, label, _ in tracks]}
        _replace(self.directory / f"{name}.jpg", picture)
        _replace(self.directory / f"{name}.json", json.dumps(meta).encode())


def _replace(path: Path, data: bytes) -> None:
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(data)
    partial.replace(path)


def read_snapshots(directory: Path) -> dict[str, dict[str, Any]]:
    """``{"now": {..meta, "jpeg": bytes}, "analysed": {...}}`` for what is there."""
    out: dict[str, dict[str, Any]] = {}
    for name in ("now", "analysed"):
        try:
            meta = json.loads((directory / f"{name}.json").read_text())
            out[name] = {**meta, "jpeg": (directory / f"{name}.jpg").read_bytes()}
        except (OSError, ValueError):
            continue
    return out
