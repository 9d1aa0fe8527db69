"""The graph reads the dashboard makes in service mode: streams, events, entities, segments, thumbnails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse

from graph.records import EntityRead, EventRead, SegmentRead, StreamRead
from vidgraph.api.context import ApiContext, ctx

router = APIRouter(tags=["graph"])


@router.get("/streams")
def streams(c: ApiContext = Depends(ctx)) -> list[StreamRead]:
    if not c.has_graph():
        return []
    with c.reader() as store:
        return store.list_streams()


@router.get("/events")
def events(stream: list[str] | None = Query(None), type: list[str] | None = Query(None),
           label: str | None = None, since: float | None = None, until: float | None = None,
           limit: int = Query(2000, ge=1, le=10000), c: ApiContext = Depends(ctx)) -> list[EventRead]:
    with c.reader() as store:
        return store.events(streams=stream, types=type, label=label, t0=since, t1=until, limit=limit)


@router.get("/entities")
def entities(stream: list[str] | None = Query(None), cls: str | None = None, since: float | None = None,
             until: float | None = None, c: ApiContext = Depends(ctx)) -> list[EntityRead]:
    with c.reader() as store:
        return store.entities(streams=stream, cls=cls, t0=since, t1=until)[:10000]


@router.get("/segments")
def segments(stream: list[str] = Query(...), since: float | None = None, until: float | None = None,
             c: ApiContext = Depends(ctx)) -> list[SegmentRead]:
    with c.reader() as store:
        return store.segments(streams=stream, t0=since, t1=until, limit=200)


@router.get("/neighbourhood")
def neighbourhood(stream: str, t: float, window: float = Query(30.0, gt=0, le=3600),
                  c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    with c.reader() as store:
        found = store.events(streams=[stream], t0=t - window, t1=t + window, limit=200)
        links = store.event_entities([e["id"] for e in found])
        return {"events": found, "entities": list({r["id"]: r for r in links}.values()), "links": links}


@router.get("/thumbnails")
def thumbnail(path: str, c: ApiContext = Depends(ctx)) -> FileResponse:
    file = Path(path).resolve()
    if not file.is_relative_to(c.settings.thumbs_dir.resolve()) or not file.is_file():
        raise HTTPException(404, "no such thumbnail")
    return FileResponse(file, media_type="image/jpeg")
