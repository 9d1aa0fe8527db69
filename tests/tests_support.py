"""Small helpers tests share that are not fixtures."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from graph import GraphBatch, StreamRecord
from graph.store import GraphStore
from query.ask import Scope, plan_scopes
from query.parse import Question


def scopes_for(store: GraphStore, q: Question, tz: str = "UTC") -> list[Scope]:
    """The scopes ``ask`` would read for this question, over every analysed stream."""
    known = [s for s in store.list_streams() if s["status"] == "complete"]
    return plan_scopes(q.time, known, ZoneInfo(tz))[0]


def busy_fortnight(store: GraphStore, start: float) -> dict[str, int]:
    """A camera with 14 days of footage: 3,000 cars (one every 400 s), an enter event for each but the first
    (which was in view from the first frame: its enter only marks a first sighting), 40 proximity events and 6
    dwells, and 8 alert firings. Returns what a report should count."""
    run = "r1"
    store.upsert_stream(StreamRecord("cam", "rtsp://cam", "dock", "live", 14 * 86400.0, 5.0, 640, 480, "complete",
                                     run, "{}", start=start))
    b = GraphBatch()
    for i in range(3000):
        t = i * 400.0
        b.entities.append({"id": f"cam/{run}/ent/{i}", "stream_id": "cam", "run": run, "cls": "car",
                           "first_seen": t, "last_seen": t + 30, "confidence": 0.8, "direction": "left_to_right",
                           "attributes": "{}", "thumbnail": ""})
        b.events.append({"id": f"cam/{run}/ev/enter-{i}", "stream_id": "cam", "run": run, "type": "enter",
                         "t0": t, "t1": t, "confidence": 0.8, "label": "car", "description": "car entered",
                         "attributes": '{"edge":"left","entered":%s}' % ("false" if i == 0 else "true"),
                         "thumbnail": ""})
    for i, (kind, every) in enumerate([("proximity", 30_000.0)] * 40 + [("dwell", 200_000.0)] * 6):
        b.events.append({"id": f"cam/{run}/ev/{kind}-{i}", "stream_id": "cam", "run": run, "type": kind,
                         "t0": 50.0 + i * every % 1_200_000, "t1": 60.0 + i * every % 1_200_000, "confidence": 0.7,
                         "label": "car", "description": kind, "attributes": "{}", "thumbnail": ""})
    b.alerts = [{"id": f"cam/{run}/alert/{i}", "stream_id": "cam", "run": run, "rule": "too-close", "severity": "high",
                 "t0": 70.0 + i * 100_000, "t1": 70.0 + i * 100_000, "text": "too close", "fired": "",
                 "thumbnail": ""} for i in range(8)]
    store.write_batch(b)
    return {"low": 2999, "high": 48, "medium": 6}


def small_stream(store: GraphStore, settings: str, objects: list[tuple[str, float, float]],
                 colours: tuple[str, ...] = (), stream: str = "yard", start: float = 0.0,
                 directions: tuple[str, ...] = ()) -> None:
    """A 30 s stream ("yard", file yard.mp4) analysed with ``settings`` (the run's settings JSON) holding these
    objects (class, first seen, last seen), in these colours and directions (left to right unless given; one
    "stationary" never moved); ``start``: its wall clock (epoch s), 0 for none."""
    store.upsert_stream(StreamRecord(stream, f"{stream}.mp4", f"{stream}.mp4", "file", 30.0, 5.0, 640, 480,
                                     "complete", "r1", settings, start=start))
    b = GraphBatch()
    for i, (cls, t0, t1) in enumerate(objects):
        attributes: dict[str, object] = {"colour": colours[i]} if colours else {}
        direction = directions[i] if directions else "left_to_right"
        if directions:  # whether it moved is recorded (a VLM's objects do not record it)
            attributes["stationary"] = direction == "stationary"
        b.entities.append({"id": f"{stream}/r1/ent/{i}", "stream_id": stream, "run": "r1", "cls": cls,
                           "first_seen": t0, "last_seen": t1, "confidence": 0.8, "direction": direction,
                           "attributes": json.dumps(attributes), "thumbnail": ""})
    store.write_batch(b)
