"""Where the dashboard's data comes from: the query layer in this process, or the REST API in service mode.

Both backends offer the same small set of reads and actions, returning plain rows (dicts), so every page is
written once. :class:`LocalBackend` opens the embedded graph read-only per call (readers may sit beside the one
writer) and runs analyses and live streams in background threads; :class:`ApiBackend` sends everything to the
service's API with its bearer token.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

import httpx

from graph import GraphStore
from pipeline import open_graph
from pipeline.settings import Settings

Rows = Sequence[Mapping[str, Any]]  # graph rows, as the store (in-process) or the API (JSON) gives them

EVENT_LIMIT = 2000  # a page shows at most this many events: an hour of a busy camera, not a month
ALERT_LIMIT = 200  # alert firings a page lists


class Backend(Protocol):
    mode: str
    settings: Settings

    def streams(self) -> Rows: ...
    def tasks(self) -> Rows: ...
    def live(self) -> Rows: ...
    def snapshots(self, stream_id: str) -> dict[str, dict[str, Any]]: ...
    def add_file(self, path: str, stream_id: str | None) -> str: ...
    def add_stream(self, url: str, stream_id: str) -> str: ...
    def events(self, streams: list[str] | None = None, types: list[str] | None = None, label: str | None = None,
               t0: float | None = None, t1: float | None = None) -> Rows: ...
    def entities(self, streams: list[str] | None = None, cls: str | None = None, t0: float | None = None,
                 t1: float | None = None) -> Rows: ...
    def segments(self, stream: str, t0: float, t1: float) -> Rows: ...
    def entity_story(self, entity_id: str) -> dict[str, Any] | None: ...
    def neighbourhood(self, stream: str, t: float, window_s: float) -> dict[str, Rows]: ...
    def ask(self, question: str, streams: list[str] | None = None) -> dict[str, Any]: ...
    def reports(self) -> Rows: ...
    def report_bytes(self, name: str) -> bytes: ...
    def render_report(self, streams: list[str] | None, since: str, fmt: str, day: str | None = None) -> str: ...
    def alerts(self, stream: str | None = None, limit: int = ..., newest: bool = ...) -> Rows: ...
    def rules(self) -> Rows: ...
    def schedules(self) -> Rows: ...
    def image(self, path: str | None) -> bytes | None: ...


class LocalBackend:
    """The embedded default: the query layer and pipeline in this process."""

    mode = "in-process"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._tasks: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def _reader(self) -> Iterator[GraphStore | None]:
        if self.settings.graph.backend == "ladybug" and not self.settings.graph_path.exists():
            yield None
            return
        with open_graph(self.settings, read_only=True) as store:
            yield store

    def streams(self) -> Rows:
        from query.coverage import streams_as_read

        with self._reader() as store:
            return streams_as_read(store) if store else []

    def tasks(self) -> Rows:
        with self._lock:
            return [dict(t) for t in self._tasks.values()]

    def _task(self, key: str, **fields: Any) -> None:
        with self._lock:
            self._tasks.setdefault(key, {"id": key}).update(fields)

    def live(self) -> Rows:
        return [{"id": t["id"].removeprefix("live:"), "state": t.get("health") or t["status"],
                 "frames": t.get("frames", 0), "dropped": t.get("dropped", 0), "connects": t.get("connects", 0),
                 "last_frame_wall": t.get("last_frame_wall", 0.0), "last_error": t.get("error", "")}
                for t in self.tasks() if t.get("kind") == "live" and t["status"] == "running"]

    def snapshots(self, stream_id: str) -> dict[str, dict[str, Any]]:
        from pipeline.snapshots import live_dir, read_snapshots

        return read_snapshots(live_dir(self.settings.data_dir, stream_id))

    def add_file(self, path: str, stream_id: str | None) -> str:
        from ingest import probe
        from pipeline import analyze_file, check_stream_id

        file = Path(path).expanduser()
        probe(file)  # bad input is refused before a thread starts
        if stream_id:
            check_stream_id(stream_id)
        key = f"file:{file.name}"
        self._task(key, kind="file", source=str(file), status="running", progress=0.0, error="")

        def work() -> None:
            try:
                with open_graph(self.settings) as store:
                    result = analyze_file(
                        file,
                        self.settings,
                        store,
                        stream_id=stream_id,
                        progress=lambda done, total: self._task(key, progress=done / max(total, 1e-9)),
                    )
                self._task(key, status="complete", progress=1.0, stream_id=result.stream_id)
            except Exception as err:
                self._task(key, status="failed", error=str(err))

        threading.Thread(target=work, daemon=True, name=key).start()
        return key

    def add_stream(self, url: str, stream_id: str) -> str:
        from common.urls import redact
        from ingest.live import check_url
        from pipeline import check_stream_id
        from pipeline.live import run_live

        check_url(url, self.settings.ingest.allowed_hosts)
        check_stream_id(stream_id)
        key = f"live:{stream_id}"
        stop = threading.Event()
        self._task(key, kind="live", source=redact(url), status="running", progress=None, error="", stop=stop)

        @contextmanager
        def writer() -> Iterator[GraphStore]:
            with open_graph(self.settings) as store:
                yield store

        def work() -> None:
            try:
                run_live(url, stream_id, self.settings, writer, stop.is_set,
                         on_health=lambda h: self._task(key, health=h.state, error=h.last_error, frames=h.frames,
                                                        dropped=h.dropped, connects=h.connects,
                                                        last_frame_wall=h.last_frame_wall))
                self._task(key, status="stopped")
            except Exception as err:
                self._task(key, status="failed", error=str(err))

        threading.Thread(target=work, daemon=True, name=key).start()
        return key

    def events(self, streams=None, types=None, label=None, t0=None, t1=None) -> Rows:
        with self._reader() as store:
            return (
                store.events(streams=streams, types=types, label=label, t0=t0, t1=t1, limit=EVENT_LIMIT)
                if store
                else []
            )

    def entities(self, streams=None, cls=None, t0=None, t1=None) -> Rows:
        with self._reader() as store:
            return store.entities(streams=streams, cls=cls, t0=t0, t1=t1, limit=EVENT_LIMIT) if store else []

    def segments(self, stream: str, t0: float, t1: float) -> Rows:
        with self._reader() as store:
            return store.segments(streams=[stream], t0=t0, t1=t1, limit=200) if store else []

    def entity_story(self, entity_id: str) -> dict[str, Any] | None:
        with self._reader() as store:
            return dict(story) if store and (story := store.entity_story(entity_id)) else None

    def neighbourhood(self, stream: str, t: float, window_s: float) -> dict[str, Rows]:
        from query.around import neighbourhood

        with self._reader() as store:
            if store is None:
                return {"events": [], "entities": [], "links": [], "alerts": []}
            return neighbourhood(store, stream, t, window_s)

    def ask(self, question: str, streams: list[str] | None = None) -> dict[str, Any]:
        from query import ask
        from query.llm import create_llm

        with self._reader() as store:
            if store is None:
                return {"text": "Nothing analysed yet: add a file on the Sources page.", "citations": [],
                        "supported": False, "value": None}
            llm = create_llm(self.settings.llm)
            return ask(
                store,
                question,
                streams=streams or None,
                llm=llm,
                tz=self.settings.timezone,
                context_tokens=self.settings.llm.context_tokens,
                max_tokens=self.settings.llm.max_tokens,
            ).to_dict()

    def reports(self) -> Rows:
        from query.report import list_reports

        return list_reports(self.settings.reports_dir)

    def report_bytes(self, name: str) -> bytes:
        from query.report import report_file

        if (path := report_file(self.settings.reports_dir, name)) is None:
            raise ValueError(f"no report {name}")
        return path.read_bytes()

    def render_report(self, streams, since: str, fmt: str, day: str | None = None) -> str:
        from query.report import build_report, parse_since, render, stamped_name
        from query.timewords import parse_day
        from vlm.profiles import load_profile

        with self._reader() as store:
            if store is None:
                raise ValueError("nothing analysed yet")
            report = build_report(store, load_profile(self.settings.vlm.profile), streams, parse_since(since),
                                  "low", self.settings.timezone, day=parse_day(day) if day else None)
        return render(report, fmt, self.settings.reports_dir, stamped_name("report")).name  # type: ignore[arg-type]

    def alerts(self, stream: str | None = None, limit: int = ALERT_LIMIT, newest: bool = False) -> Rows:
        with self._reader() as store:
            return store.alerts(streams=[stream] if stream else None, limit=limit, newest=newest) if store else []

    def rules(self) -> Rows:
        from alerts.rules import load_rules

        path = self.settings.alerts.rules_file
        return [r.model_dump() for r in load_rules(path)] if path else []

    def schedules(self) -> Rows:
        return [s.model_dump() for s in self.settings.service.schedules]

    def image(self, path: str | None) -> bytes | None:
        if not path:
            return None
        file = Path(path).resolve()
        if not file.is_relative_to(self.settings.thumbs_dir.resolve()) or not file.is_file():
            return None
        return file.read_bytes()


class ApiBackend:
    """Service mode: everything through the REST API."""

    mode = "service"

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        token = settings.service.api_token.get_secret_value() if settings.service.api_token else ""
        self.client = client or httpx.Client(base_url=settings.dashboard.api_url or "", timeout=60.0)
        self.client.headers["Authorization"] = f"Bearer {token}"

    def _get(self, path: str, **params: Any) -> Any:
        response = self.client.get(path, params={k: v for k, v in params.items() if v is not None})
        response.raise_for_status()
        return response.json()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.client.post(path, json=body)
        if response.status_code >= 400:
            raise ValueError(response.json().get("detail", response.text))
        return response.json()

    def streams(self) -> Rows:
        return self._get("/streams")

    def tasks(self) -> Rows:
        files = self._get("/files")["jobs"]
        lives = self._get("/live-stream")
        return ([{"id": j["id"], "kind": "file", "source": j["path"], "status": j["status"], "progress": j["progress"],
                  "error": j["error"]} for j in files]
                + [{"id": s["id"], "kind": "live", "source": s.get("url"), "status": s.get("desired"),
                    "health": s.get("state"), "error": s.get("last_error", "")} for s in lives])

    def live(self) -> Rows:
        return [{"id": s["id"], "state": s.get("state", ""), "frames": int(s.get("frames") or 0),
                 "dropped": int(s.get("dropped") or 0), "connects": int(s.get("connects") or 0),
                 "last_frame_wall": float(s.get("last_frame_wall") or 0.0), "last_error": s.get("last_error", "")}
                for s in self._get("/live-stream") if s.get("desired") == "running"]

    def snapshots(self, stream_id: str) -> dict[str, dict[str, Any]]:
        found = self._get(f"/live-stream/{stream_id}/snapshots")
        return {name: {**meta, "jpeg": base64.b64decode(meta["jpeg"])} for name, meta in found.items()}

    def add_file(self, path: str, stream_id: str | None) -> str:
        return self._post("/files", {"path": path, "stream_id": stream_id or None})["job_id"]

    def add_stream(self, url: str, stream_id: str) -> str:
        return self._post("/live-stream", {"url": url, "stream_id": stream_id})["stream_id"]

    def events(self, streams=None, types=None, label=None, t0=None, t1=None) -> Rows:
        return self._get("/events", stream=streams, type=types, label=label, since=t0, until=t1, limit=EVENT_LIMIT)

    def entities(self, streams=None, cls=None, t0=None, t1=None) -> Rows:
        return self._get("/entities", stream=streams, cls=cls, since=t0, until=t1)

    def segments(self, stream: str, t0: float, t1: float) -> Rows:
        return self._get("/segments", stream=[stream], since=t0, until=t1)

    def entity_story(self, entity_id: str) -> dict[str, Any] | None:
        response = self.client.get("/entity-story", params={"id": entity_id})
        if response.status_code == 404:  # no such entity (any more)
            return None
        response.raise_for_status()
        return cast(dict[str, Any], response.json())

    def neighbourhood(self, stream: str, t: float, window_s: float) -> dict[str, Rows]:
        return self._get("/neighbourhood", stream=stream, t=t, window=window_s)

    def ask(self, question: str, streams: list[str] | None = None) -> dict[str, Any]:
        return self._post("/ask", {"question": question, "streams": streams or None})

    def reports(self) -> Rows:
        return self._get("/reports")

    def report_bytes(self, name: str) -> bytes:
        response = self.client.get(f"/reports/{name}")
        response.raise_for_status()
        return response.content

    def render_report(self, streams, since: str, fmt: str, day: str | None = None) -> str:
        return self._post("/reports", {"streams": streams, "since": since, "format": fmt, "day": day})["name"]

    def alerts(self, stream: str | None = None, limit: int = ALERT_LIMIT, newest: bool = False) -> Rows:
        return self._get("/alerts", stream=stream, limit=limit, newest=newest)

    def rules(self) -> Rows:
        return self._get("/alerts/rules")

    def schedules(self) -> Rows:
        return self._get("/reports/schedules")

    def image(self, path: str | None) -> bytes | None:
        if not path:
            return None
        response = self.client.get("/thumbnails", params={"path": path})
        return response.content if response.status_code == 200 else None


def backend_for(settings: Settings) -> Backend:
    return ApiBackend(settings) if settings.dashboard.api_url else LocalBackend(settings)
