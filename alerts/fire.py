"""Which events of a batch fire which rules: the firings, added to the batch (one transaction with their events)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alerts.rules import AlertRule
from common.text import clock
from graph.records import GraphBatch


def alert_id(rule: AlertRule, event_id: str) -> str:
    stream_run, _, key = event_id.partition("/ev/")
    return f"{stream_run}/alert/{rule.name}/{key}"


def fire(rules: list[AlertRule], batch: GraphBatch, stream_name: str = "", start: float = 0.0,
         tz: ZoneInfo = ZoneInfo("UTC")) -> None:
    """Add to ``batch`` the firings its own events cause (written in the same transaction). ``start``: the
    stream's wall clock at its t=0 (0: none), for rules active only at some hours, read in time zone ``tz``."""
    zones = {row["src"]: row["dst"].rsplit("/zone/", 1)[-1] for row in batch.at}
    segment_of = {row["src"]: row["dst"] for row in batch.occurs_in}
    segment_thumbs = {s["id"]: s["thumbnail"] for s in batch.segments}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for event in batch.events:
        wall = datetime.fromtimestamp(start + event["t0"], tz) if start > 0 else None
        for rule in rules:
            if not rule.matches(event, zones.get(event["id"]), wall):
                continue
            aid = alert_id(rule, event["id"])
            batch.alerts.append({
                "id": aid, "stream_id": event["stream_id"], "run": event["run"], "rule": rule.name,
                "severity": rule.severity, "t0": event["t0"], "t1": event["t1"], "fired": now,
                "text": f"{rule.name}: {event['description']} ({_span(event['t0'], event['t1'])})",
                # the event's own picture (its moment, or its subject's), else its segment's
                "thumbnail": event["thumbnail"] or segment_thumbs.get(segment_of.get(event["id"], ""), ""),
                # for the webhook payload only (not stored on the node)
                "stream": stream_name, "event_id": event["id"], "event_type": event["type"],
            })
            batch.triggered_by.append({"src": aid, "dst": event["id"]})


def _span(t0: float, t1: float) -> str:
    return clock(t0) if t1 - t0 < 0.05 else f"{clock(t0)}-{clock(t1)}"
