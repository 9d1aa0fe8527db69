"""ingest/: probing, decoding with true timestamps, sampling, motion scores and chunking on real clips."""

from __future__ import annotations

import math

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


@pytest.mark.parametrize("decoder", ["pyav", "decord"])
def test_a_read_from_the_middle_yields_the_frames_a_read_from_the_start_does_from_there(decoder):
    """A part of a file split across workers reads from its start: the same sampled frames (times, indices,
    pixels) as the whole read, from the first tick at or after it, whatever keyframe the seek lands on."""
    whole = [(i, t, p.grey()) for i, t, p in open_source(CAR_CLIP, decoder=decoder).frames(sample_fps=5.0)]
    for start in (10.0, 12.3, 20.0):
        part = [(i, t, p.grey()) for i, t, p in open_source(CAR_CLIP, decoder=decoder).frames(5.0, start=start)]
        tick = math.ceil(start / 0.2 - 1e-3) * 0.2  # the first 5 fps tick at or after ``start``
        tail = [f for f in whole if f[1] >= tick - 1e-6]
        assert [(i, t) for i, t, _ in part] == [(i, t) for i, t, _ in tail] and len(part) > 40
        assert all(np.array_equal(a[2], b[2]) for a, b in zip(part, tail, strict=True))


def test_chunks_of_a_read_from_the_middle_are_numbered_as_in_the_whole_file():
    whole = list(chunk(sample(open_source(CAR_CLIP), fps=5.0, prefetch_bytes=0), 10.0))
    part = list(chunk(sample(open_source(CAR_CLIP), fps=5.0, prefetch_bytes=0, start=10.0), 10.0, first_idx=1))
    assert [(c.idx, c.t0, len(c.frames)) for c in part] == [(c.idx, c.t0, len(c.frames)) for c in whole[1:]]


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


def test_rotation_metadata_is_honoured(tmp_path):
    """A clip whose display matrix turns it 90 degrees (as phones write portrait video) is analysed upright:
    the probe reports the displayed size and every picture comes out turned."""
    import av
    import numpy as np

    from ingest import open_source, probe

    target = tmp_path / "portrait.mp4"
    with av.open(str(CAR_CLIP)) as src, av.open(str(target), "w") as out:
        stream = out.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 384, 216, "yuv420p"
        stream.set_display_rotation(90)
        coded = []
        for i, frame in enumerate(src.decode(video=0)):
            if i >= 30:
                break
            picture = np.ascontiguousarray(frame.to_ndarray(format="rgb24")[::2, ::2][:216, :384])
            picture[:40, :40] = (255, 0, 0)  # a red mark in the coded picture's top-left corner
            coded.append(picture)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    info = probe(target)
    assert (info.width, info.height, info.rotation) == (216, 384, 90)
    _, _, picture = next(open_source(target, max_width=960).frames(5.0))
    rgb = picture.rgb()
    assert rgb.shape == (384, 216, 3) and picture.grey().shape == (384, 216)
    upright = np.rot90(coded[0], 1).astype(float)  # what the display matrix asks for: a quarter turn left
    assert np.abs(rgb.astype(float) - upright).mean() < 12  # the same picture, up to compression
    # a quarter turn left takes the top-left corner to the bottom-left
    assert rgb[-30:, :30, 0].mean() > 200 and rgb[-30:, :30, 1].mean() < 60 and rgb[:30, :30, 0].mean() < 200
    # decord ignores the display matrix: a turned file is read by PyAV whatever decoder is configured
    _, _, picture = next(open_source(target, max_width=960, decoder="decord").frames(5.0))
    assert picture.rgb().shape == (384, 216, 3) and picture.rgb()[-30:, :30, 0].mean() > 200


def test_a_stretch_is_cut_to_a_small_clip_that_shows_that_moment(tmp_path):
    """The dashboard plays a moment from a clip cut out of the file (st.video of the whole file read every byte
    into memory). The clip holds the stretch; at the offset returned it shows the source's frame at t0."""
    import av

    from ingest.clip import cut
    from ingest.errors import VideoInputError

    clip, start = cut(CAR_CLIP, 14.6, 18.2, tmp_path / "clips")
    assert clip.stat().st_size < CAR_CLIP.stat().st_size / 2 and 0.0 <= start <= 5.0

    def frame_at(path, t):
        with av.open(str(path)) as c:
            for f in c.decode(video=0):
                if f.time >= t - 0.04:
                    return f.to_ndarray(format="rgb24").astype(int), f.time
        raise AssertionError(f"no frame at {t} in {path}")

    source, _ = frame_at(CAR_CLIP, 14.6)
    cut_frame, _ = frame_at(clip, start)
    assert np.abs(source - cut_frame).mean() < 2.0  # the same picture (no re-encoding)
    with av.open(str(clip)) as c:
        times = [f.time for f in c.decode(video=0)]
    assert times[-1] >= start + (18.2 - 14.6) - 0.1  # through the end of the stretch
    assert cut(CAR_CLIP, 14.6, 18.2, tmp_path / "clips") == (clip, start)  # made once, then reused
    garbage = tmp_path / "not-video.mp4"
    garbage.write_bytes(b"\x00" * 4096)
    with pytest.raises(VideoInputError, match=r"cannot cut not-video\.mp4"):
        cut(garbage, 1.0, 2.0, tmp_path / "clips")
