"""Incident reports on the real car clip: built from the graph, rendered as Markdown, HTML and PDF; the PDF is
turned into PNG pages (pdftoppm) and its text and images are checked."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from conftest import CAR_FACTS, analysed_site, run_cli
from PIL import Image
from tests_support import busy_fortnight

from pipeline import open_graph
from query.report import build_report, parse_since, render
from vlm.profiles import load_profile

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing: .ci/run installs it")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return analysed_site(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def report(site):
    with open_graph(site, read_only=True) as store:
        return build_report(store, load_profile("generic"), since_s=86400)


def test_the_report_holds_what_the_graph_holds(report):
    assert report.class_counts == {"car": 4}
    assert report.event_counts == {"enter": 4, "zone_enter": 4, "zone_exit": 4, "line_cross": 4, "exit": 4}
    kinds = [i.kind for i in report.incidents]
    # severity low and up: entries, zone entries, line crossings; and all 6 alert firings
    assert sorted(set(kinds)) == ["alert: car-crosses-midline", "alert: down-lane", "enter", "line_cross", "zone_enter"]
    assert len(report.incidents) == 4 * 3 + 6
    entries = [i.t0 for i in report.incidents if i.kind == "enter"]
    assert entries == pytest.approx([a for a, _, _ in CAR_FACTS], abs=1.0)
    assert report.parts[0].start > 0 and report.incidents[0].wall.startswith("2018-04-19 22:46")
    assert report.period == "hour" and report.per_period == [("2018-04-19 22:00", {"car": 4})]
    # per lane per hour, counted in the graph: two cars drive down lane_down, two up lane_up, all four cross midline
    hour = "2018-04-19 22:00"
    assert report.per_zone == [(hour, "lane_down", {"car": 2}), (hour, "lane_up", {"car": 2}),
                               (hour, "midline", {"car": 4})]
    assert all(i.thumbnail for i in report.incidents)


def test_pdf_pages_table_rows_and_plots(report, tmp_path):
    pdf = render(report, "pdf", tmp_path, "car")
    assert pdf.read_bytes().startswith(b"%PDF") and not (tmp_path / "car-files").exists()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 2 <= len(pages) <= 4
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Incident report: car-detection.mp4" in text and "Counts per hour" in text
    assert text.count("car-crosses-midline:") == 4 and text.count("down-lane:") == 2  # the alert rows
    assert len(re.findall(r"^22:46:\d\d$", text, flags=re.M)) == len(report.incidents)  # a wall time per row
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    widths = [int(line.split()[3]) for line in images.splitlines()[2:] if line.split()[2] == "image"]  # not masks
    assert widths.count(1100) == 2  # the timeline and the hourly plot (10 in at 110 dpi)
    assert len(widths) >= 2 + len(report.incidents)  # and a thumbnail per incident
    assert green_pixels(pages[0]) > 100, "the timeline's car bars are drawn on the first page"


def green_pixels(png) -> int:
    """Pixels of the car colour (CLASS_COLOURS' first, #2ca02c) in an image."""
    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    return int(((abs(rgb[..., 0] - 0x2C) < 30) & (abs(rgb[..., 1] - 0xA0) < 30) & (abs(rgb[..., 2] - 0x2C) < 30)).sum())


def test_html_is_one_file_and_markdown_a_folder(report, tmp_path):
    page = render(report, "html", tmp_path, "car").read_text()
    assert page.count("<tr><td>") == len(report.incidents) + len(report.per_period) + len(report.per_zone)
    assert "<h2>Counts per zone</h2>" in page and "<td>lane_down</td>" in page
    assert "src=\"file:" not in page and page.count("data:image/png;base64,") == 2
    md = render(report, "md", tmp_path, "car-md")
    text = md.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| 0:")]
    assert len(rows) == len(report.incidents)
    assert "| 2018-04-19 22:00 | midline | 4 |" in text.split("## Counts per zone")[1], text
    for link in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (tmp_path / link).is_file(), link


def test_the_cli_renders_and_windows_on_the_stream_clock(site):
    data = site.data_dir
    made = run_cli("report", "--format", "pdf", "--name", "all", data_dir=data)
    assert made.returncode == 0, made.stderr
    assert (data / "reports" / "all.pdf").is_file() and "18 incidents, 4 objects" in made.stdout
    late = run_cli("report", "--since", "10s", "--format", "md", "--name", "late", data_dir=data)
    assert "1 objects" in late.stdout  # the last 10 s of footage: only the fourth car
    assert run_cli("report", "--format", "docx", data_dir=data).returncode == 2
    bad = run_cli("report", "--since", "yesterday", data_dir=data)
    assert bad.returncode == 2 and "cannot read duration 'yesterday'" in bad.stderr
    missing = run_cli("report", "--stream", "nope", data_dir=data)
    assert missing.returncode == 2 and "no analysed stream nope" in missing.stderr


def test_since_parses_units():
    assert [parse_since(t) for t in ("90s", "15m", "24h", "7d", "30")] == [90, 900, 86400, 604800, 30]


def test_an_all_stream_report_gives_each_stream_its_own_window(tmp_path):
    """The car clip records 2018-04-19; the same footage analysed with a 2026 clock is much newer. A report of
    the last 24 h covers the last 24 h of each stream's own footage (before: the 2018 stream was dropped)."""
    from datetime import UTC, datetime

    from conftest import CAR_CLIP, make_settings

    from pipeline import analyze_file

    settings = make_settings(tmp_path / "data")
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="old")
        analyze_file(CAR_CLIP, settings, store, stream_id="new",
                     start=datetime(2026, 11, 21, 14, 0, tzinfo=UTC).timestamp())
        report = build_report(store, load_profile("generic"), since_s=86400.0)
    assert [(p.id, len(p.entities)) for p in sorted(report.parts, key=lambda p: p.id)] == [("new", 4), ("old", 4)]
    assert {i.stream_id for i in report.incidents} == {"old", "new"}


