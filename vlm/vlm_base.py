"""What every VLM backend shares: frame selection, prompt, cache, reply parsing, observation building.

A subclass only turns ``(system prompt, user text, frames)`` into reply text (:meth:`VLMPerception._generate`).
Everything else is here, once: static chunks are not sent; frames are scaled to ``input_width`` and, in
hybrid mode, carry numbered marks for the tracked objects; replies are cached by a hash of exactly what the
model sees; an unusable reply fails the chunk with its reason and raw text.
"""

from __future__ import annotations

import hashlib
import logging
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from common.text import clock
from ingest.chunker import Chunk
from vlm.base import PerceptionBackend, PerceptionContext
from vlm.profiles import Profile
from vlm.reply import ReplyError, VLMReply, parse_reply
from vlm.schema import EntityObservation, EventObservation, Observation

log = logging.getLogger(__name__)


class VLMError(RuntimeError):
    """The model could not give a usable reply for a chunk (endpoint down, model missing, ...)."""


@dataclass(slots=True)
class TrackedObject:
    key: str  # the entity key the cv backend uses, e.g. "track-3"
    cls: str
    first_seen: float
    last_seen: float


@dataclass(slots=True)
class TrackContext:
    """The cv backend's tracks for one chunk, handed to the VLM in hybrid mode."""

    objects: list[TrackedObject] = field(default_factory=list)
    boxes: dict[float, list[tuple[str, np.ndarray]]] = field(default_factory=dict)  # frame time -> (key, box)

    def describe(self) -> str:
        if not self.objects:
            return "No objects are tracked in this chunk."
        counts: dict[str, int] = {}
        for o in self.objects:
            counts[o.cls] = counts.get(o.cls, 0) + 1
        lines = [f"- id {o.key}: {o.cls}, in view {clock(o.first_seen)}-{clock(o.last_seen)}" for o in self.objects]
        return ("Objects tracked by the camera system ("
                + ", ".join(f"{n} {cls}" for cls, n in sorted(counts.items()))
                + "; use these ids in your reply; the frames show them as numbered boxes):\n" + "\n".join(lines))


class VLMPerception(PerceptionBackend):
    def __init__(
        self,
        *,
        model_id: str,
        profile: Profile,
        context: PerceptionContext,
        frames_per_chunk: int,
        input_width: int,
        cache_dir: Path | None,
        draw_marks: bool = True,
    ) -> None:
        self.model_id, self.profile, self.context = model_id, profile, context
        self.frames_per_chunk, self.input_width = frames_per_chunk, input_width
        self.cache_dir, self.draw_marks = cache_dir, draw_marks

    @abstractmethod
    def _generate(self, system: str, text: str, images: list[np.ndarray]) -> str:
        """Reply text for one chunk; raise VLMError when the model cannot answer."""

    def _generate_batch(self, requests: Sequence[tuple[str, str, list[np.ndarray]]]) -> list[str | Exception]:
        """Several chunks at once; backends that batch on a device override this."""
        out: list[str | Exception] = []
        for system, text, images in requests:
            try:
                out.append(self._generate(system, text, images))
            except VLMError as err:
                out.append(err)
        return out

    # -- the interface -----------------------------------------------------------------------------------
    def perceive(self, chunk: Chunk, tracks: TrackContext | None = None) -> Observation:
        return self.perceive_batch([chunk], [tracks])[0]

    def perceive_batch(
        self, chunks: Sequence[Chunk], tracks: Sequence[TrackContext | None] | None = None
    ) -> list[Observation]:
        tracks = list(tracks) if tracks is not None else [None] * len(chunks)
        results: list[Observation | None] = [None] * len(chunks)
        pending: list[tuple[int, str, str, list[np.ndarray], Path | None]] = []
        for i, (chunk, context) in enumerate(zip(chunks, tracks, strict=True)):
            if not chunk.active:
                results[i] = Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="static",
                                         caption="no motion; not sent to the VLM", motion=chunk.motion)
                continue
            system, text, images = self._inputs(chunk, context)
            cached = self._cache_path(system, text, images)
            if cached is not None and cached.is_file():
                results[i] = self._observation(chunk, cached.read_text(), context)
            else:
                pending.append((i, system, text, images, cached))
        if pending:
            replies = self._generate_batch([(s, t, im) for _, s, t, im, _ in pending])
            for (i, _, _, _, cached), reply in zip(pending, replies, strict=True):
                results[i] = self._observation(chunks[i], reply, tracks[i], cache_to=cached)
        return [r for r in results if r is not None]

    # -- inputs ----------------------------------------------------------------------------------------------
    def _inputs(self, chunk: Chunk, tracks: TrackContext | None) -> tuple[str, str, list[np.ndarray]]:
        frames = chunk.pick(self.frames_per_chunk)
        images = []
        for frame in frames:
            rgb = frame.image
            if tracks is not None and self.draw_marks:
                rgb = _draw_marks(rgb, tracks.boxes.get(frame.t, []))
            images.append(_fit_width(rgb, self.input_width))
        text = (f"Chunk {chunk.t0:.1f}-{chunk.t1:.1f} s. Frames at: " + ", ".join(f"{f.t:.1f} s" for f in frames) + ".")
        if tracks is not None:
            text += "\n" + tracks.describe()
        return self.profile.prompt(len(frames)), text, images

    def _cache_path(self, system: str, text: str, images: list[np.ndarray]) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256()
        for part in (self.model_id, system, text):
            digest.update(part.encode() + b"\0")
        for image in images:
            digest.update(str(image.shape).encode() + image.tobytes())
        key = digest.hexdigest()
        return self.cache_dir / key[:2] / f"{key}.txt"

    # -- output ------------------------------------------------------------------------------------------------
    def _observation(self, chunk: Chunk, reply_text: str | Exception, tracks: TrackContext | None,
                     cache_to: Path | None = None) -> Observation:
        try:
            if isinstance(reply_text, Exception):
                raise reply_text
            reply = parse_reply(reply_text)
        except (VLMError, ReplyError) as err:
            log.warning("chunk %d (%.1f-%.1f s) failed: %s", chunk.idx, chunk.t0, chunk.t1, err)
            return Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="failed", error=str(err),
                               motion=chunk.motion)
        if cache_to is not None:  # only usable replies are cached: a failed chunk is asked again next run
            cache_to.parent.mkdir(parents=True, exist_ok=True)
            cache_to.write_text(reply_text)
        return _reply_observation(chunk, reply, tracks)


