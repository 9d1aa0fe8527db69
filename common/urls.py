"""Outbound addresses a user supplies (live stream URLs): which ones the service may open, and how they are shown.

The policy, checked wherever a stream URL comes in (API, CLI, dashboard, and again by the worker that opens it):

- the scheme is one a camera speaks (``SCHEMES``);
- every address the host resolves to is checked; link-local (169.254.0.0/16, fe80::/10, where cloud metadata
  services answer), unspecified, multicast, broadcast and reserved addresses are **always refused**, and so are
  the metadata host names, whatever an allow-list says;
- private networks (10/8, 172.16/12, 192.168/16, fc00::/7) and loopback are **allowed by default**: cameras sit
  on the site's network, and a camera proxy (mediamtx, go2rtc) often runs on the same machine. Any other host
  (the public internet) is refused unless the site lists it, or a network holding it, in
  ``ingest.allowed_hosts`` (``VIDGRAPH_INGEST__ALLOWED_HOSTS='["cams.example.com", "203.0.113.0/24"]'``).

The check resolves the host once; FFmpeg resolves it again when it connects, so a DNS name that changes its
answer in between (rebinding) is not caught here: sites that need that guarantee list IP addresses.

Credentials in a URL (``rtsp://user:secret@cam/``) are needed to connect and are kept only where the worker
reads them; everything shown or logged goes through :func:`redact`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

SCHEMES = ("rtsp", "rtsps", "rtmp", "rtmps", "http", "https")
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"})
_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(ValueError):
    """A stream URL the policy does not allow; the message names why (never the credentials)."""


def redact(text: str) -> str:
    """``text`` with the user and password of every URL in it replaced: ``rtsp://***@cam/1``."""
    return _CREDENTIALS.sub(r"\1***@", text)


def check_stream_url(url: str, allowed: Sequence[str] = (), resolve: bool = True) -> str:
    """The URL if the policy allows it (module docstring), else :class:`UrlRefused`."""
    if "\x00" in url or any(c.isspace() for c in url):
        raise UrlRefused("stream URL contains whitespace or a NUL byte")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UrlRefused(f"stream URL scheme must be one of {', '.join(SCHEMES)}, not {scheme or 'none'!r}")
    try:
        host, _ = parts.hostname, parts.port  # .port raises on a malformed port
    except ValueError as err:
        raise UrlRefused(f"stream URL {redact(url)!r} is malformed: {err}") from None
    if not host:
        raise UrlRefused(f"stream URL {redact(url)!r} names no host")
    host = host.rstrip(".").lower()
    if host in METADATA_HOSTS:
        raise UrlRefused(f"stream host {host} is a cloud metadata service: never allowed")
    for address in _addresses(host, resolve):
        _check_address(host, address, allowed)
    return url


def _addresses(host: str, resolve: bool) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    if not resolve:
        return []
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as err:
        raise UrlRefused(f"stream host {host} does not resolve ({err})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


_NEVER = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",  # this network, link-local, multicast, reserved
    "::/128", "fe80::/10", "ff00::/8", "fd00:ec2::254/128",  # unspecified, link-local, multicast, AWS metadata
))
SITE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128",
))


def _check_address(host: str, address: Address, allowed: Sequence[str]) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    shown = host if host == str(address) else f"{host} ({address})"
    if any(address in net for net in _NEVER):
        raise UrlRefused(f"stream host {shown} is a link-local, metadata, multicast or reserved address: "
                         "never allowed")
    if any(address in net for net in SITE_NETWORKS):
        return
    if not any(_allows(entry, host, address) for entry in allowed):
        raise UrlRefused(f"stream host {shown} is outside the site's networks; add it to ingest.allowed_hosts "
                         "to allow it")


def _allows(entry: str, host: str, address: Address) -> bool:
    entry = entry.strip().lower()
    try:
        return address in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return entry.rstrip(".") == host
