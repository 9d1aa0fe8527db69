"""The local transformers backend with a tiny, randomly initialised LLaVA built in the test (no hub here)."""

from __future__ import annotations

import pytest

pytest.importorskip("torch", reason="the local-vlm extra (torch, transformers) is part of the test install")

from conftest import CAR_CLIP, make_settings, run_cli
from tiny_vlm import build_tiny_llava

from common.devices import pick_device
from pipeline import (
    analyze_file,
    open_graph,
)
from vlm.base import PerceptionContext
from vlm.profiles import BUILTIN
from vlm.transformers_backend import TransformersPerception
from vlm.vlm_base import VLMError


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    return build_tiny_llava(tmp_path_factory.mktemp("tiny-llava"))


def vlm_settings(data_dir, model, **extra):
    vlm = {"backend": "transformers", "model": str(model), "max_tokens": 24, "min_new_tokens": 5, "batch_size": 2,
           "profile": "traffic", **extra}
    return make_settings(data_dir, vlm={**vlm, "frames_per_chunk": 2})


def test_analyze_end_to_end_nonsense_in_failed_observations_out(tmp_path, tiny_model):
    settings = vlm_settings(tmp_path, tiny_model)
    with open_graph(settings) as store:
        result = analyze_file(CAR_CLIP, settings, store, stream_id="car")
        segments = store.segments()
    assert "transformers" in result.backend and "cpu/float32" in result.backend
    # chunks with motion went to the model; random weights reply nonsense, which fails those chunks with the
    # raw text kept; the static tail chunk was not sent
    assert [s["status"] for s in segments] == ["failed", "failed", "failed", "static"]
    assert all("no JSON object" in s["error"] or "truncated JSON" in s["error"] for s in segments[:3])
    assert result.failed_segments == 3
    status = run_cli("status", data_dir=tmp_path)
    assert status.stdout.count("failed: car-detection.mp4") == 3


def test_the_model_is_loaded_once_per_process(tmp_path, tiny_model):
    context = PerceptionContext("s", 768, 432, tmp_path, 5.0)
    first = TransformersPerception(model=str(tiny_model), profile=BUILTIN["generic"], context=context)
    second = TransformersPerception(model=str(tiny_model), profile=BUILTIN["warehouse"], context=context)
    assert first.model is second.model and first.processor is second.processor


def test_cpu_gets_float32():
    assert pick_device() == ("cpu", "float32")  # no GPU on these machines


def test_a_missing_model_is_a_clear_error_before_anything_is_written(tmp_path):
    result = run_cli("analyze", str(CAR_CLIP), "--backend", "transformers", "--model", str(tmp_path / "nope"),
                     data_dir=tmp_path)
    assert result.returncode == 2 and "cannot load model" in result.stderr
    with pytest.raises(VLMError):
        TransformersPerception(model=str(tmp_path / "nope"), profile=BUILTIN["generic"],
                               context=PerceptionContext("s", 1, 1, tmp_path, 5.0))
    with open_graph(make_settings(tmp_path), read_only=True) as store:
        assert store.counts()["Stream"] == 0
