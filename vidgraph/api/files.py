"""Files and their jobs: analyse a file from the media directory or an upload; poll the job; delete a stream."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, HTTPException, UploadFile
from pydantic import BaseModel, Field

from ingest import VideoInputError, probe
from pipeline import check_stream_id, forget_stream
from vidgraph.api.context import ERRORS, ApiContext, ctx, job_view

router = APIRouter(tags=["files"], responses=ERRORS)


class FileRequest(BaseModel):
    path: str = Field(min_length=1, max_length=4096, description="a video file inside the media directory")
    stream_id: str | None = Field(default=None, max_length=64)
    start: float | None = Field(default=None, ge=0, le=4_102_444_800, allow_inf_nan=False,
                                description="wall clock of the first frame (epoch seconds, before 2100)")


@router.post("/files", status_code=202)
def add_file(body: FileRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """Analyse a file from the media directory; returns the job to poll."""
    from workers.tasks import submit_file

    path = c.inside_media(body.path)
    try:
        if body.stream_id:
            check_stream_id(body.stream_id)
        probe(path)  # bad input is refused here, before a job exists
    except (VideoInputError, ValueError) as err:
        raise HTTPException(422, c.shown(str(err))) from err
    job_id = submit_file(c.settings, path, body.stream_id, body.start)
    return {"job_id": job_id, "path": c.shown(str(path))}


@router.post("/files/upload", status_code=202)
def upload_file(file: UploadFile = File(...), stream_id: str | None = None,
                c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    """Upload a video (multipart) into ``<media>/uploads`` and analyse it."""
    from workers.tasks import submit_file

    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(file.filename or "upload").name)[:100] or "upload"
    target = c.media / "uploads" / f"{uuid.uuid4().hex[:8]}-{name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    limit, written = c.settings.service.max_upload_mb * 1024 * 1024, 0
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
    try:
        job_id = submit_file(c.settings, target, stream_id)
    except BaseException:  # the queue is down (503): an upload no job will read is not kept
        target.unlink(missing_ok=True)
        raise
    return {"job_id": job_id, "path": c.shown(str(target))}


@router.get("/files")
def list_files(c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    streams = []
    if c.has_graph():
        with c.reader() as store:
            streams = [s for s in store.list_streams() if s["kind"] == "file"]
    return {"streams": streams, "jobs": [job_view(j) for j in c.jobs().recent(50) if j["kind"] == "file"]}


@router.delete("/files/{stream_id}")
def delete_file(stream_id: str, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    from workers.tasks import writable_store

    with writable_store(c.settings, c.jobs()) as store:
        if store.get_stream(stream_id) is None:
            raise HTTPException(404, f"no stream {stream_id}")
        forget_stream(store, c.settings, stream_id)  # its thumbnails too, as `vidgraph forget` does
    return {"deleted": stream_id}


@router.get("/jobs/{job_id}")
def job_status(job_id: str, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    job = c.jobs().get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job_view(job)
