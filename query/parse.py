"""Rule-based question parsing: intent, object class, direction, time window.

Deliberately literal: anything it does not recognise leaves the question ``intent="unknown"`` so the caller
answers "can't answer that yet" instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# plural / synonym -> class; "vehicle" expands to every vehicle class
CLASS_WORDS = {
    "car": "car", "cars": "car", "truck": "truck", "trucks": "truck", "lorry": "truck", "lorries": "truck",
    "bus": "bus", "buses": "bus", "motorcycle": "motorcycle", "motorcycles": "motorcycle", "motorbike": "motorcycle",
    "motorbikes": "motorcycle", "bicycle": "bicycle", "bicycles": "bicycle", "bike": "bicycle", "bikes": "bicycle",
    "cyclist": "bicycle", "cyclists": "bicycle", "person": "person", "people": "person", "persons": "person",
    "pedestrian": "person", "pedestrians": "person", "worker": "person", "workers": "person", "man": "person",
    "men": "person", "woman": "person", "women": "person", "forklift": "forklift", "forklifts": "forklift",
    "vehicle": "vehicle", "vehicles": "vehicle", "object": "object", "objects": "object",
}
VEHICLES = ("car", "truck", "bus", "motorcycle", "forklift")

DIRECTIONS = {
    r"bottom[- ]to[- ]top|upwards?|going up|moving up|northbound": "bottom_to_top",
    r"top[- ]to[- ]bottom|downwards?|going down|moving down|southbound": "top_to_bottom",
    r"left[- ]to[- ]right|eastbound": "left_to_right",
    r"right[- ]to[- ]left|westbound": "right_to_left",
}

_TIME = r"(\d+(?::\d{1,2}){0,2}(?:\.\d+)?)\s*(?:s|sec|secs|seconds?|min|mins|minutes?)?"


@dataclass(slots=True)
class Question:
    text: str
    intent: str  # count, first, last, when, duration, exists, near, unknown
    classes: tuple[str, ...] = ()
    direction: str | None = None
    t0: float | None = None
    t1: float | None = None
    zone: str | None = None  # a configured zone or counting line named in the question

    @property
    def noun(self) -> str:
        return "vehicle" if len(self.classes) > 1 and set(self.classes) <= set(VEHICLES) else (self.classes or ("object",))[0]


def _seconds(token: str, unit_text: str = "") -> float:
    parts = [float(p) for p in token.split(":")]
    value = 0.0
    for part in parts:
        value = value * 60 + part
    if len(parts) == 1 and re.match(r"\s*min", unit_text):
        value *= 60
    return value


def _time_window(text: str) -> tuple[float | None, float | None]:
    if m := re.search(rf"between\s+{_TIME}\s+and\s+{_TIME}", text):
        return _seconds(m.group(1)), _seconds(m.group(2), text[m.end(2):m.end(2) + 4])
    if m := re.search(rf"(?:in|during) the first\s+{_TIME}", text):
        return 0.0, _seconds(m.group(1), text[m.end(1):m.end(1) + 4])
    t0 = t1 = None
    if m := re.search(rf"\b(?:after|since|from)\s+{_TIME}", text):
        t0 = _seconds(m.group(1), text[m.end(1):m.end(1) + 4])
    if m := re.search(rf"\b(?:before|until|till)\s+{_TIME}", text):
        t1 = _seconds(m.group(1), text[m.end(1):m.end(1) + 4])
    return t0, t1


def _intent(text: str) -> str:
    if re.search(r"\b(near|close to|proximity|next to)\b|\bwithin\s+\d+(\.\d+)?\s*(m|metres?|meters?)\b", text):
        return "near"
    if re.search(r"\bhow many\b|\bnumber of\b|\bcount\b", text):
        return "count"
    if re.search(r"\bhow long\b|\bduration\b", text):
        return "duration"
    if re.search(r"\bfirst\b", text):
        return "first"
    if re.search(r"\blast\b|\blatest\b|\bfinal\b", text):
        return "last"
    if re.search(r"^(were|was|is|are|did|do|does|has|have)\b|\bany\b", text):
        return "exists"
    if re.search(r"\bwhen\b|\bwhat times?\b|\bat what\b", text):
        return "when"
    return "unknown"


def _zone(text: str, zones: tuple[str, ...]) -> str | None:
    """A known zone named in the question; "lane 2" and "lane-2" match the zone ``lane_2``."""
    joined = "_" + re.sub(r"[^a-z0-9]+", "_", text) + "_"
    for name in sorted(zones, key=len, reverse=True):
        if "_" + re.sub(r"[^a-z0-9]+", "_", name.lower()) + "_" in joined:
            return name
    return None


def parse_question(question: str, zones: tuple[str, ...] = ()) -> Question:
    text = " ".join(question.lower().replace("?", " ").split())
    words = re.findall(r"[a-z]+", text)
    found: list[str] = []
    for word in words:
        cls = CLASS_WORDS.get(word)
        if cls and cls not in found:
            found.append(cls)
    classes: tuple[str, ...] = ()
    if "vehicle" in found:
        classes = VEHICLES
    elif found:
        classes = tuple(found)
    direction = next((d for pattern, d in DIRECTIONS.items() if re.search(pattern, text)), None)
    t0, t1 = _time_window(text)
    intent = _intent(text)
    zone = _zone(text, zones)
    if intent == "near":
        return Question(question, "near", classes, direction, t0, t1, zone)
    if not classes:  # every structured intent is about some kind of object
        intent = "unknown"
    return Question(question, intent, classes, direction, t0, t1, zone)
