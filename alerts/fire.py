"""Which events of a batch fire which rules: the firings, added to the batch (one transaction with their events)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast
from zoneinfo import ZoneInfo

from alerts.occupancy import Occupancy
from alerts.rules import AlertRule
from common.classes import VEHICLES
from common.text import clock, plural, with_article
from graph.records import EventRow, GraphBatch


def alert_id(rule: AlertRule, event_id: str) -> str:
    stream_run, _, key = event_id.partition("/ev/")
    return f"{stream_run}/alert/{rule.name}/{key}"


def fire(rules: list[AlertRule], batch: GraphBatch, stream_name: str = "", start: float = 0.0,
         tz: ZoneInfo = ZoneInfo("UTC"), occupancy: Occupancy | None = None) -> None:
    """Add to ``batch`` the firings its own events cause (written in the same transaction). ``start``: the
    stream's wall clock at its t=0 (0: none), for rules active only at some hours, read in time zone ``tz``;
    ``occupancy``: the run's zone stays so far, for rules on how many are inside a zone at once (and, live, on
    how long one has been inside while it still is)."""
    zones = {row["src"]: row["dst"].rsplit("/zone/", 1)[-1] for row in batch.at}
    segment_of = {row["src"]: row["dst"] for row in batch.occurs_in}
    segment_thumbs = {s["id"]: s["thumbnail"] for s in batch.segments}
    now = datetime.now(UTC).isoformat(timespec="seconds")

    def add(rule: AlertRule, event: EventRow, key: str, t0: float, t1: float, said: str) -> None:
        aid = alert_id(rule, key)
        batch.alerts.append({
            "id": aid, "stream_id": event["stream_id"], "run": event["run"], "rule": rule.name,
            "severity": rule.severity, "t0": t0, "t1": t1, "fired": now,
            "text": f"{rule.name}: {said} ({_span(t0, t1)})",
            # the event's own picture (its moment, or its subject's), else its segment's
            "thumbnail": event["thumbnail"] or segment_thumbs.get(segment_of.get(event["id"], ""), ""),
            # for the webhook payload only (not stored on the node)
            "stream": stream_name, "event_id": event["id"], "event_type": event["type"],
        })
        batch.triggered_by.append({"src": aid, "dst": event["id"]})

    def wall(t: float) -> datetime | None:
        return datetime.fromtimestamp(start + t, tz) if start > 0 else None

    if occupancy is not None:
        occupancy.take(batch)
    for event in batch.events:
        for rule in rules:
            if rule.matches(event, zones.get(event["id"]), wall(event["t0"])) and not (
                    occupancy is not None and occupancy.fired_inside(rule, event["id"])):
                add(rule, event, event["id"], event["t0"], event["t1"], event["description"])
    if occupancy is None:
        return
    for crowd in occupancy.crowds(batch):
        rule, event = crowd.rule, crowd.trigger
        if rule.applies(event["stream_id"], wall(crowd.t0)):
            what = plural(" or ".join(rule.classes), crowd.most) if 0 < len(rule.classes) < 3 else (
                "objects" if not rule.classes else "vehicles" if set(rule.classes) <= set(VEHICLES) else "objects")
            said = f"{crowd.most} {what} inside {rule.zone} at once{'' if crowd.t1 is not None else ' (so far)'}"
            key = f"{event['id'].partition('/ev/')[0]}/ev/occupancy-{rule.zone}-{round(crowd.t0 * 10)}"
            add(rule, event, key, crowd.t0, crowd.t1 if crowd.t1 is not None else event["t1"], said)
    run = next(((r["stream_id"], r["run"]) for r in [*batch.segments, *batch.events]), None)  # its stream, run
    upto = max([s["t1"] for s in batch.segments], default=occupancy.latest)
    for stay in occupancy.lingering(upto) if run is not None else []:
        rule = stay.rule
        if run is not None and rule.applies(run[0], wall(stay.since)):
            # its entering, which an earlier batch wrote; the picture is this chunk's, with the object still there
            event = cast(EventRow, {"id": stay.event, "stream_id": run[0], "run": run[1], "type": "zone_enter",
                                    "thumbnail": batch.segments[0]["thumbnail"] if batch.segments else ""})
            said = (f"{with_article(stay.cls)} inside {rule.zone} for over {rule.min_duration_s:g} s, still there "
                    f"({stay.seen_until - stay.since:.0f} s so far)")
            add(rule, event, stay.event, stay.since, stay.seen_until, said)
    occupancy.forget()


def _span(t0: float, t1: float) -> str:
    return clock(t0) if t1 - t0 < 0.05 else f"{clock(t0)}-{clock(t1)}"
