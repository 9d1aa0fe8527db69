"""The graph stage's error family: one line each, naming the store and the problem."""

from __future__ import annotations


class GraphError(RuntimeError):
    """The graph store cannot be used as asked."""


class GraphUnavailable(GraphError):
    """A graph server (Neo4j) cannot be reached, or its driver is not installed."""


class GraphBusy(GraphError):
    """Another process has the embedded graph open for writing."""


class GraphReadTooLarge(GraphError):
    """A read needed more memory than the embedded store's page cache holds (``graph.buffer_pool_mb``)."""
