"""Health: whether Redis answers and which graph backend is configured (no token needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from vidgraph.api.context import ERRORS, ApiContext, ctx

router = APIRouter(tags=["service"], responses=ERRORS)


@router.get("/health", response_model=None)
def health(c: ApiContext = Depends(ctx)) -> dict[str, Any] | JSONResponse:
    try:
        redis_ok = bool(c.jobs().r.ping())
    except Exception as err:
        return JSONResponse({"status": "degraded", "redis": str(err)}, status_code=503)
    return {"status": "ok", "redis": redis_ok, "graph": c.settings.graph.backend}
