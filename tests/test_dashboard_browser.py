"""The dashboard in a real headless Chromium (Debian's, driven by Playwright): analyse the car clip on the
embedded default, open the dashboard, ask "how many cars passed?", see 4 with citations, and save a
screenshot of every page to test-artifacts/dashboard/ (not committed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, analysed_site, wait_for_http

from graph.neo4j_local import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
PAGES = ["sources", "live", "timeline", "graph", "entity", "ask", "reports", "alerts"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", None}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium missing: .ci/run installs it")


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    settings = analysed_site(tmp)
    port = free_port()
    env = {
        **os.environ,
        "VIDGRAPH_DATA_DIR": str(settings.data_dir),
        "VIDGRAPH_ALERTS_RULES_FILE": str(tmp / "rules.toml"),
    }
    env.pop("VIDGRAPH_DASHBOARD_API_URL", None)
    env.pop("VIDGRAPH_DASHBOARD_PASSWORD", None)
    log = open(tmp / "streamlit.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("streamlit")), "run", str(REPO / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    if not wait_for_http(f"{url}/_stcore/health", 60.0):
        server.kill()
        raise RuntimeError((tmp / "streamlit.log").read_text())
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


def test_ask_in_a_real_browser_and_screenshot_every_page(dashboard, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []  # requests that leave the machine: an operator's console works offline
    page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in LOOPBACK else None)
    for name in PAGES:
        page.goto(f"{dashboard}/{name}" if name != "sources" else dashboard)
        page.get_by_role("heading", name=name.capitalize()).first.wait_for(timeout=30_000)
        page.wait_for_timeout(1500)  # let plots and images finish drawing
        if name == "graph":  # the explorer: vis-network draws into a canvas inside the component's frame
            page.frame_locator("iframe").first.locator("canvas").first.wait_for(timeout=30_000)
            page.get_by_role("button", name="Expand its neighbours").wait_for(timeout=30_000)
        if name == "entity":
            page.get_by_text("Thumbnails").first.wait_for(timeout=30_000)
            page.locator("video").first.wait_for(timeout=30_000)
            assert page.locator("[data-testid='stImage'] img").count() >= 2
        if name == "ask":
            page.get_by_placeholder("Ask about the footage").fill("how many cars passed?")
            page.keyboard.press("Enter")
            page.get_by_text("4 cars:").first.wait_for(timeout=30_000)
            page.get_by_text("4 citations").wait_for(timeout=30_000)
            images = page.locator("[data-testid='stChatMessage'] img")
            images.nth(3).wait_for(timeout=30_000)
            assert images.count() >= 4  # a thumbnail per cited car
            assert page.get_by_text("car-detection.mp4 @").count() >= 4
        assert page.get_by_role("button", name="Deploy").count() == 0  # .streamlit/config.toml: viewer toolbar
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    page.close()
    assert outside == [], f"{len(outside)} requests left the machine: {sorted(set(outside))[:5]}"


def test_the_api_docs_open_offline_and_call_the_api_with_the_token_entered_there(browser, tmp_path):
    """/docs in Chromium: Swagger UI from the server itself (no CDN), the token entered in Authorize, and a
    call from the page answered with 200 (before: 401 for the page itself, and assets from a CDN)."""
    port, token = free_port(), "docs-token-123456"
    env = {**os.environ, "VIDGRAPH_SERVICE_API_TOKEN": token, "VIDGRAPH_DATA_DIR": str(tmp_path / "data"),
           "VIDGRAPH_SERVICE_REDIS_URL": "redis://127.0.0.1:6379/14"}
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen([str(Path(sys.executable).with_name("vidgraph")), "serve", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_for_http(f"{url}/health", 60.0), (tmp_path / "serve.log").read_text()
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in LOOPBACK else None)
        page.goto(f"{url}/docs")
        page.get_by_role("button", name="Authorize").first.click()
        page.locator(".auth-container input").first.fill(token)
        page.locator(".auth-btn-wrapper button.authorize").click()
        page.locator(".auth-btn-wrapper button.btn-done").click()
        page.locator("#operations-alerts-firings_alerts_get").first.click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_role("button", name="Execute").click()
        page.locator(".live-responses-table tbody .response-col_status").first.wait_for(timeout=20_000)
        status = page.locator(".live-responses-table tbody .response-col_status").first.inner_text().strip()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=True)
        assert status == "200", status
        assert outside == [], f"{len(outside)} requests left the machine: {sorted(set(outside))[:5]}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()



def test_the_live_view_shows_the_loopback_camera_now_and_analysed(dashboard, browser):
    """A loopback RTSP camera (GStreamer, the car clip) added on the Sources page appears on the Live page with
    a current frame, an analysed frame with what is in view, and its health. Last in this module: it adds a
    stream to the graph the other tests count on."""
    from test_live import _has_gst_rtsp, rtsp_server

    if not _has_gst_rtsp():
        pytest.skip("GStreamer RTSP server missing: .ci/run installs it")
    port = free_port()
    with rtsp_server(port):
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in LOOPBACK else None)
        page.goto(dashboard)
        page.get_by_label("Stream URL").fill(f"rtsp://127.0.0.1:{port}/live")
        page.get_by_label("Stream id", exact=True).fill("gate")
        page.get_by_role("button", name="Watch").click()
        page.get_by_text("started: live:gate").wait_for(timeout=30_000)
        page.goto(f"{dashboard}/live")
        page.get_by_text("now:").first.wait_for(timeout=60_000)
        page.get_by_text("analysed:").first.wait_for(timeout=60_000)  # after the first chunk is perceived
        assert page.locator("[data-testid='stImage'] img").count() >= 2
        assert page.get_by_text("Frames").count() >= 1 and page.get_by_text("gate - streaming").count() == 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "live.png"), full_page=True)
        page.close()
    assert outside == [], f"{len(outside)} requests left the machine: {sorted(set(outside))[:5]}"
