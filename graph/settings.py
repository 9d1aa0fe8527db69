"""Settings of the graph stage (section ``[graph]``, variables ``VIDGRAPH_GRAPH_<KEY>``; Neo4j's connection from
its own variables ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


class GraphSettings(BaseModel):
    backend: Literal["ladybug", "neo4j"] = "ladybug"
    path: Path | None = Field(default=None, description="embedded database path; default <data_dir>/graph.lbdb")
    buffer_pool_mb: int = Field(default=128, ge=64, description="embedded store's page cache (bounds its memory)")
    embedder: str = Field(default="none", description="none, minilm, or st:<local sentence-transformers dir>")
    reid_window_s: float = Field(default=10.0, ge=0, description="same stream: a track lost this long is re-identified")
    transit_s: float = Field(default=120.0, ge=0, description="across cameras: the longest plausible transit")
    min_similarity: float = Field(default=0.8, ge=0, le=1, description="appearance needed for SAME_AS")
    summary_scales: list[float] = Field(default=[300.0, 3600.0, 86400.0], description="seconds per summary level")
    # Neo4j's own variable names, as its tools use them (read when the settings are made)
    neo4j_uri: str | None = Field(default_factory=lambda: _env("NEO4J_URI"))
    neo4j_user: str = Field(default_factory=lambda: os.environ.get("NEO4J_USER") or "neo4j")
    neo4j_password: SecretStr | None = Field(default_factory=lambda: _env("NEO4J_PASSWORD"), validate_default=True)
    neo4j_database: str | None = Field(default_factory=lambda: _env("NEO4J_DATABASE"))
    neo4j_buffer_batches: int = Field(default=256, ge=1, description="writes held while Neo4j is unreachable; "
                                                                     "when full, ingestion pauses")
    neo4j_max_backoff_s: float = Field(default=30.0, gt=0, description="longest wait between write retries")
