"""Incident reports: what happened on some streams over a window, as Markdown, HTML or PDF.

A report holds a summary (objects per class, events per type, alert firings), an incident table (time, camera,
zone, type, severity, entities, thumbnail), a timeline plot (objects in view per stream, incidents marked by
severity), and counts per hour (a table and a plot). Incidents are the events rated at least
``min_severity`` by the profile's severity rules (``vlm.profiles``), plus every alert firing in the window.

"Since 24h" is measured on the stream clock, like questions: back from the end of the newest footage, so a
report on yesterday's recording covers that recording. Plots are matplotlib (Agg, no display); HTML is Jinja2
with the images embedded, so one file travels; PDF is that HTML through WeasyPrint.
"""

from __future__ import annotations

import base64
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from common.text import clock, plural
from graph.records import AlertRead, EntityRead, EventEntityRead, EventRead, SummaryRead
from graph.store import GraphStore
from graph.summaries import coarsest_level, counts_as_event
from query.ask import ANSWERABLE
from query.timewords import StreamClock, TimeSpec, reference_now, resolve
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
    """The report called ``name`` in ``folder``; None for anything else (a missing file, a path leading out)."""
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
    entities: list[EntityRead] = field(default_factory=list)
    events: list[EventRead] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    title: str
    generated: str
    window: str
    min_severity: str
    parts: list[StreamPart]
    incidents: list[Incident]
    alerts: list[AlertRead]
    class_counts: dict[str, int]
    event_counts: dict[str, int]
    hourly: list[tuple[str, dict[str, int]]]  # (hour label, objects first seen per class)
    summaries: list[str]
    tz: str

    @property
    def severity_counts(self) -> dict[str, int]:
        counted = Counter(i.severity for i in self.incidents)
        return {s: counted[s] for s in SEVERITY_ORDER if counted[s]}


def build_report(
    store: GraphStore,
    profile: Profile,
    streams: list[str] | None = None,
    since_s: float = 86400.0,
    min_severity: str = "low",
    tz: str = "UTC",
    title: str | None = None,
) -> Report:
    if min_severity not in SEVERITY_ORDER:
        raise ValueError(f"min severity must be one of {', '.join(SEVERITY_ORDER)}")
    zone_info = ZoneInfo(tz)
    rows = [s for s in store.list_streams() if s["status"] in ANSWERABLE and (not streams or s["id"] in streams)]
    if streams and (missing := sorted(set(streams) - {s["id"] for s in rows})):
        raise ValueError(f"no analysed stream {', '.join(missing)}")
    clocks = [StreamClock(s["id"], float(s["start"] or 0.0), float(s["duration"] or 0.0)) for s in rows]
    parts: list[StreamPart] = []
    for s, c in zip(rows, clocks, strict=True):
        # each stream's own last `since`: a file recorded last week is reported on its footage, not dropped
        # because another stream's clock is newer
        t0, t1 = resolve(TimeSpec(last_s=since_s), c, reference_now([c]), zone_info) or (0.0, c.duration)
        t0, t1 = max(0.0, t0 or 0.0), min(c.duration, t1 if t1 is not None else c.duration)
        part = StreamPart(s["id"], s["name"], t0, t1, c.start)
        if t1 > t0:
            part.entities = store.entities(streams=[s["id"]], t0=t0, t1=t1)
            part.events = store.events(streams=[s["id"]], t0=t0, t1=t1, limit=None)  # counted: all of them
        parts.append(part)
    alerts = [a for p in parts for a in store.alerts(streams=[p.id], t0=p.t0, t1=p.t1)]
    incidents = _incidents(store, parts, alerts, profile, min_severity, zone_info)
    class_counts = Counter(e["cls"] for p in parts for e in p.entities)
    event_counts = Counter(e["type"] for p in parts for e in p.events if counts_as_event(e["type"], e["attributes"]))
    summaries = [f"{p.name}: {s['text']}" for p in parts if p.t1 > p.t0
                 for s in _coarse_summaries(store, p)]
    window = "; ".join(f"{p.name} {_when(p, p.t0, zone_info)} to {_when(p, p.t1, zone_info)}" for p in parts)
    return Report(
        title=title or f"Incident report: {', '.join(p.name for p in parts) or 'no streams'}",
        generated=datetime.now(UTC).astimezone(zone_info).strftime("%Y-%m-%d %H:%M %Z"),
        window=window or "nothing analysed",
        min_severity=min_severity,
        parts=parts,
        incidents=incidents,
        alerts=alerts,
        class_counts=dict(class_counts.most_common()),
        event_counts=dict(event_counts.most_common()),
        hourly=_hourly(parts, zone_info),
        summaries=summaries,
        tz=tz,
    )


