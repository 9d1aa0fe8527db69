"""The Celery application, configured from the vidgraph settings (``[service]``).

Redelivery after a worker dies: ``task_acks_late`` + ``task_reject_on_worker_lost`` + prefetch 1, and the Redis
transport's ``visibility_timeout`` (which must exceed the longest task) with ``unacked_restore_interval``
and ``unacked_restore_throttle`` set so an orphaned task is restored about ``visibility_timeout`` after its
worker died, not minutes later. Messages a dead worker took before kombu recorded them are sent again by
beat's ``recover_jobs`` (``workers.tasks.resend_lost_work``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from celery import Celery
from celery.schedules import crontab

from pipeline.settings import ServiceSettings, Settings

QUEUES = ("cpu", "perception", "graph", "live")
ROUTES = {
    "vidgraph.ingest_file": {"queue": "cpu"},
    "vidgraph.perceive_part": {"queue": "cpu"},
    "vidgraph.perceive_chunk": {"queue": "perception"},
    "vidgraph.commit": {"queue": "graph"},
    "vidgraph.abort": {"queue": "graph"},
    "vidgraph.run_stream": {"queue": "live"},
    "vidgraph.ensure_streams": {"queue": "cpu"},
    "vidgraph.recover_jobs": {"queue": "cpu"},
    "vidgraph.render_report": {"queue": "cpu"},
}


_CRONTABS: dict[str, dict[str, Any]] = {"hourly": {"minute": 0}, "daily": {"minute": 0, "hour": 0},
                                        "weekly": {"minute": 0, "hour": 0, "day_of_week": "mon"},
                                        "monthly": {"minute": 0, "hour": 0, "day_of_month": 1}}


def schedule_of(every: str) -> Any:
    """``hourly``, ``daily``, ``weekly``, ``monthly`` (at minute 0 / midnight / Monday's / the 1st's) or a period:
    ``30s``, ``15m``, ``6h``."""
    if every in _CRONTABS:
        return crontab(**_CRONTABS[every])
    m = re.fullmatch(r"(\d+)\s*(s|m|h)", every)
    if not m:
        raise ValueError(f"cannot read schedule {every!r}: use hourly, daily, weekly, monthly, or a period like "
                         "30s, 15m, 6h")
    return timedelta(seconds=int(m.group(1)) * {"s": 1, "m": 60, "h": 3600}[m.group(2)])


def beat_schedule(service: ServiceSettings) -> dict[str, dict[str, Any]]:
    every = timedelta(seconds=service.supervise_s)
    entries: dict[str, dict[str, Any]] = {
        "ensure-live-streams": {"task": "vidgraph.ensure_streams", "schedule": every},
        "recover-lost-work": {"task": "vidgraph.recover_jobs", "schedule": every},
    }
    for s in service.schedules:
        entries[f"report-{s.name}"] = {"task": "vidgraph.render_report", "schedule": schedule_of(s.every),
                                       "args": (s.model_dump(mode="json"),)}
    return entries


def make_app(settings: Settings | None = None) -> Celery:
    settings = settings or Settings()
    service = settings.service
    app = Celery("vidgraph", broker=service.redis_url, backend=service.redis_url, include=["workers.tasks"])
    vt = service.visibility_timeout_s
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={
            "visibility_timeout": vt,
            "unacked_restore_interval": max(1, min(10, vt // 4)),
            "unacked_restore_throttle": 1,
            # the restore sweep's mutex: kombu keeps it 300 s by default, so a worker killed inside a sweep
            # (it runs every few seconds) stopped every redelivery for five minutes
            "unacked_mutex_expire": 10,
        },
        result_backend_transport_options={"visibility_timeout": vt},
        broker_connection_retry_on_startup=True,
        task_routes=ROUTES,
        task_default_queue="cpu",
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=service.job_ttl_s,
        worker_hijack_root_logger=False,
        timezone=settings.timezone,
        beat_schedule=beat_schedule(service),
    )
    return app


app = make_app()
_CLIENTS: dict[str, Celery] = {}


def client_for(settings: Settings) -> Celery:
    """An app for sending tasks to the Redis these settings name (the CLI and tests may point elsewhere than
    the environment this module was imported in)."""
    url = settings.service.redis_url
    if url == app.conf.broker_url:
        return app
    if url not in _CLIENTS:
        _CLIENTS[url] = make_app(settings)
    return _CLIENTS[url]
