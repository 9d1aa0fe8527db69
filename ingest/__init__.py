"""Stage 1 - ingest: video in, sampled and chunked frames out.

Data flows ``ingest -> vlm -> graph -> query``. This package owns everything up to the chunk:

* :func:`probe` checks a file before anything is written (missing, not a video, truncated).
* :func:`open_source` opens a :class:`VideoSource` (decord for files, PyAV for what decord cannot open).
* :func:`sample` picks frames at a target rate and scores motion on each one (cheap, low resolution).
* :func:`chunk` groups sampled frames into overlapping chunks with VSS's knobs.

Everything streams: at most one chunk of frames (plus its overlap) is held in memory, whatever the length.
"""

from ingest.chunker import Chunk, chunk
from ingest.errors import (
    DecodeFailed,
    InputNotFound,
    NotAVideo,
    TruncatedVideo,
    VideoInputError,
)
from ingest.frames import Frame
from ingest.motion import MotionDetector, MotionResult
from ingest.probe import VideoInfo, probe
from ingest.sampler import sample
from ingest.source import VideoSource, open_source

__all__ = [
    "Chunk",
    "DecodeFailed",
    "Frame",
    "InputNotFound",
    "MotionDetector",
    "MotionResult",
    "NotAVideo",
    "TruncatedVideo",
    "VideoInfo",
    "VideoInputError",
    "VideoSource",
    "chunk",
    "open_source",
    "probe",
    "sample",
]
