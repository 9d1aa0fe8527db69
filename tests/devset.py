"""The development set's truth, in one place for the tests and ``bench/perception.py``.

Everything here is read from ``../shared/data/facts.json`` (checked frame by frame) or, for the car clip, which
that file does not cover, from ``../shared/README.md``'s table. Facts the README marks uncertain are bounds:
``Count(low, high)`` with ``high=None`` for "at least". Objects whose times are only approximate carry their own
tolerance. Nothing here is fitted to what the perception produces.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from conftest import CAR_CLIP, DATA, OVERHEAD_SITE

VEHICLES = ("car", "truck", "bus", "motorcycle", "vehicle")


@dataclass(frozen=True, slots=True)
class Count:
    low: int
    high: int | None  # None: no upper bound (a lower bound only)

    def holds(self, n: int) -> bool:
        return n >= self.low and (self.high is None or n <= self.high)

    def __str__(self) -> str:
        return str(self.low) if self.high == self.low else f">={self.low}" if self.high is None else \
            f"{self.low}-{self.high}"


@dataclass(frozen=True, slots=True)
class TruthObject:
    id: str
    family: str  # "vehicle", "person" or "bicycle" (a cyclist is a person and a bicycle)
    cls: str  # the class as the facts name it (car, truck, person, ...)
    first: float
    last: float
    colour: str | None
    stationary: bool
    first_tol: float = 1.0  # seconds of tolerance on first seen (approximate first-seen facts carry more)
    last_tol: float = 1.0
    exit_edge: str | None = None  # the frame edge it leaves by, where the facts say
    toward: bool | None = None  # True: the facts say it moves toward the camera; False: it stands still


@dataclass(slots=True)
class ClipTruth:
    file: str
    path: Path
    duration: float
    objects: list[TruthObject]
    counts: dict[str, Count]  # family -> distinct objects
    in_view: dict[str, Count]  # family -> most in view at once
    # vehicles that leave through these edges: (edges, how many, what the facts say)
    leaving: tuple[frozenset[str], Count, str] | None = None
    site: Path | None = None  # the site file an operator of this camera writes (a camera table, zones)
    notes: list[str] = field(default_factory=list)


def _family(cls: str) -> list[str]:
    if cls == "person+bicycle":
        return ["person", "bicycle"]
    return ["vehicle"] if cls in VEHICLES else [cls]


def _objects(clip: dict, exits: dict[str, str] | None = None) -> list[TruthObject]:
    """``exits``: id prefix -> the edge those objects leave by, as the clip's facts state it."""
    out = []
    for o in clip["objects"]:
        if o["id"] == "crowd":  # "at least 5 further walkers not individually tracked": a bound, not objects
            continue
        approximate = "approximate" in (o.get("notes") or "") or "+-1 s" in (o.get("notes") or "")
        for family in _family(o["cls"]):
            out.append(TruthObject(o["id"] + ("" if family != "bicycle" else "-bike"), family, o["cls"],
                                   o["first_seen_s"], o["last_seen_s"], o.get("colour"),
                                   o["motion"] == "stationary", first_tol=1.5 if approximate else 1.0,
                                   exit_edge=next((e for p, e in (exits or {}).items() if o["id"].startswith(p)),
                                                  None),
                                   toward=True if "toward the camera" in (o.get("direction") or "") else
                                   False if o["motion"] == "stationary" else None))
    return out


def _car_clip() -> ClipTruth:
    # ../shared/README.md: exactly 4 cars, no people; white 4.5-8.8, silver 14.4-18.3, red 15.0-18.8, white 25.2-27.9
    cars = [("white", 4.5, 8.8), ("silver", 14.4, 18.3), ("red", 15.0, 18.8), ("white", 25.2, 27.9)]
    objects = [TruthObject(f"C{i + 1}", "vehicle", "car", t0, t1, colour, False) for i, (colour, t0, t1) in
               enumerate(cars)]
    return ClipTruth("car-detection.mp4", CAR_CLIP, 30.16, objects,
                     counts={"vehicle": Count(4, 4), "person": Count(0, 0), "bicycle": Count(0, 0)},
                     in_view={"vehicle": Count(2, 2), "person": Count(0, 0)},
                     leaving=(frozenset({"top", "bottom"}), Count(4, 4), "every car leaves at the top or bottom"),
                     site=OVERHEAD_SITE)


def load() -> list[ClipTruth]:
    facts = json.loads((DATA / "facts.json").read_text())
    by_file = {c["file"]: c for c in facts["clips"]}
    clips = [_car_clip()]

    c = by_file["residential-street-vehicles.mp4"]
    clips.append(ClipTruth(c["file"], DATA / c["file"], c["duration_s"], _objects(c),
                           # 4 drive through and 3 are parked for certain (a 4th partly visible); small cross
                           # traffic at the far intersection is visible but was not counted: no upper bound
                           counts={"vehicle": Count(7, None), "person": Count(0, 0), "bicycle": Count(0, 0)},
                           in_view={"person": Count(0, 0)},
                           leaving=(frozenset({"bottom", "right"}), Count(4, 4),
                                    "exactly 4 drive down the near lane and leave at the bottom right"),
                           notes=["the pickup may be labelled car or truck (facts: uncertain)"]))
    c = by_file["highway-traffic.mp4"]
    # facts: "11 cars leave via the bottom edge" (N1-N11, the main carriageway); R1 "leaves at the right edge"
    clips.append(ClipTruth(c["file"], DATA / c["file"], c["duration_s"], _objects(c, {"N": "bottom", "R": "right"}),
                           # 11 on the main carriageway + 1 on the parallel one; far roads carry uncounted cars
                           counts={"vehicle": Count(12, None), "person": Count(0, 0), "bicycle": Count(0, 0)},
                           in_view={"person": Count(0, 0)},
                           leaving=(frozenset({"bottom"}), Count(11, 11),
                                    "exactly 11 cars leave via the bottom edge (the last in the last frame)"),
                           notes=["exactly 11 cars leave via the bottom edge; far small cars are not counted"]))
    c = by_file["aerial-crossing-pedestrians-bikes.mp4"]
    clips.append(ClipTruth(c["file"], DATA / c["file"], c["duration_s"], _objects(c),
                           counts={"person": Count(16, None), "bicycle": Count(4, None), "vehicle": Count(0, 0)},
                           in_view={"person": Count(15, None)},
                           notes=["moving top-down camera; exactly 2 people in the last frame"]))
    c = by_file["classroom-preview.mp4"]
    clips.append(ClipTruth(c["file"], DATA / c["file"], c["duration_s"], _objects(c),
                           counts={"person": Count(4, 4), "vehicle": Count(0, 0), "bicycle": Count(0, 0)},
                           in_view={"person": Count(4, 4)}))
    c = by_file["face-demographics-walking-preview.mp4"]
    clips.append(ClipTruth(c["file"], DATA / c["file"], c["duration_s"], _objects(c),
                           counts={"person": Count(2, 2), "vehicle": Count(0, 0), "bicycle": Count(0, 0)},
                           in_view={"person": Count(2, 2)}))
    return clips


def family_of(cls: str) -> str:
    return "vehicle" if cls in VEHICLES else cls


def most_in_view(spans: list[tuple[float, float]]) -> int:
    """The most intervals overlapping at one moment."""
    edges = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans], key=lambda e: (e[0], -e[1]))
    best = now = 0
    for _, step in edges:
        now += step
        best = max(best, now)
    return best
