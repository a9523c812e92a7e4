"""Who may use the studio, and protection against requests forged by other sites.

Two modes, chosen by `STUDIO_AUTH_TOKEN`:

- **No token** (only allowed on a loopback address; `Settings` refuses anything else): single-user
  local use, no sign-in. Requests must name a loopback host (`Host: 127.0.0.1:8081`, `localhost`), which
  defeats DNS rebinding, and state-changing requests (POST, PUT, PATCH, DELETE) that a browser marks
  with an `Origin` (or `Referer`) must come from the studio's own origin. Scripts and `curl`, which
  send neither header, are let through: no other site can make a browser omit them.
- **Token**: every page and API call needs a signed-in session (from `/login`) or the header
  `Authorization: Bearer <token>`. State-changing requests on a session also need its CSRF token,
  sent by htmx in the `X-CSRF-Token` header (`hx-headers` on `<body>`) or by plain forms in a
  `csrf_token` field. Bearer requests carry no ambient credentials, so they need none.

Every response also forbids framing (clickjacking) and MIME sniffing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Container, Iterable
from urllib.parse import quote, urlsplit

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studio.http.local_only import SAFE_METHODS, host_refusal, same_origin
from studio.settings import Settings

CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
LOGIN_PATH = "/login"
API_DOCS_PATH = "/api/docs"  # a page for people, although under /api
PUBLIC_PATHS = frozenset({LOGIN_PATH})
PUBLIC_PREFIXES = ("/static/",)
_SECURITY_HEADERS = (
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


def csrf_token(request: HTTPConnection) -> str:
    """This session's CSRF token, created on first use ("" when there is no session)."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def token_matches(settings: Settings, given: str) -> bool:
    """Constant-time check of a presented token against `STUDIO_AUTH_TOKEN`."""
    if settings.auth_token is None:
        return False
    return hmac.compare_digest(given.encode(), settings.auth_token.get_secret_value().encode())


def session_mark(settings: Settings, secret: str) -> str:
    """What a signed-in session stores: tied to the token, so changing the token signs everyone out."""
    token = settings.auth_token.get_secret_value() if settings.auth_token else ""
    return hmac.new(secret.encode(), b"signed-in:" + token.encode(), hashlib.sha256).hexdigest()


def sign_in(request: Request) -> None:
    """Start a fresh signed-in session (a new session id and CSRF token: no fixation)."""
    request.session.clear()
    request.session["auth"] = request.app.state.session_mark
    request.session["sid"] = secrets.token_urlsafe(18)
    csrf_token(request)


def sign_out(request: Request) -> None:
    """End the session for good: its id is revoked, so a copy of the cookie no longer signs in."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        request.app.state.revoked_sessions.revoke(sid, getattr(request.app.state, "engine", None))
    request.session.clear()


def safe_next(url: str | None) -> str:
    """A local path to return to after signing in; anything else becomes `/`."""
    # Browsers drop tabs and newlines and read `\` as `/`: "/\t/x.example" would leave the site.
    if not url or not url.startswith("/") or any(c == "\\" or ord(c) < 0x20 for c in url) or url.startswith("//"):
        return "/"
    return url


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: a session's state-changing request must carry its CSRF token."""
    if request.method in SAFE_METHODS or request.app.state.settings.auth_token is None:
        return
    if request.state.auth == "bearer":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        # The form is parsed once per request: allow fields as large as any body we accept (a pasted team).
        limit = request.app.state.settings.max_body_bytes
        value = (await request.form(max_part_size=limit)).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf") if "session" in request.scope else None
    if not (sent and expected and hmac.compare_digest(sent.encode(), expected.encode())):
        raise HTTPException(
            403, "This request was refused: its CSRF token is missing or out of date. Reload the page and try again."
        )


