"""Pipeline cost against decoding alone, measured side by side on the same file in one run.

    .venv/bin/python bench/pipeline.py [VIDEO] [--repeat 3] [--sample-fps 5]

Prints the median wall time of: decode-only at the pipeline's sampling rate (both decoders), decode plus
motion scoring, and a full ``analyze`` into a fresh embedded graph (model load, perception, graph writes,
thumbnails); then the ratio full/decode-only and the realtime factor (video seconds per wall second).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest import MotionDetector, open_source, probe, sample
from pipeline import (
    analyze_file,
    open_graph,
)
from pipeline.settings import Settings

DEFAULT_VIDEO = REPO.parent / "shared" / "data" / "car-detection.mp4"
OVERHEAD_SITE = REPO / "examples" / "car-park-overhead.toml"  # that clip's camera looks straight down


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", nargs="?", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-fps", type=float, default=5.0)
    parser.add_argument("--site", type=Path, default=None,
                        help="site file (default for the car clip: examples/car-park-overhead.toml)")
    args = parser.parse_args()
    info = probe(args.video)
    site = args.site or (OVERHEAD_SITE if args.video.name == DEFAULT_VIDEO.name else None)
    base = Settings(data_dir=Path(tempfile.mkdtemp(prefix="vidgraph-bench-")))
    settings = base.with_overrides(ingest={"sample_fps": args.sample_fps}).model_copy(update={"zones_file": site})
    width = settings.ingest.decode_max_width

    def decode(decoder: str, rgb: bool) -> None:
        for _, _, picture in open_source(args.video, max_width=width, decoder=decoder).frames(args.sample_fps):
            if rgb:
                picture.rgb()

    def decode_and_motion() -> None:
        for _ in sample(open_source(args.video, max_width=width), args.sample_fps, MotionDetector(), prefetch_bytes=0):
            pass

    found: list[int] = []

    def analyze() -> None:
        with tempfile.TemporaryDirectory(prefix="vidgraph-bench-") as tmp:
            run_settings = settings.model_copy(update={"data_dir": Path(tmp)})
            with open_graph(run_settings) as store:
                found.append(analyze_file(args.video, run_settings, store).entities)

    analyze()  # warm the page cache and import paths once, outside the timings
    decode_pyav = timed(lambda: decode("pyav", rgb=False), args.repeat)
    decode_pyav_rgb = timed(lambda: decode("pyav", rgb=True), args.repeat)
    decode_decord = timed(lambda: decode("decord", rgb=True), args.repeat) if not info.is_gif else float("nan")
    motion = timed(decode_and_motion, args.repeat)
    full = timed(analyze, args.repeat)

    print(f"video: {args.video.name}, {info.duration:.1f} s, {info.width}x{info.height} @ {info.fps:.2f} fps; "
          f"sampling {args.sample_fps:g} fps; median of {args.repeat}")
    print(f"decode only (pyav, YUV)       {decode_pyav:7.3f} s   <- the baseline of the ratio")
    print(f"decode to RGB (pyav)          {decode_pyav_rgb:7.3f} s")
    print(f"decode to RGB (decord)        {decode_decord:7.3f} s")
    print(f"decode + motion               {motion:7.3f} s")
    print(f"full analyze                  {full:7.3f} s")
    print(f"ratio full / decode-only      {full / decode_pyav:7.2f} x   (target <= 2, aim 1.5: issue 16)")
    print(f"realtime factor               {info.duration / full:7.1f} x   (target >= 25)")
    print(f"entities found                {found[-1]:7d}")


if __name__ == "__main__":
    main()
