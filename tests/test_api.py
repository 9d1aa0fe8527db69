"""The REST API: bearer token on every route but /health, 4xx with a message for bad bodies, paths outside
the media directory and non-stream URLs, nothing stored on a refusal; a file job through a real worker, then
questions, the chat-completions route, reports and summaries."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CAR_CLIP
from fastapi.testclient import TestClient
from service_helpers import Worker, fresh_redis, service_env

from pipeline import open_graph
from pipeline.settings import Settings
from vidgraph.api import create_app
from workers.jobs import Jobs

DB = 13
TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def api(tmp_path):
    redis_url = fresh_redis(DB)
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(CAR_CLIP, media / "car.mp4")
    (media / "notes.txt").write_text("not a video")
    settings = Settings(data_dir=tmp_path / "data", service={"redis_url": redis_url, "api_token": TOKEN,
                                                             "media_dir": media, "max_body_kb": 4})
    with TestClient(create_app(settings)) as client:
        client.settings = settings  # type: ignore[attr-defined]
        client.jobs = Jobs(redis_url)  # type: ignore[attr-defined]
        yield client


def _nothing_stored(client) -> None:
    assert client.jobs.recent() == [] and client.jobs.lives() == []
    assert not client.settings.graph_path.exists()


def test_the_api_refuses_to_start_without_a_token():
    with pytest.raises(ValueError, match="VIDGRAPH_SERVICE_API_TOKEN"):
        create_app(Settings(service={"api_token": None}))


def test_every_route_but_health_and_the_docs_needs_the_token(api):
    assert api.get("/health").status_code == 200
    for method, path in [("get", "/files"), ("post", "/files"), ("get", "/jobs/x"), ("post", "/ask"),
                         ("get", "/live-stream"), ("get", "/reports"), ("get", "/alerts"), ("get", "/docsx"),
                         ("get", "/docs/../files"), ("get", "/redoc"), ("post", "/v1/chat/completions")]:
        response = getattr(api, method)(path)
        assert response.status_code == 401, (method, path)
        assert response.json()["detail"] == "missing or wrong bearer token"
    assert api.get("/files", headers={"Authorization": "Bearer wrong"}).status_code == 401
    _nothing_stored(api)


def test_the_docs_open_without_the_token_from_local_assets_and_take_it_in_authorize(api):
    """Before: /docs needed the token (a browser cannot send one) and loaded Swagger UI from a CDN."""
    page = api.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(src.startswith("/docs/assets/") or src == "/openapi.json" for src in sources), sources
    assert "cdn" not in page.text and "https://" not in page.text.replace("https://fastapi.tiangolo.com", "")
    for src in sources:
        if src.startswith("/docs/assets/"):
            assert api.get(src).status_code == 200 and len(api.get(src).content) > 500, src
    document = api.get("/openapi.json").json()
    assert document["info"]["title"] == "vidgraph"
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "the server's VIDGRAPH_SERVICE_API_TOKEN"}
    assert document["paths"]["/ask"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/health"]["get"]


@pytest.mark.parametrize(
    "path, body, status, message",
    [
        ("/files", {"path": "../../etc/passwd"}, 403, "outside the media directory"),
        ("/files", {"path": "/etc/hostname"}, 403, "outside the media directory"),
        ("/files", {"path": "notes.txt"}, 422, "not a video"),
        ("/files", {"path": "missing.mp4"}, 422, "no such file"),
        ("/files", {"path": "car.mp4", "stream_id": "../x"}, 422, "invalid stream id"),
        ("/files", {"nope": 1}, 422, "Field required"),
        ("/live-stream", {"url": "file:///etc/passwd", "stream_id": "cam1"}, 422, "scheme must be one of"),
        ("/live-stream", {"url": "gopher://camera.local/1", "stream_id": "cam1"}, 422, "scheme must be one of"),
        ("/live-stream", {"url": "rtsp://127.0.0.1/1", "stream_id": "bad id!"}, 422, "invalid stream id"),
        ("/live-stream", {"url": "http://169.254.169.254/latest/meta-data", "stream_id": "cam1"}, 422,
         "never allowed"),
        ("/live-stream", {"url": "rtsp://8.8.8.8/cam", "stream_id": "cam1"}, 422, "ingest.allowed_hosts"),
        ("/ask", {"question": ""}, 422, "at least 1 character"),
        ("/reports", {"since": "forever"}, 422, "cannot read duration"),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_store_nothing(api, path, body, status, message):
    response = api.post(path, json=body, headers=AUTH)
    assert response.status_code == status
    assert message in str(response.json()["detail"])
    _nothing_stored(api)


@pytest.mark.parametrize("method, path, arg, status", [
    ("get", "/neighbourhood", {"stream": "car", "t": "nan"}, 422),
    ("get", "/neighbourhood", {"stream": "car", "t": "1e308"}, 422),
    ("get", "/neighbourhood", {"stream": "car", "t": "5", "window": "inf"}, 422),
    ("get", "/thumbnails", {"path": "a\x00b"}, 404),
    ("get", "/thumbnails", {"path": "x" * 5000}, 422),
    ("get", "/events", {"since": "9" * 41}, 422),
    ("post", "/files", {"path": "car.mp4", "start": 1e300}, 422),
    ("post", "/files", {"path": "car.mp4", "start": -5}, 422),
    ("post", "/files", {"path": "car\x00.mp4"}, 422),
    ("post", "/files", {"path": "x" * 300 + ".mp4"}, 422),
    ("post", "/reports", {"since": "nan"}, 422),
    ("post", "/reports", {"day": "next tuesday"}, 422),
    ("post", "/reports", {"day": "x" * 41}, 422),
])
def test_hostile_values_get_a_4xx_never_a_500(api, method, path, arg, status):
    response = api.get(path, params=arg, headers=AUTH) if method == "get" else api.post(path, json=arg, headers=AUTH)
    assert response.status_code == status, response.text
    assert str(api.settings.data_dir) not in response.text and "/tmp/" not in response.text
    _nothing_stored(api)


@pytest.mark.parametrize("name", ["%00", "report%00.pdf", "a" * 300 + ".pdf", "..%2F..%2Fgraph.lbdb", "..",
                                  "%5C..%5Cgraph.lbdb", "graph.lbdb"])
def test_a_report_name_that_is_no_report_is_a_404(api, name):
    """``/reports/%00`` was a 500 (the NUL reached the file system); a name no report can have is a 404, and only
    the files the listing shows are served."""
    api.settings.reports_dir.mkdir(parents=True)  # a folder of reports, and a file beside it
    (api.settings.data_dir / "graph.lbdb").write_text("not a report")
    response = api.get(f"/reports/{name}", headers=AUTH)
    assert response.status_code == 404 and "not a report" not in response.text, response.text


def test_non_json_numbers_and_server_paths_never_leak(api):
    for body in (b'{"question": NaN}', b'{"question": Infinity}'):
        response = api.post("/ask", content=body, headers={**AUTH, "content-type": "application/json"})
        assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "question"]
    nan_start = api.post("/files", content=b'{"path": "car.mp4", "start": NaN}',
                         headers={**AUTH, "content-type": "application/json"})
    assert nan_start.status_code == 422 and "finite" in nan_start.text
    missing = api.post("/files", json={"path": "missing.mp4"}, headers=AUTH)
    assert missing.status_code == 422 and missing.json()["detail"] == "missing.mp4: no such file"
    outside = api.post("/files", json={"path": "../x.mp4"}, headers=AUTH)
    assert outside.status_code == 403 and str(api.settings.service.media_dir) not in outside.text
    _nothing_stored(api)


def test_oversized_and_malformed_bodies(api):
    big = api.post("/ask", json={"question": "x" * 5000}, headers=AUTH)
    assert big.status_code == 413 and "over the 4096-byte limit" in big.json()["detail"]
    broken = api.post("/files", content=b'{"path": "car.mp4"', headers={**AUTH, "content-type": "application/json"})
    assert broken.status_code == 422 and "JSON" in str(broken.json()["detail"])
    _nothing_stored(api)


def test_a_file_job_through_a_worker_then_questions_reports_and_summaries(api, tmp_path):
    settings = api.settings
    env = service_env(settings.data_dir, settings.service.redis_url)
    worker = Worker("api-w", env, log=tmp_path / "worker.log")
    try:
        submitted = api.post("/files", json={"path": "car.mp4", "stream_id": "car"}, headers=AUTH)
        assert submitted.status_code == 202, submitted.text
        job_id = submitted.json()["job_id"]
        from workers.tasks import wait_for

        wait_for(job_id, settings, 120)
    finally:
        worker.stop()
    job = api.get(f"/jobs/{job_id}", headers=AUTH).json()
    assert job["status"] == "complete" and job["progress"] == 1.0 and job["chunks_written"] == 4
    answer = api.post("/ask", json={"question": "how many cars passed?"}, headers=AUTH).json()
    assert answer["value"] == 4 and len(answer["citations"]) == 4 and answer["citations"][0]["thumbnail"]
    chat = api.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "how many cars passed?"}]},
                    headers=AUTH).json()
    assert chat["object"] == "chat.completion" and chat["choices"][0]["message"]["content"].startswith("4 cars")
    assert len(chat["citations"]) == 4
    files = api.get("/files", headers=AUTH).json()
    assert [s["id"] for s in files["streams"]] == ["car"] and files["jobs"][0]["status"] == "complete"
    made = api.post("/reports", json={"format": "html"}, headers=AUTH)
    assert made.status_code == 201 and made.json()["incidents"] == 4
    listed = api.get("/reports", headers=AUTH).json()
    assert [r["name"] for r in listed] == [made.json()["name"]]
    page = api.get(made.json()["url"], headers=AUTH)
    assert page.status_code == 200 and "Incident report" in page.text
    assert api.get("/reports/..%2F..%2Fgraph.lbdb", headers=AUTH).status_code == 404
    digests = api.post("/summarize", json={"stream_id": "car"}, headers=AUTH).json()["summaries"]
    assert {d["scale"] for d in digests} == {300.0, 3600.0, 86400.0} and "4 cars" in digests[0]["text"]
    _scope_and_time_are_honoured(api)
    assert any((settings.thumbs_dir / "car").rglob("*.jpg"))
    assert api.delete("/files/car", headers=AUTH).json() == {"deleted": "car"}
    with open_graph(settings, read_only=True) as store:
        assert store.get_stream("car") is None
    assert not (settings.thumbs_dir / "car").exists()  # its pictures go with it, as `vidgraph forget` does


def test_a_stream_name_two_streams_share_is_a_conflict_not_a_missing_stream(api):
    """One clip analysed as two cameras: "people in worker-zone-detection" names both. It was a 404 (no such
    stream), though the stream exists twice; it is a 409 naming the ids to choose from, and each id answers."""
    from pipeline import analyze_file, open_graph

    clip = Path(CAR_CLIP).parent / "worker-zone-detection.gif"
    with open_graph(api.settings) as store:
        for stream in ("dock-a", "dock-b"):
            analyze_file(clip, api.settings, store, stream_id=stream)
    shared = api.post("/ask", json={"question": "how many people in worker-zone-detection?"}, headers=AUTH)
    assert shared.status_code == 409 and "dock-a, dock-b share" in shared.json()["detail"], shared.text
    one = api.post("/ask", json={"question": "how many people in dock-b?"}, headers=AUTH)
    assert one.status_code == 200 and one.json()["value"] == 1, one.text


def _scope_and_time_are_honoured(api):
    """Streams named in a request must exist (404), times read in the questions' grammar (422 when unreadable)."""
    unknown = api.post("/ask", json={"question": "how many cars passed?", "streams": ["nosuch"]}, headers=AUTH)
    assert unknown.status_code == 404 and "nosuch" in unknown.json()["detail"]
    named = api.post("/ask", json={"question": "how many cars passed in nosuch-cam?"}, headers=AUTH)
    assert named.status_code == 404 and "nosuch-cam" in named.json()["detail"]
    scoped = api.post("/ask", json={"question": "was there a red car?", "streams": ["car"]}, headers=AUTH).json()
    assert scoped["value"] is True and len(scoped["citations"]) == 1 and scoped["not_checked"] == []
    # a question with no words (only spaces or punctuation) got ranked evidence (200): it is refused as one line
    for blank in ("   ", "???"):
        refused = api.post("/ask", json={"question": blank}, headers=AUTH)
        assert refused.status_code == 422 and "no words" in refused.json()["detail"], refused.text
    hat = api.post("/ask", json={"question": "did a car honk its horn?"}, headers=AUTH).json()
    assert hat["supported"] is False and hat["not_checked"] == ["honk", "horn"]
    later = api.get("/entities", params={"since": "0:10"}, headers=AUTH).json()
    assert len(later) == 3 and all(e["last_seen"] >= 10 for e in later)
    window = api.get("/events", params={"stream": "car", "since": "10s", "until": "0:20"}, headers=AUTH).json()
    assert window and all(e["t1"] >= 10 and e["t0"] <= 20 for e in window)
    bad = api.get("/events", params={"since": "soonish"}, headers=AUTH)
    assert bad.status_code == 422 and "soonish" in bad.json()["detail"]
    for value in ("nan", "-6.9e16", "1e300", "inf"):  # none of these is a time; none reaches a query
        assert api.get("/events", params={"since": value}, headers=AUTH).status_code == 422, value
    assert api.get("/events", params={"stream": "nosuch"}, headers=AUTH).status_code == 404


