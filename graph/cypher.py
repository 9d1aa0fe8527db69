"""Cypher shared by the backends: only the subset LadybugDB and Neo4j 5 both accept.

Write shapes follow what measured fast on LadybugDB: ``UNWIND $rows AS r WITH r.a AS a ... MERGE`` on the
primary key, and relationships matched with two separate ``MATCH`` clauses (primary-key lookups), never a
comma pattern. Every value arrives as a parameter; no user text is ever formatted into a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Filtered:
    """A read query with optional filters: ``@name@`` in the text becomes ``AND <condition>`` when that filter is
    given and disappears when it is not. A filter that is absent is absent from the query (no ``$x OR ...``
    disjunction), so Neo4j's planner can use its indexes and LadybugDB reads fewer rows."""

    text: str
    conditions: tuple[tuple[str, str], ...]

    def build(self, present: set[str]) -> str:
        unknown = present - {name for name, _ in self.conditions}
        if unknown:
            raise ValueError(f"no filter {sorted(unknown)} on this query")
        text = self.text
        for name, condition in self.conditions:
            if f"@{name}@" not in text:
                raise ValueError(f"filter {name!r} has no @{name}@ marker in its query")
            text = text.replace(f"@{name}@", f"\n  AND {condition}" if name in present else "")
        if leftover := re.findall(r"@\w+@", text):
            raise ValueError(f"filter markers without a condition: {leftover}")
        return text


def filtered(text: str, **conditions: str) -> Filtered:
    return Filtered(text, tuple(conditions.items()))


UPSERT_STREAM = """
UNWIND $rows AS r
WITH r.id AS id, r.uri AS uri, r.name AS name, r.kind AS kind, r.duration AS duration, r.fps AS fps,
     r.width AS width, r.height AS height, r.status AS status, r.run AS run, r.settings AS settings,
     r.error AS error, r.updated AS updated, r.start AS start, r.writer AS writer, r.done AS done,
     r.lost AS lost
MERGE (s:Stream {id: id})
SET s.uri = uri, s.name = name, s.kind = kind, s.duration = duration, s.fps = fps, s.width = width,
    s.height = height, s.status = status, s.run = run, s.settings = settings, s.error = error,
    s.updated = updated, s.start = start, s.writer = writer, s.done = done, s.lost = lost
"""

UPSERT_SEGMENTS = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.idx AS idx, r.t0 AS t0, r.t1 AS t1,
     r.caption AS caption, r.motion AS motion, r.status AS status, r.error AS error, r.counts AS counts,
     r.thumbnail AS thumbnail, r.seen AS seen, r.unexplained AS unexplained
MERGE (s:Segment {id: id})
SET s.stream_id = stream_id, s.run = run, s.idx = idx, s.t0 = t0, s.t1 = t1, s.caption = caption,
    s.motion = motion, s.status = status, s.error = error, s.counts = counts, s.thumbnail = thumbnail,
    s.seen = seen, s.unexplained = unexplained
"""

UPSERT_EVENTS = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.type AS type, r.t0 AS t0, r.t1 AS t1,
     r.confidence AS confidence, r.label AS label, r.description AS description, r.attributes AS attributes,
     r.thumbnail AS thumbnail
MERGE (e:Event {id: id})
SET e.stream_id = stream_id, e.run = run, e.type = type, e.t0 = t0, e.t1 = t1, e.confidence = confidence,
    e.label = label, e.description = description, e.attributes = attributes, e.thumbnail = thumbnail
"""

UPSERT_ENTITIES = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.cls AS cls, r.first_seen AS first_seen,
     r.last_seen AS last_seen, r.confidence AS confidence, r.direction AS direction,
     r.attributes AS attributes, r.thumbnail AS thumbnail
MERGE (n:Entity {id: id})
SET n.stream_id = stream_id, n.run = run, n.cls = cls, n.first_seen = first_seen, n.last_seen = last_seen,
    n.confidence = confidence, n.direction = direction, n.attributes = attributes, n.thumbnail = thumbnail
"""

UPSERT_ZONES = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.name AS name, r.kind AS kind, r.points AS points
MERGE (z:Zone {id: id})
SET z.stream_id = stream_id, z.name = name, z.kind = kind, z.points = points
"""


UPSERT_SUMMARIES = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.scale AS scale, r.t0 AS t0, r.t1 AS t1,
     r.text AS text, r.counts AS counts, r.events AS events, r.notable AS notable
