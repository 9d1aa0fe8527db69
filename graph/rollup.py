"""The per-day rollup of a finished run's entities: counts, and a first-seen index that answers "the first N in
view" by key lookups instead of a scan.

``GraphStore.roll_up_days`` writes one ``DayCount`` row per stream, run, day (of first sighting), class and
direction: how many (``n``) and the first :data:`LISTED` of them as ``[first_seen, id]`` pairs in (first_seen,
id) order (``first``); and a marker row (day -1) with how far the run is rolled up (``through``) and the longest
time any of its entities was in view (``longest``). A run is rolled up only once its entities no longer change
(a file run that finished, a live stream that stopped; ``forget_range`` rolls it up again).

:func:`first_in_view` reads that index for ``GraphStore.entities``: an entity in view at ``lo`` was first seen
no earlier than ``lo - longest``, so the days from there on hold every candidate, in order. Whenever the lists
cannot prove they hold the first ones (a list cut at :data:`LISTED` before enough were found, entities beyond
``through``, more candidates than a scan would cost) it returns None and the caller scans, so either way the
rows are exactly the scan's.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from itertools import groupby
from typing import Any

DAY = 86400.0
ROLLED_ALL = 1e15  # seconds: a rollup of everything a finished run has
LISTED = 2000  # first-seen pairs kept per day group (~50 kB; a busier group's later hours are scanned)
BUDGET = 1000  # entity lookups beyond which a scan is cheaper (LadybugDB: ~15 us a lookup, ~20 ms a month scan)

Lists = Callable[[list[str]], dict[str, str]]  # DayCount ids -> their `first` JSON
Fetch = Callable[[list[str]], list[dict[str, Any]]]  # entity ids -> rows of the streams' current runs


def day_rows(stream_id: str, run: str, entities: list[dict[str, Any]], through: float) -> list[dict[str, Any]]:
    """The DayCount rows for one run's entities (``id, first_seen, last_seen, cls, direction`` each), marker
    last."""
    groups: dict[tuple[int, str, str], list[tuple[float, str]]] = {}
    longest = 0.0
    for r in entities:
        first = float(r["first_seen"])
        key = (int(first // DAY), r["cls"] or "", r["direction"] or "")
        groups.setdefault(key, []).append((first, r["id"]))
        longest = max(longest, float(r["last_seen"]) - first)
    rows = []
    for (day, cls, direction), pairs in sorted(groups.items()):
        pairs.sort()
        rows.append({"id": f"{stream_id}/{run}/days/{day}/{cls}/{direction}", "stream_id": stream_id, "run": run,
                     "day": day, "cls": cls, "direction": direction, "n": len(pairs), "through": through,
                     "first": _packed(pairs[:LISTED]), "longest": -1.0})
    rows.append({"id": f"{stream_id}/{run}/days", "stream_id": stream_id, "run": run, "day": -1, "cls": "",
                 "direction": "", "n": len(entities), "through": through, "first": "", "longest": longest})
    return rows


def first_in_view(groups: list[dict[str, Any]], lo: float, hi: float, through: float, longest: float,
                  limit: int | None, lists: Lists, fetch: Fetch) -> list[dict[str, Any]] | None:
    """The first ``limit`` (None: all) entities in view in ``[lo, hi]`` by (first_seen, id), from the day
    ``groups`` (``id, day, n``) that hold every candidate; None when the index cannot prove its answer."""
    need = math.inf if limit is None else limit
    if limit is None and sum(int(g["n"]) for g in groups) > BUDGET:
        return None
    found: list[dict[str, Any]] = []
    looked_up = 0
    for _, day_groups in groupby(sorted(groups, key=lambda g: g["day"]), key=lambda g: g["day"]):
        day = list(day_groups)
        listed = lists([g["id"] for g in day])
        pairs: list[tuple[float, str]] = []
        horizon = (math.inf, "")  # past the last listed pair of a group cut at LISTED, its others are unknown
        for g in day:
            got = _unpacked(listed.get(g["id"]) or "")
            if len(got) < int(g["n"]):
                if not got:
                    return None  # a rollup without lists
                horizon = min(horizon, got[-1])
            pairs += got
        pairs = sorted(p for p in pairs if lo - longest <= p[0] <= hi and p <= horizon)
        at = 0
        while at < len(pairs) and len(found) < need:  # in order, as many as are still needed (some left early)
            size = len(pairs) if limit is None else max(int(need) - len(found), 50)
            batch, at = pairs[at:at + size], at + size
            looked_up += len(batch)
            if looked_up > BUDGET:
                return None
            rows = fetch([i for _, i in batch])
            found += sorted((r for r in rows if r["last_seen"] >= lo), key=lambda r: (r["first_seen"], r["id"]))
        if len(found) >= need:
            return found[:limit]
        if horizon[0] < math.inf and horizon[0] <= hi:  # a list cut inside the window before enough were found
            return None
    complete = through >= ROLLED_ALL or hi < through  # else entities first seen from `through` on are not listed
    return found if complete else None


def _packed(pairs: list[tuple[float, str]]) -> str:
    """``[first_seen, id]`` pairs as JSON, the ids' common prefix (``<stream>/<run>/ent/``) written once."""
    ids = [i for _, i in pairs]
    low, high = (min(ids), max(ids)) if len(ids) > 1 else ("", "")
    common = next((n for n, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), min(len(low), len(high)))
    prefix = low[:common]  # every id lies between the least and the greatest, so shares what they share
    return json.dumps({"prefix": prefix, "pairs": [[f, i[len(prefix):]] for f, i in pairs]})


def _unpacked(text: str) -> list[tuple[float, str]]:
    if not text:
        return []
    packed = json.loads(text)
    return [(float(f), packed["prefix"] + str(i)) for f, i in packed["pairs"]]
