"""The OpenAI-compatible backend's own cost per chunk, without model time, beside decoding the same chunks.

    .venv/bin/python bench/vlm_overhead.py [VIDEO] [--frames-per-chunk 8] [--input-width 640]

Runs the backend against a local chat-completions server that answers at once, so what is timed is frame
selection, JPEG encoding, request building, HTTP on loopback and reply parsing. Prints ms per chunk and that
cost as a fraction of the time spent decoding those chunks.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from vlm_server import FakeVLMServer, Scripted

from ingest import chunk, open_source, sample
from vlm.base import PerceptionContext
from vlm.openai_backend import OpenAIPerception
from vlm.profiles import BUILTIN

DEFAULT_VIDEO = REPO.parent / "shared" / "data" / "car-detection.mp4"
REPLY = json.dumps({"caption": "a car passes", "objects": [{"id": "1", "class": "car"}],
                    "events": [{"type": "queue", "start": 1, "end": 2, "objects": ["1"]}]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("video", nargs="?", type=Path, default=DEFAULT_VIDEO)
    parser.add_argument("--frames-per-chunk", type=int, default=8)
    parser.add_argument("--input-width", type=int, default=640)
    parser.add_argument("--chunk-duration", type=float, default=5.0)
    args = parser.parse_args()

    start = time.perf_counter()
    chunks = list(chunk(sample(open_source(args.video), fps=5.0, prefetch_bytes=0), args.chunk_duration))
    for c in chunks:  # decode time includes the RGB conversion the VLM path needs
        for f in c.pick(args.frames_per_chunk):
            f.image  # noqa: B018
    decode_s = time.perf_counter() - start

    with FakeVLMServer(lambda body, n: Scripted(content=REPLY)) as server, tempfile.TemporaryDirectory() as tmp:
        vlm = OpenAIPerception(base_url=server.base_url, model="bench", api_key=None, profile=BUILTIN["traffic"],
                               context=PerceptionContext("bench", 0, 0, Path(tmp), 5.0),
                               frames_per_chunk=args.frames_per_chunk, input_width=args.input_width, cache_dir=None)
        for c in chunks:
            c.frames[0].active = True  # send every chunk: this measures the request path, not motion gating
        vlm.perceive(chunks[0])  # connection set-up outside the timing
        start = time.perf_counter()
        for c in chunks:
            assert vlm.perceive(c).status == "ok"
        overhead_s = time.perf_counter() - start
        vlm.close()

    per_chunk_ms = overhead_s / len(chunks) * 1000
    print(f"video: {args.video.name}; {len(chunks)} chunks of {args.chunk_duration:g} s; "
          f"{args.frames_per_chunk} frames at {args.input_width} px per request")
    print(f"decode (sampled frames, RGB)    {decode_s * 1000 / len(chunks):8.1f} ms per chunk")
    print(f"backend overhead (no model)     {per_chunk_ms:8.1f} ms per chunk")
    print(f"overhead / decode               {overhead_s / decode_s:8.2f}")


if __name__ == "__main__":
    main()
