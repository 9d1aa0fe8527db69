"""Turn one perception :class:`~vlm.schema.Observation` into graph rows with deterministic ids.

Ids are ``<stream>/<run>/<kind>/<key>``: the same input analysed with the same settings always yields the
same ids, so re-running an analysis MERGEs onto identical nodes and changes nothing. ``run`` is a hash of
the settings that shape perception; analysing with other settings creates a new run beside the old one,
which replaces it only once it has completed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from common.site import ZoneSpec
from graph.records import GraphBatch
from graph.summaries import ClosedWindow
from vlm.schema import Observation


def run_id(settings_json: str) -> str:
    return hashlib.sha256(settings_json.encode()).hexdigest()[:10]


def zone_id(stream_id: str, name: str) -> str:
    return f"{stream_id}/zone/{name}"


def zone_batch(stream_id: str, specs: Iterable[ZoneSpec]) -> GraphBatch:
    """Zone nodes for a stream's configured polygons and lines."""
    return GraphBatch(zones=[
        {"id": zone_id(stream_id, z.name), "stream_id": stream_id, "name": z.name, "kind": z.kind,
         "points": json_text(z.points)}
        for z in specs
    ])


def segment_id(stream_id: str, run: str, idx: int) -> str:
    return f"{stream_id}/{run}/seg/{idx:06d}"


@dataclass(slots=True)
class SegmentIndex:
    """Which segment a time falls in, for linking events reported after their segment was written.

    Chunks are numbered by time (chunk ``i`` starts at ``i * stride``, ``ingest.chunk``), so the segment of a
    time ``t`` is the last written chunk starting at or before it: the state is two numbers, whatever the
    length of the run, and a worker continuing a run needs only those.
    """

    stream_id: str
    run: str
    stride: float  # seconds between chunk starts (chunk duration minus overlap)
    last_idx: int = -1  # the latest segment written (-1: none yet)

    def add(self, idx: int) -> None:
        self.last_idx = max(self.last_idx, idx)

    def find(self, t: float) -> str | None:
        if self.last_idx < 0:
            return None
        return segment_id(self.stream_id, self.run, min(max(0, int(t // self.stride)), self.last_idx))

    @property
    def last(self) -> str | None:
        return segment_id(self.stream_id, self.run, self.last_idx) if self.last_idx >= 0 else None


def json_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def observation_batch(
    stream_id: str,
    run: str,
    observation: Observation,
    segments: SegmentIndex,
    thumbnail: str | None = None,
    is_segment: bool = True,
    session: str = "",
) -> GraphBatch:
    """Rows for one observation. ``is_segment=False`` for the end-of-stream flush, which adds no segment.
    ``session`` tells apart the readers of one live run: a restarted reader numbers its tracks from 0 again,
    and without it its first car's ``enter-0`` would overwrite the first reader's."""
    batch = GraphBatch()
    prefix = f"{stream_id}/{run}"
    tag = f"{session}-" if session else ""
    if is_segment:
        seg = segment_id(stream_id, run, observation.chunk_idx)
        previous = segments.last
        segments.add(observation.chunk_idx)
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
                "counts": json_text(observation.counts),
                "thumbnail": thumbnail or "",
                "seen": json_text({k: round(v, 3) for k, v in observation.seen.items()}),
                "unexplained": -1.0 if observation.unexplained is None else observation.unexplained,
            }
        )
        batch.has.append({"src": stream_id, "dst": seg})
        if previous is not None and previous != seg:
            batch.next.append({"src": previous, "dst": seg})
    for entity in observation.entities:
        batch.entities.append(
            {
                "id": f"{prefix}/ent/{tag}{entity.key}",
                "stream_id": stream_id,
                "run": run,
                "cls": entity.cls,
                "first_seen": entity.first_seen,
                "last_seen": entity.last_seen,
                "confidence": entity.confidence,
                "direction": entity.direction or "",
                "attributes": json_text(entity.attributes),
                "thumbnail": entity.thumbnail or "",
            }
        )
    for event in observation.events:
        event_id = f"{prefix}/ev/{tag}{event.key}"
        batch.events.append(
            {
                "id": event_id, "stream_id": stream_id, "run": run, "type": event.type, "t0": event.t0,
                "t1": event.t1, "confidence": event.confidence, "label": event.label or "",
                "description": event.description, "attributes": json_text(event.attributes),
                "thumbnail": event.thumbnail or "",
            }
        )
        home = segments.find(event.t0)
        if home is not None:
            batch.occurs_in.append({"src": event_id, "dst": home})
        for key in event.entities:
            batch.involves.append({"src": event_id, "dst": f"{prefix}/ent/{tag}{key}",
                                   "role": event.roles.get(key, "")})
        if zone := event.attributes.get("zone"):
            batch.at.append({"src": event_id, "dst": zone_id(stream_id, zone)})
    return batch


def summary_batch(closed: list[ClosedWindow]) -> GraphBatch:
    """Summary nodes and their SUMMARIZES links (closed windows from graph.summaries.SummaryBuilder)."""
    batch = GraphBatch()
    for window in closed:
        batch.summaries.append(window.row)
        batch.summarizes += [{"src": window.row["id"], "dst": child} for child in window.children]
    return batch
