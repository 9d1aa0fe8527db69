"""A site's named zones (polygons) and counting lines per stream, from a TOML file.

``zones.toml``::

    [[zone]]
    stream = "*"                 # a stream id, or "*" for every stream
    name = "lane_2"
    points = [[0.38, 0.0], [0.75, 0.0], [0.75, 1.0], [0.38, 1.0]]   # 0..1 of the frame width/height

    [[line]]
    stream = "*"
    name = "gate_in"
    points = [[0.0, 0.5], [1.0, 0.5]]                                   # start, end

Perception watches them (``vlm.cv.zones``); the graph stores them as Zone nodes; questions name them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    name: str
    kind: str  # "polygon" or "line"
    points: tuple[tuple[float, float], ...]  # normalised 0..1


def load_zones(path: Path | None, stream_id: str | None = None) -> list[ZoneSpec]:
    """The zones and lines that apply to ``stream_id`` (all of them for None); a malformed file is a
    ValueError naming the entry."""
    if path is None:
        return []
    if not path.is_file():
        raise ValueError(f"zones file not found: {path}")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    specs = []
    for kind, key, minimum in (("polygon", "zone", 3), ("line", "line", 2)):
        for entry in data.get(key, []):
            if stream_id is not None and entry.get("stream", "*") not in ("*", stream_id):
                continue
            name, points = entry.get("name"), entry.get("points", [])
            valid = len(points) >= minimum and all(len(p) == 2 and all(0 <= v <= 1 for v in p) for p in points)
            if not name or not valid or (kind == "line" and len(points) != 2):
                raise ValueError(
                    f"{path}: {key} {name!r} needs a name and {minimum}{'' if kind == 'polygon' else ' (exactly)'} "
                    "points in 0..1"
                )
            specs.append(ZoneSpec(name, kind, tuple((float(x), float(y)) for x, y in points)))
    return specs
