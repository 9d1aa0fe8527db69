"""Stage 2 - perception: a chunk of frames in, an :class:`Observation` out.

Every backend implements :class:`PerceptionBackend` and returns the same pydantic schema (caption, events,
entities), so the graph stage never knows which model looked. Backends are chosen by name with
:func:`create_backend`:

* ``cv`` (default, offline): motion regions tracked with ByteTrack, labelled by a COCO detector (ONNX),
  turned into enter/exit/dwell/proximity events and a templated caption.
"""

from vlm.base import PerceptionBackend, PerceptionContext, create_backend
from vlm.schema import EntityObservation, EventObservation, Observation

__all__ = [
    "EntityObservation",
    "EventObservation",
    "Observation",
    "PerceptionBackend",
    "PerceptionContext",
    "create_backend",
]
