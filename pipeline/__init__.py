"""The stages wired into runs: a file analysed in this process, a live stream, a worker's commit.

``ingest -> vlm -> graph (+ alerts)`` for one stream; :class:`RunWriter` is the graph side of a run and the only
code that writes a run's nodes. Entry points (``vidgraph`` CLI and API, ``workers``, ``dashboard``) sit above
this package and never below it.

- ``pipeline.settings``: the deployment's :class:`Settings` (one section per stage);
- ``pipeline.stream``: stream ids, a file's stream record and run id, the perception context, opening the graph,
  forgetting a stream with its files;
- ``pipeline.chunks``: decode/sample/chunk a source, perceive chunks in order, segment thumbnails;
- ``pipeline.writer``: :class:`RunWriter` (begin, write in order, finish or roll back; its state for workers);
- ``pipeline.file``: :func:`analyze_file`; ``pipeline.live``: :func:`run_live`.
"""

from pipeline.file import AnalyzeResult, analyze_file
from pipeline.settings import Settings
from pipeline.stream import check_stream_id, forget_stream, open_graph, stream_id_for

__all__ = [
    "AnalyzeResult", "Settings", "analyze_file", "check_stream_id", "forget_stream", "open_graph", "stream_id_for",
]
