"""Turn one perception :class:`~vlm.schema.Observation` into graph rows with deterministic ids.

Ids are ``<stream>/<run>/<kind>/<key>``: the same input analysed with the same settings always yields the
same ids, so re-running an analysis MERGEs onto identical nodes and changes nothing. ``run`` is a hash of
the settings that shape perception; analysing with other settings creates a new run beside the old one,
which replaces it only once it has completed.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from graph.records import GraphBatch
from vlm.cv.zones import ZoneSpec
from vlm.schema import Observation


def run_id(settings_json: str) -> str:
    return hashlib.sha256(settings_json.encode()).hexdigest()[:10]


def zone_id(stream_id: str, name: str) -> str:
    return f"{stream_id}/zone/{name}"


def zone_batch(stream_id: str, specs: Iterable[ZoneSpec]) -> GraphBatch:
    """Zone nodes for a stream's configured polygons and lines."""
    return GraphBatch(zones=[
        {"id": zone_id(stream_id, z.name), "stream_id": stream_id, "name": z.name, "kind": z.kind,
         "points": _json(z.points)}
        for z in specs
    ])


def segment_id(stream_id: str, run: str, idx: int) -> str:
    return f"{stream_id}/{run}/seg/{idx:06d}"


class SegmentIndex:
    """Which segment a time falls in, for linking events reported after their segment was written."""

    def __init__(self) -> None:
        self._starts: list[float] = []
        self._ids: list[str] = []

    def add(self, t0: float, segment: str) -> None:
        self._starts.append(t0)
        self._ids.append(segment)

    def find(self, t: float) -> str | None:
        i = bisect.bisect_right(self._starts, t) - 1
        return self._ids[max(i, 0)] if self._ids else None

    @property
    def last(self) -> str | None:
        return self._ids[-1] if self._ids else None


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def observation_batch(
    stream_id: str,
    run: str,
    observation: Observation,
    segments: SegmentIndex,
    thumbnail: str | None = None,
    is_segment: bool = True,
) -> GraphBatch:
    """Rows for one observation. ``is_segment=False`` for the end-of-stream flush, which adds no segment."""
    batch = GraphBatch()
    prefix = f"{stream_id}/{run}"
    if is_segment:
        seg = segment_id(stream_id, run, observation.chunk_idx)
        previous = segments.last
        segments.add(observation.t0, seg)
        batch.segments.append(
            {
                "id": seg,
                "stream_id": stream_id,
                "run": run,
                "idx": observation.chunk_idx,
                "t0": observation.t0,
                "t1": observation.t1,
                "caption": observation.caption,
                "motion": observation.motion,
                "status": observation.status,
                "error": observation.error or "",
                "counts": _json(observation.counts),
                "thumbnail": thumbnail or "",
            }
        )
        batch.has.append({"src": stream_id, "dst": seg})
        if previous is not None and previous != seg:
            batch.next.append({"src": previous, "dst": seg})
    for entity in observation.entities:
        batch.entities.append(
            {
                "id": f"{prefix}/ent/{entity.key}",
                "stream_id": stream_id,
                "run": run,
                "cls": entity.cls,
                "first_seen": entity.first_seen,
                "last_seen": entity.last_seen,
                "confidence": entity.confidence,
                "direction": entity.direction or "",
                "attributes": _json(entity.attributes),
                "thumbnail": entity.thumbnail or "",
            }
        )
    for event in observation.events:
        event_id = f"{prefix}/ev/{event.key}"
        batch.events.append(
            {
                "id": event_id,
                "stream_id": stream_id,
                "run": run,
                "type": event.type,
                "t0": event.t0,
                "t1": event.t1,
                "confidence": event.confidence,
                "label": event.label or "",
                "description": event.description,
                "attributes": _json(event.attributes),
            }
        )
        home = segments.find(event.t0)
        if home is not None:
            batch.occurs_in.append({"src": event_id, "dst": home})
        for key in event.entities:
            batch.involves.append({"src": event_id, "dst": f"{prefix}/ent/{key}", "role": event.roles.get(key, "")})
        if zone := event.attributes.get("zone"):
            batch.at.append({"src": event_id, "dst": zone_id(stream_id, zone)})
    return batch


def summary_batch(rows: list[dict[str, Any]]) -> GraphBatch:
    """Summary nodes and their SUMMARIZES links (rows from graph.summaries.SummaryBuilder)."""
    batch = GraphBatch()
    for row in rows:
        batch.summaries.append({k: v for k, v in row.items() if k != "children"})
        batch.summarizes += [{"src": row["id"], "dst": child} for child in row["children"]]
    return batch
