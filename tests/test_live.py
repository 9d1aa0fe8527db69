"""Live ingestion from a real RTSP server on loopback (GStreamer, tests/rtsp_server.py): the server is cut and
brought back; the reader reconnects, the stream resumes on the same time axis and the outage is a gap event."""

from __future__ import annotations

import itertools
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import CAR_CLIP, make_settings

from graph.neo4j_local import free_port
from ingest.live import LiveSource, UnsupportedStream
from pipeline import open_graph
from pipeline.live import run_live

SYSTEM_PYTHON = "/usr/bin/python3"
SERVER = Path(__file__).with_name("rtsp_server.py")


def _has_gst_rtsp() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0'); "
                            "from gi.repository import GstRtspServer"], capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _has_gst_rtsp(), reason="GStreamer RTSP server missing: .ci/run installs it")


@contextmanager
def rtsp_server(port: int):
    proc = subprocess.Popen([SYSTEM_PYTHON, str(SERVER), str(CAR_CLIP), str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_cut_stream_resumes_and_the_gap_is_recorded(tmp_path):
    port = free_port()
    url = f"rtsp://127.0.0.1:{port}/live"
    settings = make_settings(tmp_path / "data", ingest={"chunk_duration": 4.0},
                             service={"reconnect_max_s": 1.0, "open_timeout_s": 3.0})
    healths: list[tuple[str, int]] = []
    reports: list[tuple[str, int, int, str]] = []  # state, connects, frames, last error as each report saw them
    stop = threading.Event()
    result = {}

    @contextmanager
    def writer():
        with open_graph(settings) as store:
            yield store

    def reader():
        result["live"] = run_live(url, "gate", settings, writer, stop.is_set, name="gate camera",
                                  on_health=lambda h: (healths.append((h.state, h.connects)),
                                                       reports.append((h.state, h.connects, h.frames, h.last_error))))

    with rtsp_server(port):
        thread = threading.Thread(target=reader)
        thread.start()
        time.sleep(12)  # keyframes every 4.8 s: the first chunk lands after the first keyframe
    cut_at = time.time()
    time.sleep(4)  # the outage
    with rtsp_server(port):
        time.sleep(14)
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert ("reconnecting", 1) in healths and any(state == "streaming" and n >= 2 for state, n in healths)
    # health moves while frames flow (not only when the state changes), and an error clears on recovery
    first = [frames for state, n, frames, _ in reports if state == "streaming" and n == 1]
    assert len(first) >= 3 and first == sorted(first) and first[-1] > first[0]
    after = [error for state, n, _, error in reports if state == "streaming" and n >= 2]
    assert after and all(error == "" for error in after), after
    with open_graph(settings, read_only=True) as store:
        record = store.get_stream("gate")
        assert record.kind == "live" and record.status == "stopped" and record.start > 0
        [gap] = store.events(types=["gap"])
        attributes = gap["attributes"]
        assert 4.0 <= gap["t1"] - gap["t0"] <= 12.0 and attributes["reason"]
        assert abs(record.start + gap["t0"] - cut_at) < 2.0  # the gap starts when the server was cut
        segments = store.segments(streams=["gate"])
        assert any(s["t1"] <= gap["t0"] + 0.5 for s in segments) and any(s["t0"] >= gap["t1"] - 4.0 for s in segments)
        assert all(b["idx"] > a["idx"] and b["t0"] >= a["t1"] - 0.01 for a, b in itertools.pairwise(segments))
        cars = store.entities(streams=["gate"], cls="car")
        assert cars, "cars are seen before and after the outage"
        assert record.lost == pytest.approx(gap["t1"] - gap["t0"], abs=0.01)  # the outage, as lost seconds
    assert result["live"].gaps == 1 and result["live"].chunks == len(segments)
    # the live view's pictures: the camera's latest frame, and the latest analysed one, a chunk or so behind
    from pipeline.snapshots import live_dir, read_snapshots

    shots = read_snapshots(live_dir(settings.data_dir, "gate"))
    assert shots["now"]["jpeg"][:2] == shots["analysed"]["jpeg"][:2] == b"\xff\xd8"
    assert shots["analysed"]["t"] <= shots["now"]["t"] + 0.5 and shots["now"]["t"] > gap["t1"]
    assert shots["now"]["wall"] == pytest.approx(record.start + shots["now"]["t"], abs=0.02)
    # forgetting the stream takes its snapshots and thumbnails with it
    from pipeline import forget_stream

    with open_graph(settings) as store:
        forget_stream(store, settings, "gate")
        assert store.get_stream("gate") is None
    assert not live_dir(settings.data_dir, "gate").exists() and not (settings.thumbs_dir / "gate").exists()


def test_unsupported_and_unreachable_streams(tmp_path):
    with pytest.raises(UnsupportedStream, match="scheme must be one of"):
        LiveSource("file:///etc/passwd", 5.0)
    source = LiveSource(f"rtsp://127.0.0.1:{free_port()}/nothing", 5.0, open_timeout_s=1.0, reconnect_max_s=1.0)
    assert not source.wait_connected(2.5)
    source.stop()
    assert source.health.state in ("reconnecting", "stopped") and "open failed" in source.health.last_error


def test_a_restarted_reader_never_overwrites_what_the_first_one_wrote(tmp_path):
    """Beat restarts a dead reader; the new one numbers its tracks from 0 again. Its ids must not collide with
    the first reader's (before: the first car's enter-0 was overwritten, 143 events with 142 ids)."""
    port = free_port()
    url = f"rtsp://127.0.0.1:{port}/live"
    settings = make_settings(tmp_path / "data", ingest={"chunk_duration": 4.0},
                             service={"reconnect_max_s": 1.0, "open_timeout_s": 3.0})

    @contextmanager
    def writer():
        with open_graph(settings) as store:
            yield store

    def read_for(seconds: float) -> None:
        stop = threading.Event()
        thread = threading.Thread(target=lambda: run_live(url, "gate", settings, writer, stop.is_set))
        thread.start()
        time.sleep(seconds)
        stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive()

    with rtsp_server(port):
        read_for(16)
        with open_graph(settings, read_only=True) as store:
            first = {e["id"]: (e["t0"], e["t1"], e["description"]) for e in store.events(streams=["gate"])}
            first_entities = {e["id"]: (e["first_seen"], e["last_seen"]) for e in store.entities(streams=["gate"])}
            # each entity's picture, as the first reader left it (before: the second reader's track-0.jpg was
            # written over the first reader's, so the first car's citation showed the second reader's car)
            pictures = {e["id"]: (e["thumbnail"], Path(e["thumbnail"]).read_bytes())
                        for e in store.entities(streams=["gate"]) if e["thumbnail"]}
        time.sleep(1.5)  # the second reader starts at a later second of the stream's clock
        read_for(16)
    with open_graph(settings, read_only=True) as store:
        now = {e["id"]: (e["t0"], e["t1"], e["description"]) for e in store.events(streams=["gate"])}
        entities = {e["id"]: (e["first_seen"], e["last_seen"]) for e in store.entities(streams=["gate"])}
    assert first and {k: now[k] for k in first} == first, "an event of the first reader changed"
    assert {k: entities[k] for k in first_entities} == first_entities, "an entity of the first reader changed"
    assert pictures, "the first reader's entities have pictures"
    assert {k: (path, Path(path).read_bytes()) for k, (path, _) in pictures.items()} == pictures, \
        "a picture of the first reader's entities changed"
    later = set(now) - set(first)
    assert later, "the second reader wrote events of its own"
    sessions = {k.split("/ev/")[1].split("-", 1)[0] for k in now}
    assert len(sessions) == 2 and all(s.startswith("r") for s in sessions)  # one tag per reader


def test_live_snapshots_box_the_tracks_on_their_own_frame_and_replace_atomically(tmp_path):
    """What the Live page shows: the latest frame as it came, and the analysed frame with each confirmed track
    boxed and labelled, each with its time; written at most once per interval."""
    import numpy as np

    from ingest.frames import ArrayPicture, Frame
    from pipeline.snapshots import LiveSnapshots, read_snapshots

    snaps = LiveSnapshots(tmp_path / "gate", origin=lambda: 1_000.0, every_s=60.0)
    rgb = np.full((432, 768, 3), 90, np.uint8)
    snaps.now(4.0, ArrayPicture(rgb))
    snaps.now(4.2, ArrayPicture(rgb))  # within the interval: not written
    frame = Frame(20, 3.0, ArrayPicture(rgb))
    snaps.analysed(frame, [("track-7", "car", np.array([100, 100, 300, 200]))])
    shots = read_snapshots(tmp_path / "gate")
    assert (shots["now"]["t"], shots["now"]["wall"], shots["now"]["tracks"]) == (4.0, 1004.0, [])
    assert shots["analysed"]["t"] == 3.0 and shots["analysed"]["tracks"] == [{"key": "track-7", "label": "car"}]
    import cv2

    boxed = cv2.imdecode(np.frombuffer(shots["analysed"]["jpeg"], np.uint8), cv2.IMREAD_COLOR)
    plain = cv2.imdecode(np.frombuffer(shots["now"]["jpeg"], np.uint8), cv2.IMREAD_COLOR)
    assert boxed.shape == plain.shape == (360, 640, 3)  # scaled to the live view's width
    edge = boxed[int(150 * 640 / 768), int(100 * 640 / 768)].astype(int)  # the box's left edge (BGR orange)
    assert edge[2] > 200 and edge[0] < 80 and abs(int(plain[125, 83].mean()) - 90) < 10
    assert not list((tmp_path / "gate").glob("*.part"))
