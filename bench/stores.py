"""The graph a bench writes or reads, on either backend, kept in one data directory.

``ladybug``: ``DIR/graph.lbdb``. ``neo4j``: the server ``NEO4J_URI`` names if set, else a local Neo4j 5 that
this module starts from ``graph/neo4j_launcher`` with its data in ``DIR/neo4j`` (and stops again), so
``bench/graph_scale.py --backend neo4j --keep DIR`` followed by ``bench/query.py --backend neo4j --graph DIR``
reads the graph the first one wrote.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph import neo4j_local
from pipeline.settings import Settings

BACKENDS = ("ladybug", "neo4j")


def exists(backend: str, data_dir: Path) -> bool:
    return (data_dir / ("graph.lbdb" if backend == "ladybug" else "neo4j")).exists()


@contextmanager
def bench_settings(backend: str, data_dir: Path, heap_mb: int = 3072, pagecache_mb: int = 2048,
                   **graph: object) -> Iterator[Settings]:
    """Settings for the bench's graph on ``backend`` (a local Neo4j runs while the context is open, its page
    cache larger than the million-event store, ~1 GB, as Neo4j advises for a server)."""
    if backend == "ladybug":
        yield Settings(data_dir=data_dir).with_overrides(graph=dict(graph))
        return
    if os.environ.get("NEO4J_URI"):
        yield Settings(data_dir=data_dir).with_overrides(graph={"backend": "neo4j", **graph})
        return
    secret = data_dir / "neo4j-password"
    if not secret.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        secret.write_text(secrets.token_urlsafe(18))
        secret.chmod(0o600)
    password = secret.read_text().strip()
    server = neo4j_local.start(data_dir / "neo4j", neo4j_local.free_port(), password, heap_mb=heap_mb,
                               pagecache_mb=pagecache_mb)
    try:
        yield Settings(data_dir=data_dir).with_overrides(graph={
            "backend": "neo4j", "neo4j_uri": server.uri, "neo4j_user": neo4j_local.USER, "neo4j_password": password,
            **graph})
    finally:
        server.stop()
