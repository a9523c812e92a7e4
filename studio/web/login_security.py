"""Sign-in hardening: wrong tokens are rate-limited per client, signing out revokes the session for good,
and the session cookie is `Secure` when the studio is reached over https.

- `LoginLimiter`: `FREE_FAILURES` wrong tokens, then the client must wait 1 s, 2 s, 4 s... (at most
  `MAX_LOCK_SECONDS`) after each further one; meanwhile `/login` answers 429 without checking the token. A
  right token forgets the client's failures. The clock is injected (tests pass their own).
- `RevokedSessions`: every signed-in session has an id (`sid`, in the signed cookie); signing out adds it
  here (kept in the database until the cookie would have expired), so a copy of the old cookie no longer
  signs in, even after a restart.
- `SecureCookieMiddleware`: adds `Secure` to the cookies of a request that came over https: its own scheme,
  or `X-Forwarded-Proto: https` when `STUDIO_TRUST_PROXY_HEADERS` says a reverse proxy sets it.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studio.store import get_setting, session, set_setting

Clock = Callable[[], float]

FREE_FAILURES = 5
MAX_LOCK_SECONDS = 15 * 60
FORGET_AFTER_SECONDS = 60 * 60
MAX_CLIENTS = 10_000
REVOKED_KEY = "auth.revoked_sessions"


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0
    last: float = 0.0


class LoginLimiter:
    """Wrong-token counts per client (an address), in memory: a restart starts afresh."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self._clients: OrderedDict[str, _Failures] = OrderedDict()

    def wait_seconds(self, client: str) -> int:
        """Whole seconds until `client` may try a token again (0: now)."""
        entry = self._entry(client, create=False)
        return 0 if entry is None else max(0, math.ceil(entry.locked_until - self.clock()))

    def failed(self, client: str) -> None:
        entry = self._entry(client, create=True)
        assert entry is not None
        now = self.clock()
        entry.count += 1
        entry.last = now
        if entry.count >= FREE_FAILURES:
            entry.locked_until = now + min(2.0 ** (entry.count - FREE_FAILURES), MAX_LOCK_SECONDS)

    def succeeded(self, client: str) -> None:
        self._clients.pop(client, None)

    def _entry(self, client: str, *, create: bool) -> _Failures | None:
        now = self.clock()
        entry = self._clients.get(client)
        if entry is not None and now - entry.last > FORGET_AFTER_SECONDS and now >= entry.locked_until:
            del self._clients[client]
            entry = None
        if entry is None and create:
            entry = self._clients[client] = _Failures(last=now)
            while len(self._clients) > MAX_CLIENTS:
                self._clients.popitem(last=False)
        if entry is not None:
            self._clients.move_to_end(client)
        return entry


def client_key(connection: HTTPConnection) -> str:
    """The address a sign-in attempt counts against (uvicorn puts the proxy's client there when trusted)."""
    return connection.client.host if connection.client else "unknown"


class RevokedSessions:
    """Ids of signed-out sessions, until their cookies expire; in memory, and in the database's settings."""

    def __init__(self, max_age_seconds: int, clock: Clock = time.time) -> None:
        self.max_age, self.clock = max_age_seconds, clock
        self._until: dict[str, float] = {}

    def load(self, engine: Engine) -> None:
        with session(engine) as db:
            stored = get_setting(db, REVOKED_KEY, {})
        self._until = {sid: float(until) for sid, until in (stored or {}).items() if isinstance(until, (int, float))}
        self._prune()

    def revoke(self, sid: str, engine: Engine | None) -> None:
        self._until[sid] = self.clock() + self.max_age
        self._prune()
        if engine is not None:
            with session(engine) as db:
                merged = {**(get_setting(db, REVOKED_KEY, {}) or {}), **self._until}
                now = self.clock()
                set_setting(db, REVOKED_KEY, {k: v for k, v in merged.items() if v > now})

    def __contains__(self, sid: object) -> bool:
        return isinstance(sid, str) and self._until.get(sid, 0.0) > self.clock()

    def _prune(self) -> None:
        now = self.clock()
        self._until = {sid: until for sid, until in self._until.items() if until > now}


def is_https(scope: Scope, trust_proxy_headers: bool) -> bool:
    """The request came over https: its own scheme, or a trusted proxy's `X-Forwarded-Proto`."""
    if scope.get("scheme") in ("https", "wss"):
        return True
    if not trust_proxy_headers:
        return False
    forwarded: bytes = dict(scope.get("headers") or []).get(b"x-forwarded-proto", b"")
    return forwarded.split(b",")[0].strip().lower() == b"https"


class SecureCookieMiddleware:
    """Outermost: marks every cookie `Secure` on a response to a request that came over https."""

    def __init__(self, app: ASGIApp, trust_proxy_headers: bool = False) -> None:
        self.app, self.trust_proxy_headers = app, trust_proxy_headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_https(scope, self.trust_proxy_headers):
            await self.app(scope, receive, send)
            return

        async def secure_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if cookies:
                    del headers["set-cookie"]
                    for cookie in cookies:
                        secure = "secure" in (p.strip().lower() for p in cookie.split(";"))
                        headers.append("set-cookie", cookie if secure else f"{cookie}; secure")
            await send(message)

        await self.app(scope, receive, secure_send)


__all__ = ["FREE_FAILURES", "LoginLimiter", "RevokedSessions", "SecureCookieMiddleware", "client_key", "is_https"]