MERGE (s:Summary {id: id})
SET s.stream_id = stream_id, s.run = run, s.scale = scale, s.t0 = t0, s.t1 = t1, s.text = text,
    s.counts = counts, s.events = events, s.notable = notable
"""


def _link(src: str, rel: str, dst: str, *properties: str) -> str:
    """Relationship upsert by the two endpoints' ids: two primary-key MATCHes (never a comma pattern)."""
    sets = "".join(f"\nSET x.{p} = r.{p}" for p in properties)
    return (f"UNWIND $rows AS r\nMATCH (a:{src} {{id: r.src}})\nMATCH (b:{dst} {{id: r.dst}})\n"
            f"MERGE (a)-[x:{rel}]->(b){sets}\n")


LINK_HAS = _link("Stream", "HAS", "Segment")
LINK_NEXT = _link("Segment", "NEXT", "Segment")
LINK_IN = _link("Event", "`IN`", "Segment")
LINK_INVOLVES = _link("Event", "INVOLVES", "Entity", "role")
LINK_AT = _link("Event", "AT", "Zone")
LINK_SUMMARIZES_SEGMENT = _link("Summary", "SUMMARIZES", "Segment")
LINK_SUMMARIZES_SUMMARY = _link("Summary", "SUMMARIZES", "Summary")
LINK_SAME_AS = _link("Entity", "SAME_AS", "Entity", "confidence", "reason")
LINK_TRIGGERED_BY = _link("Alert", "TRIGGERED_BY", "Event")

# An alert firing: created once (a re-run of the same analysis finds it and does not fire again); delivery
# state is updated separately as the webhook answers.
UPSERT_ALERTS = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.rule AS rule, r.severity AS severity, r.t0 AS t0,
     r.t1 AS t1, r.text AS text, r.fired AS fired, r.thumbnail AS thumbnail
MERGE (a:Alert {id: id})
ON CREATE SET a.delivered = "pending", a.attempts = 0, a.error = ""
SET a.stream_id = stream_id, a.run = run, a.rule = rule, a.severity = severity, a.t0 = t0, a.t1 = t1,
    a.text = text, a.fired = fired, a.thumbnail = thumbnail
"""
SET_ALERT_DELIVERY = """
UNWIND $rows AS r
WITH r.id AS id, r.delivered AS delivered, r.attempts AS attempts, r.error AS error
MATCH (a:Alert {id: id})
SET a.delivered = delivered, a.attempts = attempts, a.error = error
"""
ALERT_DELIVERY = "MATCH (a:Alert) WHERE a.id IN $ids RETURN a.id AS id, a.delivered AS delivered"
_ALERTS = """
MATCH (a:Alert)
WHERE a.t1 >= $t0 AND a.t0 <= $t1@streams@@ids@
MATCH (st:Stream {id: a.stream_id})
WHERE a.run = st.run
OPTIONAL MATCH (a)-[:TRIGGERED_BY]->(e:Event)
RETURN a.id AS id, st.id AS stream_id, st.name AS stream, a.rule AS rule, a.severity AS severity, a.t0 AS t0,
       a.t1 AS t1, a.text AS text, a.fired AS fired, a.delivered AS delivered, a.attempts AS attempts,
       a.error AS error, a.thumbnail AS thumbnail, e.id AS event_id, e.type AS event_type
