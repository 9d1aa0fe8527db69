"""Small helpers tests share that are not fixtures."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from graph.store import GraphStore
from query.ask import Scope, plan_scopes
from query.parse import Question


def scopes_for(store: GraphStore, q: Question, tz: str = "UTC") -> list[Scope]:
    """The scopes ``ask`` would read for this question, over every analysed stream."""
    known = [s for s in store.list_streams() if s["status"] == "complete"]
    return plan_scopes(q.time, known, ZoneInfo(tz))[0]
