"""Outbound addresses a user supplies: which ones the service may open, and how they are shown.

Live stream URLs (:func:`check_stream_url`), checked wherever one comes in (API, CLI, dashboard, and again by the
worker that opens it):

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

Service addresses the settings name (:func:`check_service_url`: the VLM and LLM endpoints, the alert webhook,
a report schedule's webhook), checked when the settings are read and again, resolved, when they are called:
``http`` or ``https``, and never a link-local, metadata, multicast or reserved address. Loopback, private and
public hosts are all allowed: a model server on this machine, a webhook receiver on the site or on the internet.

Credentials in a URL (``rtsp://user:secret@cam/``) are needed to connect and are kept only where the worker
reads them; everything shown or logged goes through :func:`redact`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

from pydantic import AfterValidator

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
    host = _host(url, "stream", SCHEMES)
    for address in _addresses(host, resolve, "stream"):
        _check_address(host, address, allowed)
    return url


def check_service_url(url: str, what: str, resolve: bool = True) -> str:
    """The URL of an endpoint or webhook (``what`` names it in the reason) if the policy allows it (module
    docstring), else :class:`UrlRefused`. With ``resolve``, a host that does not resolve passes: calling it
    fails as it would have, with its own error."""
    host = _host(url, what, ("http", "https"))
    try:
        addresses = _addresses(host, resolve, what)
    except UrlRefused:
        return url
    for address in addresses:
        _never(f"{what} host", host, address)
    return url


def service_url(what: str) -> AfterValidator:
    """A settings field's check (``Annotated[str | None, service_url("alert webhook")]``): the policy, without
    resolving the host (the settings are read before the network is needed)."""
    return AfterValidator(lambda url: url if url is None else check_service_url(url, what, resolve=False))


def _host(url: str, what: str, schemes: Sequence[str]) -> str:
    """The URL's host, lower case, once its form and scheme pass and it is not a metadata host name."""
    if "\x00" in url or any(c.isspace() for c in url):
        raise UrlRefused(f"{what} URL contains whitespace or a NUL byte")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise UrlRefused(f"{what} URL scheme must be one of {', '.join(schemes)}, not {scheme or 'none'!r}")
    try:
        host, _ = parts.hostname, parts.port  # .port raises on a malformed port
    except ValueError as err:
        raise UrlRefused(f"{what} URL {redact(url)!r} is malformed: {err}") from None
    if not host:
        raise UrlRefused(f"{what} URL {redact(url)!r} names no host")
    host = host.rstrip(".").lower()
    if host in METADATA_HOSTS:
        raise UrlRefused(f"{what} host {host} is a cloud metadata service: never allowed")
    return host


def _addresses(host: str, resolve: bool, what: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    if not resolve:
        return []
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as err:
        raise UrlRefused(f"{what} host {host} does not resolve ({err})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


_NEVER = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4",  # this network, link-local, multicast, reserved
    "::/128", "fe80::/10", "ff00::/8", "fd00:ec2::254/128",  # unspecified, link-local, multicast, AWS metadata
))
SITE_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "fc00::/7", "::1/128",
))


def _never(what: str, host: str, address: Address) -> Address:
    """The address (an IPv4-mapped one as IPv4), unless it is one no service of ours lives at."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in net for net in _NEVER):
        shown = host if host == str(address) else f"{host} ({address})"
        raise UrlRefused(f"{what} {shown} is a link-local, metadata, multicast or reserved address: never allowed")
    return address


def _check_address(host: str, address: Address, allowed: Sequence[str]) -> None:
    address = _never("stream host", host, address)
    shown = host if host == str(address) else f"{host} ({address})"
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