def _reply_observation(chunk: Chunk, reply: VLMReply, tracks: TrackContext | None) -> Observation:
    prefix = f"vlm-{chunk.idx}"
    tracked = {o.key for o in tracks.objects} if tracks else set()

    def key_of(object_id: str) -> str:
        return object_id if object_id in tracked else f"{prefix}-{object_id}"  # link to the tracked entity

    def clamp(t: float) -> float:
        return min(max(t, chunk.t0), chunk.t1)

    entities = [
        EntityObservation(key=key_of(obj.id), cls=obj.cls.lower(), confidence=0.5, first_seen=chunk.t0,
                          last_seen=chunk.t1, attributes={"description": obj.description, "source": "vlm"})
        for obj in reply.objects
        if obj.id not in tracked  # tracked objects already have their entity, with precise times
    ]
    known = {obj.id for obj in reply.objects} | tracked
    events = []
    for i, event in enumerate(reply.events):
        t0, t1 = sorted((clamp(event.start), clamp(event.end)))
        involved = [key_of(o) for o in event.objects if o in known]
        events.append(EventObservation(
            key=f"{prefix}-e{i}", type=event.type, t0=t0, t1=t1, confidence=event.confidence,
            description=event.description or event.type.replace("_", " "), entities=involved,
            roles=dict.fromkeys(involved, "subject"), attributes={"source": "vlm", "repaired": reply.repaired},
        ))
    counts: dict[str, int] = {}
    for entity in entities:
        counts[entity.cls] = counts.get(entity.cls, 0) + 1
    return Observation(chunk_idx=chunk.idx, t0=chunk.t0, t1=chunk.t1, status="ok", caption=reply.caption,
                       motion=chunk.motion, counts=counts, events=events, entities=entities)


def _fit_width(rgb: np.ndarray, width: int) -> np.ndarray:
    h, w = rgb.shape[:2]
    if w <= width:
        return rgb
    return cv2.resize(rgb, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)


def _draw_marks(rgb: np.ndarray, boxes: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """Numbered boxes on a copy of the frame (set-of-marks prompting)."""
    if not boxes:
        return rgb
    marked = rgb.copy()
    for key, box in boxes:
        x0, y0, x1, y1 = (int(v) for v in box)
        cv2.rectangle(marked, (x0, y0), (x1, y1), (255, 200, 0), 2)
        cv2.putText(marked, key.removeprefix("track-"), (x0 + 3, max(14, y0 + 16)), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                    (255, 200, 0), 2)
    return marked
