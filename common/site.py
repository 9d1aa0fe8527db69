"""A site's configuration per stream, from one TOML file: named zones (polygons), counting lines, and what
each camera's detector labels mean.

``site.toml`` (``--site``, ``VIDGRAPH_ZONES_FILE``)::

    [[zone]]
    stream = "*"                 # a stream id, or "*" for every stream
    name = "lane_2"
    points = [[0.38, 0.0], [0.75, 0.0], [0.75, 1.0], [0.38, 1.0]]   # 0..1 of the frame width/height
    direction = "bottom to top"  # optional: the way traffic through it goes, in the picture ("the wrong way")

    [[line]]
    stream = "*"
    name = "gate_in"
    points = [[0.0, 0.5], [1.0, 0.5]]                                   # start, end

    [[camera]]
    stream = "dock-*"            # stream ids this applies to (a glob)
    note = "looks straight down: the COCO detector names cars seen from above phones or parking meters"
    labels = { cell_phone = "car", parking_meter = "car" }              # detector label -> object class
    label_min_area = 0.01        # those relabelled boxes count only from this share of the frame up
    up = "north"                 # the compass heading the top of the picture faces ("northbound" questions)

A camera table is how an operator tells perception what the detector's labels mean for that camera's view,
and questions which way is north. Nothing like it is built in: by default a detector label means what it says,
and a compass heading ("northbound") is not checked.

Perception watches them (``vlm.cv.zones``); the graph stores them as Zone nodes; questions name them.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class CameraLabels:
    """A camera's own label map: detector label -> object class, for boxes covering at least ``min_area``."""

    labels: tuple[tuple[str, str], ...] = ()
    min_area: float = 0.0
    note: str = ""
    up: str = ""  # the compass heading of the picture's top; "" unknown


HEADINGS = ("north", "east", "south", "west")  # clockwise, as the picture's up, right, down, left


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    name: str
    kind: str  # "polygon" or "line"
    points: tuple[tuple[float, float], ...]  # normalised 0..1
    direction: str = ""  # the way traffic through a zone goes ("bottom_to_top"), "" where the site does not say


WAYS = ("bottom_to_top", "top_to_bottom", "left_to_right", "right_to_left")  # a zone's direction, in the picture


def load_zones(path: Path | None, stream_id: str | None = None) -> list[ZoneSpec]:
    """The zones and lines that apply to ``stream_id`` (all of them for None); a malformed file is a
    ValueError naming the entry."""
    if path is None:
        return []
    if not path.is_file():
        raise ValueError(f"site file not found: {path}")
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as err:  # it said only "Expected '=' after a key ...", not which file
            raise ValueError(f"{path}: not a site file (TOML): {err}") from err
    return zones_of(data, stream_id, str(path))


def zones_of(data: dict[str, Any], stream_id: str | None = None, where: str = "site file") -> list[ZoneSpec]:
    """:func:`load_zones` of a site file already read (``where`` names it in errors)."""
    specs = []
    for kind, key, minimum in (("polygon", "zone", 3), ("line", "line", 2)):
        for entry in data.get(key, []):
            if stream_id is not None and entry.get("stream", "*") not in ("*", stream_id):
                continue
            name, points = entry.get("name"), entry.get("points", [])
            valid = len(points) >= minimum and all(len(p) == 2 and all(0 <= v <= 1 for v in p) for p in points)
            if not name or not valid or (kind == "line" and len(points) != 2):
                raise ValueError(
                    f"{where}: {key} {name!r} needs a name and {minimum}{'' if kind == 'polygon' else ' (exactly)'} "
                    "points in 0..1"
                )
            way = "_".join(str(entry.get("direction", "")).lower().replace("-", " ").replace("_", " ").split())
            if way and (kind != "polygon" or way not in WAYS):
                raise ValueError(f"{where}: {key} {name!r}: direction is for zones, one of "
                                 f"{', '.join(w.replace('_', ' ') for w in WAYS)}")
            specs.append(ZoneSpec(name, kind, tuple((float(x), float(y)) for x, y in points), way))
    return specs


def zone_ways(site_text: str | None, stream_id: str) -> dict[str, str]:
    """The way traffic through each zone goes, where the site file a stream was analysed with (kept in its
    settings) says ("lane_up" -> "bottom_to_top"); empty where it says none or the text does not read."""
    if not site_text:
        return {}
    try:
        return {z.name: z.direction for z in zones_of(tomllib.loads(site_text), stream_id) if z.direction}
    except (tomllib.TOMLDecodeError, ValueError):
        return {}


def load_camera(path: Path | None, stream_id: str) -> CameraLabels:
    """The ``[[camera]]`` tables that match ``stream_id`` (a glob on the id), merged in file order."""
    if path is None:
        return CameraLabels()
    if not path.is_file():
        raise ValueError(f"site file not found: {path}")
    with path.open("rb") as handle:
        return camera_of(tomllib.load(handle), stream_id, str(path))


def camera_of(data: dict[str, Any], stream_id: str, where: str = "site file") -> CameraLabels:
    """:func:`load_camera` of a site file already read (``where`` names it in errors)."""
    labels: dict[str, str] = {}
    min_area, notes, up = 0.0, [], ""
    for entry in data.get("camera", []):
        if not fnmatch.fnmatchcase(stream_id, str(entry.get("stream", "*"))):
            continue
        mapping = entry.get("labels", {})
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise ValueError(f"{where}: camera {entry.get('stream')!r}: labels must map detector labels to classes")
        labels.update(mapping)
        min_area = float(entry.get("label_min_area", min_area))
        notes += [str(entry["note"])] if entry.get("note") else []
        up = str(entry.get("up", up)).lower()
        if up and up not in HEADINGS:
            raise ValueError(f"{where}: camera {entry.get('stream')!r}: up must be north, east, south or west")
    return CameraLabels(tuple(sorted(labels.items())), min_area, "; ".join(notes), up)


def compass_up(site_text: str | None, stream_id: str) -> str:
    """The heading the top of a stream's picture faces, from the text of the site file it was analysed with
    (kept in the stream's settings); "" where none is given or the text does not read."""
    if not site_text:
        return ""
    try:
        return camera_of(tomllib.loads(site_text), stream_id).up
    except (tomllib.TOMLDecodeError, ValueError):
        return ""
