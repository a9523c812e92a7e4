"""Fetching a JSON file from a URL someone typed (services/url_fetch.py): one message for every failure (no port
oracle), no loopback or private addresses (redirects checked again), one deadline for the whole download, a
size limit, and a bound on downloads at once."""

from __future__ import annotations

import json
import socket
import threading
from urllib.parse import urlsplit

import pytest

from studio.services import galleries, url_fetch
from studio.services.errors import GalleryFetchError, PayloadTooLargeError
from tests.support.file_server import file_server
from tests.support.waits import wait_until


def test_fetch_gallery_failures_all_say_the_same(http_server: str) -> None:
    """A missing file, a slow answer, a page that is not JSON, a closed port: one message (no port oracle)."""
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    messages = set()
    for url, timeout in [(f"{http_server}/missing.json", 5.0), (f"{http_server}/slow", 0.05),
                         (f"{http_server}/page.html", 5.0), (f"http://127.0.0.1:{closed_port}/g.json", 5.0)]:
        with pytest.raises(GalleryFetchError) as raised:
            galleries.fetch_gallery(url, timeout=timeout, allow_private=True)
        messages.add(str(raised.value).replace(url, "URL").replace(f"{timeout:g} seconds", "N seconds"))
    assert messages == {"No gallery file could be fetched from URL: the address must answer with a JSON file "
                        "within N seconds."}
    with pytest.raises(PayloadTooLargeError, match="too large"):
        galleries.fetch_gallery(f"{http_server}/big.json", max_bytes=1000, allow_private=True)
    for url in ("file:///etc/passwd", "ftp://example.com/g.json", "not a url", "http://[::1/x"):
        with pytest.raises(GalleryFetchError, match="Only http:// and https://"):
            galleries.fetch_gallery(url)


def test_fetch_gallery_refuses_loopback_and_private_addresses_unless_allowed(http_server: str) -> None:
    for url in (f"{http_server}/gallery.json", "http://localhost:1/g.json", "http://[::1]:1/g.json",
                "http://10.0.0.1/g.json", "http://169.254.169.254/latest/meta-data", "http://[::ffff:127.0.0.1]/g",
                "http://0.0.0.0:1/g.json", "http://100.64.0.1/g.json"):
        with pytest.raises(GalleryFetchError, match="on this machine or a private network.*"
                                                    "STUDIO_GALLERY_ALLOW_PRIVATE_URLS=true"):
            galleries.fetch_gallery(url)
    assert galleries.fetch_gallery(f"{http_server}/gallery.json", allow_private=True)
    assert url_fetch.is_public("93.184.215.14") and not url_fetch.is_public("fe80::1%eth0")


def test_a_redirect_to_a_private_address_is_refused() -> None:
    # an allowed first hop (as a public host would be) redirecting inside is checked again
    with (file_server({}, redirects={"/go": "http://127.0.0.1:1/inside.json"}) as url,
          pytest.raises(GalleryFetchError, match="on this machine or a private network")):
        _fetch_with_first_hop_allowed(f"{url}/go")
    with file_server({"/g.json": (200, b"{}")}, redirects={"/go": "/g.json"}) as url:
        assert galleries.fetch_gallery(f"{url}/go", allow_private=True) == b"{}"


def _fetch_with_first_hop_allowed(url: str) -> bytes:
    """`fetch_json` with only `url`'s own address let through (standing in for a public server)."""
    first = urlsplit(url)
    real = url_fetch.check_address

    def check(host: str, port: int, *, allow_private: bool) -> list[str]:
        return real(host, port, allow_private=allow_private or (host, port) == (first.hostname, first.port))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(url_fetch, "check_address", check)
        return url_fetch.fetch_json(url, timeout=5, max_bytes=1000, allow_private=False)


def test_one_deadline_for_the_whole_download() -> None:
    """A server dripping a byte every 50 ms (40 s for the file) is cut off at the deadline, not per read."""
    log: list[str] = []
    body = json.dumps({"items": "x" * 800}).encode()
    with file_server({"/drip.json": (200, body)}, drip={"/drip.json": 0.05}, log=log) as url:
        with pytest.raises(GalleryFetchError, match="within 0.5 seconds"):
            galleries.fetch_gallery(f"{url}/drip.json", timeout=0.5, allow_private=True)
        wait_until(lambda: log)  # the server notices the closed connection at its next byte or two
    assert log == ["/drip.json cut off"]


def test_downloads_at_once_are_bounded(http_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(url_fetch, "_SLOTS", threading.BoundedSemaphore(1))
    url_fetch._SLOTS.acquire()  # one download under way, the most allowed here
    with pytest.raises(GalleryFetchError, match="downloads are already under way"):
        galleries.fetch_gallery(f"{http_server}/gallery.json", allow_private=True)
    url_fetch._SLOTS.release()
    assert galleries.fetch_gallery(f"{http_server}/gallery.json", allow_private=True)


def test_a_body_over_the_limit_without_a_length_is_cut_off() -> None:
    with (file_server({"/big.json": (200, b"[" + b"1," * 50_000 + b"1]")}, unsized=frozenset({"/big.json"})) as url,
          pytest.raises(PayloadTooLargeError, match="too large")):
        galleries.fetch_gallery(f"{url}/big.json", max_bytes=10_000, allow_private=True)
