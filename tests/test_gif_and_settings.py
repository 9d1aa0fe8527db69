"""A person on the warehouse clip (GIF through PyAV), and settings from the environment and a file."""

from __future__ import annotations

from conftest import WORKER_GIF, make_settings

from pipeline import analyze_file, open_graph
from pipeline.settings import Settings
from query import ask


def test_the_worker_on_the_warehouse_floor_is_one_person(tmp_path):
    settings = make_settings(tmp_path)
    with open_graph(settings) as store:
        analyze_file(WORKER_GIF, settings, store)
        people = store.entities(cls="person")
        assert len(people) == 1
        assert not store.entities(cls="car")
        answer = ask(store, "was there a person?")
        assert answer.value is True and answer.citations[0].stream == WORKER_GIF.name


def test_environment_variables_follow_the_section_key_scheme(monkeypatch, tmp_path):
    monkeypatch.setenv("VIDGRAPH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VIDGRAPH_INGEST_SAMPLE_FPS", "2.5")
    monkeypatch.setenv("VIDGRAPH_INGEST_CHUNK_DURATION", "20")
    monkeypatch.setenv("VIDGRAPH_CV_DETECT_FPS", "1")
    monkeypatch.setenv("VIDGRAPH_GRAPH_BACKEND", "ladybug")
    s = Settings()
    assert (s.data_dir, s.ingest.sample_fps, s.ingest.chunk_duration, s.cv.detect_fps) == (tmp_path, 2.5, 20.0, 1.0)
    assert s.graph_path == tmp_path / "graph.lbdb"


def test_settings_file_is_read_and_the_environment_wins(monkeypatch, tmp_path):
    config = tmp_path / "vidgraph.toml"
    config.write_text('data_dir = "/srv/vidgraph"\n[ingest]\nsample_fps = 3.0\nchunk_overlap = 1.0\n')
    monkeypatch.setenv("VIDGRAPH_CONFIG", str(config))
    monkeypatch.setenv("VIDGRAPH_INGEST_SAMPLE_FPS", "4")
    s = Settings()
    assert str(s.data_dir) == "/srv/vidgraph" and s.ingest.chunk_overlap == 1.0 and s.ingest.sample_fps == 4.0


def test_a_configured_detector_path_that_is_missing_is_an_error(tmp_path):
    from conftest import CAR_CLIP, run_cli

    result = run_cli("analyze", str(CAR_CLIP), "--detector", str(tmp_path / "missing.onnx"), data_dir=tmp_path)
    assert result.returncode == 2 and "detector model not found" in result.stderr


def test_vlm_endpoint_settings_and_the_api_key_fallback(monkeypatch):
    monkeypatch.setenv("VIDGRAPH_VLM_BACKEND", "ollama")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert Settings().vlm.endpoint() == ("http://localhost:11434/v1", "qwen2.5vl", "ollama")
    monkeypatch.setenv("VIDGRAPH_VLM_BACKEND", "openai")
    monkeypatch.setenv("VIDGRAPH_VLM_BASE_URL", "http://vllm:8000/v1")
    monkeypatch.setenv("VIDGRAPH_VLM_MODEL", "Qwen/Qwen2.5-VL-7B-Instruct")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-openai-env")
    assert Settings().vlm.endpoint() == ("http://vllm:8000/v1", "Qwen/Qwen2.5-VL-7B-Instruct", "sk-from-openai-env")
    monkeypatch.setenv("VIDGRAPH_VLM_API_KEY", "sk-vidgraph")
    settings = Settings()
    assert settings.vlm.endpoint()[2] == "sk-vidgraph"
    assert "sk-vidgraph" not in repr(settings) and "sk-vidgraph" not in settings.perception_fingerprint()


def test_changing_the_vlm_profile_or_model_changes_the_run(monkeypatch):
    monkeypatch.setenv("VIDGRAPH_VLM_BACKEND", "openai")
    base = Settings().perception_fingerprint()
    monkeypatch.setenv("VIDGRAPH_VLM_PROFILE", "warehouse")
    assert Settings().perception_fingerprint() != base
    monkeypatch.setenv("VIDGRAPH_VLM_API_KEY", "other")  # a new key is the same analysis
    monkeypatch.setenv("VIDGRAPH_VLM_PROFILE", "generic")
    assert Settings().perception_fingerprint() == base
