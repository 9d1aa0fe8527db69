"""Rules on how many objects are inside a zone at once ("more than 3 people in restricted"): state across batches.

A per-event rule looks at one event; an occupancy rule needs every stay in its zone. :class:`Occupancy` keeps the
stays a run's zone events describe (a ``zone_enter`` opens one, a ``zone_exit`` closes it, or is a whole stay when
its entering came before what is kept), and after each batch fires once for each stretch where at least the
rule's count of its classes were inside together. A stay can arrive late (a track's zone events wait for it to be
confirmed), so a stretch can grow backwards: a stretch overlapping one already fired is the same episode and does
not fire again. Stays ended more than ``horizon_s`` before the latest time seen are dropped (no event arrives that
late), so the state stays small for a day-long run and travels with it between workers (:meth:`state`).

On a live stream the same stays let a zone_dwell rule ("person in restricted for more than 60 s") fire while the
object is still inside, once it has been there that long, rather than when it leaves: a stay still open at the
end of a chunk was seen inside at least until ``hold_s`` before it (a track unseen longer is closed, and its
leaving written). Its leaving then fires nothing more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from alerts.rules import AlertRule
from graph.records import EventRow, GraphBatch


@dataclass(slots=True)
class _Stay:
    entity: str
    cls: str
    since: float
    until: float | None  # None: still inside
    event: str  # the event that told it (an entering, or a leaving that came alone)
    new: bool = False  # told by the batch being read


@dataclass(slots=True)
class Crowd:
    """A stretch with ``count`` or more of a rule's classes inside its zone at once (``t1`` None: not over)."""

    rule: AlertRule
    t0: float
    t1: float | None
    most: int
    trigger: EventRow  # the event of this batch that completed it


@dataclass(slots=True)
class Lingering:
    """An object of a zone_dwell rule's class inside its zone longer than the rule's time, and still inside."""

    rule: AlertRule
    cls: str
    since: float
    seen_until: float  # it was inside at least until then
    event: str  # the event that began its stay