ORDER BY ORDER
LIMIT $limit
"""
_ALERT_FILTERS = {"streams": "a.stream_id IN $streams", "ids": "a.id IN $ids"}
ALERTS = filtered(_ALERTS.replace("ORDER BY ORDER", "ORDER BY a.t0, a.id"), **_ALERT_FILTERS)
# the newest first, by the footage's wall clock where the stream has one (what an operator's page shows first)
ALERTS_NEWEST = filtered(_ALERTS.replace("ORDER BY ORDER", "ORDER BY coalesce(st.start, 0.0) + a.t0 DESC, a.id DESC"),
                         **_ALERT_FILTERS)

GET_STREAM = "MATCH (s:Stream {id: $id}) RETURN s.id AS id, s.uri AS uri, s.name AS name, s.kind AS kind, " \
    "s.duration AS duration, s.fps AS fps, s.width AS width, s.height AS height, s.status AS status, " \
    "s.run AS run, s.settings AS settings, s.error AS error, s.updated AS updated, s.start AS start, " \
    "coalesce(s.writer, '') AS writer, coalesce(s.done, 0.0) AS done, coalesce(s.lost, 0.0) AS lost"

STREAM_SETTINGS = "MATCH (s:Stream) WHERE s.id IN $ids RETURN s.id AS id, s.settings AS settings"

LIST_STREAMS = "MATCH (s:Stream) RETURN s.id AS id, s.uri AS uri, s.name AS name, s.kind AS kind, " \
    "s.duration AS duration, s.status AS status, s.run AS run, s.error AS error, s.updated AS updated, " \
    "s.start AS start, coalesce(s.writer, '') AS writer, coalesce(s.done, 0.0) AS done, " \
    "coalesce(s.lost, 0.0) AS lost ORDER BY s.id"

# Deleting derived data of one stream. ``$keep`` is the run to keep ("" keeps none).
DELETE_EVENTS = "MATCH (e:Event) WHERE e.stream_id = $stream AND e.run <> $keep DETACH DELETE e"
DELETE_ENTITIES = "MATCH (n:Entity) WHERE n.stream_id = $stream AND n.run <> $keep DETACH DELETE n"
DELETE_SEGMENTS = "MATCH (s:Segment) WHERE s.stream_id = $stream AND s.run <> $keep DETACH DELETE s"
DELETE_SUMMARIES = "MATCH (s:Summary) WHERE s.stream_id = $stream AND s.run <> $keep DETACH DELETE s"
DELETE_ALERTS = "MATCH (a:Alert) WHERE a.stream_id = $stream AND a.run <> $keep DETACH DELETE a"
DELETE_DAYS = "MATCH (d:DayCount) WHERE d.stream_id = $stream AND d.run <> $keep DETACH DELETE d"
DELETE_ONLY_RUN_EVENTS = "MATCH (e:Event) WHERE e.stream_id = $stream AND e.run = $run DETACH DELETE e"
DELETE_ONLY_RUN_ENTITIES = "MATCH (n:Entity) WHERE n.stream_id = $stream AND n.run = $run DETACH DELETE n"
DELETE_ONLY_RUN_SEGMENTS = "MATCH (s:Segment) WHERE s.stream_id = $stream AND s.run = $run DETACH DELETE s"
DELETE_ONLY_RUN_SUMMARIES = "MATCH (s:Summary) WHERE s.stream_id = $stream AND s.run = $run DETACH DELETE s"
DELETE_ONLY_RUN_ALERTS = "MATCH (a:Alert) WHERE a.stream_id = $stream AND a.run = $run DETACH DELETE a"
DELETE_ONLY_RUN_DAYS = "MATCH (d:DayCount) WHERE d.stream_id = $stream AND d.run = $run DETACH DELETE d"
DELETE_STREAM = "MATCH (s:Stream {id: $stream}) DETACH DELETE s"
DELETE_ZONES = "MATCH (z:Zone) WHERE z.stream_id = $stream DETACH DELETE z"

COUNT_NODES = {
    label: f"MATCH (n:{label}) RETURN count(n) AS n"
    for label in ("Stream", "Segment", "Event", "Entity", "Zone", "Summary", "Alert")
}
# per stream and run, for `vidgraph status` (the caller keeps each stream's current run)
COUNT_PER_STREAM = {
    label: filtered(f"""
MATCH (n:{label})
WHERE true@streams@
RETURN n.stream_id AS stream_id, n.run AS run, count(n) AS n
""", streams="n.stream_id IN $streams")
    for label in ("Segment", "Event", "Entity")
}
COUNT_RELS = {
    rel: f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n"
    for rel in ("HAS", "NEXT", "`IN`", "INVOLVES", "AT", "SUMMARIZES", "SAME_AS", "TRIGGERED_BY")
}

# Reads for the query layer. Each joins the stream so only its committed run is visible. An open time bound is
# +-1e18 seconds (LadybugDB cannot compare a DOUBLE with a NULL parameter).
ENTITIES = filtered("""
MATCH (n:Entity)
WHERE n.last_seen >= $t0
  AND n.first_seen <= $t1@before@@streams@@classes@@direction@
MATCH (st:Stream {id: n.stream_id})
WHERE n.run = st.run
RETURN n.id AS id, st.id AS stream_id, st.name AS stream, n.cls AS cls, n.first_seen AS first_seen,
       n.last_seen AS last_seen, n.confidence AS confidence, n.direction AS direction,
       n.attributes AS attributes, n.thumbnail AS thumbnail
