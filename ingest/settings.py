"""Settings of the ingest stage (section ``[ingest]``, variables ``VIDGRAPH_INGEST_<KEY>``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

MAX_CHUNK_S = 3600.0  # the longest chunk, so the longest segment: window reads bound segment starts by it


class IngestSettings(BaseModel):
    sample_fps: float = Field(default=5.0, gt=0, le=120, description="frames per second taken from the video")
    chunk_duration: float = Field(default=10.0, gt=0, le=MAX_CHUNK_S,
                                  description="seconds per chunk (VSS chunk_duration)")
    chunk_overlap: float = Field(default=0.0, ge=0, le=600, description="seconds shared by consecutive chunks")
    decoder: Literal["pyav", "decord"] = Field(
        default="pyav",
        description="pyav streams in flat memory; decord runs ahead of slow consumers (see ingest.source)",
    )
    decode_max_width: int = Field(default=960, ge=64, description="larger frames are scaled down while decoding")
    motion_width: int = Field(default=192, ge=32, description="width of the grey image motion is scored on")
    motion_threshold: float = Field(default=0.002, ge=0, le=1, description="moving fraction that marks a frame active")
    allowed_hosts: list[str] = Field(
        default_factory=list, max_length=256,
        description="hosts or networks (CIDR) outside the private and loopback networks that live stream URLs may "
                    "name; link-local and metadata addresses are refused whatever this says (common.urls)")
