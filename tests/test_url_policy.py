"""The outbound policy for stream URLs (common.urls): what the service may be made to open, and what it shows."""

from __future__ import annotations

import pytest

from common.urls import UrlRefused, check_service_url, check_stream_url, redact


@pytest.mark.parametrize("url", [
    "rtsp://127.0.0.1:8554/cam", "rtsp://localhost:8554/cam", "rtsp://[::1]:8554/cam",  # a proxy on this machine
    "rtsp://10.1.2.3/stream1", "rtsps://172.20.0.9/x", "http://192.168.1.64/hls/index.m3u8", "rtsp://[fd12::5]/x",
    "rtsp://admin:secret@192.168.1.64:554/Streaming/Channels/101",
])
def test_the_site_network_is_allowed_by_default(url):
    assert check_stream_url(url) == url


@pytest.mark.parametrize("url, words", [
    ("http://169.254.169.254/latest/meta-data/", "never allowed"),
    ("http://[fd00:ec2::254]/latest/", "never allowed"),
    ("http://[::ffff:169.254.169.254]/", "never allowed"),
    ("http://2852039166/latest/", "never allowed"),  # 169.254.169.254 written as one number
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata service"),
    ("rtsp://[fe80::1]/x", "never allowed"), ("rtsp://0.0.0.0:554/x", "never allowed"),
    ("rtsp://224.0.0.1/x", "never allowed"),
    ("rtsp://8.8.8.8/x", "outside the site's networks"), ("rtsp://1.1.1.1:554/x", "outside the site's networks"),
    ("file:///etc/passwd", "scheme must be one of"), ("gopher://10.0.0.1/", "scheme must be one of"),
    ("rtsp://10.0.0.1:99999/x", "malformed"), ("rtsp:///x", "names no host"),
    ("rtsp://10.0.0.1/x\x00y", "NUL"), ("rtsp://host.invalid/x", "does not resolve"),
])
def test_refused_urls_say_why(url, words):
    with pytest.raises(UrlRefused, match=words):
        check_stream_url(url)


def test_an_allow_list_opens_public_hosts_but_never_metadata():
    assert check_stream_url("rtsp://8.8.8.8/x", ["8.8.0.0/16"])
    assert check_stream_url("rtsp://8.8.8.8/x", ["8.8.8.8"])
    with pytest.raises(UrlRefused, match="outside"):
        check_stream_url("rtsp://1.1.1.1/x", ["8.8.0.0/16"])
    with pytest.raises(UrlRefused, match="never allowed"):
        check_stream_url("http://169.254.169.254/", ["0.0.0.0/0", "169.254.169.254"])


def test_credentials_never_shown():
    assert redact("rtsp://admin:s3cret@10.0.0.5/stream") == "rtsp://***@10.0.0.5/stream"
    assert redact("failed: http://u@h/x and rtsps://a:b@c:1/ d") == "failed: http://***@h/x and rtsps://***@c:1/ d"
    assert redact("rtsp://cam/x") == "rtsp://cam/x"
    with pytest.raises(UrlRefused) as refused:
        check_stream_url("rtsp://admin:s3cret@10.0.0.5:70000/x")
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/v1", "http://localhost:11434/v1", "http://vllm:8000/v1",  # a server here or in compose
    "https://hooks.example.com/services/T0/B0/x", "http://10.0.0.7/hook", "https://8.8.8.8/hook",
])
def test_endpoints_and_webhooks_may_be_anywhere_but_metadata_and_link_local(url):
    assert check_service_url(url, "alert webhook", resolve=False) == url


@pytest.mark.parametrize("url, words", [
    ("http://169.254.169.254/latest/meta-data/iam/", "alert webhook host 169.254.169.254 is a link-local"),
    ("http://[::ffff:169.254.169.254]/", "never allowed"), ("http://metadata/computeMetadata/v1/", "metadata"),
    ("file:///etc/passwd", "scheme must be one of http, https"), ("rtsp://10.0.0.1/x", "scheme must be one of"),
    ("http://0.0.0.0:8000/", "never allowed"), ("http:///x", "names no host"),
])
def test_endpoints_and_webhooks_refused_say_why(url, words):
    with pytest.raises(UrlRefused, match=words):
        check_service_url(url, "alert webhook")


@pytest.mark.parametrize(("key", "value"), [
    ("VIDGRAPH_ALERTS_WEBHOOK_URL", "http://user:pw@169.254.169.254/x"),
    ("VIDGRAPH_LLM_BASE_URL", "http://metadata.google.internal/v1"),
    ("VIDGRAPH_VLM_BASE_URL", "file:///etc/passwd"),
])
def test_settings_naming_a_refused_address_stop_in_one_line_without_the_secret(tmp_path, monkeypatch, key, value):
    """The alert webhook, the endpoints and report webhooks were POSTed to whatever the settings named (a cloud
    metadata address included); now the settings are refused where they are read, in one line, exit 2."""
    from conftest import run_cli

    monkeypatch.setenv(key, value)
    if "VLM" in key:
        monkeypatch.setenv("VIDGRAPH_VLM_BACKEND", "openai")
    done = run_cli("status", data_dir=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "bad setting" in done.stderr and ("never allowed" in done.stderr or "scheme must be" in done.stderr)
    assert "pw@" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_webhook_whose_name_resolves_to_metadata_is_refused_when_called(monkeypatch):
    """A host name passes the settings' check (unresolved); where it is called it is resolved, and an address no
    service lives at fails the delivery with the reason instead of being posted to."""
    import socket

    from alerts.delivery import WebhookNotifier

    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, 1, 6, "", ("169.254.169.254", 0))])
    notifier = WebhookNotifier("http://hooks.example.com/x", max_retries=0)
    notifier.submit([{"id": "a1", "rule": "r"}])
    [delivery] = notifier.close(timeout_s=10)
    assert delivery["delivered"] == "failed" and delivery["attempts"] == 0
    assert "hooks.example.com (169.254.169.254) is a link-local" in delivery["error"]
