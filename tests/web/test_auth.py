"""Sign-in and CSRF: `studio ui` refuses to listen beyond loopback without a token; with a token every
page and API call needs a session or the bearer token, and session writes need the CSRF token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio.web.auth import safe_next

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "correct horse battery staple"


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def sign_in(client: TestClient, token: str = TOKEN, next_path: str = "/") -> object:
    csrf = csrf_of(client.get("/login").text)
    data = {"token": token, "next": next_path, "csrf_token": csrf}
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def app(make_app: Callable[..., FastAPI]) -> FastAPI:
    return make_app(auth_token=TOKEN)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


# ---- refusing to start -------------------------------------------------------------------------------


def test_ui_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    result = subprocess.run(
        [sys.executable, "-m", "studio.cli", "ui", "--host", "0.0.0.0", "--port", "0", "--home", str(tmp_path)],
        check=False, capture_output=True, text=True, timeout=60, cwd=ROOT, env=env,
    )
    assert result.returncode == 2
    assert "STUDIO_AUTH_TOKEN" in result.stderr and "0.0.0.0" in result.stderr
    assert not (tmp_path / "studio.db").exists()  # refused before touching anything


def test_a_token_allows_a_public_address(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(host="0.0.0.0", auth_token=TOKEN)) as client:
        # Any host name is fine once sign-in is required (reverse proxies, LAN names).
        response = client.get("/builder", headers={"Host": "studio.lan"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/builder"


# ---- pages -------------------------------------------------------------------------------------------


def test_pages_redirect_to_login_and_keep_where_you_were_going(client: TestClient) -> None:
    response = client.get("/builder?x=1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/builder%3Fx%3D1"
    login = client.get("/login?next=/builder")
    assert login.status_code == 200
    assert '<label for="token">Access token</label>' in login.text and 'type="password"' in login.text
    assert client.get("/static/css/studio.css").status_code == 200  # the login page needs its styles


def test_wrong_token_is_refused(client: TestClient) -> None:
    response = sign_in(client, token="wrong")
    assert response.status_code == 401 and "That access token is not right." in response.text
    assert client.get("/builder", follow_redirects=False).status_code == 303


def test_right_token_starts_a_session(client: TestClient) -> None:
    before = client.cookies.get("studio_session")
    response = sign_in(client, next_path="/playground")
    assert response.status_code == 303 and response.headers["location"] == "/playground"
    assert client.cookies.get("studio_session") != before  # a fresh session: no fixation
    page = client.get("/builder")
    assert page.status_code == 200 and "Sign out" in page.text
    again = client.get("/login?next=/gallery", follow_redirects=False)  # already signed in
    assert again.status_code == 303 and again.headers["location"] == "/gallery"


def test_changing_the_token_signs_everyone_out(client: TestClient, make_app: Callable[..., FastAPI]) -> None:
    sign_in(client)
    with TestClient(make_app(auth_token="a new token"), cookies=client.cookies) as other:
        assert other.get("/builder", follow_redirects=False).status_code == 303


def test_htmx_requests_are_sent_to_login_by_hx_redirect(client: TestClient) -> None:
    response = client.get("/builder", headers={"HX-Request": "true", "HX-Current-URL": "http://x/teams?q=a"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login?next=/teams%3Fq%3Da"


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 403 and "CSRF token" in response.text


def test_next_must_stay_on_this_site() -> None:
    assert safe_next("/teams?q=1") == "/teams?q=1"
    for outside in ("//attacker.example", "https://attacker.example", "/\\attacker.example", "/\t/attacker.example",
                    "", None):
        assert safe_next(outside) == "/"


# ---- CSRF on a signed-in session ---------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(client: TestClient) -> None:
    sign_in(client)
    missing = client.post("/logout", follow_redirects=False)
    assert missing.status_code == 403 and "CSRF token" in missing.text
    wrong = client.post("/logout", headers={"X-CSRF-Token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 403
    api = client.post("/api/teams", json={"label": "x"})  # the session cannot write the API without it
    assert api.status_code == 403 and api.json()["detail"].startswith("This request was refused")
    csrf = csrf_of(client.get("/builder").text)
    by_header = client.post("/logout", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert by_header.status_code == 303 and by_header.headers["location"] == "/login"


def test_plain_forms_send_the_csrf_token_as_a_field(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/builder").text
    field = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page).group(1)
    assert field == csrf_of(page)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{field}"}}\'' in page  # what htmx sends
    response = client.post("/logout", data={"csrf_token": field}, follow_redirects=False)
    assert response.status_code == 303


# ---- the API -----------------------------------------------------------------------------------------


def test_api_needs_the_bearer_token(client: TestClient) -> None:
    missing = client.get("/api/teams")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    assert client.get("/api/teams", headers={"Authorization": "Bearer nope"}).status_code == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/teams", headers=bearer).status_code == 200
    created = client.post("/api/teams", json={"label": "From a script"}, headers=bearer)
    assert created.status_code == 201, created.text  # no CSRF token: a bearer token is not ambient


def test_api_docs_need_sign_in_too(client: TestClient) -> None:
    docs = client.get("/api/docs", follow_redirects=False)  # a page: sign in first
    assert docs.status_code == 303 and docs.headers["location"] == "/login?next=/api/docs"
    assert client.get("/api/openapi.json").status_code == 401
    sign_in(client)
    schema = client.get("/api/openapi.json").json()
    assert schema["security"] == [{"bearer": []}]  # Swagger's "Authorize" asks for the token


def test_a_large_pasted_team_passes_the_csrf_check_when_signed_in(client: TestClient) -> None:
    import json

    sign_in(client)
    page = client.get("/teams/import").text
    team = json.loads((Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "writer-critic.json").read_text())
    team["description"] = "long " * 300_000  # 1.5 MB: over the 1 MB a form field may have by default
    response = client.post("/teams/import", data={"text": json.dumps(team), "csrf_token": csrf_of(page)})
    assert response.status_code == 200
    assert "Imported" in response.text


# ---- sign-in limits, sign-out, Secure cookies ----------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_tokens_are_rate_limited_per_client(client: TestClient) -> None:
    from studio.web.login_security import FREE_FAILURES, LoginLimiter

    clock = FakeClock()
    client.app.state.login_limiter = LoginLimiter(clock=clock)  # type: ignore[attr-defined]
    for _ in range(FREE_FAILURES):
        assert sign_in(client, token="wrong").status_code == 401
    locked = sign_in(client)  # even the right token is not checked while locked
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert "Too many wrong tokens. Try again in 1 seconds." in locked.text
    clock.now += 1
    assert sign_in(client, token="wrong").status_code == 401  # the sixth: locked 2 s
    assert sign_in(client).headers["Retry-After"] == "2"
    clock.now += 2
    assert sign_in(client, token="wrong").status_code == 401  # the seventh: 4 s
    assert sign_in(client).headers["Retry-After"] == "4"
    clock.now += 4
    assert sign_in(client).status_code == 303  # right at last: the count starts again
    client.post("/logout", headers={"X-CSRF-Token": csrf_of(client.get("/builder").text)})
    assert sign_in(client, token="wrong").status_code == 401


def test_wrong_bearer_tokens_count_too(client: TestClient) -> None:
    from studio.web.login_security import FREE_FAILURES, LoginLimiter

    clock = FakeClock()
    client.app.state.login_limiter = LoginLimiter(clock=clock)  # type: ignore[attr-defined]
    for _ in range(FREE_FAILURES):
        assert client.get("/api/teams", headers={"Authorization": "Bearer wrong"}).status_code == 401
    locked = client.get("/api/teams", headers={"Authorization": f"Bearer {TOKEN}"})
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "1"
    assert sign_in(client).status_code == 429  # the same count as the login page
    clock.now += 1
    assert client.get("/api/teams", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_signing_out_revokes_the_session(client: TestClient, make_app: Callable[..., FastAPI]) -> None:
    assert sign_in(client).status_code == 303
    old_cookie = client.cookies.get("studio_session")
    csrf = csrf_of(client.get("/builder").text)
    assert client.post("/logout", headers={"X-CSRF-Token": csrf}, follow_redirects=False).status_code == 303
    with TestClient(client.app, cookies={"studio_session": old_cookie}) as replay:
        assert replay.get("/builder", follow_redirects=False).status_code == 303  # to /login
        assert replay.get("/api/teams").status_code == 401
    # the revocation outlives the process: a new app on the same home refuses the copy too
    with TestClient(make_app(auth_token=TOKEN), cookies={"studio_session": old_cookie}) as restarted:
        assert restarted.get("/builder", follow_redirects=False).status_code == 303
    # signing in again starts a new session, which works
    assert sign_in(client).status_code == 303 and client.get("/builder").status_code == 200


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
