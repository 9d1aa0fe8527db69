"""The OpenAI-compatible VLM backend at the protocol level, against a local chat-completions server."""

from __future__ import annotations

import base64
import json

import cv2
import numpy as np
import pytest
from conftest import CAR_CLIP, make_settings, run_cli
from vlm_server import FakeVLMServer, Scripted

from ingest import chunk, open_source, sample
from pipeline import analyze_file, open_graph
from vlm.base import PerceptionContext
from vlm.openai_backend import OpenAIPerception
from vlm.profiles import BUILTIN, load_profile

GOOD = {
    "caption": "A white car drives up the lane.",
    "objects": [{"id": "c1", "class": "car", "description": "white car"}],
    "events": [{"type": "stopped_vehicle", "start": 5.0, "end": 6.5, "confidence": 0.8,
                "description": "the white car slows near the top", "objects": ["c1"]}],
}


@pytest.fixture(scope="module")
def busy_chunk():
    """The real chunk 0-10 s of the car clip (a car passes 4.5-8.8 s)."""
    frames = sample(open_source(CAR_CLIP), fps=5.0)
    return next(iter(chunk(frames, duration=10.0)))


def backend(server, tmp_path, **kw):
    context = PerceptionContext("car", 768, 432, tmp_path / "thumbs", 5.0)
    options = {"base_url": server.base_url, "model": "test-vlm", "api_key": "sk-test", "profile": BUILTIN["traffic"],
               "context": context, "frames_per_chunk": 4, "input_width": 320, "timeout_s": 2.0, "max_retries": 2,
               "backoff_s": 0.01, "cache_dir": tmp_path / "cache"}
    options.update(kw)
    return OpenAIPerception(**options)


def reply(content: str) -> Scripted:
    return Scripted(content=content)


def test_request_carries_images_schema_prompt_and_model(tmp_path, busy_chunk):
    with FakeVLMServer(lambda body, n: reply(json.dumps(GOOD))) as server:
        obs = backend(server, tmp_path).perceive(busy_chunk)
    [body] = server.requests
    assert body["model"] == "test-vlm"
    assert server.headers[0]["Authorization"] == "Bearer sk-test"
    system, user = body["messages"]
    assert "stopped_vehicle" in system["content"] and "wrong_way_driving" in system["content"]
    images = [part for part in user["content"] if part["type"] == "image_url"]
    assert len(images) == 4
    for part in images:
        header, data = part["image_url"]["url"].split(",", 1)
        assert header == "data:image/jpeg;base64"
        picture = cv2.imdecode(np.frombuffer(base64.b64decode(data), np.uint8), cv2.IMREAD_COLOR)
        assert picture.shape == (180, 320, 3)
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["events"]["items"]["properties"]["type"]["enum"] == BUILTIN["traffic"].events
    assert obs.status == "ok" and obs.caption == GOOD["caption"]
    [event] = obs.events
    assert (event.type, event.t0, event.t1, event.entities) == ("stopped_vehicle", 5.0, 6.5, ["vlm-0-c1"])
    assert [e.cls for e in obs.entities] == ["car"]


@pytest.mark.parametrize(
    "content, status, repaired",
    [
        ("```json\n" + json.dumps(GOOD) + "\n```", "ok", False),
        ("Here is what I see:\n" + json.dumps(GOOD) + "\nLet me know if you need more.", "ok", False),
        (json.dumps(GOOD)[:-40], "ok", True),
        ("I see a car driving on a road, nothing unusual.", "failed", None),
    ],
    ids=["fenced", "prose-around", "truncated", "prose-only"],
)
def test_tolerant_parsing(tmp_path, busy_chunk, content, status, repaired):
    with FakeVLMServer(lambda body, n: reply(content)) as server:
        obs = backend(server, tmp_path).perceive(busy_chunk)
    assert obs.status == status
    if status == "ok":
        assert obs.caption == GOOD["caption"]
        assert all(e.attributes["repaired"] is repaired for e in obs.events)
    else:
        assert "no JSON object" in obs.error and "I see a car" in obs.error  # the raw text is kept