def test_a_long_report_counts_everything_in_the_graph_and_lists_the_most_severe(tmp_path):
    """A report of a busy fortnight: before, every event and object of the window was read into memory and every
    incident listed (a month of 20 bench cameras: 605,000 rows in the table, 3.9 GB, 264 s). Now the counts come
    from the graph, the table lists the INCIDENT_LIMIT most severe (all high and medium ones here, then the
    earliest low ones) and says how many it leaves out, and the periods are days."""
    from collections import Counter
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from conftest import make_settings

    from query.report import INCIDENT_LIMIT

    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC).timestamp()
    with open_graph(make_settings(tmp_path / "data")) as store:
        truth = busy_fortnight(store, start)
        report = build_report(store, load_profile("generic"), since_s=30 * 86400.0)
        kolkata = build_report(store, load_profile("generic"), since_s=30 * 86400.0, tz="Asia/Kolkata")
    assert report.incident_total == sum(truth.values()) and report.severity_counts == truth, report.severity_counts
    assert report.event_counts == {"enter": 2999, "proximity": 40, "dwell": 6} and report.alert_total == 8
    assert len(report.incidents) == INCIDENT_LIMIT
    listed = [i.severity for i in report.incidents]
    assert listed.count("high") == 48 and listed.count("medium") == 6
    lows = sorted(i.t0 for i in report.incidents if i.severity == "low")
    assert lows == [i * 400.0 for i in range(1, INCIDENT_LIMIT - 54 + 1)]  # the earliest, the first sighting left out
    assert report.class_counts == {"car": 3000} and report.parts[0].entities == []  # counted, not read
    assert report.period == "day" and len(report.per_period) == 14
    for made, zone in ((report, UTC), (kolkata, ZoneInfo("Asia/Kolkata"))):  # UTC+5:30: its days are not UTC's
        days = Counter(datetime.fromtimestamp(start + i * 400.0, zone).strftime("%Y-%m-%d") for i in range(3000))
        assert made.per_period == [(day, {"car": n}) for day, n in sorted(days.items())]
    assert report.per_period[0] == ("2026-11-01", {"car": 216})
    assert kolkata.per_period[0] == ("2026-11-01", {"car": 167})
    md = render(report, "md", tmp_path, "fortnight").read_text()
    assert f"The table lists the {INCIDENT_LIMIT} most severe of 3053 incidents" in md
    assert "Incidents (severity low or higher, and alerts): 3053 (48 high, 6 medium, 2999 low)" in md
    assert len(re.findall(r"^\| [\d:.]+ \(2026-11-\d\d \d\d:\d\d:\d\d\) \| dock \|", md, flags=re.M)) == INCIDENT_LIMIT
    assert "## Counts per day" in md and "| 2026-11-14 | 192 |" in md
    assert green_pixels(tmp_path / "fortnight-files" / "timeline.png") > 1000, "objects first seen, stacked per bin"


def test_the_days_of_a_stream_without_a_clock_come_in_order(tmp_path):
    """A fortnight of footage with no wall clock: its days are counted from its start, and listed in that order
    (they sorted as text: "dock day 10" before "dock day 2")."""
    from conftest import make_settings

    with open_graph(make_settings(tmp_path / "data")) as store:
        busy_fortnight(store, 0.0)
        report = build_report(store, load_profile("generic"), since_s=30 * 86400.0)
    days = [label for label, _ in report.per_period]
    assert days == [f"dock day {d}" for d in range(14)], days
    assert report.per_period[0][1] == {"car": 216} and sum(n for _, c in report.per_period for n in c.values()) == 3000


