"""The REST API (FastAPI) of service mode: files, live streams, jobs, questions, reports, alerts.

Close to NVIDIA VSS's API where that costs nothing (``/files``, ``/live-stream``, ``/summarize``, and an
OpenAI-style ``/v1/chat/completions`` that answers questions), so VSS users can move over. Every route but
``/health`` needs ``Authorization: Bearer <VIDGRAPH_SERVICE_API_TOKEN>``; the server refuses to start without
a token. Bodies are limited (``service.max_body_kb`` for JSON, ``service.max_upload_mb`` for uploads); file
paths must lie inside ``service.media_dir``; stream URLs must be rtsp, rtmp, http or https. A rejected request
stores nothing. Work goes to the Celery workers; reads open the graph read-only per request (the embedded
store allows readers beside its one writer process).
"""

from __future__ import annotations

import hmac
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field, field_validator

from graph import GraphStore, open_store
from ingest import VideoInputError, probe
from ingest.live import SCHEMES
from query import ask
from vidgraph.pipeline import check_stream_id
from vidgraph.settings import Settings
from vlm.cv.caption import clock


class FileRequest(BaseModel):
    path: str = Field(min_length=1, max_length=4096, description="a video file inside the media directory")
    stream_id: str | None = Field(default=None, max_length=64)
    start: float | None = Field(default=None, description="wall clock of the first frame (epoch seconds)")


class StreamRequest(BaseModel):
    url: str = Field(min_length=8, max_length=2048)
    stream_id: str = Field(min_length=1, max_length=64)
    name: str | None = Field(default=None, max_length=200)

    @field_validator("url")
    @classmethod
    def _scheme(cls, url: str) -> str:
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if scheme not in SCHEMES:
            raise ValueError(f"stream URL scheme must be one of {', '.join(SCHEMES)}, not {scheme or 'none'!r}")
        return url


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    streams: list[str] | None = None


class ChatMessage(BaseModel):
    role: str
    content: str = Field(max_length=8000)


class ChatRequest(BaseModel):
    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1, max_length=50)


class ReportRequest(BaseModel):
    streams: list[str] | None = None
    since: str = "24h"
    format: Literal["md", "html", "pdf"] = "pdf"
    min_severity: Literal["high", "medium", "low", "info"] = "low"


