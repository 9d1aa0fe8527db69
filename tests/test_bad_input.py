"""Bad input fails with one clear line, a non-zero exit, and leaves the store as it was."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from conftest import CAR_CLIP, make_settings, run_cli
from PIL import Image

from common.text import clock
from ingest import InputNotFound, NotAVideo, TruncatedVideo, open_source, probe
from pipeline import analyze_file, open_graph
from query import ask


def _half_of_car_clip(tmp_path: Path) -> Path:
    data = CAR_CLIP.read_bytes()
    cut = tmp_path / "car-half.mp4"
    cut.write_bytes(data[: len(data) // 2])
    return cut


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, type, str]]:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 20)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    still = tmp_path / "still.jpg"
    Image.fromarray(np.full((120, 160, 3), 90, np.uint8)).save(still)
    disguised = tmp_path / "still.mp4"  # a JPEG named like a video: decided by content, not the extension
    disguised.write_bytes(still.read_bytes())
    return {
        "jpeg": (still, NotAVideo, "a still image"),
        "jpeg-as-mp4": (disguised, NotAVideo, "a still image"),
        "missing": (tmp_path / "nope.mp4", InputNotFound, "no such file"),
        "text": (text, NotAVideo, "not a video"),
        "empty": (empty, NotAVideo, "empty file"),
        "half": (_half_of_car_clip(tmp_path), TruncatedVideo, "truncated video"),
    }


@pytest.mark.parametrize("case", ["missing", "text", "empty", "half", "jpeg", "jpeg-as-mp4"])
def test_probe_names_the_problem(tmp_path, case):
    path, error, words = _bad_inputs(tmp_path)[case]
    with pytest.raises(error) as raised:
        probe(path)
    message = str(raised.value)
    assert words in message and str(path) in message and "\n" not in message


def test_cli_errors_are_one_line_and_leave_the_store_as_it_was(tmp_path):
    data_dir = tmp_path / "data"
    assert run_cli("analyze", str(CAR_CLIP), "-q", data_dir=data_dir).returncode == 0
    with open_graph(make_settings(data_dir), read_only=True) as store:
        before = store.counts()
    for case, (path, _, words) in _bad_inputs(tmp_path).items():
        result = run_cli("analyze", str(path), data_dir=data_dir)
        assert result.returncode == 2, case
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, (case, lines)
        assert lines[0].startswith(f"error: {path}: ") and words in lines[0], case
        assert "Traceback" not in result.stderr
        fresh = tmp_path / f"fresh-{case}"
        assert run_cli("analyze", str(path), data_dir=fresh).returncode == 2
        assert not fresh.exists() or not any(fresh.iterdir()), f"{case}: a rejected input left {list(fresh.iterdir())}"
    with open_graph(make_settings(data_dir), read_only=True) as store:
        assert store.counts() == before


@pytest.mark.parametrize("args, said", [
    # a URL became a path with one '/' and was "rtsp:/cam.example/live: no such file" (its password said too)
    (["rtsp://op:hunter2@cam.example/live"], "error: rtsp://***@cam.example/live: a URL, not a video file: "),
    (["https://example.com/clip.mp4"], "error: https://example.com/clip.mp4: a URL, not a video file: "),
    # a site file that is not TOML said "Expected '=' after a key ..." and not which file
    ([str(CAR_CLIP), "--site", "{tmp}/site.toml"], "error: {tmp}/site.toml: not a site file (TOML): "),
])
def test_a_url_or_a_file_that_is_no_site_file_is_named_in_one_line(tmp_path, args, said):
    (tmp_path / "site.toml").write_text("zones: lane_1 = left half\n")  # not TOML
    args, said = [a.format(tmp=tmp_path) for a in args], said.format(tmp=tmp_path)
    result = run_cli("analyze", *args, "-q", data_dir=tmp_path / "data")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith(said), result.stderr
    assert "hunter2" not in result.stderr and not (tmp_path / "data").exists()


def test_the_cut_file_is_reported_truncated_not_analysed_as_shorter(tmp_path):
    settings = make_settings(tmp_path / "data")
    with open_graph(settings) as store:
        with pytest.raises(TruncatedVideo):
            analyze_file(_half_of_car_clip(tmp_path), settings, store)
        assert store.counts()["Stream"] == 0 and store.counts()["Segment"] == 0


class _Interrupted(Exception):
    pass


def _interrupt_after(seconds: float):
    def progress(done: float, total: float) -> None:
        if done >= seconds:
            raise _Interrupted(f"stopped at {done:.1f} s")

    return progress


def test_a_failure_mid_run_removes_a_new_stream_entirely(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        with pytest.raises(_Interrupted):
            analyze_file(CAR_CLIP, settings, store, progress=_interrupt_after(20.0))
        assert all(n == 0 for n in store.counts().values())
    assert not [p for p in settings.thumbs_dir.rglob("*") if p.is_file()]  # nor its thumbnails


def test_a_failure_mid_rerun_keeps_the_previous_analysis(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
        before = store.counts()
        pictures = sorted(p for p in settings.thumbs_dir.rglob("*") if p.is_file())
        other = settings.with_overrides(ingest={"chunk_duration": 5.0})
        with pytest.raises(_Interrupted):
            analyze_file(CAR_CLIP, other, store, stream_id="car", progress=_interrupt_after(20.0))
        assert store.counts() == before
        assert sorted(p for p in settings.thumbs_dir.rglob("*") if p.is_file()) == pictures and pictures
        stream = store.get_stream("car")
        assert stream.status == "complete" and len(store.entities(cls="car")) == 4


@pytest.mark.parametrize("bad", ["../escape", "a/b", "", "x" * 65, "-dash-first"])
def test_stream_ids_that_could_escape_the_data_dir_are_refused(tmp_path, bad):
    result = run_cli("analyze", str(CAR_CLIP), "--stream-id", bad, data_dir=tmp_path / "data")
    assert result.returncode == 2 and "invalid stream id" in result.stderr
    assert not (tmp_path / "escape").exists()


def _damaged(tmp_path: Path, how: str) -> Path:
    """The car clip with its middle damaged: a block zeroed (packets the decoder refuses) or 1000 bytes flipped
    (frames that decode, with errors: smeared and frozen pictures)."""
    data = bytearray(CAR_CLIP.read_bytes())
    if how == "zeroed":
        data[len(data) // 2: len(data) // 2 + 150_000] = bytes(150_000)
    else:
        rng = random.Random(1)
        for _ in range(1000):
            data[rng.randrange(len(data) // 3, 2 * len(data) // 3)] ^= 0xFF
    path = tmp_path / f"car-{how}.mp4"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how", ["zeroed", "flipped"])
def test_a_damaged_stretch_is_skipped_and_reported_not_analysed_as_an_empty_scene(tmp_path, how):
    """Before: the zeroed file was refused whole ("decoding failed") and the flipped one analysed silently, its
    smeared frames read as a lane without the two middle cars. Now the damage is cut out, recorded as a gap
    with its reason, counted as lost seconds on the stream and said in answers; the rest is analysed."""
    path = _damaged(tmp_path, how)
    source = open_source(path)
    times = [t for _, t, _ in source.frames(5.0)]
    [gap] = source.pop_gaps()
    assert 8.0 < gap.t0 < gap.t1 <= 24.0 and gap.t1 - gap.t0 > 2.0 and "damaged video" in gap.reason
    assert not [t for t in times if gap.t0 < t < gap.t1]  # nothing from inside the gap reaches perception
    assert times[0] < 0.3 and times[-1] > 29.5
    settings = make_settings(tmp_path / "data")
    with open_graph(settings) as store:
        result = analyze_file(path, settings, store)
        stream = store.get_stream(result.stream_id)
        assert stream.status == "complete" and stream.lost == pytest.approx(gap.t1 - gap.t0, abs=0.01)
        assert result.lost == stream.lost
        [event] = store.events(types=["gap"])
        assert (event["t0"], event["t1"]) == (gap.t0, gap.t1) and event["attributes"]["reason"] == gap.reason
        cars = store.entities(cls="car")
        assert [c for c in cars if c["last_seen"] < gap.t0] and [c for c in cars if c["first_seen"] > gap.t1]
        for question in ("how many cars passed?", "were there any bicycles?"):
            answer = ask(store, question)
            assert f"had no usable video ({clock(gap.t0)}-{clock(gap.t1)}" in answer.text, answer.text
    status = run_cli("status", data_dir=tmp_path / "data")
    assert status.returncode == 0 and f"no usable video: {path.name} {clock(gap.t0)}-{clock(gap.t1)}" in status.stdout
