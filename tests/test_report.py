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
    assert report.hourly == [("2018-04-19 22:00", {"car": 4})]
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
    first = np.asarray(Image.open(pages[0]).convert("RGB")).astype(int)
    green = (abs(first[..., 0] - 0x2C) < 30) & (abs(first[..., 1] - 0xA0) < 30) & (abs(first[..., 2] - 0x2C) < 30)
    assert green.sum() > 100, "the timeline's car bars are drawn on the first page"


def test_html_is_one_file_and_markdown_a_folder(report, tmp_path):
    page = render(report, "html", tmp_path, "car").read_text()
    assert page.count("<tr><td>") == len(report.incidents) + len(report.hourly)
    assert "src=\"file:" not in page and page.count("data:image/png;base64,") == 2
    md = render(report, "md", tmp_path, "car-md")
    text = md.read_text()
    rows = [line for line in text.splitlines() if line.startswith("| 0:")]
    assert len(rows) == len(report.incidents)
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
