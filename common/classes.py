"""The object classes people name, and which of them are vehicles (questions, alert rules, perception)."""

from __future__ import annotations

# vehicle classes; "vehicle" in a question or rule means all of them
VEHICLES: tuple[str, ...] = ("car", "truck", "bus", "motorcycle", "forklift")

# plural / synonym -> class; "vehicle" expands to every vehicle class, "object" to anything
CLASS_WORDS: dict[str, str] = {
    "car": "car", "cars": "car", "truck": "truck", "trucks": "truck", "lorry": "truck", "lorries": "truck",
    "bus": "bus", "buses": "bus", "motorcycle": "motorcycle", "motorcycles": "motorcycle", "motorbike": "motorcycle",
    "motorbikes": "motorcycle", "bicycle": "bicycle", "bicycles": "bicycle", "bike": "bicycle", "bikes": "bicycle",
    "cyclist": "bicycle", "cyclists": "bicycle", "person": "person", "people": "person", "persons": "person",
    "pedestrian": "person", "pedestrians": "person", "worker": "person", "workers": "person", "man": "person",
    "men": "person", "woman": "person", "women": "person", "forklift": "forklift", "forklifts": "forklift",
    "vehicle": "vehicle", "vehicles": "vehicle", "object": "object", "objects": "object",
}
