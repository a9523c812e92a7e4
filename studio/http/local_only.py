"""Checks for an app that answers without a key on a loopback address (`studio ui` without
`STUDIO_AUTH_TOKEN`, `studio serve` without an API key): the request must name a loopback host, which
defeats DNS rebinding (a foreign site's name resolved to 127.0.0.1), and a browser's state-changing
request must come from the app's own origin.

`extra_hosts` are further names to accept: tests pass `{"testserver"}` (Starlette's TestClient sends
`Host: testserver`); the studio itself never does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from studio.settings import is_loopback

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_host(request: Request) -> str:
    """The host name the request is addressed to (its `Host` header, without the port)."""
    try:
        return (urlsplit("//" + request.headers.get("host", "")).hostname or "").lower()
    except ValueError:  # "[nonsense" and the like
        return ""


def host_refusal(request: Request, extra_hosts: Iterable[str] = ()) -> str | None:
    """Why the request's host is refused (not loopback, nor one of `extra_hosts`), or None."""
    host = request_host(request)
    if is_loopback(host) or host in {h.lower() for h in extra_hosts}:
        return None
    return f"only requests addressed to 127.0.0.1, localhost or [::1] are answered, not to {host!r}"


def same_origin(request: Request) -> bool:
    """False when the browser says the request came from another origin (no header: not a browser)."""
    origin = request.headers.get("origin")
    if origin is None:
        referer = request.headers.get("referer")
        if referer is None:
            return True
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    return origin.lower() == f"{request.url.scheme}://{request.headers.get('host', '')}".lower()


Respond = Callable[[Request, int, str], Response]


class LocalOnlyMiddleware:
    """Refuses (`respond(request, status, message)`) a request to another host (400) or a browser's
    cross-site state-changing request (403)."""

    def __init__(self, app: ASGIApp, respond: Respond, extra_hosts: Iterable[str] = ()) -> None:
        self.app, self.respond, self.extra_hosts = app, respond, frozenset(extra_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refused = host_refusal(request, self.extra_hosts)
        if refused is not None:
            await self.respond(request, 400, f"No API key is set, so {refused}.")(scope, receive, send)
            return
        if request.method not in SAFE_METHODS and not same_origin(request):
            await self.respond(request, 403, "Cross-site request refused.")(scope, receive, send)
            return
        await self.app(scope, receive, send)


__all__ = ["LocalOnlyMiddleware", "SAFE_METHODS", "host_refusal", "request_host", "same_origin"]
