"""ingest/: probing, decoding with true timestamps, sampling, motion scores and chunking on real clips."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CAR_CLIP, WORKER_GIF

from ingest import MotionDetector, chunk, open_source, probe, sample
from ingest.source import DecordSource, PyAVSource


def test_probe_reads_the_containers_own_figures():
    info = probe(CAR_CLIP)
    assert (info.width, info.height, info.frame_count) == (768, 432, 377)
    assert info.fps == pytest.approx(12.5)
    assert info.duration == pytest.approx(30.16, abs=0.05)


def test_files_decode_with_decord_and_gifs_with_pyav():
    assert isinstance(open_source(CAR_CLIP), PyAVSource)
    assert isinstance(open_source(CAR_CLIP, decoder="decord"), DecordSource)
    assert isinstance(open_source(WORKER_GIF, decoder="decord"), PyAVSource)
    gif = open_source(WORKER_GIF)
    assert isinstance(gif, PyAVSource)
    frames = list(gif.frames())
    assert len(frames) == probe(WORKER_GIF).frame_count
    assert frames[0][2].rgb().shape == (270, 480, 3) and frames[0][2].grey().shape == (270, 480)


def test_sampling_follows_the_time_grid_with_container_timestamps():
    times = [t for _, t, _ in open_source(CAR_CLIP).frames(sample_fps=5.0)]
    # 30.16 s at 5 fps from a 12.5 fps source: one frame per 0.2 s tick, the first at or after the tick
    assert len(times) == 151
    gaps = np.diff(times)
    assert gaps.min() >= 0.16 - 1e-3 and gaps.max() <= 0.24 + 1e-3
    assert times[-1] == pytest.approx(30.0, abs=0.01)  # the 30.0 s tick; the last frame (30.08) is not on it


def test_decode_can_scale_down_large_frames():
    _, _, picture = next(iter(open_source(CAR_CLIP, max_width=384).frames(sample_fps=1.0)))
    assert picture.rgb().shape == (216, 384, 3)


def test_motion_is_zero_on_the_empty_lane_and_high_while_a_car_passes():
    frames = list(sample(open_source(CAR_CLIP), fps=5.0, motion=MotionDetector()))
    empty = [f for f in frames if 1.0 <= f.t <= 4.0 or 10.0 <= f.t <= 14.0 or 20.0 <= f.t <= 25.0]
    busy = [f for f in frames if 5.5 <= f.t <= 7.5 or 16.0 <= f.t <= 17.5 or 26.0 <= f.t <= 27.0]
    assert not any(f.active for f in empty)
    assert all(f.active and len(f.motion_boxes) >= 1 for f in busy)
    # cost follows activity: most of this clip is an empty lane
    assert sum(f.active for f in frames) / len(frames) < 0.5


def test_chunks_have_the_requested_duration_and_overlap():
    frames = sample(open_source(CAR_CLIP), fps=5.0)
    chunks = list(chunk(frames, duration=10.0, overlap=2.0, end_time=30.16))
    assert [c.t0 for c in chunks] == [0.0, 8.0, 16.0, 24.0]
    assert chunks[-1].t1 == pytest.approx(30.16)
    for c in chunks:
        assert all(c.t0 <= f.t < c.t1 for f in c.frames)
    shared = {f.t for f in chunks[0].frames} & {f.t for f in chunks[1].frames}
    assert shared and min(shared) >= 8.0 and max(shared) < 10.0
    picked = chunks[0].pick(8)
    assert len(picked) == 8 and picked[0] is chunks[0].frames[0] and picked[-1] is chunks[0].frames[-1]


@pytest.mark.parametrize("duration, overlap", [(0, 0), (5, 5), (5, -1)])
def test_chunker_rejects_impossible_settings(duration, overlap):
    with pytest.raises(ValueError):
        list(chunk(iter([]), duration=duration, overlap=overlap))