class SummarizeRequest(BaseModel):
    stream_id: str = Field(min_length=1, max_length=64)
    scale: float | None = Field(default=None, description="300, 3600 or 86400; default: all levels")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    token = settings.service.api_token.get_secret_value() if settings.service.api_token else ""
    if not token:
        raise ValueError("the API needs a token: set VIDGRAPH_SERVICE_API_TOKEN (every route but /health checks it)")
    media = settings.service.media_dir.resolve()
    app = FastAPI(title="vidgraph", version="0.1", description=__doc__)

    @app.middleware("http")
    async def guard(request: Request, call_next):  # noqa: ANN001, ANN202
        """Auth and body size, before any route runs or any body is read."""
        if request.url.path != "/health":
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
            return JSONResponse({"detail": f"request body of {int(length)} bytes is over the {limit}-byte limit"},
                                status_code=413)
        return await call_next(request)

    @contextmanager
    def reader() -> Iterator[GraphStore]:
        if settings.graph.backend == "ladybug" and not settings.graph_path.exists():
            raise HTTPException(404, "nothing analysed yet")
        with open_store(settings, read_only=True) as store:
            yield store

    def jobs():
        from workers.tasks import jobs_of

        return jobs_of(settings)

    def inside_media(path: str) -> Path:
        candidate = (media / path).resolve() if not Path(path).is_absolute() else Path(path).resolve()
        if not candidate.is_relative_to(media):
            raise HTTPException(403, f"{path}: outside the media directory {media}")
        return candidate

    # -- health ----------------------------------------------------------------------------------------------
    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        try:
            redis_ok = bool(jobs().r.ping())
        except Exception as err:  # noqa: BLE001 - health reports, never raises
            return JSONResponse({"status": "degraded", "redis": str(err)}, status_code=503)  # type: ignore[return-value]
        return {"status": "ok", "redis": redis_ok, "graph": settings.graph.backend}

    # -- files -----------------------------------------------------------------------------------------------
    @app.post("/files", status_code=202, tags=["files"])
    def add_file(body: FileRequest) -> dict[str, Any]:
        """Analyse a file from the media directory; returns the job to poll."""
        from workers.tasks import submit_file

        path = inside_media(body.path)
        try:
            if body.stream_id:
                check_stream_id(body.stream_id)
            probe(path)  # bad input is refused here, before a job exists
        except (VideoInputError, ValueError) as err:
            raise HTTPException(422, str(err)) from err
        job_id = submit_file(settings, path, body.stream_id, body.start)
        return {"job_id": job_id, "path": str(path)}

    @app.post("/files/upload", status_code=202, tags=["files"])
    def upload_file(file: UploadFile = File(...), stream_id: str | None = None) -> dict[str, Any]:
        """Upload a video (multipart) into ``<media>/uploads`` and analyse it."""
        from workers.tasks import submit_file

        name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(file.filename or "upload").name)[:100] or "upload"
        target = media / "uploads" / f"{uuid.uuid4().hex[:8]}-{name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        limit, written = settings.service.max_upload_mb * 1024 * 1024, 0
        with target.open("wb") as out:  # counted: a chunked upload has no Content-Length to check up front
            while block := file.file.read(1 << 20):
                written += len(block)
                if written > limit:
                    out.close()
                    target.unlink(missing_ok=True)
                    raise HTTPException(413, f"upload is over the {limit}-byte limit")
                out.write(block)
        try:
            if stream_id:
                check_stream_id(stream_id)
            probe(target)
        except (VideoInputError, ValueError) as err:
            target.unlink(missing_ok=True)
            raise HTTPException(422, str(err).replace(str(target), name)) from err
        return {"job_id": submit_file(settings, target, stream_id), "path": str(target)}

    @app.get("/files", tags=["files"])
    def list_files() -> dict[str, Any]:
        streams = []
        if settings.graph_path.exists() or settings.graph.backend != "ladybug":
            with reader() as store:
                streams = [s for s in store.list_streams() if s["kind"] == "file"]
        return {"streams": streams, "jobs": [_job_view(j) for j in jobs().list(50) if j["kind"] == "file"]}

    @app.delete("/files/{stream_id}", tags=["files"])
    def delete_file(stream_id: str) -> dict[str, Any]:
        from workers.tasks import writable_store

        with writable_store(settings, jobs()) as store:
            if store.get_stream(stream_id) is None:
                raise HTTPException(404, f"no stream {stream_id}")
            store.delete_stream(stream_id)
            store.flush()
        return {"deleted": stream_id}

    # -- jobs ------------------------------------------------------------------------------------------------
    @app.get("/jobs/{job_id}", tags=["files"])
    def job_status(job_id: str) -> dict[str, Any]:
        job = jobs().get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id}")
        return _job_view(job)

    # -- live streams ------------------------------------------------------------------------------------------
    @app.post("/live-stream", status_code=201, tags=["live"])
    def add_stream(body: StreamRequest) -> dict[str, Any]:
        from workers.tasks import add_stream as start

        try:
            check_stream_id(body.stream_id)
        except ValueError as err:
            raise HTTPException(422, str(err)) from err
        if (current := jobs().live(body.stream_id)) and current.get("desired") == "running":
            raise HTTPException(409, f"stream {body.stream_id} is already running")
        start(settings, body.url, body.stream_id, body.name)
        return {"stream_id": body.stream_id, "url": body.url}

    @app.get("/live-stream", tags=["live"])
    def list_streams() -> list[dict[str, Any]]:
        return jobs().lives()

    @app.delete("/live-stream/{stream_id}", tags=["live"])
    def stop_stream(stream_id: str) -> dict[str, Any]:
        from workers.tasks import stop_stream as stop

        if not stop(settings, stream_id):
            raise HTTPException(404, f"no live stream {stream_id}")
        return {"stopping": stream_id}

    # -- questions -------------------------------------------------------------------------------------------
    def answer(question: str, streams: list[str] | None) -> dict[str, Any]:
        from query.llm import LLMError, create_llm

        try:
            llm = create_llm(settings)
        except (ValueError, LLMError) as err:
            raise HTTPException(503, f"the answering model is not available: {err}") from err
        with reader() as store:
            try:
                result = ask(store, question, streams=streams, llm=llm, tz=settings.timezone,
                             context_tokens=settings.llm.context_tokens, max_tokens=settings.llm.max_tokens)
            except LLMError as err:
                raise HTTPException(502, f"the answering model failed: {err}") from err
        return result.to_dict()

    @app.post("/ask", tags=["questions"])
    def ask_route(body: AskRequest) -> dict[str, Any]:
        """A question about the footage: the answer and its citations (stream, time, thumbnail, ids)."""
        return answer(body.question, body.streams)

    @app.post("/v1/chat/completions", tags=["questions"])
    def chat(body: ChatRequest) -> dict[str, Any]:
        """OpenAI-style: the last user message is the question; citations ride along in ``citations``."""
        question = next((m.content for m in reversed(body.messages) if m.role == "user"), None)
        if not question:
            raise HTTPException(422, "no user message to answer")
        result = answer(question, None)
        lines = [result["text"], *(f"[{c['stream']} @ {clock(c['t0'])}-{clock(c['t1'])}] {c['what']}"
                                   for c in result["citations"])]
        return {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion", "model": body.model or "vidgraph",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": "\n".join(lines)}}],
                "citations": result["citations"], "supported": result["supported"]}

    @app.post("/summarize", tags=["questions"])
    def summarize(body: SummarizeRequest) -> dict[str, Any]:
        """The stream's hierarchical digests (VSS's /summarize, without an LLM: structured digests)."""
        with reader() as store:
            if store.get_stream(body.stream_id) is None:
                raise HTTPException(404, f"no stream {body.stream_id}")
            rows = store.summaries(streams=[body.stream_id], scale=body.scale)
        return {"stream_id": body.stream_id, "summaries": rows}

    # -- graph reads (the dashboard's, in service mode) ----------------------------------------------------------
    @app.get("/streams", tags=["graph"])
    def streams() -> list[dict[str, Any]]:
        if settings.graph.backend == "ladybug" and not settings.graph_path.exists():
            return []
        with reader() as store:
            return store.list_streams()

    @app.get("/events", tags=["graph"])
    def events(stream: list[str] | None = Query(None), type: list[str] | None = Query(None),  # noqa: A002
               label: str | None = None, since: float | None = None, until: float | None = None,
               limit: int = Query(2000, ge=1, le=10000)) -> list[dict[str, Any]]:
        with reader() as store:
            return store.events(streams=stream, types=type, label=label, t0=since, t1=until, limit=limit)

    @app.get("/entities", tags=["graph"])
    def entities(stream: list[str] | None = Query(None), cls: str | None = None, since: float | None = None,
                 until: float | None = None) -> list[dict[str, Any]]:
        with reader() as store:
            return store.entities(streams=stream, cls=cls, t0=since, t1=until)[:10000]

    @app.get("/segments", tags=["graph"])
    def segments(stream: list[str] = Query(...), since: float | None = None,
                 until: float | None = None) -> list[dict[str, Any]]:
        with reader() as store:
            return store.segments(streams=stream, t0=since, t1=until, limit=200)

    @app.get("/neighbourhood", tags=["graph"])
    def neighbourhood(stream: str, t: float, window: float = Query(30.0, gt=0, le=3600)) -> dict[str, Any]:
        with reader() as store:
            found = store.events(streams=[stream], t0=t - window, t1=t + window, limit=200)
            links = store.event_entities([e["id"] for e in found])
            return {"events": found, "entities": list({r["id"]: r for r in links}.values()), "links": links}

    @app.get("/thumbnails", tags=["graph"])
    def thumbnail(path: str) -> FileResponse:
        file = Path(path).resolve()
        if not file.is_relative_to(settings.thumbs_dir.resolve()) or not file.is_file():
            raise HTTPException(404, "no such thumbnail")
        return FileResponse(file, media_type="image/jpeg")

    # -- reports and alerts --------------------------------------------------------------------------------------
    @app.get("/reports/schedules", tags=["reports"])
    def schedules() -> list[dict[str, Any]]:
        return [s.model_dump() for s in settings.service.schedules]

    @app.get("/alerts/rules", tags=["alerts"])
    def rules() -> list[dict[str, Any]]:
        from query.alerts import load_rules

        path = settings.alerts.rules_file
        return [r.model_dump() for r in load_rules(path)] if path else []

    @app.get("/reports", tags=["reports"])
    def list_reports() -> list[dict[str, Any]]:
        from query.report import list_reports as listed

        return listed(settings.reports_dir)

    @app.get("/reports/{name}", tags=["reports"])
    def get_report(name: str) -> FileResponse:
        from query.report import report_file

        if (path := report_file(settings.reports_dir, name)) is None:
            raise HTTPException(404, f"no report {name}")
        return FileResponse(path)

    @app.post("/reports", status_code=201, tags=["reports"])
    def render_report(body: ReportRequest) -> dict[str, Any]:
        from query.report import build_report, parse_since, render
        from vlm.profiles import load_profile

        try:
            window = parse_since(body.since)
        except ValueError as err:
            raise HTTPException(422, str(err)) from err
        with reader() as store:
            try:
                data = build_report(store, load_profile(settings.vlm.profile), body.streams, window,
                                    body.min_severity, settings.timezone)
            except ValueError as err:
                raise HTTPException(404, str(err)) from err
        path = render(data, body.format, settings.reports_dir, f"report-{uuid.uuid4().hex[:8]}")
        return {"name": path.name, "incidents": len(data.incidents), "url": f"/reports/{path.name}"}

    @app.get("/alerts", tags=["alerts"])
    def alerts(stream: str | None = None) -> list[dict[str, Any]]:
        if settings.graph.backend == "ladybug" and not settings.graph_path.exists():
            return []
        with reader() as store:
            return store.alerts(streams=[stream] if stream else None)

    return app


def _job_view(job: dict[str, Any]) -> dict[str, Any]:
    total = job["total"]
    return {"id": job["id"], "kind": job["kind"], "status": job["status"], "path": job.get("path", ""),
            "stream_id": job.get("stream_id", ""), "chunks_total": total if total >= 0 else None,
            "chunks_perceived": job["perceived"], "chunks_written": job["next"],
            "progress": round(job["next"] / total, 3) if total > 0 else 0.0, "error": job.get("error", "")}

