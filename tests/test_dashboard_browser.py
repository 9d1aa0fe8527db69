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
PAGES = ["sources", "timeline", "graph", "ask", "reports", "alerts"]
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
