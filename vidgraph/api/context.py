"""What every router of the API shares: the settings, the graph reader, job state, the request guard."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from graph import GraphStore
from pipeline import open_graph
from pipeline.settings import Settings
from vidgraph.api.docs import is_public


class ApiError(BaseModel):
    """Every error the API answers: one line, or for a 422 of the request's shape, FastAPI's list of
    ``{loc, msg, type}``."""

    detail: str | list[dict[str, Any]]


# the errors any route may answer (documented on every route; schemathesis checks none is missing)
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ApiError, "description": text} for code, text in {
    400: "a body that cannot be parsed (not UTF-8 JSON, a broken multipart form)",
    401: "missing or wrong bearer token",
    403: "a path outside the media directory",
    404: "no such stream, job, report or thumbnail; or nothing analysed yet",
    409: "already running; or a stream name in a question that several streams share (the message names their ids)",
    411: "a request body without Content-Length",
    413: "a request body over the limit",
    422: "a value the API cannot use (the message names it)",
    503: "the job queue (Redis) is unreachable",
}.items()}

READERS = 4  # graph reads at once per API process; more requests wait their turn instead of failing


class ApiContext:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.media = settings.service.media_dir.resolve()
        self._readers = threading.BoundedSemaphore(READERS)

    @contextmanager
    def reader(self) -> Iterator[GraphStore]:
        """The graph, read-only; 404 while nothing has been analysed. The embedded store is opened per request
        (a reader held open would keep the workers from writing), at most ``READERS`` at a time."""
        if not self.has_graph():
            raise HTTPException(404, "nothing analysed yet")
        with self._readers, open_graph(self.settings, read_only=True) as store:
            yield store

    def has_graph(self) -> bool:
        return self.settings.graph.backend != "ladybug" or self.settings.graph_path.exists()

    def jobs(self) -> Any:
        from workers.tasks import jobs_of

        return jobs_of(self.settings)

    def inside_media(self, path: str) -> Path:
        if "\x00" in path or any(len(part.encode()) > 255 for part in Path(path).parts):
            raise HTTPException(422, "invalid path: a NUL byte or a name over 255 bytes")
        try:
            candidate = (self.media / path).resolve() if not Path(path).is_absolute() else Path(path).resolve()
        except (OSError, ValueError, RuntimeError) as err:
            raise HTTPException(422, f"invalid path ({type(err).__name__})") from None
        if not candidate.is_relative_to(self.media):
            raise HTTPException(403, f"{path}: outside the media directory")
        return candidate

    def shown(self, text: str) -> str:
        """A message with the server's media and data directories left out: paths read as the client gave them."""
        for root in sorted({str(self.media), str(self.settings.data_dir.resolve())}, key=len, reverse=True):
            text = text.replace(root + "/", "").replace(root, ".")
        return text


def ctx(request: Request) -> ApiContext:
    """The dependency every route takes: ``ctx: ApiContext = Depends(ctx)``."""
    return request.app.state.ctx


Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def guard(settings: Settings, token: str) -> Middleware:
    """Auth and body size, before any route runs or any body is read."""

    async def check(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if not is_public(request.url.path):
            given = request.headers.get("authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return JSONResponse({"detail": "missing or wrong bearer token"}, status_code=401,
                                    headers={"WWW-Authenticate": "Bearer"})
        limit = (settings.service.max_upload_mb * 1024 * 1024 if request.url.path == "/files/upload"
                 else settings.service.max_body_kb * 1024)
        length = request.headers.get("content-length")
        if request.method in ("POST", "PUT", "PATCH") and length is None and request.url.path != "/files/upload":
            return JSONResponse({"detail": "a request body needs a Content-Length header"}, status_code=411)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return JSONResponse({"detail": f"request body of {length} bytes is over the {limit}-byte limit"},
                                status_code=413)
        return await call_next(request)

    return check


class BodyLimit:
    """Counts a request body as it arrives and refuses it (413) once it passes the limit, before anything
    spools it: a chunked upload has no Content-Length for ``guard`` to check up front, and the multipart
    parser would otherwise write all of it to disk before the route could count."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = (self.settings.service.max_upload_mb * 1024 * 1024 if scope["path"] == "/files/upload"
                 else self.settings.service.max_body_kb * 1024)
        received, tripped, answered = 0, False, False

        async def counted() -> dict[str, Any]:
            nonlocal received, tripped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    tripped = True
                    raise _TooLarge
            return message

        async def refuse() -> None:
            nonlocal answered
            if not answered:
                answered = True
                await JSONResponse({"detail": f"request body is over the {limit}-byte limit"}, status_code=413)(
                    scope, receive, send)

        async def sent(message: dict[str, Any]) -> None:  # once tripped, whatever the app answers becomes the 413
            if tripped:
                await refuse()
            else:
                await send(message)

        try:
            await self.app(scope, counted, sent)
        except Exception:
            if not tripped:
                raise
            await refuse()


class _TooLarge(Exception):
    pass


def job_view(job: dict[str, Any]) -> dict[str, Any]:
    """A job as clients see it (``progress``: :func:`workers.jobs.progress`)."""
    from workers.jobs import progress

    total, expected = job["total"], job.get("expected", 0)
    return {"id": job["id"], "kind": job["kind"], "status": job["status"], "path": job.get("path", ""),
            "stream_id": job.get("stream_id", ""), "chunks_total": total if total >= 0 else None,
            "chunks_expected": expected or None, "chunks_perceived": job["perceived"], "chunks_written": job["next"],
            "progress": progress(job), "error": job.get("error", "")}
