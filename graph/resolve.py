"""Entity resolution: the same car, forklift or person seen twice becomes linked ``SAME_AS``.

Within a stream, ByteTrack already keeps an object one entity across chunks. Here:

* **re-identification in one stream**: a track lost inside the picture (not through a frame edge: that is
  leaving) and found again within ``reid_window_s`` (occlusion, a missed stretch);
* **across cameras**: an object that appears on one camera within ``transit_s`` after leaving another.
  It needs both streams' wall-clock start (``Stream.start``); a stream without one is not compared.

Candidates must be the same class, plausible in time, and alike in appearance (hue-saturation histogram
intersection of their best crops, at least ``min_similarity``). Pairs are then matched one-to-one by
appearance (Hungarian), so two white cars cannot both claim the same earlier one. The link points from the
later entity to the earlier, with the appearance similarity as confidence.

Limit, measured: a colour histogram tells a red car from a white one, but not reliably a white car from a
silver one, nor one car's front half from its back half. On the car clip with the first car hidden for half
a second mid-frame, its two halves scored 0.41-0.65 (threshold 0.8), so re-identification after occlusion
needs a crop-embedding (ReID) model, which cannot be installed here. Across cameras seeing the same pixels
the links are exact (tests/test_resolve.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from common.appearance import similarity
from graph.records import EntityRead
from graph.settings import GraphSettings
from graph.store import GraphStore


def _candidates(store: GraphStore, stream_id: str) -> tuple[list[EntityRead], list[EntityRead], dict[str, float]]:
    starts = {s["id"]: s["start"] or 0.0 for s in store.list_streams() if s["status"] == "complete"}
    mine = store.entities(streams=[stream_id])
    others = [e for e in store.entities() if e["stream_id"] != stream_id and starts.get(e["stream_id"])]
    return mine, others, starts


def resolve_stream(store: GraphStore, stream_id: str, settings: GraphSettings | None = None) -> list[dict[str, Any]]:
    """Find and store SAME_AS links for ``stream_id``'s entities (``reid_window_s``, ``transit_s`` and
    ``min_similarity`` of the graph settings); returns the links."""
    settings = settings or GraphSettings()
    mine, others, starts = _candidates(store, stream_id)
    start = starts.get(stream_id, 0.0)
    attributes = {e["id"]: e["attributes"] for e in mine + others}
    looks = {key: value.get("appearance", []) for key, value in attributes.items()}

    def plausible(later: EntityRead, earlier: EntityRead) -> str | None:
        if later["cls"] != earlier["cls"] or later["id"] == earlier["id"]:
            return None
        if earlier["stream_id"] == later["stream_id"]:
            gap = later["first_seen"] - earlier["last_seen"]
            lost_inside = attributes[earlier["id"]].get("exit_edge") == "inside"
            return "reappeared" if lost_inside and 0 < gap <= settings.reid_window_s else None
        if not start:
            return None
        gap = (start + later["first_seen"]) - (starts[earlier["stream_id"]] + earlier["last_seen"])
        return "camera transit" if 0 <= gap <= settings.transit_s else None

    earlier_pool = mine + others
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for later in mine:
        for earlier in earlier_pool:
            reason = plausible(later, earlier)
            if reason is None:
                continue
            score = similarity(looks[later["id"]], looks[earlier["id"]])
            if score >= settings.min_similarity:
                pairs[(later["id"], earlier["id"])] = (score, reason)
    if not pairs:
        return []
    rows = sorted({a for a, _ in pairs})
    cols = sorted({b for _, b in pairs})
    scores = np.zeros((len(rows), len(cols)))
    for (a, b), (score, _) in pairs.items():
        scores[rows.index(a), cols.index(b)] = score
    links = []
    for r, c in zip(*linear_sum_assignment(-scores), strict=True):
        if scores[r, c] > 0:
            score, reason = pairs[(rows[r], cols[c])]
            links.append({"src": rows[r], "dst": cols[c], "confidence": round(score, 3), "reason": reason})
    store.link_same_as(links)
    return links
