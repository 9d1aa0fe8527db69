"""vidgraph: the entry points people use, above the core (``pipeline`` and the stages).

``vidgraph.cli`` is the ``vidgraph`` command (analyze, ask, report, service mode, a local Neo4j);
``vidgraph.api`` is the REST API of service mode. Neither is imported by any package below them.
"""

__version__ = "0.1.0"
