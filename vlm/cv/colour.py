"""An object's dominant colour in plain words (white, black, grey, red, blue, green, yellow, ...), from its crop.

The crop's core (away from the box edges, where background leaks in) is read in HSV. When enough of it is
clearly coloured (saturated and not dark), the colour is the hue most of those pixels share; otherwise the
object is achromatic and its brightness names it: white (or silver, when a bright surface carries a faint tint
as metallic paint does), grey or black. Each look at
an object votes with the detector's score; the entity's colour is the vote winner and its share the confidence.

A hue is named only where paint is clearly coloured, so a dark shade of any colour (dark green, navy) reads as
black or grey, and light and shade move objects between white, silver, grey and black. A hue near the border of
two names may be either: a camera's white balance and compression move hues by several degrees (a hi-vis orange
vest reads red, 12 degrees). ``could_be`` says, for each name read, what the object may really be; ``near``
names the hue's neighbours within ``HUE_MARGIN``; answers take neither a "black" car for "not green" nor a "red"
vest for "not orange".
"""

from __future__ import annotations

import cv2
import numpy as np

# OpenCV hue runs 0-180: (upper bound, name), in order
_HUES = ((8, "red"), (20, "orange"), (34, "yellow"), (85, "green"), (130, "blue"), (150, "purple"), (168, "pink"),
         (181, "red"))
_CHROMA_S, _CHROMA_V = 80, 60  # a pixel is "coloured" above both
_CHROMA_SHARE = 0.25  # this share of coloured pixels makes the object coloured
_WHITE_V, _BLACK_V = 165, 70  # achromatic objects: median brightness above / below
_PAINT_S = 12  # a bright achromatic object this saturated or more is metallic (silver), not white paint
_HUE_NAMES = tuple(dict.fromkeys(word for _, word in _HUES))
# What an object read as one name may really be: dark shades of every hue fall under the chroma bar (black or
# grey), white in shade reads grey, black reflecting the sky reads grey or silver, silver in shadow black. Each
# was seen on the development set (bench/perception.py: dark green and dark grey read black, dark blue and a
# white SUV grey, a black car silver, silver cars black); white and hues were never read for anything else there.
_COULD_BE = {"black": ("grey", "silver", *_HUE_NAMES), "grey": ("white", "black", *_HUE_NAMES),
             "silver": ("black",)}


HUE_MARGIN = 4  # OpenCV hue units (8 degrees): a hue this near another name's range may be that colour


def _hue_name(hue: int) -> str:
    return next(word for upper, word in _HUES if hue % 180 < upper)


def could_be(word: str) -> tuple[str, ...]:
    """The other colours an object this reader names ``word`` may really have (none: the name holds)."""
    return _COULD_BE.get(word, ())


def _core(rgb: np.ndarray, box: np.ndarray, person: bool) -> np.ndarray:
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = (float(v) for v in box)
    bw, bh = x1 - x0, y1 - y0
    if person:  # the torso: what people call someone's colour is their clothes, not face or legs
        top, bottom, side = 0.2, 0.45, 0.25
    else:
        top, bottom, side = 0.2, 0.2, 0.2
    xa, xb = int(max(0, x0 + side * bw)), int(min(w, x1 - side * bw))
    ya, yb = int(max(0, y0 + top * bh)), int(min(h, y1 - bottom * bh))
    return rgb[ya:yb, xa:xb]


def reading(rgb: np.ndarray, box: np.ndarray, person: bool = False) -> tuple[str, tuple[str, ...]] | None:
    """The colour word for the object in ``box`` and the hue names it is near (None when the crop is too small
    to tell)."""
    core = _core(rgb, box, person)
    if core.size < 3 * 100:  # fewer than 100 pixels (a 10 x 10 patch): no honest answer
        return None
    hsv = cv2.cvtColor(core, cv2.COLOR_RGB2HSV).reshape(-1, 3).astype(np.int32)
    coloured = (hsv[:, 1] >= _CHROMA_S) & (hsv[:, 2] >= _CHROMA_V)
    if coloured.mean() >= _CHROMA_SHARE:
        hues = np.bincount(hsv[coloured, 0] // 4, minlength=46)  # 4-unit hue bins, the fullest wins
        hue = int(np.argmax(hues)) * 4 + 2
        word = _hue_name(hue)
        near = {_hue_name(hue - HUE_MARGIN + 180), _hue_name(hue + HUE_MARGIN)} - {word}
        return word, tuple(sorted(near))
    value, saturation = float(np.median(hsv[:, 2])), float(np.median(hsv[:, 1]))
    if value >= _WHITE_V:  # white paint scatters light evenly; metallic silver carries a tint of its surroundings
        return ("white" if saturation < _PAINT_S else "silver"), ()
    return ("black" if value <= _BLACK_V else "grey"), ()
