"""Alerts: rules evaluated on events as they arrive, firings stored in the graph and sent to a webhook.

A rule is structured (TOML ``[[rule]]`` tables with ``event``, ``classes``, ``zone``, ``max_distance_m``,
``min_duration_s``, ``severity``) or one line of plain language that :func:`parse_rule` turns into the same
structure, and refuses when it cannot:

- ``person within 2 m of a forklift``           -> proximity events, vehicle class forklift, distance <= 2 m
- ``vehicle stopped in lane_2 for more than 60 s`` -> a vehicle's time inside zone lane_2 >= 60 s
- ``car crosses gate_in`` / ``person enters dock`` -> line crossings / zone entries by that class
- ``car stays for more than 5 min``             -> a track in view that long (dwell)

"Stopped in a zone" is measured as time inside the zone: the CV perception tracks presence, not speed. A zone
dwell fires when the object leaves the zone (or the stream ends), so its latency is the dwell itself.

Firings get deterministic ids (rule + event), are written in the same transaction as the events that fire
them, and are delivered by :class:`WebhookNotifier` on a background thread with retries and backoff; the
delivery state ("yes", "failed", "none" when no webhook is set) is stored on the Alert node. Re-running an
analysis finds its firings already stored and does not deliver them again.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, model_validator

from graph.records import GraphBatch
from query.parse import CLASS_WORDS, VEHICLES
from vlm.cv.caption import clock

log = logging.getLogger(__name__)

Severity = Literal["high", "medium", "low", "info"]
_ZONE_EVENTS = ("zone_enter", "zone_exit", "line_cross", "zone_dwell")


class AlertRule(BaseModel):
    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    event: str = Field(description="proximity, zone_dwell, zone_enter, zone_exit, line_cross, dwell, enter, exit, "
                                   "or a VLM profile's event type")
    classes: list[str] = Field(default_factory=list, description="subject classes (proximity: the vehicle's); empty = any")
    zone: str | None = None
    max_distance_m: float | None = Field(default=None, gt=0)
    min_duration_s: float | None = Field(default=None, ge=0)
    severity: Severity = "high"
    streams: list[str] | None = None
    text: str = ""  # the plain-language form it was written in, if any

    @model_validator(mode="after")
    def _complete(self) -> AlertRule:
        if self.event in _ZONE_EVENTS and not self.zone:
            raise ValueError(f"rule {self.name!r}: {self.event} needs a zone")
        if self.event == "zone_dwell" and self.min_duration_s is None:
            raise ValueError(f"rule {self.name!r}: zone_dwell needs min_duration_s")
        return self

    def matches(self, event: dict[str, Any], zone: str | None) -> bool:
        """Whether one event row (as written to the graph) fires this rule."""
        if self.streams and event["stream_id"] not in self.streams:
            return False
        attributes = json.loads(event.get("attributes") or "{}")
        kind = "zone_exit" if self.event == "zone_dwell" else self.event
        if event["type"] != kind:
            return False
        if self.event in _ZONE_EVENTS and zone != self.zone:
            return False
        if self.event == "proximity":
            subject = attributes.get("vehicle", "")
            distance = attributes.get("min_distance_m", float("inf"))
            if self.max_distance_m is not None and distance > self.max_distance_m:
                return False
        else:
            subject = event.get("label", "")
        if self.classes and subject not in self.classes:
            return False
        if self.min_duration_s is not None:
            duration = attributes.get("dwell_s", attributes.get("duration_s", event["t1"] - event["t0"]))
            if duration < self.min_duration_s:
                return False
        return True


def _classes(word: str) -> list[str]:
    cls = CLASS_WORDS.get(word.lower())
    if cls is None:
        raise ValueError(f"unknown object class {word!r}")
    return list(VEHICLES) if cls == "vehicle" else [] if cls == "object" else [cls]


def _seconds(value: str, unit: str) -> float:
    return float(value) * (60.0 if unit.startswith("m") else 3600.0 if unit.startswith("h") else 1.0)


_UNITS = r"(s|secs?|seconds?|m|mins?|minutes?|h|hours?)"
_RULES: list[tuple[str, Any]] = [
    (r"^(?:a |any )?person within (\d+(?:\.\d+)?)\s*(?:m|metres?|meters?) of (?:a |an |the |any )?(\w+)$",
     lambda m: {"event": "proximity", "max_distance_m": float(m[1]), "classes": _classes(m[2])}),
    (rf"^(?:a |any )?(\w+) (?:stopped|stops|stays|stayed|waits|waiting|parked|is|in)\s*(?:in|at|inside)? (\w+) "
     rf"for (?:more than|over|longer than|at least) (\d+(?:\.\d+)?)\s*{_UNITS}$",
     lambda m: {"event": "zone_dwell", "classes": _classes(m[1]), "zone": m[2], "min_duration_s": _seconds(m[3], m[4])}),
    (rf"^(?:a |any )?(\w+) (?:stopped|stops|stays|stayed|lingers|in view) for (?:more than|over|longer than|at least) "
     rf"(\d+(?:\.\d+)?)\s*{_UNITS}$",
     lambda m: {"event": "dwell", "classes": _classes(m[1]), "min_duration_s": _seconds(m[2], m[3])}),
    (r"^(?:a |any )?(\w+) (?:crosses|crossed|crossing|cross) (?:the )?(\w+)$",
     lambda m: {"event": "line_cross", "classes": _classes(m[1]), "zone": m[2]}),
    (r"^(?:a |any )?(\w+) (?:enters|entered|entering|enter|in) (?:the )?(\w+)$",
     lambda m: {"event": "zone_enter", "classes": _classes(m[1]), "zone": m[2]}),
]


def parse_rule(text: str, name: str | None = None, severity: Severity = "high") -> AlertRule:
    """A plain-language rule as a structured one; ValueError naming the rule when it is not understood."""
    clean = " ".join(text.lower().strip().rstrip(".").split())
    for pattern, build in _RULES:
        if m := re.match(pattern, clean):
            fields = build(m)
            return AlertRule(name=name or re.sub(r"[^a-z0-9]+", "-", clean).strip("-")[:64], severity=severity,
                             text=text, **fields)
    raise ValueError(f"cannot read alert rule {text!r}: write it like 'person within 2 m of a forklift', "
                     "'vehicle stopped in lane_2 for more than 60 s', 'car crosses gate_in', or as a structured rule")


def load_rules(path: Path) -> list[AlertRule]:
    """``[[rule]]`` tables: ``when = "..."`` (plain language) or the structured fields."""
    try:
        with path.open("rb") as handle:
            tables = tomllib.load(handle).get("rule", [])
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"cannot read alert rules {path}: {err}") from err
    rules = []
    for table in tables:
        table = dict(table)
        if "when" in table:
            rule = parse_rule(table.pop("when"), table.pop("name", None), table.pop("severity", "high"))
            rules.append(rule.model_copy(update={"streams": table.pop("streams", None)}))
        else:
            rules.append(AlertRule.model_validate(table))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: alert rule names must be unique ({', '.join(sorted(names))})")
    return rules


def alert_id(rule: AlertRule, event_id: str) -> str:
    stream_run, _, key = event_id.partition("/ev/")
    return f"{stream_run}/alert/{rule.name}/{key}"


def fire(rules: list[AlertRule], batch: GraphBatch, stream_name: str = "") -> None:
    """Add to ``batch`` the firings its own events cause (written in the same transaction)."""
    zones = {row["src"]: row["dst"].rsplit("/zone/", 1)[-1] for row in batch.at}
    thumbnails = {row["src"]: row["dst"] for row in batch.occurs_in}
    segment_thumbs = {s["id"]: s["thumbnail"] for s in batch.segments}
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for event in batch.events:
        for rule in rules:
            if not rule.matches(event, zones.get(event["id"])):
                continue
            aid = alert_id(rule, event["id"])
            batch.alerts.append({
                "id": aid, "stream_id": event["stream_id"], "run": event["run"], "rule": rule.name,
                "severity": rule.severity, "t0": event["t0"], "t1": event["t1"], "fired": now,
                "text": f"{rule.name}: {event['description']} ({_span(event['t0'], event['t1'])})",
                "thumbnail": segment_thumbs.get(thumbnails.get(event["id"], ""), ""),
                # for the webhook payload only (not stored on the node)
                "stream": stream_name, "event_id": event["id"], "event_type": event["type"],
            })
            batch.triggered_by.append({"src": aid, "dst": event["id"]})


def _span(t0: float, t1: float) -> str:
    return clock(t0) if t1 - t0 < 0.05 else f"{clock(t0)}-{clock(t1)}"


class WebhookNotifier:
    """Posts firings to a webhook on a background thread: retries with backoff, delivery state stored back.

    ``submit`` never blocks ingestion for long: the queue holds up to ``max_pending`` firings; when the hook is
    down longer than that, further firings are stored as "failed" at once, with the reason.
    """

    def __init__(self, url: str | None, store: Any, *, token: str | None = None, max_retries: int = 4,
                 backoff_s: float = 0.5, timeout_s: float = 10.0, max_pending: int = 1000) -> None:
        self.url, self.store = url, store
        self.max_retries, self.backoff_s = max_retries, backoff_s
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(max_pending)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers) if url else None
        self._thread = threading.Thread(target=self._run, name="vidgraph-webhook", daemon=True)
        if url:
            self._thread.start()

    def submit(self, alerts: list[dict[str, Any]]) -> None:
        """Deliver these firings (rows as written, or as ``GraphStore.alerts`` reads them) unless the store says
        they were delivered already (a re-run of the same analysis)."""
        state = self.store.alert_delivery([a["id"] for a in alerts])
        pending = [a for a in alerts if state.get(a["id"]) == "pending"]
        if not self.url:
            self.store.set_alert_delivery([{"id": a["id"], "delivered": "none", "attempts": 0,
                                            "error": "no webhook configured"} for a in pending])
            return
        for alert in pending:
            try:
                self._queue.put_nowait(alert)
            except queue.Full:
                self.store.set_alert_delivery([{"id": alert["id"], "delivered": "failed", "attempts": 0,
                                                "error": "webhook backlog full"}])

    def close(self, timeout_s: float = 60.0) -> None:
        """Wait for queued deliveries (up to ``timeout_s``), then stop."""
        if not self.url:
            return
        self._queue.put(None)
        self._thread.join(timeout_s)
        if self._client is not None:
            self._client.close()

    def _run(self) -> None:
        while (alert := self._queue.get()) is not None:
            delivered, attempts, error = self._deliver(alert)
            try:
                self.store.set_alert_delivery([{"id": alert["id"], "delivered": delivered, "attempts": attempts,
                                                "error": error}])
            except Exception:  # noqa: BLE001 - a closed store must not kill the thread silently mid-queue
                log.exception("could not record delivery of alert %s", alert["id"])

    def _deliver(self, alert: dict[str, Any]) -> tuple[str, int, str]:
        payload = {key: alert.get(key) for key in ("id", "rule", "severity", "stream_id", "stream", "t0", "t1",
                                                   "text", "fired", "event_id", "event_type")}
        error = ""
        for attempt in range(1, self.max_retries + 2):
            try:
                response = self._client.post(self.url, json=payload)  # type: ignore[union-attr]
                if response.status_code < 300:
                    return "yes", attempt, ""
                error = f"HTTP {response.status_code}: {response.text[:200]}"
                if 400 <= response.status_code < 500 and response.status_code != 429:
                    return "failed", attempt, error  # the hook rejects this payload: retrying will not help
            except httpx.HTTPError as err:
                error = f"cannot reach {self.url}: {err}"
            if attempt <= self.max_retries:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
        return "failed", self.max_retries + 1, error
