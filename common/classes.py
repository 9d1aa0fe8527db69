"""The object classes people name, and which of them are vehicles (questions, alert rules, perception); and the
names of coming and going that perception writes and digests, reports and questions read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# vehicle classes; "vehicle" in a question or rule means all of them
VEHICLES: tuple[str, ...] = ("car", "truck", "bus", "motorcycle", "forklift")

# every class an object is counted as: "object" in a question means any of them ("object" itself is what the
# perception followed without a name for it: moving regions, or a detector word vidgraph does not count)
EVERY_CLASS: tuple[str, ...] = ("person", "bicycle", *VEHICLES, "object")

# plural / synonym -> class; "vehicle" expands to every vehicle class, "object" to anything (EVERY_CLASS)
CLASS_WORDS: dict[str, str] = {
    "car": "car", "cars": "car", "truck": "truck", "trucks": "truck", "lorry": "truck", "lorries": "truck",
    "bus": "bus", "buses": "bus", "motorcycle": "motorcycle", "motorcycles": "motorcycle", "motorbike": "motorcycle",
    "motorbikes": "motorcycle", "bicycle": "bicycle", "bicycles": "bicycle", "bike": "bicycle", "bikes": "bicycle",
    "cyclist": "bicycle", "cyclists": "bicycle", "person": "person", "people": "person", "persons": "person",
    "pedestrian": "person", "pedestrians": "person", "forklift": "forklift", "forklifts": "forklift",
    "vehicle": "vehicle", "vehicles": "vehicle", "object": "object", "objects": "object",
    "automobile": "car", "automobiles": "car", "motorcyclist": "motorcycle", "motorcyclists": "motorcycle",
    "hgv": "truck", "hgvs": "truck", "minibus": "bus", "minibuses": "bus",
}


# kinds of vehicle no detector class names -> the classes such a vehicle is detected as. A question about "the
# white SUV" is answered about white cars with "suv" said to be not checked, rather than not at all
KIND_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("suv", "suvs", "sedan", "sedans", "saloon", "saloons", "hatchback", "hatchbacks", "taxi",
                     "taxis", "cab", "cabs", "minivan", "minivans", "mpv", "mpvs", "jeep", "jeeps", "coupe",
                     "coupes", "convertible", "convertibles"), ("car",)),
    **dict.fromkeys(("van", "vans", "pickup", "pickups"), ("car", "truck")),
    # who a person is (a role, a sex, an age) is not seen by a person detector: "how many women?" counts people
    # with "women" said to be not checked, not every person as if they were women
    **dict.fromkeys(("worker", "workers", "man", "men", "woman", "women", "shopper", "shoppers", "customer",
                     "customers", "visitor", "visitors", "employee", "employees", "staff", "guard", "guards",
                     "child", "children", "kid", "kids", "boy", "boys", "girl", "girls", "adult", "adults",
                     "operator", "operators", "student", "students", "pupil", "pupils", "teacher", "teachers",
                     "cashier", "cashiers", "clerk", "clerks", "nurse", "nurses", "patient", "patients",
                     "passerby", "passersby", "commuter", "commuters", "tourist", "tourists", "resident", "residents",
                     "picker", "pickers", "supervisor", "supervisors", "manager", "managers", "technician",
                     "technicians", "labourer", "labourers", "laborer", "laborers"), ("person",)),
}


# words for some person, any one ("did anyone enter?", an alert "anyone enters dock"): people
SOMEONE_WORDS: tuple[str, ...] = ("anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody")
# words for some object of any class ("did anything enter lane_1?", an alert "anything enters dock")
ANYTHING_WORDS: tuple[str, ...] = ("anything", "something", "everything", "nothing")


# An object came into view while the footage ran ("entered") or went out of it ("left"): the entity attribute
# an enter or exit event carries, and the one each edge attribute (where it came in or went out) goes with
MOVE_OF_EVENT: dict[str, str] = {"enter": "entered", "exit": "left"}
MOVE_OF_EDGE: dict[str, str] = {"entry_edge": "entered", "exit_edge": "left"}
# The events that may only mark where a sighting began or ended, not a move, and the attribute they then carry as
# false: the enter of an object in view from the start and the zone_enter of one inside the zone then ("was in
# lane_1 as the footage began"), the exit of one still in view at the end, and the zone_exit of one still inside
# the zone at the end or lost inside it ("was still in lane_1 at the end": its stay ends there, but it did not
# leave)
SIGHTING_MARKS: dict[str, str] = {**MOVE_OF_EVENT, "zone_enter": "entered", "zone_exit": "left"}


def sighting_mark(kind: str, attributes: Mapping[str, Any]) -> bool:
    """Whether an event of ``kind`` only marks where a sighting (or a stay in a zone) began or ended, not a coming
    or going: its SIGHTING_MARKS attribute is false."""
    return attributes.get(SIGHTING_MARKS.get(kind, ""), True) is False