ORDER BY n.first_seen, n.id
LIMIT $limit
""", before="n.first_seen <= $before", streams="n.stream_id IN $streams", classes="n.cls IN $classes",
    direction="n.direction = $direction")

# how many entities ENTITIES would return, per stream and run (the caller keeps the current runs: the join to
# Stream costs a third of the time on a month of entities)
ENTITY_COUNTS = filtered("""
MATCH (n:Entity)
WHERE n.last_seen >= $t0
  AND n.first_seen <= $t1@after@@below@@left@@streams@@classes@@direction@
RETURN n.stream_id AS stream_id, n.run AS run, count(n) AS n
""", after="n.first_seen >= $after", below="n.first_seen < $below", left="n.last_seen < $left",
    streams="n.stream_id IN $streams",
    classes="n.cls IN $classes", direction="n.direction = $direction")

# not an enter, exit, zone_enter or zone_exit that only marks where a sighting began or ended: its attributes
# (compact JSON, graph.build) say "entered":false or "left":false; the store binds $came/$went and their marks
# from common.classes.SIGHTING_MARKS
_COUNTED = "NOT (e.type IN $came AND e.attributes CONTAINS $came_mark) " \
    "AND NOT (e.type IN $went AND e.attributes CONTAINS $went_mark)"

# an event's picture: its own (its moment, or its subject's picture) where perception made one, else its
# segment's (an event written before events had pictures has none: "" embedded, null in Neo4j)
_EVENT_PICTURE = "CASE WHEN e.thumbnail <> '' THEN e.thumbnail ELSE s.thumbnail END AS thumbnail"

# an event as read (its stream's current run, its picture), after a MATCH of (e:Event)
_EVENT_ROW = """
MATCH (st:Stream {id: e.stream_id})
WHERE e.run = st.run
OPTIONAL MATCH (e)-[:`IN`]->(s:Segment)
RETURN e.id AS id, st.id AS stream_id, st.name AS stream, e.type AS type, e.t0 AS t0, e.t1 AS t1,
       e.confidence AS confidence, e.label AS label, e.description AS description,
       e.attributes AS attributes, s.id AS segment_id, """ + _EVENT_PICTURE

EVENTS = filtered("""
MATCH (e:Event)
WHERE e.t1 >= $t0
  AND e.t0 <= $t1@streams@@types@@other_than@@label@@counted@""" + _EVENT_ROW + """
ORDER BY e.t0, e.id
LIMIT $limit
""", streams="e.stream_id IN $streams", types="e.type IN $types", other_than="NOT e.type IN $other_than",
    label="e.label IN $label", counted=_COUNTED)

# events of the streams' current runs per type, without the enter/exit events that only mark a first or last
# sighting (``graph.summaries.counts_as_event``): what a report counts, in the graph however long the window
EVENT_TYPE_COUNTS = filtered("""
MATCH (e:Event)
WHERE e.t1 >= $t0
  AND e.t0 <= $t1@streams@@counted@
MATCH (st:Stream {id: e.stream_id})
WHERE e.run = st.run
RETURN e.type AS type, count(e) AS n
""", streams="e.stream_id IN $streams", counted=_COUNTED)

# entities in view during the window (as ENTITIES) per stream, class and period of their first sighting: the
# period is counted in wall-clock seconds where the stream has a clock (``start``), so periods of $width that
# divide an hour line up with every time zone's hours
FIRST_SEEN_PERIODS = filtered("""
MATCH (n:Entity)
WHERE n.last_seen >= $t0
  AND n.first_seen <= $t1@streams@@classes@@direction@
MATCH (st:Stream {id: n.stream_id})
WHERE n.run = st.run
RETURN st.id AS stream_id, n.cls AS cls, floor((n.first_seen + coalesce(st.start, 0.0)) / $width) AS period,
       count(n) AS n