def test_live_streams_are_registered_and_stopped(api):
    added = api.post("/live-stream", json={"url": "rtsp://127.0.0.1:9/cam", "stream_id": "dock-cam"}, headers=AUTH)
    assert added.status_code == 201
    again = api.post("/live-stream", json={"url": "rtsp://127.0.0.1:9/cam", "stream_id": "dock-cam"}, headers=AUTH)
    assert again.status_code == 409
    [live] = api.get("/live-stream", headers=AUTH).json()
    assert live["url"] == "rtsp://127.0.0.1:9/cam" and live["desired"] == "running"
    assert api.delete("/live-stream/dock-cam", headers=AUTH).json() == {"stopping": "dock-cam"}
    assert api.get("/live-stream", headers=AUTH).json()[0]["desired"] == "stopped"
    assert api.delete("/live-stream/nope", headers=AUTH).status_code == 404
    secret = api.post("/live-stream", json={"url": "rtsp://admin:s3cret@127.0.0.1:9/gate", "stream_id": "gate"},
                      headers=AUTH)
    assert secret.status_code == 201 and secret.json()["url"] == "rtsp://***@127.0.0.1:9/gate"
    shown = api.get("/live-stream", headers=AUTH)
    assert "s3cret" not in shown.text and "rtsp://***@127.0.0.1:9/gate" in shown.text