class Occupancy:
    def __init__(self, rules: list[AlertRule], horizon_s: float, state: dict[str, Any] | None = None,
                 hold_s: float = 0.0, live: bool = False) -> None:
        """``hold_s``: the longest an object's zone leaving can come after it was last seen (a stay still open now
        was seen inside at least that recently); ``live``: a zone_dwell rule fires while the object is still
        inside, once it has been there that long (a file run waits for the leaving, which shows the whole stay)."""
        self.rules = [r for r in rules if r.event == "occupancy"]
        self.dwells = [r for r in rules if r.event == "zone_dwell"]
        self.horizon_s, self.hold_s, self.live = horizon_s, hold_s, live
        self.stays: dict[str, list[_Stay]] = {}  # zone -> its stays
        self.fired: dict[str, list[tuple[float, float | None]]] = {}  # rule -> its episodes
        self.dwelt: dict[str, list[str]] = {}  # zone_dwell rule -> the stays (their first event) fired inside
        self._closing: dict[str, str] = {}  # a leaving of the batch read -> the first event of the stay it ends
        self.latest = 0.0
        if state:
            self.stays = {z: [_Stay(*s) for s in stays] for z, stays in state["stays"].items()}
            self.fired = {r: [(a, b) for a, b in episodes] for r, episodes in state["fired"].items()}
            self.dwelt = {r: list(keys) for r, keys in state.get("dwelt", {}).items()}
            self.latest = float(state["latest"])

    @property
    def watches(self) -> bool:
        """Whether any rule needs the stays (else nothing is kept)."""
        return bool(self.rules or (self.live and self.dwells))

    def state(self) -> dict[str, Any]:
        """What a later batch of the run needs, as JSON-able data (bounded by ``horizon_s``)."""
        return {"stays": {z: [[s.entity, s.cls, s.since, s.until, s.event] for s in stays]
                          for z, stays in self.stays.items()},
                "fired": {r: [list(e) for e in episodes] for r, episodes in self.fired.items()},
                "dwelt": self.dwelt, "latest": self.latest}

    def take(self, batch: GraphBatch) -> None:
        """The batch's zone events taken in (before its rules are asked about)."""
        if self.watches:
            self._take(batch)

    def fired_inside(self, rule: AlertRule, leaving: str) -> bool:
        """Whether the stay the batch's event ``leaving`` ends already fired ``rule`` while the object was inside."""
        return leaving in self._closing and self._closing[leaving] in self.dwelt.get(rule.name, ())

    def lingering(self, now: float) -> list[Lingering]:
        """Live: the objects inside a zone_dwell rule's zone longer than its time at ``now`` (seen inside until
        ``now - hold_s`` at least), each stay once."""
        found = []
        for rule in self.dwells if self.live else []:
            dwelt = self.dwelt.setdefault(rule.name, [])
            for stay in self.stays.get(rule.zone or "", []):
                seen = now - self.hold_s
                if (stay.until is None and stay.event not in dwelt and (not rule.classes or stay.cls in rule.classes)
                        and seen - stay.since >= (rule.min_duration_s or 0.0)):
                    dwelt.append(stay.event)
                    found.append(Lingering(rule, stay.cls, stay.since, seen, stay.event))
        return found

    def crowds(self, batch: GraphBatch) -> list[Crowd]:
        """Each stretch the batch taken in makes a rule's count reach, not fired before."""
        if not self.rules:
            return []
        events = {e["id"]: e for e in batch.events}
        found = []
        for rule in self.rules:
            episodes = self.fired.setdefault(rule.name, [])
            for t0, t1, most, trigger in self._stretches(rule):
                same = [(a, b) for a, b in episodes if (b is None or t0 <= b) and (t1 is None or a <= t1)]
                if same:  # an episode already fired (grown by a late stay, or now over): it stays one
                    begun = min(t0, *(a for a, _ in same))
                    episodes[:] = [*(e for e in episodes if e not in same), (begun, t1)]
                elif trigger is not None:
                    episodes.append((t0, t1))
                    found.append(Crowd(rule, t0, t1, most, events[trigger]))
        return found

    def _take(self, batch: GraphBatch) -> None:
        self._closing = {}
        for stays in self.stays.values():
            for stay in stays:
                stay.new = False
        subject = {link["src"]: link["dst"] for link in batch.involves}
        for event in sorted(batch.events, key=lambda e: (e["t1"], e["type"] == "zone_exit")):
            self.latest = max(self.latest, event["t1"])
            if event["type"] not in ("zone_enter", "zone_exit") or event["id"] not in subject:
                continue
            zone = json.loads(event.get("attributes") or "{}").get("zone")
            stays = self.stays.setdefault(zone, [])
            entity = subject[event["id"]]
            open_stay = next((s for s in stays if s.entity == entity and s.until is None), None)
            if event["type"] == "zone_enter" and open_stay is None:
                stays.append(_Stay(entity, event["label"], event["t0"], None, event["id"], True))
            elif event["type"] == "zone_exit" and open_stay is not None:
                open_stay.until = event["t1"]
                self._closing[event["id"]] = open_stay.event
            elif event["type"] == "zone_exit":  # its entering is older than what is kept, or came in this event
                stays.append(_Stay(entity, event["label"], event["t0"], event["t1"], event["id"], True))

    def _stretches(self, rule: AlertRule) -> list[tuple[float, float | None, int, str | None]]:
        """Where ``rule.min_count`` or more of its classes were inside its zone together: (from, to or None, the
        most at once, the event of this batch that told one of its stays, if any)."""
        need = rule.min_count or 1
        stays = [s for s in self.stays.get(rule.zone or "", []) if (not rule.classes or s.cls in rule.classes)
                 and (s.until is None or s.until > s.since)]  # a stay of no length was never inside with others
        marks = sorted([(s.since, 1, s) for s in stays] + [(s.until, -1, s) for s in stays if s.until is not None],
                       key=lambda m: (m[0], m[1]))  # a leaving before an entering at the same moment
        found: list[tuple[float, float | None, int, str | None]] = []
        inside: list[_Stay] = []
        began: float | None = None
        most, told = 0, None
        for t, step, stay in marks:
            if step > 0:
                inside.append(stay)
            else:
                inside.remove(stay)
            if len(inside) >= need:
                if began is None:
                    began, most, told = t, 0, None
                most = max(most, len(inside))
                told = told or next((s.event for s in inside if s.new), None)
            elif began is not None:
                found.append((began, t, most, told))
                began = None
        if began is not None:
            found.append((began, None, most, told))
        return found

    def forget(self) -> None:
        """Stays and episodes over for longer than the horizon: no event arrives that late."""
        before = self.latest - self.horizon_s
        for zone, stays in self.stays.items():
            self.stays[zone] = [s for s in stays if s.until is None or s.until >= before]
        kept = {s.event for stays in self.stays.values() for s in stays}
        self.dwelt = {rule: [key for key in keys if key in kept] for rule, keys in self.dwelt.items()}
        for rule, episodes in self.fired.items():
            self.fired[rule] = [(a, b) for a, b in episodes if b is None or b >= before]
