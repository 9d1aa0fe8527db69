"""The outbound policy for stream URLs (common.urls): what the service may be made to open, and what it shows."""

from __future__ import annotations

import pytest

from common.urls import UrlRefused, check_stream_url, redact


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