""", streams="n.stream_id IN $streams", classes="n.cls IN $classes", direction="n.direction = $direction")

# a zone's or line's events (entering, crossing) of the streams' current runs per zone, type, class and period of
# their moment (counted as FIRST_SEEN_PERIODS counts), without the stay edges that only mark where a sighting began
# or ended: a report's counts per zone, in the graph however long the window
ZONE_PERIODS = filtered("""
MATCH (e:Event)-[:AT]->(z:Zone)
WHERE e.type IN $types AND e.t1 >= $t0 AND e.t1 <= $t1@streams@@counted@
MATCH (st:Stream {id: e.stream_id})
WHERE e.run = st.run
MATCH (e)-[:INVOLVES]->(n:Entity)
RETURN z.name AS zone, e.type AS type, n.cls AS cls, floor((e.t1 + coalesce(st.start, 0.0)) / $width) AS period,
       count(e) AS n
""", streams="z.stream_id IN $streams AND e.stream_id IN $streams", counted=_COUNTED)

ALERT_COUNTS = filtered("""
MATCH (a:Alert)
WHERE a.t1 >= $t0 AND a.t0 <= $t1@streams@
MATCH (st:Stream {id: a.stream_id})
WHERE a.run = st.run
RETURN st.id AS stream_id, a.severity AS severity, count(a) AS n
""", streams="a.stream_id IN $streams")

SEGMENTS = filtered("""
MATCH (s:Segment)
WHERE s.t1 >= $t0
  AND s.t0 >= $since
  AND s.t0 <= $t1@streams@@unexplained@@status@@seen@
MATCH (st:Stream {id: s.stream_id})
WHERE s.run = st.run
RETURN s.id AS id, st.id AS stream_id, st.name AS stream, s.idx AS idx, s.t0 AS t0, s.t1 AS t1,
       s.caption AS caption, s.motion AS motion, s.status AS status, s.error AS error,
       s.counts AS counts, s.thumbnail AS thumbnail, coalesce(s.seen, '') AS seen,
       coalesce(s.unexplained, -1.0) AS unexplained
ORDER BY st.id, s.t0
LIMIT $limit
""", streams="s.stream_id IN $streams", unexplained="s.unexplained > $unexplained", status="s.status = $status",
    seen="s.seen CONTAINS $seen")

ZONES = filtered("""
MATCH (z:Zone)
WHERE true@streams@
RETURN z.id AS id, z.stream_id AS stream_id, z.name AS name, z.kind AS kind, z.points AS points
ORDER BY z.stream_id, z.name
""", streams="z.stream_id IN $streams")

# Entities with an event at a zone (by default: entered the polygon or crossed the line) in a time window.
# a zone's events are its stream's (graph/build.py links each event to a zone of its own stream): the events'
# own stream_id lets Neo4j seek Event(stream_id, t1) instead of expanding a month of the zone's events
# unordered (the caller sorts: sorting here filled LadybugDB's buffer pool sooner)
ZONE_VISITS = filtered("""
MATCH (e:Event)-[:AT]->(z:Zone)
WHERE z.name = $zone
  AND e.type IN $types AND e.t1 >= $t0 AND e.t1 <= $t1@streams@
MATCH (st:Stream {id: e.stream_id})
WHERE e.run = st.run
MATCH (e)-[:INVOLVES]->(n:Entity)
WHERE true@cls@
RETURN n.id AS id, st.id AS stream_id, st.name AS stream, n.cls AS cls, e.t1 AS t, e.type AS type,
       e.attributes AS event_attributes, e.id AS event_id, e.confidence AS confidence, n.first_seen AS first_seen,
       n.last_seen AS last_seen, n.direction AS direction, n.attributes AS attributes, n.thumbnail AS thumbnail,
       CASE WHEN e.thumbnail <> '' THEN e.thumbnail ELSE n.thumbnail END AS event_thumbnail
