"""Alerts: the configured rules, and the firings with their delivery state."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from graph.records import AlertRead
from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["alerts"], responses=ERRORS)


@router.get("/alerts/rules")
def rules(c: ApiContext = Depends(ctx)) -> list[dict[str, Any]]:
    from alerts.rules import load_rules

    path = c.settings.alerts.rules_file
    return [r.model_dump() for r in load_rules(path)] if path else []


@router.get("/alerts")
def firings(stream: str | None = Query(None, max_length=64), limit: int = Query(2000, ge=1, le=10000),
            newest: bool = False, c: ApiContext = Depends(ctx)) -> list[AlertRead]:
    """The first ``limit`` firings in time order, or the newest first."""
    if not c.has_graph():
        return []
    with c.reader() as store:
        return store.alerts(streams=[stream] if stream else None, limit=limit, newest=newest)
