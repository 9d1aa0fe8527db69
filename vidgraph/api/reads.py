"""The graph reads the dashboard makes in service mode: streams, events, entities, entity stories, segments,
thumbnails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse

from graph.records import EntityRead, EntityStoryRead, EventRead, SegmentRead, StreamRead
from graph.store import GraphStore
from query.ask import Scope, UnknownStream, window_scopes
from query.coverage import streams_as_read
from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["graph"], responses=ERRORS)


@router.get("/streams")
def streams(c: ApiContext = Depends(ctx)) -> list[StreamRead]:
    if not c.has_graph():
        return []
    with c.reader() as store:
        return streams_as_read(store)


TIME = ("seconds from the stream start (90, 90s, 15m, 1:30, 1:02:03), a clock time (14:05, 2:30 pm) or "
        "'last 10 minutes'")


def _scopes(store: GraphStore, stream: list[str] | None, since: str | None, until: str | None,
            c: ApiContext) -> list[Scope]:
    """The windows since/until name, per stream: an unknown stream is 404, an unreadable time 422."""
    try:
        return window_scopes(store, stream, since, until, c.settings.timezone)
    except UnknownStream as err:
        raise HTTPException(404, str(err)) from err
    except ValueError as err:
        raise HTTPException(422, str(err)) from err


@router.get("/events")
def events(stream: list[str] | None = Query(None), type: list[str] | None = Query(None),
           label: str | None = None, since: str | None = Query(None, max_length=40, description=TIME),
           until: str | None = Query(None, max_length=40, description=TIME),
           limit: int = Query(2000, ge=1, le=10000), c: ApiContext = Depends(ctx)) -> list[EventRead]:
    with c.reader() as store:
        rows = [r for s in _scopes(store, stream, since, until, c)
                for r in store.events(streams=s.streams, types=type, label=label, t0=s.t0, t1=s.t1, limit=limit)]
    return sorted(rows, key=lambda r: (r["t0"], r["id"]))[:limit]


ENTITY_LIMIT = 10_000  # the first seen, per request: a month of 20 cameras holds 400,000


@router.get("/entities")
def entities(stream: list[str] | None = Query(None), cls: str | None = None,
             since: str | None = Query(None, max_length=40, description=TIME),
             until: str | None = Query(None, max_length=40, description=TIME),
             c: ApiContext = Depends(ctx)) -> list[EntityRead]:
    with c.reader() as store:
        rows = [r for s in _scopes(store, stream, since, until, c)
                for r in store.entities(streams=s.streams, cls=cls, t0=s.t0, t1=s.t1, limit=ENTITY_LIMIT)]
    return sorted(rows, key=lambda r: (r["first_seen"], r["id"]))[:ENTITY_LIMIT]


@router.get("/entity-story")
def entity_story(id: str = Query(..., min_length=1, max_length=300), c: ApiContext = Depends(ctx)) -> EntityStoryRead:
    """One entity: its events in time order and the entities linked to it as the same object (SAME_AS)."""
    with c.reader() as store:
        story = store.entity_story(id)
    if story is None:
        raise HTTPException(404, "no such entity in a stream's current analysis")
    return story


@router.get("/segments")
def segments(stream: list[str] = Query(...), since: str | None = Query(None, max_length=40, description=TIME),
             until: str | None = Query(None, max_length=40, description=TIME),
             c: ApiContext = Depends(ctx)) -> list[SegmentRead]:
    with c.reader() as store:
        rows = [r for s in _scopes(store, stream, since, until, c)
                for r in store.segments(streams=s.streams, t0=s.t0, t1=s.t1, limit=200)]
    return sorted(rows, key=lambda r: (r["t0"], r["id"]))[:200]


@router.get("/neighbourhood")
def neighbourhood(stream: str = Query(..., max_length=64), t: float = Query(..., ge=0, le=1e10, allow_inf_nan=False),
                  window: float = Query(30.0, gt=0, le=3600, allow_inf_nan=False),
                  c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    from query.around import neighbourhood as around

    with c.reader() as store:
        return around(store, stream, t, window)


@router.get("/thumbnails")
def thumbnail(path: str = Query(..., max_length=1024), c: ApiContext = Depends(ctx)) -> FileResponse:
    if "\x00" in path:
        raise HTTPException(404, "no such thumbnail")
    try:
        file = Path(path).resolve()
    except (OSError, ValueError, RuntimeError):
        raise HTTPException(404, "no such thumbnail") from None
    if not file.is_relative_to(c.settings.thumbs_dir.resolve()) or not file.is_file():
        raise HTTPException(404, "no such thumbnail")
    return FileResponse(file, media_type="image/jpeg")
