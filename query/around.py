"""What happened around a moment of one stream: the events, the entities they involve and the alerts they fired,
each bounded, for the dashboard's graph view and the API's ``/neighbourhood``."""

from __future__ import annotations

from typing import Any

from graph.store import GraphStore

AROUND_LIMIT = 200  # events (and alert firings) around a moment: a graph view shows no more


def neighbourhood(store: GraphStore, stream: str, t: float, window_s: float) -> dict[str, Any]:
    """The first AROUND_LIMIT events within ``window_s`` of second ``t``, the entities they involve (``links``:
    one row per event and entity), and the alert firings of that window."""
    events = store.events(streams=[stream], t0=t - window_s, t1=t + window_s, limit=AROUND_LIMIT)
    links = store.event_entities([e["id"] for e in events])
    alerts = store.alerts(streams=[stream], t0=t - window_s, t1=t + window_s, limit=AROUND_LIMIT)
    return {"events": events, "entities": list({r["id"]: r for r in links}.values()), "links": links,
            "alerts": alerts}
