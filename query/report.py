"""Incident reports: what happened on some streams over a window, as Markdown, HTML or PDF.

A report holds a summary (objects per class, events per type, alert firings), an incident table (time, camera,
zone, type, severity, entities, thumbnail), a timeline plot (objects in view per stream, incidents marked by
severity), counts per hour, or per day past two days (a table and a plot), and entries into each zone and
crossings of each counting line per hour (or day) and class. Incidents are the events rated at
least ``min_severity`` by the profile's severity rules (``vlm.profiles``), plus every alert firing in the window.
Its cost does not grow with the window: the counts are made in the graph, the table lists the INCIDENT_LIMIT most
severe incidents, and the timeline draws a bar per object only up to BAR_LIMIT of them.

"Since 24h" is measured on the stream clock, like questions: back from the end of the newest footage, so a
report on yesterday's recording covers that recording. Plots are matplotlib (Agg, no display); HTML is Jinja2
with the images embedded, so one file travels; PDF is that HTML through WeasyPrint.
"""

from __future__ import annotations

import base64
import math
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from common.text import class_name, clock, wall_time
from graph.records import EntityRead, EventEntityRead, PeriodCountRead, StreamRead, SummaryRead, ZonePeriodRead
from graph.store import GraphStore
from graph.summaries import DEFAULT_SCALES, coarsest_level
from query.ask import ANSWERABLE
from query.periods import QUARTER_HOUR_S
from query.timewords import StreamClock, TimeSpec, describe, reference_now, resolve
from vlm.profiles import Profile

