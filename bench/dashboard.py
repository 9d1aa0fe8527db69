"""Dashboard page load times on an analysed 1-hour input, in real headless Chromium (target: under 2 s each).

    .venv/bin/python bench/dashboard.py [--hours 1] [--data DIR] [--runs 3]

Builds the input by looping the real car clip (120 loops = 1 hour, 480 cars) and analysing it on the embedded
default (about 3 minutes; ``--data DIR`` keeps and reuses it), starts ``streamlit run dashboard/app.py``, and
times each page from navigation until Streamlit has finished running the page (its status widget gone and the
page heading shown). Prints the median and the worst of ``--runs`` loads per page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from conftest import CAR_CLIP, loop_video, wait_for_http

from graph.neo4j_local import free_port
from pipeline import (
    analyze_file,
    open_graph,
)
from pipeline.settings import Settings

PAGES = ["sources", "live", "timeline", "graph", "entity", "ask", "reports", "alerts"]


def analysed(data: Path, hours: float) -> None:
    if (data / "graph.lbdb").exists():
        return
    data.mkdir(parents=True, exist_ok=True)
    clip = loop_video(CAR_CLIP, data / "hour.mp4", round(hours * 120))
    settings = Settings(data_dir=data)
    start = time.perf_counter()
    with open_graph(settings) as store:
        result = analyze_file(clip, settings, store, stream_id="hour")
    print(f"analysed {result.duration / 3600:.2f} h in {time.perf_counter() - start:.0f} s: {result.entities} entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--data", type=Path, help="keep the analysed input here (reused when present)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="vidgraph-dash-") as tmp:
        data = args.data or Path(tmp) / "data"
        analysed(data, args.hours)
        port = free_port()
        env = {**os.environ, "VIDGRAPH_DATA_DIR": str(data)}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("streamlit")),
                "run",
                str(REPO / "dashboard/app.py"),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_for_http(f"{url}/_stcore/health", 60.0):
                raise SystemExit(f"streamlit did not answer on {url} within 60 s")
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"])
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)  # warm-up: the first load starts the server's script runner and imports
                page.get_by_role("heading", name="Sources").first.wait_for(timeout=60_000)
                for name in PAGES:
                    samples = []
                    for _ in range(args.runs):
                        start = time.perf_counter()
                        page.goto(f"{url}/{name}" if name != "sources" else url)
                        page.get_by_role("heading", name=name.capitalize()).first.wait_for(timeout=60_000)
                        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                               timeout=60_000)
                        samples.append(time.perf_counter() - start)
                    print(f"{name:9} median {statistics.median(samples):5.2f} s   worst {max(samples):5.2f} s   "
                          f"(target < 2 s)", flush=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
