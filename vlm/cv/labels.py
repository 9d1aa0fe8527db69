"""COCO-80 class names and the label map from detector classes to vidgraph's object classes.

Like Frigate's ``model.labelmap``: the detector's classes are renamed to the vocabulary a site cares about,
and anything not in the map is ignored. The default map also carries the detector's known confusions on
overhead traffic cameras: a COCO model trained on ground-level photos scores cars seen from above as
"cell phone", "parking meter" or "remote" (measured on ``car-detection.mp4``). Those aliases only count for
boxes of at least ``min_area`` of the frame, where a real phone or parking meter at CCTV distance never is.
"""

from __future__ import annotations

from dataclasses import dataclass

from common.classes import VEHICLES

COCO80 = (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella handbag "
    "tie suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard surfboard "
    "tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange broccoli carrot "
    "hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop mouse remote "
    "keyboard cell_phone microwave oven toaster sink refrigerator book clock vase scissors teddy_bear "
    "hair_drier toothbrush"
).split()


@dataclass(frozen=True, slots=True)
class LabelRule:
    label: str
    min_area: float = 0.0  # fraction of the frame the box must cover for this rule to apply


DEFAULT_LABELMAP: dict[str, LabelRule] = {
    "person": LabelRule("person"),
    "bicycle": LabelRule("bicycle"),
    "car": LabelRule("car"),
    "motorcycle": LabelRule("motorcycle"),
    "bus": LabelRule("bus"),
    "truck": LabelRule("truck"),
    # overhead-view confusions (see module docstring)
    "cell_phone": LabelRule("car", min_area=0.01),
    "parking_meter": LabelRule("car", min_area=0.01),
    "remote": LabelRule("car", min_area=0.01),
}

VEHICLE_CLASSES = frozenset(VEHICLES)


def map_label(coco_class: int, box_area_fraction: float, labelmap: dict[str, LabelRule]) -> str | None:
    """vidgraph class for a detector class, or None when the site does not care about it."""
    if not 0 <= coco_class < len(COCO80):
        return None
    rule = labelmap.get(COCO80[coco_class])
    if rule is None or box_area_fraction < rule.min_area:
        return None
    return rule.label
