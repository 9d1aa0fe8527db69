"""Shared fixtures: the real clips in ../shared/data, settings on a temporary data dir, analysed stores."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

# The environment as the shell gave it, before imports change it: importing cv2 sets LD_LIBRARY_PATH and
# QT_* variables, torch sets KMP_* ones. A subprocess that measures memory must run as a user's would.
SHELL_ENV = dict(os.environ)

import av
import pytest

from graph import neo4j_local
from pipeline import (
    analyze_file,
    open_graph,
)
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
# The car clip's camera looks straight down: its operator's site file says what the detector's words mean
# there (examples/car-park-overhead.toml). Every analysis in the tests, in this process and in the CLI and
# worker processes it starts, uses it unless a test names its own site file.
OVERHEAD_SITE = REPO / "examples" / "car-park-overhead.toml"
os.environ.setdefault("VIDGRAPH_ZONES_FILE", str(OVERHEAD_SITE))
SHARED = Path(os.environ.get("VIDGRAPH_SHARED", REPO.parent / "shared"))
DATA = SHARED / "data"
CAR_CLIP = DATA / "car-detection.mp4"
WORKER_GIF = DATA / "worker-zone-detection.gif"

# Facts from ../shared/README.md, checked frame by frame: (first seen, last seen, direction) per car.
CAR_FACTS = [
    (4.5, 8.8, "bottom_to_top"),  # white car
    (14.4, 18.3, "top_to_bottom"),  # silver car
    (15.0, 18.8, "bottom_to_top"),  # red car
    (25.2, 27.9, "top_to_bottom"),  # white car
]


# The camera table of the car clip, two lanes and a line across the middle of its frame (and a zone of another
# camera, ignored).
CAR_ZONES = OVERHEAD_SITE.read_text() + """
[[zone]]
name = "lane_down"        # the left lane: cars drive top to bottom
points = [[0.0, 0.0], [0.38, 0.0], [0.38, 1.0], [0.0, 1.0]]

[[zone]]
name = "lane_up"          # the right lane: cars drive bottom to top
points = [[0.38, 0.0], [0.75, 0.0], [0.75, 1.0], [0.38, 1.0]]

[[line]]
name = "midline"
points = [[0.0, 0.5], [1.0, 0.5]]

[[zone]]
stream = "another-camera"
name = "dock"
points = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]
"""


# Alert rules the car clip fires: 4 midline crossings and 2 dwells in the down lane; the proximity rule never.
CAR_RULES = """
[[rule]]
name = "down-lane"
when = "car stays in lane_down for more than 1 s"
severity = "medium"

[[rule]]
when = "car crosses midline"
severity = "low"

[[rule]]
when = "person within 2 m of a forklift"
"""


def analysed_site(folder: Path) -> Settings:
    """The car clip analysed into ``folder/data`` with CAR_ZONES and CAR_RULES: a small, complete site."""
    (folder / "zones.toml").write_text(CAR_ZONES)
    (folder / "rules.toml").write_text(CAR_RULES)
    settings = make_settings(folder / "data", alerts={"rules_file": folder / "rules.toml"})
    settings = settings.model_copy(update={"zones_file": folder / "zones.toml"})
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    return settings


def pytest_sessionstart(session: pytest.Session) -> None:
    if not CAR_CLIP.is_file():
        raise pytest.UsageError(f"real test footage missing: {CAR_CLIP} (set VIDGRAPH_SHARED to the shared/ folder)")


def make_settings(data_dir: Path, **sections: dict) -> Settings:
    settings = Settings(data_dir=data_dir)
    return settings.with_overrides(**sections) if sections else settings


NEO4J_VARS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Neo4j 5 for the session: the one ``NEO4J_URI`` names, else a local one started here from
    ``graph/neo4j_launcher`` (Java and Maven). Its connection variables are put in the environment, where the
    settings and CLI subprocesses read them. Yields the local server (``None`` for an external one)."""
    if os.environ.get("NEO4J_URI"):
        yield None
        return
    reason = neo4j_local.available()
    if reason:
        pytest.skip(f"NEO4J_URI unset and no local Neo4j can be started: {reason}")
    password = secrets.token_urlsafe(18)
    server = neo4j_local.start(tmp_path_factory.mktemp("neo4j"), neo4j_local.free_port(), password,
                               owner_pid=os.getpid())
    os.environ.update({"NEO4J_URI": server.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": password})
    try:
        yield server
    finally:
        for name in NEO4J_VARS:
            os.environ.pop(name, None)
        server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def car_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding car-detection.mp4 analysed once with default settings (read-only for tests)."""
    data_dir = tmp_path_factory.mktemp("car-analysed")
    settings = make_settings(data_dir)
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    return data_dir


@pytest.fixture
def car_store(car_store_dir: Path):
    with open_graph(make_settings(car_store_dir), read_only=True) as store:
        yield store


def wait_for_http(url: str, timeout_s: float = 60.0) -> bool:
    """Poll ``url`` until it answers 200 (a server the test or bench started); False if it never did."""
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def run_cli(*args: str, data_dir: Path, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the installed ``vidgraph`` console script as a user would."""
    exe = shutil.which("vidgraph", path=str(Path(sys.executable).parent)) or "vidgraph"
    env = {**os.environ, "VIDGRAPH_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, check=check, timeout=600)


def loop_video(source: Path, target: Path, loops: int) -> Path:
    """Concatenate a real clip with itself by remuxing packets (no re-encode): long real input, fast to make."""
    with av.open(str(source)) as src, av.open(str(target), "w") as dst:
        in_stream = src.streams.video[0]
        out_stream = dst.add_stream_from_template(in_stream)
        packets = [p for p in src.demux(in_stream) if p.dts is not None]
        step = max(p.pts + p.duration for p in packets) - min(p.pts for p in packets)
        for i in range(loops):
            for p in packets:
                copy = av.Packet(bytes(p))
                copy.pts, copy.dts, copy.duration = p.pts + i * step, p.dts + i * step, p.duration
                copy.is_keyframe = p.is_keyframe
                copy.time_base = in_stream.time_base
                copy.stream = out_stream
                dst.mux(copy)
    return target