""", streams="z.stream_id IN $streams AND e.stream_id IN $streams", cls="n.cls = $cls")

EVENTS_BY_ID = """
UNWIND $ids AS i
MATCH (e:Event {id: i})""" + _EVENT_ROW + "\n"

# The entities an event involves (its timeline partners), for graph expansion in retrieval.
_EVENT_ENTITY_ROW = """
MATCH (st:Stream {id: n.stream_id})
WHERE n.run = st.run
RETURN e.id AS event_id, r.role AS role, n.id AS id, st.id AS stream_id, st.name AS stream, n.cls AS cls,
       n.first_seen AS first_seen, n.last_seen AS last_seen, n.direction AS direction, n.attributes AS attributes,
       n.thumbnail AS thumbnail"""
EVENT_ENTITIES = """
MATCH (e:Event)-[r:INVOLVES]->(n:Entity)
WHERE e.id IN $ids""" + _EVENT_ENTITY_ROW + """
ORDER BY e.id, n.id
"""
# one event's: LadybugDB answers `e.id IN $ids` by scanning every event (4.0 s for 2,000 ids on the million-event
# bench graph, 35 s for a day's 33,000), and `e.id = $id` by its key (0.08 ms an id)
EVENT_ENTITIES_OF = """
MATCH (e:Event)-[r:INVOLVES]->(n:Entity)
WHERE e.id = $id""" + _EVENT_ENTITY_ROW + "\n"

SUMMARIES = filtered("""
MATCH (s:Summary)
WHERE s.t1 >= $t0 AND s.t0 <= $t1@streams@@scale@
MATCH (st:Stream {id: s.stream_id})
WHERE s.run = st.run
RETURN s.id AS id, st.id AS stream_id, st.name AS stream, s.scale AS scale, s.t0 AS t0, s.t1 AS t1,
       s.text AS text, s.counts AS counts, s.events AS events, s.notable AS notable
ORDER BY st.id, s.scale, s.t0
""", streams="s.stream_id IN $streams", scale="s.scale = $scale")

# Retention: what lies wholly inside [t0, t1) of one stream (all runs). Summaries only when forgetting.
RANGE_THUMBNAILS = """
MATCH (s:Segment) WHERE s.stream_id = $stream AND s.thumbnail <> "" AND s.t0 >= $t0 AND s.t1 <= $t1
RETURN s.thumbnail AS thumbnail
UNION ALL
MATCH (n:Entity) WHERE n.stream_id = $stream AND n.thumbnail <> "" AND n.first_seen >= $t0 AND n.last_seen < $t1
RETURN n.thumbnail AS thumbnail
UNION ALL
MATCH (e:Event) WHERE e.stream_id = $stream AND e.thumbnail <> "" AND e.t0 >= $t0 AND e.t1 < $t1
RETURN e.thumbnail AS thumbnail
"""
RANGE_ALERT_THUMBNAILS = """
MATCH (a:Alert) WHERE a.stream_id = $stream AND a.thumbnail <> "" AND a.t0 >= $t0 AND a.t1 < $t1
RETURN a.thumbnail AS thumbnail
"""
# the pictures that what is left of a stream around a deleted range still shows: a firing compaction keeps, an
# entity or event across the range's edge (an event shows its subject's picture; a firing, its event's)
RANGE_THUMBNAILS_KEPT = """
MATCH (a:Alert) WHERE a.stream_id = $stream AND a.thumbnail <> "" AND a.t1 >= $t0 AND a.t0 <= $t1
RETURN a.thumbnail AS thumbnail
UNION ALL
MATCH (n:Entity) WHERE n.stream_id = $stream AND n.thumbnail <> "" AND n.last_seen >= $t0 AND n.first_seen <= $t1
RETURN n.thumbnail AS thumbnail
UNION ALL
MATCH (e:Event) WHERE e.stream_id = $stream AND e.thumbnail <> "" AND e.t1 >= $t0 AND e.t0 <= $t1
RETURN e.thumbnail AS thumbnail
"""
DELETE_RANGE_ALERTS = "MATCH (a:Alert) WHERE a.stream_id = $stream AND a.t0 >= $t0 AND a.t1 < $t1 DETACH DELETE a"
DELETE_RANGE = (
    "MATCH (e:Event) WHERE e.stream_id = $stream AND e.t0 >= $t0 AND e.t1 < $t1 DETACH DELETE e",
    "MATCH (n:Entity) WHERE n.stream_id = $stream AND n.first_seen >= $t0 AND n.last_seen < $t1 DETACH DELETE n",
    "MATCH (s:Segment) WHERE s.stream_id = $stream AND s.t0 >= $t0 AND s.t1 <= $t1 DETACH DELETE s",
)
DELETE_RANGE_SUMMARIES = (
    "MATCH (s:Summary) WHERE s.stream_id = $stream AND s.t0 >= $t0 AND s.t1 <= $t1 DETACH DELETE s"
)

# Entity resolution: a stream's entities and the links found for them.
# one entity's story: the entity (its stream's current run), the events it took part in, its SAME_AS links

ENTITY_EVENTS = """
MATCH (e:Event)-[r:INVOLVES]->(n:Entity {id: $id})
OPTIONAL MATCH (e)-[:`IN`]->(s:Segment)
RETURN e.id AS id, e.type AS type, e.t0 AS t0, e.t1 AS t1, e.confidence AS confidence, e.label AS label,
       e.description AS description, e.attributes AS attributes, r.role AS role, """ + _EVENT_PICTURE + """
