"""Fetch a JSON file from a URL someone typed or pasted, without letting the URL reach inside.

    body = fetch_json(url, timeout=10, max_bytes=5_000_000, allow_private=False)

- One deadline for the whole download (resolving, connecting, redirects, headers, body): a server that
  drips a byte at a time is cut off when it passes, not after `timeout` per read.
- At most `max_bytes` of body (`PayloadTooLargeError`).
- The host is resolved first and every address it has is checked: loopback, private, link-local,
  shared, reserved, multicast and unspecified addresses are refused unless `allow_private` (setting
  `STUDIO_GALLERY_ALLOW_PRIVATE_URLS`). The connection goes to the checked address (no second lookup
  for the name to change in between), and each redirect is checked the same way.
- At most `MAX_AT_ONCE` downloads run at once (the others are refused), so slow servers cannot take every
  worker thread of the studio.
- Every failure past that check (refused, reset, timed out, an error status, not JSON) gives one and the
  same message, so the answers say nothing about which ports of a host are open.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from .errors import GalleryFetchError, PayloadTooLargeError

MAX_REDIRECTS = 5
MAX_AT_ONCE = 4
"""Downloads running at once; more are refused at once, so slow servers cannot take every worker thread."""
_SLOTS = threading.BoundedSemaphore(MAX_AT_ONCE)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
PRIVATE_SETTING = "STUDIO_GALLERY_ALLOW_PRIVATE_URLS"


class _Failed(Exception):
    """Any failure after the address check: reported with the one message."""


def fetch_json(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> bytes:
    """The body at an http(s) URL, checked to be JSON; `GalleryFetchError` or `PayloadTooLargeError`."""
    if not _SLOTS.acquire(blocking=False):
        raise GalleryFetchError(f"{MAX_AT_ONCE} downloads are already under way: try again when they are done.")
    try:
        return _fetch(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    finally:
        _SLOTS.release()


def _fetch(url: str, *, timeout: float, max_bytes: int, allow_private: bool) -> bytes:
    deadline = time.monotonic() + timeout
    current = url.strip()
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location, body = _get(current, deadline, max_bytes, allow_private)
            if status in _REDIRECTS and location:
                try:
                    current = urljoin(current, location)
                except ValueError:
                    raise _Failed from None
                continue
            if status != 200:
                raise _Failed
            try:
                json.loads(body.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError):
                raise _Failed from None
            return body
        raise _Failed
    except _Failed:
        raise GalleryFetchError(
            f"No gallery file could be fetched from {url.strip()}: the address must answer with a JSON file "
            f"within {timeout:g} seconds.") from None


def check_address(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses of `host`, all checked; `GalleryFetchError` when any is not a public one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _Failed from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise GalleryFetchError(
                    f"{host} is not fetched: it is on this machine or a private network ({address}). Set "
                    f"{PRIVATE_SETTING}=true to allow such addresses.")
    return addresses


def is_public(address: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local, reserved...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _get(url: str, deadline: float, max_bytes: int, allow_private: bool) -> tuple[int, str, bytes]:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # "http://[::1/x", a port that is not a number
        parts, port = None, 0
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise GalleryFetchError(f"Only http:// and https:// addresses can be fetched, not {url!r}.")
    addresses = check_address(parts.hostname, port, allow_private=allow_private)
    connection = _connection(parts.scheme, parts.hostname, port, addresses, deadline)
    # The deadline covers every read: when it passes, the socket is shut and the read in progress ends.
    timer = threading.Timer(max(deadline - time.monotonic(), 0), _shut, args=(connection,))
    timer.start()
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Accept": "application/json", "User-Agent": "studio"})
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise PayloadTooLargeError(int(declared), max_bytes)
        body = bytearray()
        while chunk := response.read1(65536):
            body += chunk
            if len(body) > max_bytes:
                raise PayloadTooLargeError(len(body), max_bytes)
            if time.monotonic() > deadline:
                raise _Failed
        if time.monotonic() > deadline:
            raise _Failed
        return response.status, response.getheader("Location") or "", bytes(body)
    except (OSError, http.client.HTTPException, ValueError):
        raise _Failed from None
    finally:
        timer.cancel()
        connection.close()


def _connection(scheme: str, host: str, port: int, addresses: list[str], deadline: float) -> http.client.HTTPConnection:
    """An HTTP(S) connection to `host` that connects to one of the checked `addresses`, never to a new lookup."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Failed
    base = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection

    class Pinned(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            error: OSError | None = None
            for address in addresses:
                try:
                    sock = socket.create_connection((address, port), timeout=max(deadline - time.monotonic(), 0.001))
                    break
                except OSError as exc:
                    error = exc
            else:
                raise error or OSError("no address")
            if scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
            self.sock = sock

    return Pinned(host, port, timeout=remaining)


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


__all__ = ["MAX_AT_ONCE", "MAX_REDIRECTS", "PRIVATE_SETTING", "check_address", "fetch_json", "is_public"]
