"""Stage 3 - graph memory: observations become nodes and relations.

Schema (see ``graph/README.md``)::

    (Stream)-[:HAS]->(Segment)-[:NEXT]->(Segment)
    (Event)-[:IN]->(Segment)
    (Event)-[:INVOLVES {role}]->(Entity)
    (Event)-[:AT]->(Zone)
    (Summary)-[:SUMMARIZES]->(Segment | Summary)

:func:`open_store` returns the configured backend (embedded LadybugDB by default). Writes are batched per
chunk in one transaction and idempotent: node ids are derived from the stream, the analysis run and the
perception keys, and every write is a ``MERGE``.
"""

from graph.build import SegmentIndex, observation_batch, run_id, summary_batch, zone_batch
from graph.records import GraphBatch, StreamRecord
from graph.store import GraphStore, open_store

__all__ = [
    "GraphBatch",
    "GraphStore",
    "SegmentIndex",
    "StreamRecord",
    "observation_batch",
    "open_store",
    "run_id",
    "summary_batch",
    "zone_batch",
]