def _coarse_summaries(store: GraphStore, part: StreamPart) -> list[SummaryRead]:
    """The coarsest summaries that still split the window (an hour report reads its 5-minute digests)."""
    rows = store.summaries(streams=[part.id], t0=part.t0, t1=part.t1)
    return coarsest_level(rows, part.t1 - part.t0, parts=2)[:48]


def _when(part: StreamPart, t: float, tz: ZoneInfo) -> str:
    if part.start > 0:
        return datetime.fromtimestamp(part.start + t, tz).strftime("%Y-%m-%d %H:%M:%S")
    return clock(t)


def _incidents(
    store: GraphStore, parts: list[StreamPart], alerts: list[AlertRead], profile: Profile, min_severity: str,
    tz: ZoneInfo,
) -> list[Incident]:
    limit = SEVERITY_ORDER[min_severity]
    by_id = {p.id: p for p in parts}
    chosen = [(p, e) for p in parts for e in p.events if SEVERITY_ORDER[profile.severity_of(e["type"])] <= limit
              and counts_as_event(e["type"], e["attributes"])]  # not the first sighting of one already there
    involved: dict[str, list[EventEntityRead]] = {}
    for row in store.event_entities([e["id"] for _, e in chosen]):
        involved.setdefault(row["event_id"], []).append(row)
    events = {e["id"]: e for p in parts for e in p.events}
    triggering = [a["event_id"] for a in alerts if a["event_id"] and a["event_id"] not in involved]
    for row in store.event_entities(triggering):
        involved.setdefault(row["event_id"], []).append(row)

    def zone_entities_thumb(event_id: str) -> tuple[str, str, str | None]:
        event = events.get(event_id)
        zone = event["attributes"].get("zone", "") if event else ""
        rows = involved.get(event_id, [])
        names = ", ".join(f"{r['cls']} {r['attributes'].get('track', '')}".strip() for r in rows)
        thumb = next((r["thumbnail"] for r in rows if r["thumbnail"]), None) or (event["thumbnail"] if event else None)
        return zone, names, thumb or None

    incidents = []
    for part, e in chosen:
        zone, entities, thumb = zone_entities_thumb(e["id"])
        incidents.append(Incident(part.id, part.name, e["t0"], e["t1"], _when(part, e["t0"], tz) if part.start else "",
                                  e["type"], profile.severity_of(e["type"]), zone, entities, e["description"], thumb,
                                  e["id"]))
    for a in alerts:
        part = by_id[a["stream_id"]]
        zone, entities, thumb = zone_entities_thumb(a["event_id"] or "")
        incidents.append(Incident(part.id, part.name, a["t0"], a["t1"], _when(part, a["t0"], tz) if part.start else "",
                                  f"alert: {a['rule']}", a["severity"], zone, entities, a["text"],
                                  a["thumbnail"] or thumb, a["id"]))
    return sorted(incidents, key=lambda i: (i.stream_id, i.t0, SEVERITY_ORDER[i.severity], i.kind))


def _hourly(parts: list[StreamPart], tz: ZoneInfo) -> list[tuple[str, dict[str, int]]]:
    """Objects first seen per hour and class: wall-clock hours where the stream has a clock, else hour offsets."""
    buckets: dict[str, Counter[str]] = {}
    for part in parts:
        for e in part.entities:
            if part.start > 0:
                label = datetime.fromtimestamp(part.start + e["first_seen"], tz).strftime("%Y-%m-%d %H:00")
            else:
                label = f"{part.name} hour {int(e['first_seen'] // 3600)}"
            buckets.setdefault(label, Counter())[e["cls"]] += 1
    return [(label, dict(counts)) for label, counts in sorted(buckets.items())]


