"""Stage runner for service mode (Celery on Redis): not built yet.

The in-process pipeline in :mod:`vidgraph.pipeline` is the embedded default. Celery tasks per chunk, live
RTSP ingestion and scheduled reports belong here (issue "Service mode"); nothing in this package is used yet.
"""