def test_a_report_of_one_calendar_day(tmp_path):
    """A safety manager asks for the report of 2026-11-05, not of "the last 24 h": reports took only a window back
    from the newest footage. ``--day`` (the API's ``day``) is that calendar day on the streams' clock, in the
    site's time zone; a stream without a wall clock cannot place it and the report says so; a word that is not a
    day is one line and exit 2."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from conftest import make_settings, run_cli

    from graph import StreamRecord
    from query.timewords import parse_day

    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC).timestamp()
    settings = make_settings(tmp_path / "data")
    with open_graph(settings) as store:
        busy_fortnight(store, start)
        store.upsert_stream(StreamRecord("clip", "/x.mp4", "clip", "file", 60.0, 5.0, 640, 480, "complete", "r1",
                                         "{}"))
        report = build_report(store, load_profile("generic"), day=parse_day("2026-11-05"), tz="Asia/Kolkata")

    def in_view(zone) -> int:  # the cars in view during that day (each for 30 s from i * 400 s); the one first
        day0 = datetime(2026, 11, 5, tzinfo=zone).timestamp() - start  # seen at the next midnight is the next day's
        return sum(1 for i in range(3000) if i * 400.0 < day0 + 86400 and i * 400.0 + 30 >= day0)

    assert report.class_counts == {"car": in_view(ZoneInfo("Asia/Kolkata"))} and report.period == "hour"
    assert "dock 2026-11-05 00:00:00 to 2026-11-06 00:00:00" in report.window, report.window
    assert "clip: no wall clock, so on 2026-11-05 (Asia/Kolkata) cannot be placed" in report.window, report.window
    made = run_cli("report", "--day", "5 November", "--format", "md", "--name", "nov5", data_dir=tmp_path / "data")
    assert made.returncode == 0, made.stderr
    assert f"{in_view(UTC)} objects" in made.stdout, made.stdout
    # the UTC day (offsets from 96 h), not Kolkata's (from 90.5 h): the counts of the two days are alike
    listed = (tmp_path / "data" / "reports" / "nov5.md").read_text()
    assert "| 96:00:00.0 (2026-11-05 00:00:00) | dock |" in listed and min(i.t0 for i in report.incidents) < 96 * 3600
    bad = run_cli("report", "--day", "next tuesday", data_dir=tmp_path / "data")
    assert bad.returncode == 2 and "is not a day" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_a_weekly_report_covers_last_week_monday_to_sunday(tmp_path):
    """'Last week' and 'last month' were not a --day (a weekly report had to be a rolling 7d); weekly and monthly
    schedules run on Monday and on the 1st. busy_fortnight: a car every 400 s from Sunday 2026-11-01, so last
    week (2-8 November, the clock's today being Sunday 15 November) holds 7 x 216 cars."""
    from datetime import UTC, datetime

    from conftest import make_settings, run_cli

    from query.timewords import parse_day
    from workers.app import schedule_of

    start = datetime(2026, 11, 1, 0, 0, tzinfo=UTC).timestamp()
    with open_graph(make_settings(tmp_path / "data")) as store:
        busy_fortnight(store, start)
        week = build_report(store, load_profile("generic"), day=parse_day("last week"))
    assert week.class_counts == {"car": 7 * 216} and week.period == "day", week.class_counts
    assert "dock 2026-11-02 00:00:00 to 2026-11-09 00:00:00" in week.window, week.window
    made = run_cli("report", "--day", "last month", "--format", "md", data_dir=tmp_path / "data")
    assert made.returncode == 0 and "0 objects" in made.stdout, (made.stdout, made.stderr)  # October: none
    assert str(schedule_of("weekly").day_of_week) == "{1}" and str(schedule_of("monthly").day_of_month) == "{1}"
    bad = run_cli("report", "--day", "next week", data_dir=tmp_path / "data")
    assert bad.returncode == 2 and "last week or last month" in bad.stderr



def test_a_moment_is_the_same_second_in_the_report_and_in_answers(site, report):
    """The silver car came in at 0:14.6 of a clip that starts at 22:46:00: the report wrote 22:46:15 (rounded),
    an answer 22:46:14 (cut). Both now write the nearest second."""
    from query import ask

    with open_graph(site, read_only=True) as store:
        answer = ask(store, "when did the silver car enter?")
    silver = next(i for i in report.incidents if i.kind == "enter" and i.t0 == pytest.approx(14.6, abs=0.3))
    assert silver.wall and f"({silver.wall} UTC)" in answer.text, (answer.text, silver.wall)


def test_objects_perception_could_not_name_are_counted_as_unnamed(tmp_path):
    """"Objects: 42 cars, 9 people, 3 objects": the class "object" (what perception followed without a name)
    read as if the others were not objects. A report and an answer call them unnamed objects."""
    from conftest import make_settings
    from tests_support import small_stream

    from query import ask

    with open_graph(make_settings(tmp_path / "data")) as store:
        small_stream(store, '{"detector": "centernet.onnx"}', [("car", 1.0, 9.0), ("object", 1.0, 9.0)])
        report = build_report(store, load_profile("generic"), since_s=86400)
        answer = ask(store, "how many objects?")
    both = ("1 car, 1 unnamed object", "1 unnamed object, 1 car")  # a tie: either order
    md = render(report, "md", tmp_path, "r").read_text()
    html = render(report, "html", tmp_path, "r").read_text()
    assert any(f"- Objects: {said}" in md for said in both) and any(f"Objects: {said}" in html for said in both)
    assert answer.text.startswith("2 objects (1 car, 1 unnamed object)"), answer.text
    # and so does the table of counts per period (its header said "object", beside "cars" in its plot)
    assert "| cars | unnamed objects |" in md and "<th>unnamed objects</th>" in html