def test_an_unreachable_queue_is_a_503_that_says_so_and_keeps_nothing(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    shutil.copy(CAR_CLIP, media / "car.mp4")
    down = "redis://:hunter2@127.0.0.1:1/0"  # nothing listens on port 1
    settings = Settings(data_dir=tmp_path / "data", service={"redis_url": down, "api_token": TOKEN,
                                                             "media_dir": media})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        answers = [
            client.post("/files", json={"path": "car.mp4"}, headers=AUTH),
            client.get("/jobs/abc123", headers=AUTH),
            client.get("/files", headers=AUTH),
            client.post("/live-stream", json={"url": "rtsp://127.0.0.1:9/cam", "stream_id": "cam"}, headers=AUTH),
            client.get("/live-stream", headers=AUTH),
            client.post("/files/upload", files={"file": ("car.mp4", CAR_CLIP.read_bytes(), "video/mp4")},
                        headers=AUTH),
        ]
    for response in answers:
        assert response.status_code == 503, (response.request.url, response.text)
        assert "job queue at redis://***@127.0.0.1:1/0 is unreachable" in response.json()["detail"]
        assert "hunter2" not in response.text
    assert not list((media / "uploads").glob("*")), "a refused upload leaves nothing"
    assert not settings.graph_path.exists()


def test_the_cli_says_the_queue_is_down_in_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    exe = shutil.which("vidgraph", path=str(Path(sys.executable).parent)) or "vidgraph"
    env = {**os.environ, "VIDGRAPH_DATA_DIR": str(tmp_path),
           "VIDGRAPH_SERVICE_REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"}
    result = subprocess.run([exe, "submit", str(CAR_CLIP)], capture_output=True, text=True, env=env, timeout=120)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert "job queue at redis://***@127.0.0.1:1/0 is unreachable" in lines[0] and "hunter2" not in result.stderr


def test_a_chunked_upload_is_refused_while_it_arrives_not_after_spooling(tmp_path, monkeypatch):
    from tempfile import SpooledTemporaryFile

    import starlette.formparsers

    spooled = [0]

    class Counting(SpooledTemporaryFile):  # what the multipart parser writes to disk or memory
        def write(self, data):
            spooled[0] += len(data)
            return super().write(data)

    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", Counting)
    media = tmp_path / "media"
    media.mkdir()
    settings = Settings(data_dir=tmp_path / "data", service={"redis_url": fresh_redis(DB), "api_token": TOKEN,
                                                             "media_dir": media, "max_upload_mb": 1})

    def body():  # a generator: httpx sends it chunked, without a Content-Length
        yield b'--xx\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n' \
              b"Content-Type: video/mp4\r\n\r\n"
        for _ in range(16):
            yield b"\0" * (512 * 1024)
        yield b"\r\n--xx--\r\n"

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.post("/files/upload", content=body(),
                               headers={**AUTH, "content-type": "multipart/form-data; boundary=xx"})
    assert response.status_code == 413 and "1048576-byte limit" in response.json()["detail"], response.text
    assert spooled[0] <= 1024 * 1024, f"{spooled[0]:,} bytes spooled before the refusal"
    assert not (media / "uploads").exists() or not list((media / "uploads").iterdir())


def test_many_questions_at_once_all_get_answers(tmp_path):
    """Every request opens the embedded graph read-only; 40 at once used to exhaust the address space (each
    open reserved 8 TiB) and fail with 500s. Now at most a few open at a time, each reserving little."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline import analyze_file

    settings = Settings(data_dir=tmp_path / "data", service={"redis_url": fresh_redis(DB), "api_token": TOKEN,
                                                             "media_dir": tmp_path})
    with open_graph(settings) as store:
        analyze_file(CAR_CLIP, settings, store, stream_id="car")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        def one(_):
            return client.post("/ask", json={"question": "how many cars passed?"}, headers=AUTH)

        with ThreadPoolExecutor(48) as pool:
            answers = list(pool.map(one, range(96)))
    assert [a.status_code for a in answers] == [200] * 96
    assert {a.json()["value"] for a in answers} == {4}


def test_job_progress_moves_before_the_chunk_count_is_known(api):
    """The reader counts a file's chunks only at its end; until then progress follows the count its duration
    gives (before: 0.0 with chunks_total null until the job ended)."""
    job_id = api.jobs.create("file", path="car.mp4", stream_id="car")
    api.jobs.update(job_id, status="running", expected=4)
    seen = []
    for written in range(5):
        api.jobs.update(job_id, next=written)
        view = api.get(f"/jobs/{job_id}", headers=AUTH).json()
        seen.append((view["progress"], view["chunks_total"], view["chunks_expected"]))
    assert seen == [(0.0, None, 4), (0.25, None, 4), (0.5, None, 4), (0.75, None, 4), (0.99, None, 4)]
    api.jobs.update(job_id, total=5, next=5, status="complete")
    done = api.get(f"/jobs/{job_id}", headers=AUTH).json()
    assert (done["progress"], done["chunks_total"]) == (1.0, 5)


def test_a_split_jobs_progress_follows_what_its_parts_perceived(api):
    """A file split across workers is written in order, often only once its parts are done: its progress
    follows the chunks its parts perceived (before: 0 until the end with one-task workers)."""
    job_id = api.jobs.create("file", path="long.mp4", stream_id="long")
    api.jobs.update(job_id, status="running", expected=8, parts=2, part_chunks=4, warm_chunks=1)
    seen = []
    for k, idx in ((0, 0), (1, 3), (1, 4), (0, 1), (1, 5)):  # part 1's chunk 3 is its warm-up
        api.jobs.put_part_observation(job_id, k, idx, "{}", None, settled=False)
        seen.append(api.get(f"/jobs/{job_id}", headers=AUTH).json()["progress"])
    assert seen == [0.125, 0.125, 0.25, 0.375, 0.5]
