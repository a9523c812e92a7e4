"""Sign-in limits and sessions (web/login_security.py): wrong tokens, on the form or as a bearer, lock a client
out for longer each time; signing out revokes the session for good; the cookie is Secure over HTTPS."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .auth_support import TOKEN, csrf_of, sign_in


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_tokens_are_rate_limited_per_client(token_client: TestClient) -> None:
    from studio.web.login_security import FREE_FAILURES, LoginLimiter

    clock = FakeClock()
    token_client.app.state.login_limiter = LoginLimiter(clock=clock)  # type: ignore[attr-defined]
    for _ in range(FREE_FAILURES):
        assert sign_in(token_client, token="wrong").status_code == 401
    locked = sign_in(token_client)  # even the right token is not checked while locked
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert "Too many wrong tokens. Try again in 1 seconds." in locked.text
    clock.now += 1
    assert sign_in(token_client, token="wrong").status_code == 401  # the sixth: locked 2 s
    assert sign_in(token_client).headers["Retry-After"] == "2"
    clock.now += 2
    assert sign_in(token_client, token="wrong").status_code == 401  # the seventh: 4 s
    assert sign_in(token_client).headers["Retry-After"] == "4"
    clock.now += 4
    assert sign_in(token_client).status_code == 303  # right at last: the count starts again
    token_client.post("/logout", headers={"X-CSRF-Token": csrf_of(token_client.get("/builder").text)})
    assert sign_in(token_client, token="wrong").status_code == 401


def test_wrong_bearer_tokens_count_too(token_client: TestClient) -> None:
    from studio.web.login_security import FREE_FAILURES, LoginLimiter

    clock = FakeClock()
    token_client.app.state.login_limiter = LoginLimiter(clock=clock)  # type: ignore[attr-defined]
    for _ in range(FREE_FAILURES):
        assert token_client.get("/api/teams", headers={"Authorization": "Bearer wrong"}).status_code == 401
    locked = token_client.get("/api/teams", headers={"Authorization": f"Bearer {TOKEN}"})
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert sign_in(token_client).status_code == 429  # the same count as the login page
    clock.now += 1
    assert token_client.get("/api/teams", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_signing_out_revokes_the_session(token_client: TestClient, make_app: Callable[..., FastAPI]) -> None:
    assert sign_in(token_client).status_code == 303
    old_cookie = token_client.cookies.get("studio_session")
    csrf = csrf_of(token_client.get("/builder").text)
    assert token_client.post("/logout", headers={"X-CSRF-Token": csrf}, follow_redirects=False).status_code == 303
    with TestClient(token_client.app, cookies={"studio_session": old_cookie}) as replay:
        assert replay.get("/builder", follow_redirects=False).status_code == 303  # to /login
        assert replay.get("/api/teams").status_code == 401
    # the revocation outlives the process: a new app on the same home refuses the copy too
    with TestClient(make_app(auth_token=TOKEN), cookies={"studio_session": old_cookie}) as restarted:
        assert restarted.get("/builder", follow_redirects=False).status_code == 303
    # signing in again starts a new session, which works
    assert sign_in(token_client).status_code == 303 and token_client.get("/builder").status_code == 200


def _session_cookie(response: object) -> str:
    return next(c for c in response.headers.get_list("set-cookie") if c.startswith("studio_session="))  # type: ignore[attr-defined]


def test_the_session_cookie_is_secure_over_https(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(auth_token=TOKEN), base_url="https://testserver") as https:
        cookie = _session_cookie(sign_in(https))
        assert "; secure" in cookie.lower() and "httponly" in cookie.lower()
    with TestClient(make_app(auth_token=TOKEN)) as plain:
        assert "secure" not in _session_cookie(sign_in(plain)).lower()
        proxied = plain.get("/login", headers={"X-Forwarded-Proto": "https"})  # not trusted by default
        assert all("secure" not in c.lower() for c in proxied.headers.get_list("set-cookie"))
    with TestClient(make_app(auth_token=TOKEN, trust_proxy_headers=True), headers={"X-Forwarded-Proto": "https"}) \
            as behind_proxy:
        assert "; secure" in _session_cookie(sign_in(behind_proxy)).lower()