class GuardMiddleware:
    """Checks host, origin and sign-in before the app sees a request; adds the security headers."""

    def __init__(self, app: ASGIApp, settings: Settings, session_mark: str, extra_hosts: Iterable[str] = (),
                 revoked: Container[str] = frozenset()) -> None:
        self.app = app
        self.revoked = revoked  # ids of signed-out sessions (`login_security.RevokedSessions`)
        self.settings = settings
        self.session_mark = session_mark
        self.extra_hosts = tuple(extra_hosts)  # tests: {"testserver"} (see `studio.http.local_only`)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._check(request, scope)
        if refusal is not None:
            await refusal(scope, receive, _with_security_headers(send))
            return
        await self.app(scope, receive, _with_security_headers(send))

    def _check(self, request: Request, scope: Scope) -> Response | None:
        """A refusal, or None to let the request in (with `request.state.auth` set: see `_authenticate`)."""
        state = scope.setdefault("state", {})
        state["auth"] = None
        if self.settings.auth_token is None:
            return self._check_local(request)
        refused = self._check_bearer_limit(request)
        if refused is not None:
            return refused
        via = state["auth"] = self._authenticate(request)
        path = request.url.path
        if via is None and path not in PUBLIC_PATHS and not path.startswith(PUBLIC_PREFIXES):
            return _sign_in_needed(request)
        return None

    def _check_bearer_limit(self, request: Request) -> Response | None:
        """Wrong bearer tokens count like wrong sign-ins (`login_security.LoginLimiter`): a 429 while locked."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        limiter = getattr(request.app.state, "login_limiter", None)
        if scheme.lower() != "bearer" or limiter is None:
            return None
        from .errors import error_response
        from .login_security import client_key

        client = client_key(request)
        wait = limiter.wait_seconds(client)
        if wait:
            return error_response(request, 429, f"Too many wrong tokens. Try again in {wait} seconds.",
                                  headers={"Retry-After": str(wait)})
        if token_matches(self.settings, given.strip()):
            limiter.succeeded(client)
        else:
            limiter.failed(client)
        return None

    def _check_local(self, request: Request) -> Response | None:
        from .errors import error_response

        refused = host_refusal(request, (*self.extra_hosts, self.settings.host))
        if refused is not None:
            return error_response(request, 400, f"Studio runs without STUDIO_AUTH_TOKEN, so {refused}.")
        if request.method not in SAFE_METHODS and not same_origin(request):
            return error_response(request, 403, "Cross-site request refused: it did not come from a Studio page.")
        return None

    def _authenticate(self, request: Request) -> str | None:
        """How the request proved who it is: "bearer", "session", or None."""
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token_matches(self.settings, credentials.strip()):
            return "bearer"
        mark, sid = request.session.get("auth"), request.session.get("sid")
        if isinstance(mark, str) and hmac.compare_digest(mark.encode(), self.session_mark.encode()) \
                and isinstance(sid, str) and sid not in self.revoked:
            return "session"
        return None


def _sign_in_needed(request: Request) -> Response:
    from .errors import error_response, wants_json
    from .templating import is_htmx

    if wants_json(request) and request.url.path != API_DOCS_PATH:
        return error_response(
            request, 401, "Sign-in needed: send the header `Authorization: Bearer <STUDIO_AUTH_TOKEN>`.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if is_htmx(request):
        current = urlsplit(request.headers.get("hx-current-url", ""))
        back = current.path + (f"?{current.query}" if current.query else "")
        return Response(status_code=401, headers={"HX-Redirect": _login_url(back)})
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(_login_url(back if request.method in SAFE_METHODS else None), status_code=303)


def _login_url(next_path: str | None) -> str:
    next_path = safe_next(next_path)
    return LOGIN_PATH if next_path == "/" else f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in _SECURITY_HEADERS:
                headers.setdefault(name, value)
        await send(message)

    return wrapped


__all__ = [
    "API_DOCS_PATH",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "GuardMiddleware",
    "csrf_token",
    "safe_next",
    "session_mark",
    "sign_in",
    "sign_out",
    "token_matches",
    "verify_csrf",
]
