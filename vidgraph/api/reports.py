"""Incident reports: list, fetch, render on demand; the configured schedules."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["reports"], responses=ERRORS)


class ReportRequest(BaseModel):
    streams: list[str] | None = None
    since: str = "24h"
    day: str | None = Field(default=None, max_length=40, description="instead of since, calendar days on the "
                            "streams' clock: 2025-10-26, 26 October, Monday, today, yesterday, last week, last month")
    format: Literal["md", "html", "pdf"] = "pdf"
    min_severity: Literal["high", "medium", "low", "info"] = "low"


@router.get("/reports/schedules")
def schedules(c: ApiContext = Depends(ctx)) -> list[dict[str, Any]]:
    return [s.model_dump() for s in c.settings.service.schedules]


@router.get("/reports")
def list_reports(c: ApiContext = Depends(ctx)) -> list[dict[str, Any]]:
    from query.report import list_reports as listed

    return listed(c.settings.reports_dir)


@router.get("/reports/{name}")
def get_report(name: str, c: ApiContext = Depends(ctx)) -> FileResponse:
    from query.report import report_file

    if (path := report_file(c.settings.reports_dir, name)) is None:
        raise HTTPException(404, f"no report {name}")
    return FileResponse(path)


@router.post("/reports", status_code=201)
def render_report(body: ReportRequest, c: ApiContext = Depends(ctx)) -> dict[str, Any]:
    from query.report import build_report, parse_since, render
    from query.timewords import parse_day
    from vlm.profiles import load_profile

    try:
        window = parse_since(body.since)
        day = parse_day(body.day) if body.day else None
    except ValueError as err:
        raise HTTPException(422, str(err)) from err
    with c.reader() as store:
        try:
            data = build_report(store, load_profile(c.settings.vlm.profile), body.streams, window,
                                body.min_severity, c.settings.timezone, day=day)
        except ValueError as err:
            raise HTTPException(404, str(err)) from err
    path = render(data, body.format, c.settings.reports_dir, f"report-{uuid.uuid4().hex[:8]}")
    return {"name": path.name, "incidents": data.incident_total, "url": f"/reports/{path.name}"}