Format = Literal["md", "html", "pdf"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
SEVERITY_COLOURS = {"high": "#d62728", "medium": "#ff7f0e", "low": "#1f77b4", "info": "#7f7f7f"}
CLASS_COLOURS = ("#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#1f77b4", "#ff7f0e")  # car green


REPORT_SUFFIXES = (".md", ".html", ".pdf")


def stamped_name(prefix: str) -> str:
    """A report file name (without extension) that sorts by time: ``<prefix>-20261122T093000Z``."""
    return f"{prefix}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}"


def list_reports(folder: Path) -> list[dict[str, Any]]:
    """The reports in a folder, newest first, as ``{"name", "bytes"}``."""
    if not folder.exists():
        return []
    files = sorted(folder.glob("*.*"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [{"name": p.name, "bytes": p.stat().st_size} for p in files if p.suffix in REPORT_SUFFIXES]


def report_file(folder: Path, name: str) -> Path | None:
    """The report called ``name`` in ``folder``, one :func:`list_reports` lists; None for anything else (a missing
    file, a path leading out, a name no file can have: a NUL byte, a separator, over 255 bytes)."""
    if (not name or "\0" in name or "/" in name or "\\" in name or len(name.encode()) > 255
            or Path(name).suffix not in REPORT_SUFFIXES):
        return None
    path = (folder / name).resolve()
    return path if path.is_relative_to(folder.resolve()) and path.is_file() else None


def parse_since(text: str) -> float:
    """``90s``, ``15m``, ``24h``, ``7d`` (or plain seconds) as seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?\s*", text.lower())
    if not m:
        raise ValueError(f"cannot read duration {text!r}: use e.g. 90s, 15m, 24h or 7d")
    return float(m.group(1)) * {"s": 1, None: 1, "m": 60, "min": 60, "h": 3600, "d": 86400}[m.group(2)]


@dataclass(slots=True)
class Incident:
    stream_id: str
    stream: str
    t0: float
    t1: float
    wall: str  # wall-clock time when the stream has one, else ""
    kind: str  # event type, or "alert: <rule>"
    severity: str
    zone: str
    entities: str
    description: str
    thumbnail: str | None
    node_id: str  # the Event or Alert node it cites


@dataclass(slots=True)
class StreamPart:
    id: str
    name: str
    t0: float
    t1: float
    start: float  # wall clock of t=0, 0 when unknown
    periods: list[PeriodCountRead] = field(default_factory=list)  # objects first seen per PERIOD_S and class
    zone_periods: list[ZonePeriodRead] = field(default_factory=list)  # zones entered, lines crossed, likewise
    event_counts: Counter[str] = field(default_factory=Counter)  # counted events per type (counts_as_event)
    alert_counts: Counter[str] = field(default_factory=Counter)  # alert firings per severity
    entities: list[EntityRead] = field(default_factory=list)  # one bar each; empty past BAR_LIMIT in the report

    @property
    def objects(self) -> int:
        return sum(r["n"] for r in self.periods)

    def time_of(self, period: int) -> float:
        """The stream time at which a period of :attr:`periods` begins."""
        return period * PERIOD_S - self.start


@dataclass(slots=True)
class Report:
    title: str
    generated: str
    window: str
    min_severity: str
    parts: list[StreamPart]
    incidents: list[Incident]  # those listed: the INCIDENT_LIMIT most severe, earliest first within a severity
    incident_total: int  # all of them (events rated min_severity or higher, and alert firings), counted
    severity_counts: dict[str, int]  # incident_total per severity
    alert_total: int
    class_counts: dict[str, int]
    event_counts: dict[str, int]
    period: str  # "hour", or "day" for windows longer than DAILY_AFTER_S
    per_period: list[tuple[str, dict[str, int]]]  # (period label, objects first seen per class)
    per_zone: list[tuple[str, str, dict[str, int]]]  # (period label, zone, entries or crossings per class)
    summaries: list[str]
    tz: str


INCIDENT_LIMIT = 500  # incidents listed in the table (all are counted): a month of busy cameras lists hundreds
# of thousands, more than anyone reads or than memory should hold
BAR_LIMIT = 2_000  # objects drawn one bar each on the timeline; past that, objects first seen per period
PERIOD_S = float(QUARTER_HOUR_S)  # objects are counted in the graph per quarter hour of their first sighting:
# every time zone's offset is whole quarter hours, so the quarters add up to its hours and days
DAILY_AFTER_S = 2 * 86400.0  # windows longer than this are counted per day, not per hour


def build_report(
    store: GraphStore,
    profile: Profile,
    streams: list[str] | None = None,
    since_s: float = 86400.0,
    min_severity: str = "low",
    tz: str = "UTC",
    title: str | None = None,
    day: TimeSpec | None = None,
) -> Report:
    """A report whose size does not grow with the window: everything is counted in the graph, and only the
    INCIDENT_LIMIT most severe incidents (and BAR_LIMIT objects for the timeline) are read as rows. The window is
    each stream's last ``since_s``, or with ``day`` (``timewords.parse_day``) that calendar day on the streams'
    clock: a stream without a wall clock cannot place it and is reported empty, saying so."""
    if min_severity not in SEVERITY_ORDER:
        raise ValueError(f"min severity must be one of {', '.join(SEVERITY_ORDER)}")
    zone_info = ZoneInfo(tz)
    rows = [s for s in store.list_streams() if s["status"] in ANSWERABLE and (not streams or s["id"] in streams)]
    if streams and (missing := sorted(set(streams) - {s["id"] for s in rows})):
        raise ValueError(f"no analysed stream {', '.join(missing)}")
    clocks = [StreamClock(s["id"], float(s["start"] or 0.0), float(s["duration"] or 0.0)) for s in rows]
    now = reference_now(clocks)
    parts = [_part(store, s, c, since_s, zone_info, day, now) for s, c in zip(rows, clocks, strict=True)]
    if sum(p.objects for p in parts) <= BAR_LIMIT:
        for p in parts:
            p.entities = store.entities(streams=[p.id], t0=p.t0, t1=p.t1) if p.t1 > p.t0 else []
    severities = _severities(parts, profile, min_severity)
    class_counts: Counter[str] = Counter()
    for p in parts:
        for r in p.periods:
            class_counts[r["cls"]] += r["n"]
    event_counts = sum((p.event_counts for p in parts), Counter[str]())
    summaries = [f"{p.name}: {s['text']}" for p in parts if p.t1 > p.t0
                 for s in _coarse_summaries(store, p)]
    window = "; ".join(_window_of(p, day, zone_info) for p in parts)
    period = "day" if max((p.t1 - p.t0 for p in parts), default=0.0) > DAILY_AFTER_S else "hour"
    return Report(
        title=title or f"Incident report: {', '.join(p.name for p in parts) or 'no streams'}",
        generated=datetime.now(UTC).astimezone(zone_info).strftime("%Y-%m-%d %H:%M %Z"),
        window=window or "nothing analysed",
        min_severity=min_severity,
        parts=parts,
        incidents=_incidents(store, parts, profile, min_severity, zone_info),
        incident_total=sum(severities.values()),
        severity_counts=severities,
        alert_total=sum(n for p in parts for n in p.alert_counts.values()),
        class_counts=dict(class_counts.most_common()),
        event_counts=dict(event_counts.most_common()),
        period=period,
        per_period=_per_period(parts, zone_info, period),
        per_zone=_per_zone(parts, zone_info, period),
        summaries=summaries,
        tz=tz,
    )


def _part(store: GraphStore, s: StreamRead, c: StreamClock, since_s: float, tz: ZoneInfo, day: TimeSpec | None,
          now: float | None) -> StreamPart:
    """A stream's window and what it holds, counted in the graph. Each stream's own last ``since``: a file
    recorded last week is reported on its footage, not dropped because another stream's clock is newer. A
    ``day`` is the same day for every stream (the streams' clock's "now" for "yesterday")."""
    if day is not None:
        t0, t1 = resolve(day, c, now, tz) or (0.0, 0.0)
    else:
        t0, t1 = resolve(TimeSpec(last_s=since_s), c, reference_now([c]), tz) or (0.0, c.duration)
    t0, t1 = max(0.0, t0 or 0.0), min(c.duration, t1 if t1 is not None else c.duration)
    part = StreamPart(s["id"], s["name"], t0, t1, c.start)
    if t1 > t0:
        part.periods = store.first_seen_periods(s["id"], t0, t1, PERIOD_S)
        part.zone_periods = store.zone_periods(s["id"], t0, t1, PERIOD_S)
        part.event_counts = store.event_type_counts(s["id"], t0, t1)
        part.alert_counts = store.alert_counts(s["id"], t0, t1)
    return part


def _window_of(part: StreamPart, day: TimeSpec | None, tz: ZoneInfo) -> str:
    """A stream's window as the report states it, or why a day asked for holds nothing of it."""
    if day is not None and part.start <= 0:
        return f"{part.name}: no wall clock, so{describe(day, tz)} cannot be placed"
    if day is not None and part.t1 <= part.t0:
        return f"{part.name}: no footage{describe(day, tz)}"
    return f"{part.name} {_when(part, part.t0, tz)} to {_when(part, part.t1, tz)}"


def _severities(parts: list[StreamPart], profile: Profile, min_severity: str) -> dict[str, int]:
    """Incidents per severity: counted events rated ``min_severity`` or higher, and every alert firing."""
    counted: Counter[str] = Counter()
    for p in parts:
        for kind, n in p.event_counts.items():
            if SEVERITY_ORDER[profile.severity_of(kind)] <= SEVERITY_ORDER[min_severity]:
                counted[profile.severity_of(kind)] += n
        counted.update(p.alert_counts)
    return {s: counted[s] for s in sorted(counted, key=_rank)}


def _rank(severity: str) -> int:
    """Most severe first; a severity the order does not know, last."""
    return SEVERITY_ORDER.get(severity, len(SEVERITY_ORDER))


def _coarse_summaries(store: GraphStore, part: StreamPart) -> list[SummaryRead]:
    """The coarsest summaries that still split the window (an hour report reads its 5-minute digests): of the
    default scales, the coarsest that has any, read alone (a month's report read every 5-minute digest to pick
    its days); else every level, to pick from the scales a run was written with."""
    width = part.t1 - part.t0
    for scale in sorted(DEFAULT_SCALES, reverse=True):
        if width / scale >= 2 and (rows := store.summaries(streams=[part.id], scale=scale, t0=part.t0, t1=part.t1)):
            return rows[:48]
    rows = store.summaries(streams=[part.id], t0=part.t0, t1=part.t1)
    return coarsest_level(rows, width, parts=2)[:48]


def _when(part: StreamPart, t: float, tz: ZoneInfo) -> str:
    if part.start > 0:
        return wall_time(part.start + t, tz).strftime("%Y-%m-%d %H:%M:%S")
    return clock(t)


def _incidents(
    store: GraphStore, parts: list[StreamPart], profile: Profile, min_severity: str, tz: ZoneInfo,
) -> list[Incident]:
    """The INCIDENT_LIMIT most severe incidents, earliest first within a severity (wall-clock time where streams
    have one), in table order: by stream, then time."""
    ranked = sorted(_candidates(store, parts, profile, min_severity), key=lambda c: c[0])[:INCIDENT_LIMIT]
    kept = {row["id"]: row for _, what, _, row in ranked if what == "event"}
    triggers = [row["event_id"] for _, what, _, row in ranked if what == "alert" and row["event_id"] not in kept]
    by_id: dict[str, Any] = {**{e["id"]: e for e in store.events_by_id([i for i in triggers if i])}, **kept}
    involved: dict[str, list[EventEntityRead]] = {}
    for row in store.event_entities(list(by_id)):
        involved.setdefault(row["event_id"], []).append(row)

    def zone_entities_thumb(event_id: str) -> tuple[str, str, str | None]:
        event = by_id.get(event_id)
        zone = event["attributes"].get("zone", "") if event else ""
        rows = involved.get(event_id, [])
        names = ", ".join(f"{r['cls']} {r['attributes'].get('track', '')}".strip() for r in rows)
        thumb = next((r["thumbnail"] for r in rows if r["thumbnail"]), None) or (event["thumbnail"] if event else None)
        return zone, names, thumb or None

    incidents = []
    for _, what, part, row in ranked:
        wall = _when(part, row["t0"], tz) if part.start else ""
        if what == "event":
            zone, entities, thumb = zone_entities_thumb(row["id"])
            incidents.append(Incident(part.id, part.name, row["t0"], row["t1"], wall, row["type"],
                                      profile.severity_of(row["type"]), zone, entities, row["description"], thumb,
                                      row["id"]))
        else:
            zone, entities, thumb = zone_entities_thumb(row["event_id"] or "")
            incidents.append(Incident(part.id, part.name, row["t0"], row["t1"], wall, f"alert: {row['rule']}",
                                      row["severity"], zone, entities, row["text"], row["thumbnail"] or thumb,
                                      row["id"]))
    return sorted(incidents, key=lambda i: (i.stream_id, i.t0, SEVERITY_ORDER[i.severity], i.kind))


Candidate = tuple[tuple[int, float], str, StreamPart, Any]  # (severity rank, time), "event" or "alert", part, row


def _candidates(store: GraphStore, parts: list[StreamPart], profile: Profile, min_severity: str) -> list[Candidate]:
    """Each stream's first INCIDENT_LIMIT alert firings and its INCIDENT_LIMIT most severe counted events (the
    most severe level first, each level in time order): enough to pick the report's most severe overall."""
    levels = [s for s in SEVERITY_ORDER if SEVERITY_ORDER[s] <= SEVERITY_ORDER[min_severity]]
    found: list[Candidate] = []
    for p in (p for p in parts if p.t1 > p.t0):
        for a in store.alerts(streams=[p.id], t0=p.t0, t1=p.t1, limit=INCIDENT_LIMIT):
            found.append(((_rank(a["severity"]), p.start + a["t0"]), "alert", p, a))
        room = INCIDENT_LIMIT
        for level in levels:
            kinds = sorted(k for k in p.event_counts if profile.severity_of(k) == level)
            if kinds and room > 0:
                rows = store.events(streams=[p.id], types=kinds, t0=p.t0, t1=p.t1, limit=room, counted=True)
                found += [((SEVERITY_ORDER[level], p.start + e["t0"]), "event", p, e) for e in rows]
                room -= len(rows)
    return found


def _per_period(parts: list[StreamPart], tz: ZoneInfo, period: str) -> list[tuple[str, dict[str, int]]]:
    """Objects first seen per hour (or day) and class: wall-clock hours where the stream has a clock, else hours
    from its start."""
    buckets: dict[str, Counter[str]] = {}
    for part in parts:
        for r in part.periods:
            buckets.setdefault(_period_label(part, r["period"], tz, period), Counter())[r["cls"]] += r["n"]
    return [(label, dict(counts)) for label, counts in sorted(buckets.items(), key=lambda kv: _in_order(kv[0]))]


def _per_zone(parts: list[StreamPart], tz: ZoneInfo, period: str) -> list[tuple[str, str, dict[str, int]]]:
    """Zones entered and lines crossed per hour (or day), zone and class, as :func:`_per_period` labels them
    ("per lane per hour"; a stay that began with the footage is no entry)."""
    buckets: dict[tuple[str, str], Counter[str]] = {}
    for part in parts:
        for r in part.zone_periods:
            buckets.setdefault((_period_label(part, r["period"], tz, period), r["zone"]), Counter())[r["cls"]] += r["n"]
    return [(label, zone, dict(counts))
            for (label, zone), counts in sorted(buckets.items(), key=lambda kv: (_in_order(kv[0][0]), kv[0][1]))]


def _in_order(label: str) -> list[str | int]:
    """A period label as it sorts in time: its numbers as numbers ("hour 9" before "hour 10")."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", label)]


def _period_label(part: StreamPart, index: int, tz: ZoneInfo, period: str) -> str:
    """The hour (or day) a count of PERIOD_S ``index`` falls in: on the wall clock where the stream has one, else
    counted from its start."""
    if part.start > 0:
        fmt = "%Y-%m-%d" if period == "day" else "%Y-%m-%d %H:00"
        return datetime.fromtimestamp(index * PERIOD_S, tz).strftime(fmt)
    return f"{part.name} {period} {int(index * PERIOD_S // (86400 if period == 'day' else 3600))}"


# -- plots ------------------------------------------------------------------------------------------------
def plot_timeline(report: Report, path: Path) -> Path:
    """One row per stream: each object's time in view as a bar coloured by class (up to BAR_LIMIT objects), else
    the objects first seen per period stacked by class; the listed incidents as markers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colour = {c: CLASS_COLOURS[i % len(CLASS_COLOURS)] for i, c in enumerate(sorted(report.class_counts))}
    span = max((p.t1 for p in report.parts), default=0.0)
    scale, unit = next((s, u) for s, u in ((86400.0, "days"), (3600.0, "h"), (1.0, "s")) if span >= 2 * s or s == 1)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.9 * max(1, len(report.parts))), dpi=110)
    bars = any(p.entities for p in report.parts)
    for row, part in enumerate(report.parts):
        if bars:
            for e in part.entities:
                ax.broken_barh([(e["first_seen"] / scale, max(e["last_seen"] - e["first_seen"], 0.2) / scale)],
                               (row - 0.3, 0.35), facecolors=colour[e["cls"]], alpha=0.8)
        for inc in (i for i in report.incidents if i.stream_id == part.id):
            ax.plot(inc.t0 / scale, row + 0.25, marker="v", color=SEVERITY_COLOURS[inc.severity], markersize=8)
    if not bars:
        _stack_first_seen(ax, report.parts, colour, scale)
    ax.set_yticks(range(len(report.parts)), [p.name for p in report.parts])
    ax.set_ylim(-0.7, len(report.parts) - 0.3)
    ax.set_xlabel(f"time from the start of each stream ({unit})")
    handles: list[Any] = [plt.Rectangle((0, 0), 1, 1, color=colour[c]) for c in colour]
    handles += [plt.Line2D([], [], marker="v", linestyle="", color=SEVERITY_COLOURS[s]) for s in report.severity_counts
                if s in SEVERITY_COLOURS]
    labels = [class_name(c, 2) for c in colour] + [f"{s} incident" for s in report.severity_counts
                                                   if s in SEVERITY_COLOURS]
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    listed = "" if len(report.incidents) == report.incident_total else f" (the {len(report.incidents)} listed)"
    ax.set_title(("Objects in view" if bars else "Objects first seen") + f" and incidents{listed}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _stack_first_seen(ax: Any, parts: list[StreamPart], colour: dict[str, str], scale: float) -> None:
    """Each stream's objects first seen per bin (about 240 bins across the widest window) as stacked steps in its
    row, scaled so the busiest bin of any stream fills the row."""
    width = PERIOD_S * max(1, math.ceil(max((p.t1 - p.t0 for p in parts), default=0.0) / PERIOD_S / 240))
    rows: list[dict[str, Counter[int]]] = []
    for part in parts:
        per_class: dict[str, Counter[int]] = {}
        for r in part.periods:
            per_class.setdefault(r["cls"], Counter())[math.floor(max(part.time_of(r["period"]), 0.0) / width)] += r["n"]
        rows.append(per_class)
    totals = [sum(per_class.values(), Counter[int]()) for per_class in rows]
    peak = max((n for total in totals for n in total.values()), default=0)
    for row, (per_class, total) in enumerate(zip(rows, totals, strict=True)):
        if not total:
            continue
        bins = range(min(total), max(total) + 2)  # one more: a step is drawn up to the next edge
        xs = [b * width / scale for b in bins]
        base = [0.0] * len(bins)
        for cls in colour:
            counts = per_class.get(cls, Counter())
            top = [h + 0.6 * counts[b] / peak for h, b in zip(base, bins, strict=True)]
            ax.fill_between(xs, [row - 0.3 + h for h in base], [row - 0.3 + h for h in top], step="post",
                            color=colour[cls], linewidth=0)
            base = top


def plot_per_period(report: Report, path: Path) -> Path:
    """Stacked bars: objects first seen per hour (or day), by class."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [label for label, _ in report.per_period] or ["(none)"]
    classes = sorted({c for _, counts in report.per_period for c in counts})
    fig, ax = plt.subplots(figsize=(10, 3.2), dpi=110)
    bottom = [0] * len(labels)
    for i, cls in enumerate(classes):
        values = [counts.get(cls, 0) for _, counts in report.per_period]
        ax.bar(labels, values, bottom=bottom, label=class_name(cls, 2), color=CLASS_COLOURS[i % len(CLASS_COLOURS)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("objects")
    ax.set_title(f"Objects per {report.period} ({report.tz})")
    if classes:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    if len(labels) > 24:  # a label every so many bars
        step = math.ceil(len(labels) / 24)
        ax.set_xticks(range(0, len(labels), step), labels[::step])
    ax.tick_params(axis="x", labelrotation=20)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


# -- rendering ----------------------------------------------------------------------------------------------
def render(report: Report, fmt: Format, out_dir: Path, name: str = "report") -> Path:
    """Write the report into ``out_dir`` (created) and return the main file. Markdown gets its images beside it
    in ``<name>-files/``; HTML embeds them; PDF is rendered from the HTML."""
    out_dir.mkdir(parents=True, exist_ok=True)
    assets = out_dir / f"{name}-files"
    assets.mkdir(exist_ok=True)
    timeline = plot_timeline(report, assets / "timeline.png")
    hourly = plot_per_period(report, assets / "hourly.png")
    if fmt == "md":
        thumbs = _copy_thumbnails(report, assets)
        path = out_dir / f"{name}.md"
        path.write_text(_markdown(report, f"{name}-files", thumbs))
        return path
    document = _html(report, {"timeline": _data_url(timeline), "hourly": _data_url(hourly)},
                     {i.node_id: _data_url(Path(i.thumbnail)) for i in report.incidents
                      if i.thumbnail and _exists(i.thumbnail)})
    shutil.rmtree(assets)  # embedded: the HTML and PDF travel as one file
    if fmt == "html":
        path = out_dir / f"{name}.html"
        path.write_text(document)
        return path
    if fmt == "pdf":
        from weasyprint import HTML

        path = out_dir / f"{name}.pdf"
        HTML(string=document, base_url=str(out_dir)).write_pdf(path)
        return path
    raise ValueError(f"unknown report format {fmt!r} (md, html, pdf)")


def _exists(path: str | None) -> bool:
    return bool(path) and Path(path).is_file()  # type: ignore[arg-type]


def _data_url(path: Path) -> str:
    mime = "image/png" if path.suffix == ".png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _copy_thumbnails(report: Report, assets: Path) -> dict[str, str]:
    copied = {}
    for n, incident in enumerate(report.incidents):
        if _exists(incident.thumbnail):
            target = assets / f"incident-{n:04d}{Path(incident.thumbnail).suffix}"  # type: ignore[arg-type]
            shutil.copyfile(incident.thumbnail, target)  # type: ignore[arg-type]
            copied[incident.node_id] = f"{assets.name}/{target.name}"
    return copied


def listed_note(report: Report) -> str:
    """What the incident table leaves out, when it does."""
    if len(report.incidents) == report.incident_total:
        return ""
    return (f"The table lists the {len(report.incidents)} most severe of {report.incident_total} incidents, earliest "
            "first within a severity; all of them are counted in the summary.")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report, assets: str, thumbs: dict[str, str]) -> str:
    lines = [f"# {report.title}", "", f"Generated {report.generated}. Window: {report.window}.", "", "## Summary", ""]
    objects = ", ".join(f"{n} {class_name(c, n)}" for c, n in report.class_counts.items()) or "no objects"
    lines.append(f"- Objects: {objects}")
    lines.append("- Events: " + (", ".join(f"{n} {t}" for t, n in report.event_counts.items()) or "none"))
    lines.append(f"- Incidents (severity {report.min_severity} or higher, and alerts): {report.incident_total}"
                 + (" (" + ", ".join(f"{n} {s}" for s, n in report.severity_counts.items()) + ")"
                    if report.incident_total else ""))
    lines.append(f"- Alert firings: {report.alert_total}")
    lines += [
        "",
        *[f"> {s}" for s in report.summaries[:12]],
        "",
        "## Timeline",
        "",
        f"![timeline]({assets}/timeline.png)",
        "",
    ]
    lines += ["## Incidents", ""]
    if (note := listed_note(report)):
        lines += [note, ""]
    if report.incidents:
        lines += [
            "| time | camera | zone | type | severity | entities | what | thumbnail |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for i in report.incidents:
            when = f"{clock(i.t0)}" + (f" ({i.wall})" if i.wall else "")
            thumb = f"![]({thumbs[i.node_id]})" if i.node_id in thumbs else ""
            lines.append(f"| {when} | {_cell(i.stream)} | {_cell(i.zone)} | {_cell(i.kind)} | {i.severity} | "
                         f"{_cell(i.entities)} | {_cell(i.description)} | {thumb} |")
    else:
        lines.append("No incidents in this window.")
    lines += ["", f"## Counts per {report.period}", "", f"![objects per {report.period}]({assets}/hourly.png)", ""]
    classes = sorted({c for _, counts in report.per_period for c in counts})
    if report.per_period:
        lines += [f"| {report.period} | " + " | ".join(class_name(c, 2) for c in classes) + " |",
                  "|---|" + "---|" * len(classes)]
        lines += [
            f"| {label} | " + " | ".join(str(counts.get(c, 0)) for c in classes) + " |"
            for label, counts in report.per_period
        ]
    if report.per_zone:  # "per lane per hour": entries and crossings
        kinds = sorted({c for _, _, counts in report.per_zone for c in counts})
        lines += ["", "## Counts per zone", "", "Objects entering each zone or crossing each counting line.", "",
                  f"| {report.period} | zone | " + " | ".join(class_name(c, 2) for c in kinds) + " |",
                  "|---|---|" + "---|" * len(kinds)]
        lines += [f"| {label} | {_cell(zone)} | " + " | ".join(str(counts.get(c, 0)) for c in kinds) + " |"
                  for label, zone, counts in report.per_zone]
    lines += ["", "Footage credit: see each stream's source. Generated by vidgraph."]
    return "\n".join(lines) + "\n"


_TEMPLATE = Path(__file__).with_name("report.html.j2")  # the HTML (and PDF) report, a Jinja2 template


def _html(report: Report, images: dict[str, str], thumbs: dict[str, str]) -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True)
    template = env.from_string(_TEMPLATE.read_text())
    return template.render(r=report, images=images, thumbs=thumbs, clock=clock, class_name=class_name,
                           colours=SEVERITY_COLOURS, listed=listed_note(report))

