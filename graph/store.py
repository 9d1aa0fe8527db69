"""The graph store interface, with everything expressible in shared Cypher implemented once.

A backend only supplies ``_read`` (a query to a list of dicts), ``_write`` (statements in one transaction)
and its DDL. Choose one with :func:`open_store`.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from common.classes import SIGHTING_MARKS
from graph import cypher, rollup
from graph.build import json_text
from graph.errors import GraphReadTooLarge, GraphUnavailable
from graph.group import Statement, WriteQueue
from graph.records import (
    AlertRead,
    AppearanceRead,
    EntityRead,
    EntityStoryRead,
    EventEntityRead,
    EventRead,
    GraphBatch,
    PeriodCountRead,
    SameAsRead,
    SegmentRead,
    StoryEventRead,
    StreamRead,
    StreamRecord,
    SummaryRead,
    ZonePeriodRead,
    ZoneRead,
    ZoneVisitRead,
)
from graph.rollup import DAY, ROLLED_ALL
from graph.settings import GraphSettings
from ingest.settings import MAX_CHUNK_S


class GraphStore(ABC):
    backend: str = "abstract"
    _writes: WriteQueue  # every backend commits its writes through graph.group

    @property
    def commits(self) -> int:
        """Write transactions committed so far (a merged group counts once): how well writes were grouped."""
        return self._writes.commits

    # -- what a backend supplies -------------------------------------------------------------------------
    @abstractmethod
    def _read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query; rows as dicts keyed by the RETURN aliases."""

    @abstractmethod
    def _write(self, statements: Sequence[Statement]) -> None:
        """Run write statements in one transaction: all or nothing."""

    @abstractmethod
    def close(self) -> None: ...

    def flush(self) -> None:
        """Wait for buffered writes (backends that buffer override this)."""

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads inside share one read transaction where the backend has them (Neo4j: a transaction's begin
        and commit are two round trips per read otherwise); a no-op for the embedded store. Nestable."""
        yield

    @abstractmethod
    def set_embeddings(self, label: str, rows: list[dict[str, Any]]) -> None:
        """Store ``{"id", "embedding"}`` rows on Segment or Event nodes."""

    @abstractmethod
    def semantic_search(
        self, label: str, vector: list[float], k: int, streams: list[str] | None
    ) -> list[dict[str, Any]]:
        """The ``k`` nearest Segment or Event nodes of the streams' committed runs: ``{"id", "score"}`` rows."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writes --------------------------------------------------------------------------------------------
    def upsert_stream(self, stream: StreamRecord) -> None:
        self._write([(cypher.UPSERT_STREAM, {"rows": [stream.row()]})])

    def write_batch(self, batch: GraphBatch) -> None:
        """Nodes first, then relations, all in one transaction; empty parts are skipped."""
        statements = self._batch_statements(batch)
        if statements:
            self._write(statements)

    @staticmethod
    def _batch_statements(batch: GraphBatch) -> list[Statement]:
        parts = [
            (cypher.UPSERT_SEGMENTS, batch.segments),
            (cypher.UPSERT_ENTITIES, batch.entities),
            (cypher.UPSERT_EVENTS, batch.events),
            (cypher.UPSERT_ZONES, batch.zones),
            (cypher.UPSERT_SUMMARIES, batch.summaries),
            (cypher.UPSERT_ALERTS, batch.alerts),
            (cypher.LINK_HAS, batch.has),
            (cypher.LINK_NEXT, batch.next),
            (cypher.LINK_IN, batch.occurs_in),
            (cypher.LINK_INVOLVES, batch.involves),
            (cypher.LINK_AT, batch.at),
            (cypher.LINK_SUMMARIZES_SEGMENT, [r for r in batch.summarizes if "/seg/" in r["dst"]]),
            (cypher.LINK_SUMMARIZES_SUMMARY, [r for r in batch.summarizes if "/sum/" in r["dst"]]),
            (cypher.LINK_TRIGGERED_BY, batch.triggered_by),
        ]
        return [(query, {"rows": rows}) for query, rows in parts if rows]

    def link_same_as(self, rows: list[dict[str, Any]]) -> None:
        """``{"src", "dst", "confidence", "reason"}``: the later entity is the earlier one."""
        if rows:
            self._write([(cypher.LINK_SAME_AS, {"rows": rows})])

    def delete_other_runs(self, stream_id: str, keep_run: str) -> None:
        """Drop what earlier analyses of this stream derived, keeping ``keep_run``."""
        params = {"stream": stream_id, "keep": keep_run}
        queries = (cypher.DELETE_ALERTS, cypher.DELETE_EVENTS, cypher.DELETE_ENTITIES, cypher.DELETE_SEGMENTS,
                   cypher.DELETE_SUMMARIES, cypher.DELETE_DAYS)
        self._write([(q, params) for q in queries])

    def delete_run(self, stream_id: str, run: str) -> None:
        """Drop what one (failed) analysis run wrote."""
        params = {"stream": stream_id, "run": run}
        queries = (cypher.DELETE_ONLY_RUN_ALERTS, cypher.DELETE_ONLY_RUN_EVENTS, cypher.DELETE_ONLY_RUN_ENTITIES,
                   cypher.DELETE_ONLY_RUN_SEGMENTS, cypher.DELETE_ONLY_RUN_SUMMARIES, cypher.DELETE_ONLY_RUN_DAYS)
        self._write([(q, params) for q in queries])

    def delete_stream(self, stream_id: str) -> None:
        """Drop a stream and everything derived from it."""
        self.delete_other_runs(stream_id, keep_run="")
        self._write([(cypher.DELETE_ZONES, {"stream": stream_id}), (cypher.DELETE_STREAM, {"stream": stream_id})])

    def forget_range(self, stream_id: str, t0: float, t1: float, keep_summaries: bool = False) -> list[str]:
        """Delete what lies wholly inside ``[t0, t1)`` of a stream; returns the picture files that what it deleted
        named and nothing left shows.

        ``keep_summaries=True`` is compaction: the detail goes, the 5-minute/hour/day digests and alerts stay.
        """
        params = {"stream": stream_id, "t0": float(t0), "t1": float(t1)}
        named = {row["thumbnail"] for row in self._read(cypher.RANGE_THUMBNAILS, params)}
        if not keep_summaries:  # the firings go too
            named |= {row["thumbnail"] for row in self._read(cypher.RANGE_ALERT_THUMBNAILS, params)}
        # compaction keeps the digests and the alert firings (incidents outlive their detail)
        queries = cypher.DELETE_RANGE if keep_summaries else (
            cypher.DELETE_RANGE_ALERTS, *cypher.DELETE_RANGE, cypher.DELETE_RANGE_SUMMARIES)
        self._write([(q, params) for q in queries])
        self.flush()
        record = self.get_stream(stream_id)
        if record is not None:  # the day counts follow what is left
            marks = [r for r in self._filtered(cypher.DAY_MARKERS, {}, streams=[stream_id]) if r["run"] == record.run]
            if marks:
                self.roll_up_days(stream_id, record.run, float(marks[0]["through"]))
        kept = {row["thumbnail"] for row in self._read(cypher.RANGE_THUMBNAILS_KEPT, params)} if named else set()
        return sorted(named - kept)

    # -- reads ---------------------------------------------------------------------------------------------
    def get_stream(self, stream_id: str) -> StreamRecord | None:
        rows = self._read(cypher.GET_STREAM, {"id": stream_id})
        return StreamRecord(**rows[0]) if rows else None

    def stream_settings(self, stream_ids: list[str]) -> dict[str, str]:
        """The settings JSON each stream's current run was made with, in one read."""
        return {r["id"]: r["settings"] or "" for r in self._read(cypher.STREAM_SETTINGS, {"ids": stream_ids})}

    def list_streams(self) -> list[StreamRead]:
        return cast(list[StreamRead], self._read(cypher.LIST_STREAMS))

    def stream_counts(self, streams: list[str] | None = None) -> dict[str, dict[str, int]]:
        """Segments, events and entities of each stream's current run (``{stream_id: {"segments": n, ...}}``),
        counted in the graph, never capped by a read's limit."""
        runs = {s["id"]: s["run"] for s in self.list_streams()}
        found = {name: self._counted(cypher.COUNT_PER_STREAM[label], {}, runs, streams=streams)
                 for name, label in (("segments", "Segment"), ("events", "Event"), ("entities", "Entity"))}
        return {sid: {name: counts.get(sid, 0) for name, counts in found.items()}
                for sid in runs if streams is None or sid in streams}

    def counts(self) -> dict[str, int]:
        """Node and relationship counts per label/type: what the idempotency tests compare."""
        queries = {**cypher.COUNT_NODES, **{k.strip("`"): v for k, v in cypher.COUNT_RELS.items()}}
        return {name: int(self._read(query)[0]["n"]) for name, query in queries.items()}

    def entities(
        self, streams: list[str] | None = None, cls: str | list[str] | None = None, t0: float | None = None,
        t1: float | None = None, direction: str | None = None, limit: int | None = None,
        first_seen_before: float | None = None,
    ) -> list[EntityRead]:
        """Entities in view during the window, first seen first; ``cls`` one class or several (one scan either
        way); ``limit`` the first so many; ``first_seen_before`` only those first seen by then (a bound that
        lets the embedded store skip most of a month when only the first few are wanted)."""
        classes = [cls] if isinstance(cls, str) else cls
        indexed = self._first_in_view(streams, classes, t0, t1, direction, limit, first_seen_before)
        if indexed is not None:
            return cast(list[EntityRead], _decoded(indexed, "attributes"))
        def read(a: float | None, b: float | None) -> list[dict[str, Any]]:
            params = {**_window(a, b), "limit": _ALL if limit is None else int(limit)}
            return self._filtered(cypher.ENTITIES, params, streams=streams, classes=classes, direction=direction,
                                  before=first_seen_before)

        rows = self._sliced(read, t0, t1, order=lambda r: (r["first_seen"], r["id"]), ident=lambda r: r["id"],
                            limit=limit, by_time=True)
        return cast(list[EntityRead], _decoded(rows, "attributes"))

    def _first_in_view(self, streams: list[str] | None, classes: list[str] | None, t0: float | None,
                       t1: float | None, direction: str | None, limit: int | None,
                       before: float | None) -> list[dict[str, Any]] | None:
        """:meth:`entities` from the rollup's first-seen index (``graph.rollup``), or None where it cannot
        answer (no streams named, a store that does not use the index, a stream in scope not rolled up, a
        window it does not cover)."""
        if not streams or not self._has_first_index():
            return None
        marks = self._filtered(cypher.ROLLED_MARKS, {}, streams=streams)
        unlisted = [m for m in marks if m["longest"] is None or m["longest"] < 0]  # rolled up before the index
        if {m["stream_id"] for m in marks} != set(streams) or unlisted:
            return None
        lo = -math.inf if t0 is None else float(t0)
        hi = min(math.inf if t1 is None else float(t1), math.inf if before is None else float(before))
        through = min(float(m["through"]) for m in marks)
        longest = max(float(m["longest"]) for m in marks)
        d0 = max(0, math.floor((lo - longest) / DAY)) if lo > -math.inf else 0
        d1 = math.floor(min(hi, through) / DAY)
        groups = self._filtered(cypher.DAY_GROUPS, {"d0": d0, "d1": d1}, streams=streams, classes=classes,
                                direction=direction)

        def lists(ids: list[str]) -> dict[str, str]:
            return {r["id"]: r["first"] for r in self._read(cypher.DAY_FIRST, {"ids": ids})}

        def fetch(ids: list[str]) -> list[dict[str, Any]]:
            return self._read(cypher.ENTITIES_BY_ID, {"ids": ids})

        return rollup.first_in_view(groups, lo, hi, through, longest, limit, lists, fetch)

    def entity_counts(
        self, streams: list[str] | None = None, cls: str | list[str] | None = None, t0: float | None = None,
        t1: float | None = None, direction: str | None = None, runs: dict[str, str] | None = None,
    ) -> dict[str, int]:
        """How many entities :meth:`entities` would return, per stream id (streams with none are left out);
        ``runs`` the streams' current runs when the caller has them at hand (else they are read).

        Whole days inside the window are read from the per-day rollup (:meth:`roll_up_days`) where every stream
        in scope has one; only the partial days at the edges are counted entity by entity. Exact either way:
        an entity first seen inside the window is in view during it, and the edges count the rest."""
        classes = [cls] if isinstance(cls, str) else cls
        runs = runs if runs is not None else {s["id"]: s["run"] for s in self.list_streams()}
        filters = {"streams": streams, "classes": classes, "direction": direction}
        lo = max(t0 if t0 is not None else 0.0, 0.0)
        first_day = math.ceil(lo / DAY)
        last_day = math.floor(min(t1 if t1 is not None else math.inf, self._rolled(streams, runs)) / DAY)
        if last_day - first_day < 1:  # no whole rolled-up day inside: count them one by one
            listed = self._first_in_view(streams, classes, t0, t1, direction, None, None)
            if listed is not None:  # a few, looked up by key rather than by scanning every entity
                return dict(Counter(r["stream_id"] for r in listed))
            return self._counted(cypher.ENTITY_COUNTS, _window(t0, t1), runs, **filters)
        parts = [self._counted(cypher.DAY_COUNTS, {"d0": first_day, "d1": last_day}, runs, **filters),
                 self._head(lo, t1, first_day, runs, filters)]
        if last_day * DAY < ROLLED_ALL - DAY:  # else the rollup holds every entity of the runs: no tail
            parts.append(self._counted(cypher.ENTITY_COUNTS, _window(t0, t1), runs, after=last_day * DAY,
                                       **filters))
        total = {sid: sum(part.get(sid, 0) for part in parts) for part in parts for sid in part}
        return {sid: n for sid, n in total.items() if n}

    def _head(self, lo: float, t1: float | None, first_day: int, runs: dict[str, str],
              filters: dict[str, Any]) -> dict[str, int]:
        """The window's partial first day: entities first seen before ``first_day`` and in view at ``lo`` or
        later. Counted from whichever side reads fewer rows: when ``lo`` is early in its day, that day's
        rollup less those gone before ``lo`` (plus any from earlier days still in view), else directly."""
        start_day = math.floor(lo / DAY)
        if start_day == first_day or lo - start_day * DAY > DAY / 2:
            return self._counted(cypher.ENTITY_COUNTS, _window(lo, t1), runs, below=first_day * DAY - 1e-6,
                                 **filters)
        day = self._counted(cypher.DAY_COUNTS, {"d0": start_day, "d1": first_day}, runs, **filters)
        gone = self._counted(cypher.ENTITY_COUNTS, _window(None, first_day * DAY - 1e-6), runs,
                             after=start_day * DAY, left=lo, **filters)
        # entities from earlier days still in view (none before the first day: times start at 0)
        older = self._counted(cypher.ENTITY_COUNTS, _window(lo, t1), runs, below=start_day * DAY,
                              **filters) if start_day > 0 else {}
        return {sid: day.get(sid, 0) - gone.get(sid, 0) + older.get(sid, 0) for sid in {*day, *older}}

    def _counted(self, query: cypher.Filtered, params: dict[str, Any], runs: dict[str, str],
                 **filters: Any) -> dict[str, int]:
        """``stream_id, run, n`` rows of the streams' current runs, as ``{stream_id: n}``."""
        rows = self._filtered(query, params, **filters)
        return {r["stream_id"]: int(r["n"]) for r in rows if runs.get(r["stream_id"]) == r["run"] and r["n"]}

    def _rolled(self, streams: list[str] | None, runs: dict[str, str]) -> float:
        """How far (seconds from the start) every stream in scope has its current run rolled up by day."""
        scope = set(streams) if streams is not None else set(runs)
        if not scope or not self._has_rollups():
            return 0.0
        marks = {r["stream_id"]: float(r["through"]) for r in self._filtered(cypher.DAY_MARKERS, {}, streams=streams)
                 if runs.get(r["stream_id"]) == r["run"]}
        return min(marks.get(sid, 0.0) for sid in scope)

    def _has_rollups(self) -> bool:
        """Whether the graph has the DayCount table (a graph written by an older version opened read-only
        has not: its counts are read entity by entity)."""
        return True

    def _has_first_index(self) -> bool:
        """Whether the rollup can hold first-seen lists (a graph written by an older version opened
        read-only cannot: its entities are read by scanning)."""
        return True

    def drop_day_counts(self, stream_id: str) -> None:
        """Forget the stream's per-day rollup (it is about to grow)."""
        self._write([(cypher.DELETE_DAY_COUNTS, {"stream": stream_id})])

    def roll_up_days(self, stream_id: str, run: str, through: float = math.inf) -> int:
        """Count the run's entities by the day they were first seen, for those first seen before ``through``
        (all of a finished run; a live stream's closed days), replacing the stream's earlier rollup. Returns
        the number of entities rolled up."""
        limit = min(float(through), ROLLED_ALL)
        self.flush()  # a buffering backend has written the entities before they are counted
        rows = self._read(cypher.ROLLUP_SOURCE, {"stream": stream_id, "run": run, "through": limit})
        self._write([(cypher.DELETE_DAY_COUNTS, {"stream": stream_id}),
                     (cypher.UPSERT_DAY_COUNTS, {"rows": rollup.day_rows(stream_id, run, rows, limit)})])
        return len(rows)

    def events(
        self,
        streams: list[str] | None = None,
        types: list[str] | None = None,
        label: str | list[str] | None = None,
        t0: float | None = None,
        t1: float | None = None,
        limit: int | None = 10_000,
        counted: bool = False,
        other_than: list[str] | None = None,
    ) -> list[EventRead]:
        """Events in the window, in time order: the first ``limit`` (a page to show), or all with ``None`` (what
        an answer counts); ``label`` one or several; ``other_than`` types left out; ``counted`` leaves out the
        enters and exits that only mark a first or last sighting."""
        labels = [label] if isinstance(label, str) else label

        def read(a: float | None, b: float | None) -> list[dict[str, Any]]:
            params = {**_window(a, b), "limit": _ALL if limit is None else int(limit), **(_MARKS if counted else {})}
            return self._filtered(cypher.EVENTS, params, streams=streams, types=types, label=labels,
                                  counted=True if counted else None, other_than=other_than)

        rows = self._sliced(read, t0, t1, order=lambda r: (r["t0"], r["id"]), ident=lambda r: r["id"], limit=limit,
                            by_time=True)
        return cast(list[EventRead], _decoded(rows, "attributes"))

    def event_type_counts(self, stream: str, t0: float | None = None, t1: float | None = None) -> Counter[str]:
        """How many events of each type the stream's current run has in the window, counted in the graph, without
        the enter and exit events that only mark a first or last sighting (``summaries.counts_as_event``)."""
        rows = self._filtered(cypher.EVENT_TYPE_COUNTS, {**_window(t0, t1), **_MARKS}, streams=[stream], counted=True)
        return Counter({r["type"]: int(r["n"]) for r in rows if r["n"]})

    def first_seen_periods(self, stream: str, t0: float | None, t1: float | None, width_s: float,
                           classes: list[str] | None = None, direction: str | None = None) -> list[PeriodCountRead]:
        """The entities in view during the window (as :meth:`entities`, of these classes and this direction),
        counted in the graph per class and period of ``width_s`` seconds in which they were first seen (see
        :class:`PeriodCountRead`)."""
        rows = self._filtered(cypher.FIRST_SEEN_PERIODS, {**_window(t0, t1), "width": float(width_s)},
                              streams=[stream], classes=classes or None, direction=direction)
        return [PeriodCountRead(stream_id=r["stream_id"], cls=r["cls"], period=int(r["period"]), n=int(r["n"]))
                for r in rows]

    def zone_periods(self, stream: str, t0: float | None, t1: float | None, width_s: float,
                     types: Sequence[str] = ("zone_enter", "line_cross")) -> list[ZonePeriodRead]:
        """The stream's zone and line events of these types in the window (not those that only mark a sighting's
        edge), counted in the graph per zone, type, class and period of ``width_s`` seconds of their moment (see
        :class:`ZonePeriodRead`)."""
        rows = self._filtered(cypher.ZONE_PERIODS, {**_window(t0, t1), **_MARKS, "width": float(width_s),
                                                    "types": list(types)}, streams=[stream], counted=True)
        return [ZonePeriodRead(zone=r["zone"], type=r["type"], cls=r["cls"], period=int(r["period"]), n=int(r["n"]))
                for r in rows]

    def alert_counts(self, stream: str, t0: float | None = None, t1: float | None = None) -> Counter[str]:
        """Alert firings of the stream's current run in the window per severity, counted in the graph."""
        rows = self._filtered(cypher.ALERT_COUNTS, _window(t0, t1), streams=[stream])
        return Counter({r["severity"]: int(r["n"]) for r in rows})

    def set_alert_delivery(self, rows: list[dict[str, Any]]) -> None:
        """``{"id", "delivered" ("yes", "failed", "pending", "none"), "attempts", "error"}`` per alert."""
        if rows:
            self._write([(cypher.SET_ALERT_DELIVERY, {"rows": rows})])

    def alert_delivery(self, ids: list[str]) -> dict[str, str]:
        """Delivery state by alert id, whatever run the alert belongs to (a run still being written included)."""
        return {r["id"]: r["delivered"] for r in self._read(cypher.ALERT_DELIVERY, {"ids": list(ids)})} if ids else {}

    def alerts(
        self, streams: list[str] | None = None, t0: float | None = None, t1: float | None = None,
        ids: list[str] | None = None, limit: int | None = None, newest: bool = False,
    ) -> list[AlertRead]:
        """Alert firings of the streams' committed runs, in time order (``newest``: the newest first, by the
        footage's wall clock), with the event that triggered each; the first ``limit`` of them if given."""
        params = {**_window(t0, t1), "limit": _ALL if limit is None else int(limit)}
        query = cypher.ALERTS_NEWEST if newest else cypher.ALERTS
        return cast(list[AlertRead], self._filtered(query, params, streams=streams, ids=ids))

    def event_entities(self, event_ids: list[str]) -> list[EventEntityRead]:
        """The entities each event involves, with their role (one row per pair), by event id then entity id."""
        rows = self._event_entity_rows(list(event_ids)) if event_ids else []
        return cast(list[EventEntityRead], _decoded(rows, "attributes"))

    def _event_entity_rows(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """:meth:`event_entities`' rows, in one read of the list (a backend that reads a list slowly reads them
        its own way)."""
        return self._read(cypher.EVENT_ENTITIES, {"ids": event_ids})

    def summaries(
        self, streams: list[str] | None = None, scale: float | None = None, t0: float | None = None,
        t1: float | None = None,
    ) -> list[SummaryRead]:
        rows = self._filtered(cypher.SUMMARIES, _window(t0, t1), streams=streams,
                              scale=None if scale is None else float(scale))
        return cast(list[SummaryRead], _decoded(rows, "counts", "events", "notable"))

    def entity_story(self, entity_id: str, limit: int = 500) -> EntityStoryRead | None:
        """One entity (of its stream's current run) with the events it took part in, in time order, and the
        entities linked to it as the same object; None if there is no such entity."""
        with self.reading():
            found = _decoded(self._read(cypher.ENTITIES_BY_ID, {"ids": [entity_id]}), "attributes")
            if not found:
                return None
            events = _decoded(self._read(cypher.ENTITY_EVENTS, {"id": entity_id, "limit": limit}), "attributes")
            links = {(link["b"] if link["a"] == entity_id else link["a"]): link
                     for link in self._read(cypher.ENTITY_LINKS, {"id": entity_id})}
            # the linked entities in one read; one of a run no longer current is not shown
            linked = _decoded(self._read(cypher.ENTITIES_BY_ID, {"ids": list(links)}), "attributes") if links else []
        by_id = {row["id"]: row for row in linked}
        same_as: list[AppearanceRead] = [
            {"entity": cast(EntityRead, by_id[other]), "confidence": float(link["confidence"]),
             "reason": link["reason"] or ""} for other, link in links.items() if other in by_id]
        return {"entity": cast(EntityRead, found[0]), "events": cast(list[StoryEventRead], events),
                "same_as": same_as}

    def same_as(self, streams: list[str] | None = None) -> list[SameAsRead]:
        return cast(list[SameAsRead], self._filtered(cypher.SAME_AS, {}, streams=streams))

    def zones(self, streams: list[str] | None = None) -> list[ZoneRead]:
        return cast(list[ZoneRead], _decoded(self._filtered(cypher.ZONES, {}, streams=streams), "points"))

    def zone_visits(
        self, zone: str, streams: list[str] | None = None, cls: str | None = None, t0: float | None = None,
        t1: float | None = None, types: Sequence[str] = ("zone_enter", "line_cross"),
    ) -> list[ZoneVisitRead]:
        """Entities with an event at a zone (default: entered it or crossed the line), one row per such event, in
        time order."""
        def read(a: float | None, b: float | None) -> list[dict[str, Any]]:
            return self._filtered(cypher.ZONE_VISITS, {"zone": zone, "types": list(types), **_window(a, b)},
                                  streams=streams, cls=cls)

        def order(r: dict[str, Any]) -> tuple[float, str]:
            return r["t"], r["id"]

        rows = sorted(self._sliced(read, t0, t1, order=order, ident=lambda r: r["event_id"]), key=order)
        return cast(list[ZoneVisitRead], _decoded(rows, "event_attributes", "attributes"))

    def events_by_id(self, ids: list[str]) -> list[EventRead]:
        """The events with these ids (of their streams' current runs), in no particular order."""
        return cast(list[EventRead], _decoded(self._read(cypher.EVENTS_BY_ID, {"ids": list(ids)}), "attributes"))

    def _sliced(self, read: Callable[[float | None, float | None], list[dict[str, Any]]], t0: float | None,
                t1: float | None, order: Callable[[dict[str, Any]], Any], ident: Callable[[dict[str, Any]], Any],
                limit: int | None = None, by_time: bool = False) -> list[dict[str, Any]]:
        """``read(t0, t1)``: the rows of a window, in ``order`` (as the query sorts them), the first ``limit``.
        Where the embedded store cannot hold them at once (:class:`GraphReadTooLarge`: a month of many cameras in
        a 128 MB page cache), the window is read in halves, each again in halves where needed (down to
        ``_SLICE_MIN_S``), and the rows joined, once each (``ident``: a row in view across the cut is in both
        halves). ``by_time``: ``order`` leads with the window's own time, so a first half that holds ``limit``
        rows ends the read."""
        try:
            return read(t0, t1)
        except GraphReadTooLarge:
            span = self._span(t0, t1)
            if span is None:
                raise
        # cut outside the handler: the error's traceback holds what the failed read held while it lives; the
        # halves keep the window's own ends (rows past a stream's recorded duration are read too)
        mid = (span[0] + span[1]) / 2
        rows = self._sliced(read, t0, mid, order, ident, limit, by_time)
        if not (by_time and limit is not None and len(rows) >= limit):
            rows += self._sliced(read, math.nextafter(mid, math.inf), t1, order, ident, limit, by_time)
        rows = sorted({ident(r): r for r in rows}.values(), key=order)  # each half came in order, not the two
        return rows if limit is None else rows[:limit]

    def _span(self, t0: float | None, t1: float | None) -> tuple[float, float] | None:
        """Where to cut a window: the part of it that holds most rows (times are offsets from each stream's
        start, few beyond the longest stream's recorded duration), or None when that is too short to cut."""
        longest = max((float(s["duration"] or 0.0) for s in self.list_streams()), default=0.0)
        lo, hi = max(0.0, t0 if t0 is not None else 0.0), min(math.inf if t1 is None else t1, longest + MAX_CHUNK_S)
        return (lo, hi) if hi - lo > _SLICE_MIN_S else None

    def segments(
        self, streams: list[str] | None = None, t0: float | None = None, t1: float | None = None,
        limit: int | None = 100_000, unexplained_above: float | None = None, status: str | None = None,
        seen: str | None = None,
    ) -> list[SegmentRead]:
        """``unexplained_above``: only segments where more of the moving area than that matched no detection;
        ``status``: only those with that status ("failed"); ``seen``: only those where the detector saw boxes of
        that class no entity came from; ``limit`` None: all of them."""
        # a segment is at most one chunk long: its start bounds the window from both sides, which an index on
        # (stream_id, t0) seeks (with t1 >= t0 alone Neo4j scanned a month of a camera's segments)
        def read(a: float | None, b: float | None) -> list[dict[str, Any]]:
            window = _window(a, b)
            return self._filtered(cypher.SEGMENTS, {**window, "since": window["t0"] - MAX_CHUNK_S,
                                                    "limit": _ALL if limit is None else int(limit)},
                                  streams=streams, unexplained=unexplained_above, status=status,
                                  seen=None if seen is None else json.dumps(seen))  # its key in the JSON map

        rows = self._sliced(read, t0, t1, order=lambda r: (r["stream_id"], r["t0"]), ident=lambda r: r["id"],
                            limit=limit)
        return cast(list[SegmentRead], _decoded(rows, "counts", "seen"))

    def _filtered(self, query: cypher.Filtered, params: dict[str, Any], **filters: Any) -> list[dict[str, Any]]:
        """Run a query with the optional filters that are given (``None``: no such filter)."""
        given = {name: list(value) if isinstance(value, (list, tuple)) else value
                 for name, value in filters.items() if value is not None}
        return self._read(query.build(set(given)), {**params, **given})


_LISTS = ("notable", "points")  # JSON columns holding lists; the others hold objects


def _decoded(rows: list[dict[str, Any]], *columns: str) -> list[dict[str, Any]]:
    """Rows with their JSON columns decoded (an empty value is an empty object or list)."""
    for row in rows:
        for column in columns:
            value = row.get(column)
            row[column] = json.loads(value) if value else ([] if column in _LISTS else {})
    return rows


def _marks() -> dict[str, Any]:
    """The parameters of ``cypher._COUNTED``: the types that may only mark where a sighting began (enter,
    zone_enter) or ended (exit, zone_exit), and the attribute each then carries as false, as compact JSON
    (``graph.build``) writes it."""
    came_key, went_key = SIGHTING_MARKS["enter"], SIGHTING_MARKS["exit"]
    return {"came": sorted(kind for kind, key in SIGHTING_MARKS.items() if key == came_key),
            "came_mark": json_text({came_key: False})[1:-1],
            "went": sorted(kind for kind, key in SIGHTING_MARKS.items() if key == went_key),
            "went_mark": json_text({went_key: False})[1:-1]}


_MARKS = _marks()
_ALL = 2**62  # "no limit" for a LIMIT parameter
_SLICE_MIN_S = 60.0  # the shortest window a read too large for the embedded store is cut into
_OPEN = 1e18  # seconds: an open time bound (LadybugDB cannot bind a NULL parameter to a DOUBLE comparison)


def _window(t0: float | None, t1: float | None) -> dict[str, float]:
    return {"t0": -_OPEN if t0 is None else float(t0), "t1": _OPEN if t1 is None else float(t1)}


def open_store(graph: GraphSettings, path: Path | None = None, read_only: bool = False) -> GraphStore:
    """The backend ``graph.backend`` names: ``ladybug`` (embedded, default; its file is ``graph.path``, else
    ``path``) or ``neo4j`` (a server, from the ``neo4j_*`` settings)."""
    if graph.backend == "ladybug":
        from graph.ladybug_store import LadybugStore

        where = graph.path or path
        if where is None:
            raise ValueError("the embedded graph needs a path (graph.path, or the data directory's graph.lbdb)")
        return LadybugStore(where, read_only=read_only, buffer_pool_mb=graph.buffer_pool_mb)
    try:
        from graph.neo4j_store import Neo4jStore
    except ModuleNotFoundError as err:
        raise GraphUnavailable("graph backend neo4j needs the Neo4j driver: pip install -e '.[neo4j]'") from err
    if not graph.neo4j_uri:
        raise ValueError("graph backend neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD)")
    password = graph.neo4j_password.get_secret_value() if graph.neo4j_password else ""
    return Neo4jStore(graph.neo4j_uri, graph.neo4j_user, password, database=graph.neo4j_database,
                      buffer_batches=graph.neo4j_buffer_batches, max_backoff_s=graph.neo4j_max_backoff_s)
