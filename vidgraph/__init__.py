"""vidgraph: the CLI, the settings and the in-process pipeline that runs ingest -> vlm -> graph.

``vidgraph analyze FILE`` runs :func:`vidgraph.pipeline.analyze_file`; ``vidgraph ask`` runs
:func:`query.ask`. Settings come from :class:`vidgraph.settings.Settings`.
"""

__version__ = "0.1.0"