def test_429_then_200_is_retried(tmp_path, busy_chunk):
    def script(body, n):
        if n == 1:
            return Scripted(429, body='{"error": "rate"}', headers={"retry-after": "0"})
        return reply(json.dumps(GOOD))

    with FakeVLMServer(script) as server:
        obs = backend(server, tmp_path).perceive(busy_chunk)
    assert obs.status == "ok" and len(server.requests) == 2


def test_500_every_time_marks_the_chunk_failed_after_bounded_retries(tmp_path, busy_chunk):
    with FakeVLMServer(lambda body, n: Scripted(500, body='{"error": "boom"}')) as server:
        obs = backend(server, tmp_path, max_retries=2).perceive(busy_chunk)
    assert obs.status == "failed" and "HTTP 500" in obs.error and "3 attempts" in obs.error
    assert len(server.requests) == 3


def test_a_server_slower_than_the_timeout_fails_the_chunk(tmp_path, busy_chunk):
    with FakeVLMServer(lambda body, n: Scripted(content=json.dumps(GOOD), delay_s=1.5)) as server:
        obs = backend(server, tmp_path, timeout_s=0.3, max_retries=1).perceive(busy_chunk)
    assert obs.status == "failed" and "timed out" in obs.error


def test_a_server_without_structured_output_is_asked_again_without_it(tmp_path, busy_chunk):
    def script(body, n):
        if "response_format" in body:
            return Scripted(400, body='{"error": "response_format json_schema is not supported"}')
        return reply(json.dumps(GOOD))

    with FakeVLMServer(script) as server:
        vlm = backend(server, tmp_path)
        assert vlm.perceive(busy_chunk).status == "ok"
    assert ["response_format" in b for b in server.requests] == [True, False]
    assert vlm.structured_output is False


def test_an_unreachable_endpoint_fails_the_chunk_and_names_it(tmp_path, busy_chunk):
    context = PerceptionContext("car", 768, 432, tmp_path, 5.0)
    vlm = OpenAIPerception(base_url="http://127.0.0.1:9/v1", model="m", api_key=None, profile=BUILTIN["generic"],
                           context=context, max_retries=0, timeout_s=1.0)
    obs = vlm.perceive(busy_chunk)
    assert obs.status == "failed" and "cannot reach http://127.0.0.1:9/v1" in obs.error


def test_replies_are_cached_by_request_content(tmp_path, busy_chunk):
    with FakeVLMServer(lambda body, n: reply(json.dumps(GOOD))) as server:
        first = backend(server, tmp_path).perceive(busy_chunk)
        again = backend(server, tmp_path).perceive(busy_chunk)
    assert len(server.requests) == 1 and again == first


def test_profiles_load_from_a_file(tmp_path):
    path = tmp_path / "dock.toml"
    path.write_text('name = "dock"\ndescription = "a loading dock"\nobjects = ["truck", "person"]\n'
                    'events = ["truck_docked", "person_on_ramp"]\n')
    profile = load_profile(str(path))
    assert profile.events == ["truck_docked", "person_on_ramp"] and "a loading dock" in profile.prompt(4)
    with pytest.raises(ValueError, match="unknown profile"):
        load_profile("nope")


def test_analyze_end_to_end_failed_chunks_are_listed_and_retried_alone(tmp_path):
    """Static chunks are not sent; failures are kept and listed; a re-run asks only for the failed chunks."""
    broken = {"on": True}

    def script(body, n):
        text = body["messages"][1]["content"][0]["text"]
        if broken["on"] and text.startswith("Chunk 20.0"):
            return Scripted(500, body='{"error": "GPU fell over"}')
        return reply(json.dumps(GOOD))

    data_dir = tmp_path / "data"
    with FakeVLMServer(script) as server:
        settings = make_settings(data_dir, vlm={"backend": "openai", "base_url": server.base_url, "model": "m",
                                                "max_retries": 0, "profile": "traffic"})
        with open_graph(settings) as store:
            result = analyze_file(CAR_CLIP, settings, store, stream_id="car")
        assert result.failed_segments == 1
        sent_first = len(server.requests)
        assert sent_first == 3  # chunks 0-10, 10-20, 20-30 move; 30-30.2 is static and not sent
        status = run_cli("status", data_dir=data_dir)
        assert "failed: car-detection.mp4 0:20.0-0:30.0: HTTP 500" in status.stdout
        broken["on"] = False
        with open_graph(settings) as store:
            retry = analyze_file(CAR_CLIP, settings, store, stream_id="car")
            assert retry.failed_segments == 0 and not retry.unchanged
            assert [s["status"] for s in store.segments()] == ["ok", "ok", "ok", "static"]
        assert len(server.requests) == sent_first + 1  # only the failed chunk went to the endpoint again


