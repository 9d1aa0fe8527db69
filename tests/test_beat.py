"""Scheduled reports: real Celery beat and a real worker on Redis render a report from a settings file's
schedule (changed by config, not code), and announce it to a webhook."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import CAR_CLIP, make_settings
from service_helpers import Beat, Worker, fresh_redis, service_env
from vlm_server import FakeVLMServer, Scripted

from pipeline import analyze_file, open_graph
from pipeline.settings import ReportSchedule, ServiceSettings
from workers.app import beat_schedule, schedule_of

DB = 14


def test_schedules_come_from_settings():
    schedules = [ReportSchedule(name="dock-daily", every="daily", streams=["dock"]),
                 ReportSchedule(name="gate", every="15m", format="md")]
    entries = beat_schedule(ServiceSettings(schedules=schedules))
    assert entries["report-dock-daily"]["args"][0]["streams"] == ["dock"]
    assert schedule_of("15m").total_seconds() == 900
    supervisors = (entries["recover-lost-work"], entries["ensure-live-streams"])
    assert [e["schedule"].total_seconds() for e in supervisors] == [30, 30]


def test_beat_fires_a_scheduled_report(tmp_path):
    data = tmp_path / "data"
    settings = make_settings(data)
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    with FakeVLMServer(lambda body, n: Scripted(body="ok")) as hook:
        config = tmp_path / "vidgraph.toml"
        config.write_text(f"""
[[service.schedules]]
name = "car-every-3s"
every = "3s"
since = "24h"
format = "pdf"
webhook_url = "{hook.base_url}/reports"
""")
        env = service_env(data, fresh_redis(DB), VIDGRAPH_CONFIG=str(config))
        worker = Worker("beat-w", env, queues="cpu", log=tmp_path / "worker.log")
        beat = Beat(env, log=tmp_path / "beat.log")
        try:
            deadline = time.monotonic() + 60
            reports: list[Path] = []
            while time.monotonic() < deadline and not (reports and hook.requests):
                reports = sorted((data / "reports").glob("car-every-3s-*.pdf"))
                time.sleep(0.5)
        finally:
            beat.stop()
            worker.stop()
        assert reports, (tmp_path / "beat.log").read_text()[-2000:]
        assert reports[0].read_bytes().startswith(b"%PDF")
        announced = hook.requests[0]
        assert announced["name"] == "car-every-3s" and announced["path"].endswith(".pdf")
        assert announced["incidents"] == 4


def test_a_schedule_reports_a_calendar_day(tmp_path, monkeypatch):
    """A morning schedule of yesterday's incidents ('day = "yesterday"'): schedules took only a window back from
    the newest footage. A word that is not a day is refused when the settings are read."""
    import pydantic
    from tests_support import busy_fortnight

    from workers.tasks import render_report

    assert ReportSchedule(name="morning", day="yesterday").day == "yesterday"
    with pytest.raises(pydantic.ValidationError, match="is not a day"):
        ReportSchedule(name="morning", day="next tuesday")
    start = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
    with open_graph(make_settings(tmp_path / "data")) as store:
        busy_fortnight(store, start)  # 14 days: "yesterday" on its clock is 2026-11-14, its last day
    monkeypatch.setenv("VIDGRAPH_DATA_DIR", str(tmp_path / "data"))
    path = Path(render_report({"name": "morning", "day": "yesterday", "format": "md"}))
    assert "Window: dock 2026-11-14 00:00:00 to 2026-11-15 00:00:00" in path.read_text()