ORDER BY e.t0, e.id
LIMIT $limit
"""

ENTITY_LINKS = """
MATCH (a:Entity)-[x:SAME_AS]->(b:Entity)
WHERE a.id = $id OR b.id = $id
RETURN a.id AS a, b.id AS b, x.confidence AS confidence, x.reason AS reason
ORDER BY x.confidence DESC
"""

SAME_AS = filtered("""
MATCH (a:Entity)-[x:SAME_AS]->(b:Entity)
WHERE true@streams@
RETURN a.id AS id, b.id AS same_as, x.confidence AS confidence, x.reason AS reason
ORDER BY a.id, x.confidence DESC
""", streams="(a.stream_id IN $streams OR b.stream_id IN $streams)")


# -- per-day rollups: entities by the day they were first seen, for counts over long windows ---------------------
ROLLUP_SOURCE = """
MATCH (n:Entity)
WHERE n.stream_id = $stream AND n.run = $run AND n.first_seen < $through
RETURN n.id AS id, n.first_seen AS first_seen, n.last_seen AS last_seen, n.cls AS cls, n.direction AS direction
"""

UPSERT_DAY_COUNTS = """
UNWIND $rows AS r
WITH r.id AS id, r.stream_id AS stream_id, r.run AS run, r.day AS day, r.cls AS cls, r.direction AS direction,
     r.n AS n, r.through AS through, r.first AS first, r.longest AS longest
MERGE (d:DayCount {id: id})
SET d.stream_id = stream_id, d.run = run, d.day = day, d.cls = cls, d.direction = direction, d.n = n,
    d.through = through, d.first = first, d.longest = longest
"""

DELETE_DAY_COUNTS = "MATCH (d:DayCount) WHERE d.stream_id = $stream DETACH DELETE d"

# the rollup of each stream's runs: the marker row (day -1) says through when it is complete
DAY_MARKERS = filtered("""
MATCH (d:DayCount)
WHERE d.day = -1@streams@
RETURN d.stream_id AS stream_id, d.run AS run, d.through AS through
""", streams="d.stream_id IN $streams")

DAY_COUNTS = filtered("""
MATCH (d:DayCount)
WHERE d.day >= $d0 AND d.day < $d1@streams@@classes@@direction@
RETURN d.stream_id AS stream_id, d.run AS run, sum(d.n) AS n
""", streams="d.stream_id IN $streams", classes="d.cls IN $classes", direction="d.direction = $direction")

# The first-seen index in the rollup (graph/rollup.py): the marker of each stream's current run (how far it is
# rolled up, the longest time any of its entities was in view), the day groups of a span of days, their lists
# of first seen entities, and entities fetched by id (a key lookup each: no scan of a month of entities)
ROLLED_MARKS = filtered("""
MATCH (d:DayCount)
WHERE d.day = -1@streams@
MATCH (st:Stream {id: d.stream_id})
WHERE st.run = d.run
RETURN d.stream_id AS stream_id, d.through AS through, d.longest AS longest
""", streams="d.stream_id IN $streams")

DAY_GROUPS = filtered("""
MATCH (d:DayCount)
WHERE d.day >= $d0 AND d.day <= $d1@streams@@classes@@direction@
MATCH (st:Stream {id: d.stream_id})
WHERE st.run = d.run
RETURN d.id AS id, d.day AS day, d.n AS n
""", streams="d.stream_id IN $streams", classes="d.cls IN $classes", direction="d.direction = $direction")

DAY_FIRST = """
UNWIND $ids AS i
MATCH (d:DayCount {id: i})
RETURN d.id AS id, d.first AS first
"""

ENTITIES_BY_ID = """
UNWIND $ids AS i
MATCH (n:Entity {id: i})
MATCH (st:Stream {id: n.stream_id})
WHERE n.run = st.run
RETURN n.id AS id, st.id AS stream_id, st.name AS stream, n.cls AS cls, n.first_seen AS first_seen,
       n.last_seen AS last_seen, n.confidence AS confidence, n.direction AS direction,
       n.attributes AS attributes, n.thumbnail AS thumbnail
"""
