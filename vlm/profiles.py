"""Prompt profiles: what a site watches for, as a system prompt and an event vocabulary.

Built in: ``warehouse``, ``traffic``, ``generic``. A site adds its own without code: point
``VIDGRAPH_VLM_PROFILE`` (or ``--profile``) at a TOML file with ``name``, ``description``, ``objects`` and
``events`` (and optionally ``system_prompt`` and a ``[severity]`` table rating event types for reports). The
reply's JSON schema is derived from the vocabulary.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

_BASE_PROMPT = (
    "You watch {description}. You get {n} frames of one chunk of video, each labelled with its time in seconds. "
    "Describe only what is visible. Reply with one JSON object and nothing else: a short factual caption, the "
    "objects you see (class from: {objects}) with an id, and events (type from: {events}) with start and end "
    "times in seconds within the chunk's time range, a confidence between 0 and 1, a one-line description and "
    "the ids of the objects involved. If nothing happens, return an empty events list."
)


Severity = Literal["high", "medium", "low", "info"]

# The CV perception's own event types, rated the same for every site unless a profile overrides them.
CV_SEVERITY: dict[str, Severity] = {
    "proximity": "high", "dwell": "medium", "zone_enter": "low", "line_cross": "low", "enter": "low",
    "zone_exit": "info", "exit": "info",
}


class Profile(BaseModel):
    name: str
    description: str
    objects: list[str] = Field(min_length=1)
    events: list[str] = Field(min_length=1)
    system_prompt: str | None = None
    severity: dict[str, Severity] = Field(default_factory=dict, description="event type -> severity in reports")

    def severity_of(self, event_type: str) -> Severity:
        """This profile's rating, else the CV default, else "low" (an event type nobody rated is still shown)."""
        return self.severity.get(event_type) or CV_SEVERITY.get(event_type, "low")

    def prompt(self, frames: int) -> str:
        template = self.system_prompt or _BASE_PROMPT
        return template.format(
            description=self.description, n=frames, objects=", ".join(self.objects), events=", ".join(self.events)
        )

    def reply_schema(self) -> dict[str, Any]:
        """JSON schema sent as ``response_format`` where the server supports structured output."""
        return {
            "type": "object",
            "properties": {
                "caption": {"type": "string"},
                "objects": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "class": {"type": "string", "enum": self.objects},
                            "description": {"type": "string"},
                        },
                        "required": ["id", "class"],
                    },
                },
                "events": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": self.events},
                            "start": {"type": "number"},
                            "end": {"type": "number"},
                            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                            "description": {"type": "string"},
                            "objects": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["type", "start", "end"],
                    },
                },
            },
            "required": ["caption", "events"],
        }


BUILTIN: dict[str, Profile] = {
    "warehouse": Profile(
        name="warehouse",
        description="a warehouse floor from a fixed safety camera",
        objects=["person", "forklift", "pallet", "truck", "cart"],
        events=["forklift_moving", "person_near_forklift", "person_fall", "blocked_aisle", "missing_ppe", "spill",
                "dropped_pallet"],
        severity={"person_near_forklift": "high", "person_fall": "high", "blocked_aisle": "medium",
                  "missing_ppe": "medium", "spill": "medium", "dropped_pallet": "medium", "forklift_moving": "info"},
    ),
    "traffic": Profile(
        name="traffic",
        description="a road or parking lane from a fixed traffic camera",
        objects=["car", "truck", "bus", "motorcycle", "bicycle", "person"],
        events=["stopped_vehicle", "wrong_way_driving", "collision", "near_miss", "pedestrian_crossing", "queue",
                "debris"],
        severity={"collision": "high", "near_miss": "high", "wrong_way_driving": "high", "stopped_vehicle": "medium",
                  "debris": "medium", "queue": "low", "pedestrian_crossing": "info"},
    ),
    "generic": Profile(
        name="generic",
        description="a scene from a fixed surveillance camera",
        objects=["person", "car", "truck", "bus", "motorcycle", "bicycle", "animal", "object"],
        events=["person_enters", "person_leaves", "vehicle_enters", "vehicle_leaves", "interaction", "fall",
                "unusual_activity"],
        severity={"fall": "high", "unusual_activity": "medium", "interaction": "low", "person_enters": "low",
                  "vehicle_enters": "low", "person_leaves": "info", "vehicle_leaves": "info"},
    ),
}


def load_profile(name_or_path: str) -> Profile:
    """A built-in profile by name, or one from a TOML file."""
    if name_or_path in BUILTIN:
        return BUILTIN[name_or_path]
    path = Path(name_or_path)
    if not path.is_file():
        raise ValueError(f"unknown profile {name_or_path!r}: not one of {', '.join(BUILTIN)} and no such file")
    with path.open("rb") as handle:
        return Profile.model_validate(tomllib.load(handle))
