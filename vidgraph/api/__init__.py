"""The REST API (FastAPI) of service mode: files, live streams, jobs, questions, reports, alerts.

Close to NVIDIA VSS's API where that costs nothing (``/files``, ``/live-stream``, ``/summarize``, and an
OpenAI-style ``/v1/chat/completions`` that answers questions), so VSS users can move over. Every route but
``/health`` and the documentation (``/docs``, served locally, with an Authorize button for the token, and
``/openapi.json``) needs ``Authorization: Bearer <VIDGRAPH_SERVICE_API_TOKEN>``; the server refuses to start
without a token. Bodies are limited (``service.max_body_kb`` for JSON, ``service.max_upload_mb`` for uploads); file
paths must lie inside ``service.media_dir``; stream URLs must pass the outbound policy (``common.urls``). A
rejected request stores nothing, and no message shows the server's own directories. Work goes to the Celery
workers; reads open the graph read-only (the embedded store allows readers beside its one writer process).

One router per area: ``files`` (files and jobs), ``live`` (live streams), ``questions`` (ask, chat,
summarize), ``reports``, ``alerts``, ``reads`` (the dashboard's graph reads), ``service`` (health); what they
share (settings, the graph reader, job state) is ``vidgraph.api.context``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graph.errors import GraphError
from pipeline.settings import Settings
from vidgraph.api import alerts, files, live, questions, reads, reports, service
from vidgraph.api.context import ApiContext, BodyLimit, guard
from vidgraph.api.docs import add_docs
from workers.errors import queue_down_message, queue_errors


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    token = settings.service.api_token.get_secret_value() if settings.service.api_token else ""
    if not token:
        raise ValueError("the API needs a token: set VIDGRAPH_SERVICE_API_TOKEN (every route but /health checks it)")
    app = FastAPI(title="vidgraph", version="0.1", description=__doc__, docs_url=None, redoc_url=None)
    app.state.ctx = ApiContext(settings)
    app.middleware("http")(guard(settings, token))
    app.add_middleware(BodyLimit, settings=settings)
    app.exception_handler(RequestValidationError)(_invalid)
    for error in queue_errors():
        app.exception_handler(error)(_queue_down(settings))
    app.exception_handler(GraphError)(_graph_unusable)
    for module in (service, files, live, questions, reads, reports, alerts):
        app.include_router(module.router)
    add_docs(app)
    return app


def _queue_down(settings: Settings) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=503, headers={"Retry-After": "10"},
                            content={"detail": queue_down_message(settings.service.redis_url, exc)})

    return unavailable


async def _graph_unusable(request: Request, exc: Exception) -> JSONResponse:
    """A 503 with the graph stage's one line (a server down, the embedded store busy, a read larger than its
    page cache) instead of a 500."""
    return JSONResponse(status_code=503, headers={"Retry-After": "10"}, content={"detail": str(exc)})


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    """A 422 in FastAPI's documented shape (loc, msg, type), without echoing the input: a NaN or a NUL byte in
    it made the default handler itself fail with a 500."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in errors]
    return JSONResponse(status_code=422, content={"detail": detail})


__all__ = ["create_app"]