def test_hybrid_mode_sends_tracks_as_context_and_links_vlm_events_to_tracked_entities(tmp_path):
    def script(body, n):
        text = body["messages"][1]["content"][0]["text"]
        ids = [line.split("id ", 1)[1].split(":", 1)[0] for line in text.splitlines() if line.startswith("- id ")]
        events = [{"type": "near_miss", "start": 0.0, "end": 99.0, "confidence": 0.6, "objects": [i]} for i in ids]
        return reply(json.dumps({"caption": f"{len(ids)} tracked cars", "objects": [], "events": events}))

    with FakeVLMServer(script) as server:
        settings = make_settings(tmp_path, vlm={"backend": "openai", "base_url": server.base_url, "model": "m",
                                                "hybrid": True, "profile": "traffic"})
        with open_graph(settings) as store:
            result = analyze_file(CAR_CLIP, settings, store, stream_id="car")
            assert result.backend.startswith("hybrid: cv")
            cars = store.entities(cls="car")
            assert len(cars) == 4  # the tracker's entities, unchanged by the VLM
            linked = store._read(
                "MATCH (e:Event)-[:INVOLVES]->(n:Entity) WHERE e.type = $type RETURN e.id AS event, n.id AS entity",
                {"type": "near_miss"},
            )
    prompts = [b["messages"][1]["content"][0]["text"] for b in server.requests]
    assert any("- id track-0: car, in view" in p for p in prompts)
    assert any("Objects tracked by the camera system (2 car;" in p for p in prompts)  # silver and red together
    assert linked and {row["entity"] for row in linked} <= {car["id"] for car in cars}
    assert {row["entity"] for row in linked} == {car["id"] for car in cars}  # every tracked car got its VLM event


def _mark_pixels(url: str) -> int:
    data = base64.b64decode(url.split(",", 1)[1])
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR).astype(int)
    mark = np.array([0, 200, 255])  # (255, 200, 0) in RGB, the mark colour
    return int((np.abs(bgr - mark).sum(axis=2) < 60).sum())


@pytest.mark.parametrize("marks", [True, False])
def test_hybrid_frames_carry_numbered_marks_unless_turned_off(tmp_path, marks):
    with FakeVLMServer(lambda body, n: reply(json.dumps({"caption": "x", "events": []}))) as server:
        settings = make_settings(tmp_path, vlm={"backend": "openai", "base_url": server.base_url, "model": "m",
                                                "hybrid": True, "marks": marks})
        with open_graph(settings) as store:
            analyze_file(CAR_CLIP, settings, store)
    tracked = [b for b in server.requests if "- id track-" in b["messages"][1]["content"][0]["text"]]
    assert tracked
    marked = sum(_mark_pixels(p["image_url"]["url"]) for b in tracked for p in b["messages"][1]["content"][1:])
    assert (marked > 200) is marks


def test_chunks_go_to_the_endpoint_a_bounded_number_at_a_time(tmp_path):
    import threading

    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def script(body, n):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        import time

        time.sleep(0.3)
        with lock:
            state["now"] -= 1
        return reply(json.dumps(GOOD))

    with FakeVLMServer(script) as server:
        settings = make_settings(tmp_path, ingest={"chunk_duration": 5.0},
                                 vlm={"backend": "openai", "base_url": server.base_url, "model": "m", "concurrency": 2})
        with open_graph(settings) as store:
            analyze_file(CAR_CLIP, settings, store)
            assert [s["idx"] for s in store.segments()] == list(range(7))  # written in order
    assert len(server.requests) >= 4 and state["most"] == 2