# -- plots ------------------------------------------------------------------------------------------------
def plot_timeline(report: Report, path: Path) -> Path:
    """One row per stream: each object's time in view as a bar coloured by class; incidents as markers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    classes = sorted({e["cls"] for p in report.parts for e in p.entities})
    colour = {c: CLASS_COLOURS[i % len(CLASS_COLOURS)] for i, c in enumerate(classes)}
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.9 * max(1, len(report.parts))), dpi=110)
    for row, part in enumerate(report.parts):
        for e in part.entities:
            ax.broken_barh([(e["first_seen"], max(e["last_seen"] - e["first_seen"], 0.2))], (row - 0.3, 0.35),
                           facecolors=colour[e["cls"]], alpha=0.8)
        for inc in (i for i in report.incidents if i.stream_id == part.id):
            ax.plot(inc.t0, row + 0.25, marker="v", color=SEVERITY_COLOURS[inc.severity], markersize=8)
    ax.set_yticks(range(len(report.parts)), [p.name for p in report.parts])
    ax.set_ylim(-0.7, len(report.parts) - 0.3)
    ax.set_xlabel("time from the start of each stream (s)")
    handles: list[Any] = [plt.Rectangle((0, 0), 1, 1, color=colour[c]) for c in classes]
    handles += [plt.Line2D([], [], marker="v", linestyle="", color=SEVERITY_COLOURS[s]) for s in report.severity_counts]
    labels = [plural(c, 2) for c in classes] + [f"{s} incident" for s in report.severity_counts]
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    ax.set_title("Objects in view and incidents")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def plot_hourly(report: Report, path: Path) -> Path:
    """Stacked bars: objects first seen per hour, by class."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [label for label, _ in report.hourly] or ["(none)"]
    classes = sorted({c for _, counts in report.hourly for c in counts})
    fig, ax = plt.subplots(figsize=(10, 3.2), dpi=110)
    bottom = [0] * len(labels)
    for i, cls in enumerate(classes):
        values = [counts.get(cls, 0) for _, counts in report.hourly]
        ax.bar(labels, values, bottom=bottom, label=plural(cls, 2), color=CLASS_COLOURS[i % len(CLASS_COLOURS)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("objects")
    ax.set_title(f"Objects per hour ({report.tz})")
    if classes:
        ax.legend(frameon=False)
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
    hourly = plot_hourly(report, assets / "hourly.png")
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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: Report, assets: str, thumbs: dict[str, str]) -> str:
    lines = [f"# {report.title}", "", f"Generated {report.generated}. Window: {report.window}.", "", "## Summary", ""]
    objects = ", ".join(f"{n} {plural(c, n)}" for c, n in report.class_counts.items()) or "no objects"
    lines.append(f"- Objects: {objects}")
    lines.append("- Events: " + (", ".join(f"{n} {t}" for t, n in report.event_counts.items()) or "none"))
    lines.append(
        f"- Incidents (severity {report.min_severity} or higher, and alerts): {len(report.incidents)}"
        + (" (" + ", ".join(f"{n} {s}" for s, n in report.severity_counts.items()) + ")" if report.incidents else "")
    )
    lines.append(f"- Alert firings: {len(report.alerts)}")
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
    lines += ["", "## Counts per hour", "", f"![objects per hour]({assets}/hourly.png)", ""]
    classes = sorted({c for _, counts in report.hourly for c in counts})
    if report.hourly:
        lines += ["| hour | " + " | ".join(classes) + " |", "|---|" + "---|" * len(classes)]
        lines += [
            f"| {label} | " + " | ".join(str(counts.get(c, 0)) for c in classes) + " |"
            for label, counts in report.hourly
        ]
    lines += ["", "Footage credit: see each stream's source. Generated by vidgraph."]
    return "\n".join(lines) + "\n"


_TEMPLATE = Path(__file__).with_name("report.html.j2")  # the HTML (and PDF) report, a Jinja2 template


def _html(report: Report, images: dict[str, str], thumbs: dict[str, str]) -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True)
    template = env.from_string(_TEMPLATE.read_text())
    return template.render(r=report, images=images, thumbs=thumbs, clock=clock, plural=plural, colours=SEVERITY_COLOURS)

