"""Live streams: start reading one on the workers, list them with their health, what they see now, stop one."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field, field_validator

from common.urls import redact
from ingest.live import SCHEMES, UnsupportedStream, check_url
from pipeline import check_stream_id
from pipeline.snapshots import live_dir, read_snapshots
from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["live"], responses=ERRORS)


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
        return url  # the host is checked against the site's policy in the route (it needs the settings)


@router.post("/live-stream", status_code=201)
def add_stream(body: StreamRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    from workers.tasks import add_stream as start

    try:
        check_stream_id(body.stream_id)
        check_url(body.url, c.settings.ingest.allowed_hosts)
    except UnsupportedStream as err:
        raise HTTPException(422, err.detail) from err
    except ValueError as err:
        raise HTTPException(422, str(err)) from err
    if (current := c.jobs().live(body.stream_id)) and current.get("desired") == "running":
        raise HTTPException(409, f"stream {body.stream_id} is already running")
    start(c.settings, body.url, body.stream_id, body.name)
    return {"stream_id": body.stream_id, "url": redact(body.url)}


@router.get("/live-stream")
def list_streams(c: ApiContext = Depends(ctx)) -> list[dict[str, Any]]:
    return c.jobs().lives()


@router.get("/live-stream/{stream_id}/snapshots")
def snapshots(stream_id: str, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """The latest frame from the camera ("now") and the latest analysed one with its tracks boxed ("analysed"),
    each with its time on the stream's axis and wall clock; JPEGs as base64. Empty while nothing has arrived."""
    try:
        check_stream_id(stream_id)
    except ValueError as err:
        raise HTTPException(404, f"no live stream {stream_id[:64]!r}") from err
    found = read_snapshots(live_dir(c.settings.data_dir, stream_id))
    return {name: {**meta, "jpeg": base64.b64encode(meta["jpeg"]).decode()} for name, meta in found.items()}


@router.delete("/live-stream/{stream_id}")
def stop_stream(stream_id: str, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    from workers.tasks import stop_stream as stop

    if not stop(c.settings, stream_id):
        raise HTTPException(404, f"no live stream {stream_id}")
    return {"stopping": stream_id}
