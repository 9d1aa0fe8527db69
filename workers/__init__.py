"""Service mode: Celery workers on Redis run files and live streams through the same stages as the CLI.

Queues, so different machines can take different work:

- ``cpu``: decoding, sampling and chunking files (``ingest_file``), the CV perception (stateful tracking, so
  a stream's chunks stay in one task), reports;
- ``perception``: one chunk through a VLM (``perceive_chunk``): chunks are independent there, so this is
  the work that scales out across GPU workers;
- ``graph``: writing observations in chunk order (``commit``), finishing and rolling back runs. The embedded
  LadybugDB allows one writing process at a time, so every write happens under a Redis lock;
- ``live``: long-running live-stream readers (``run_stream``), one per stream, restarted by beat if their
  heartbeat stops.

Writes are idempotent (deterministic node ids, MERGE), so ``acks_late`` redelivery of a task whose worker
died repeats work but never duplicates it. Job state (chunks perceived and committed) lives in Redis
(:mod:`workers.jobs`).
"""
