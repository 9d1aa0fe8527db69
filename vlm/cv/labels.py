"""COCO-80 class names, and what a detector label means as an object class.

Like Frigate's ``labelmap``: the classes a site cares about keep their names (person, bicycle, car, motorcycle,
bus, truck). Every other COCO class is "other": an object the detector named but vidgraph does not count
(a chair, a traffic light); one that moves becomes an ``object`` entity that carries the detector's word, so
a question about it can say what was seen instead of silently dropping it.

A camera can add its own meanings (``common.site.CameraLabels``): an operator who knows the detector names
cars seen from straight above "cell phone" says so for that camera, with the smallest box it applies to.
Nothing is relabelled by default.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.classes import VEHICLES
from common.site import CameraLabels

COCO80 = (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella handbag "
    "tie suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard surfboard "
    "tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange broccoli carrot "
    "hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop mouse remote "
    "keyboard cell_phone microwave oven toaster sink refrigerator book clock vase scissors teddy_bear "
    "hair_drier toothbrush"
).split()

TRACKED = ("person", "bicycle", "car", "motorcycle", "bus", "truck")  # COCO classes counted as themselves
VEHICLE_CLASSES = frozenset(VEHICLES)
OTHER = "other"  # a COCO class vidgraph does not count


def family_of(cls: str) -> str:
    """Tracks are kept per family, so a class that flickers (car/truck) stays one track, and a person never
    steals a bicycle's track (a cyclist is both)."""
    if cls in VEHICLE_CLASSES or cls == "vehicle":
        return "vehicle"
    return cls if cls in ("person", "bicycle") else OTHER


@dataclass(frozen=True, slots=True)
class Label:
    cls: str  # an object class (person, car, ...) or OTHER
    detector: str  # what the detector said (COCO name)


class LabelMap:
    def __init__(self, camera: CameraLabels | None = None) -> None:
        camera = camera or CameraLabels()
        self.extra = dict(camera.labels)
        self.min_area = camera.min_area

    def label(self, coco_class: int, box_area_fraction: float) -> Label | None:
        if not 0 <= coco_class < len(COCO80):
            return None
        name = COCO80[coco_class]
        if name in self.extra and box_area_fraction >= self.min_area:
            return Label(self.extra[name], name)
        return Label(name if name in TRACKED else OTHER, name)
