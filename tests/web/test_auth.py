"""The guard (web/auth.py): `studio ui` refuses to listen beyond loopback without a token; with a token every
page and API call needs a session or the bearer token, and session writes need the CSRF token. The sign-in
form: routes/test_login; its limits, sign-out and cookies: test_login_security."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio.web.auth import safe_next

from .auth_support import TOKEN, csrf_of, sign_in

ROOT = Path(__file__).resolve().parents[2]
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


def test_pages_redirect_to_login_and_keep_where_you_were_going(token_client: TestClient) -> None:
    response = token_client.get("/builder?x=1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/builder%3Fx%3D1"
    login = token_client.get("/login?next=/builder")
    assert login.status_code == 200
    assert '<label for="token">Access token</label>' in login.text and 'type="password"' in login.text
    assert token_client.get("/static/css/studio.css").status_code == 200  # the login page needs its styles


def test_changing_the_token_signs_everyone_out(token_client: TestClient, make_app: Callable[..., FastAPI]) -> None:
    sign_in(token_client)
    with TestClient(make_app(auth_token="a new token"), cookies=token_client.cookies) as other:
        assert other.get("/builder", follow_redirects=False).status_code == 303


def test_htmx_requests_are_sent_to_login_by_hx_redirect(token_client: TestClient) -> None:
    response = token_client.get("/builder", headers={"HX-Request": "true", "HX-Current-URL": "http://x/teams?q=a"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login?next=/teams%3Fq%3Da"


def test_next_must_stay_on_this_site() -> None:
    assert safe_next("/teams?q=1") == "/teams?q=1"
    for outside in ("//attacker.example", "https://attacker.example", "/\\attacker.example", "/\t/attacker.example",
                    "", None):
        assert safe_next(outside) == "/"


# ---- CSRF on a signed-in session ---------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(token_client: TestClient) -> None:
    sign_in(token_client)
    missing = token_client.post("/logout", follow_redirects=False)
    assert missing.status_code == 403 and "CSRF token" in missing.text
    wrong = token_client.post("/logout", headers={"X-CSRF-Token": "guess"}, follow_redirects=False)
    assert wrong.status_code == 403
    api = token_client.post("/api/teams", json={"label": "x"})  # the session cannot write the API without it
    assert api.status_code == 403 and api.json()["detail"].startswith("This request was refused")
    csrf = csrf_of(token_client.get("/builder").text)
    by_header = token_client.post("/logout", headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    assert by_header.status_code == 303 and by_header.headers["location"] == "/login"


def test_plain_forms_send_the_csrf_token_as_a_field(token_client: TestClient) -> None:
    sign_in(token_client)
    page = token_client.get("/builder").text
    field = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page).group(1)
    assert field == csrf_of(page)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{field}"}}\'' in page  # what htmx sends
    response = token_client.post("/logout", data={"csrf_token": field}, follow_redirects=False)
    assert response.status_code == 303


# ---- the API -----------------------------------------------------------------------------------------


def test_api_needs_the_bearer_token(token_client: TestClient) -> None:
    missing = token_client.get("/api/teams")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    assert token_client.get("/api/teams", headers={"Authorization": "Bearer nope"}).status_code == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert token_client.get("/api/teams", headers=bearer).status_code == 200
    created = token_client.post("/api/teams", json={"label": "From a script"}, headers=bearer)
    assert created.status_code == 201, created.text  # no CSRF token: a bearer token is not ambient


def test_api_docs_need_sign_in_too(token_client: TestClient) -> None:
    docs = token_client.get("/api/docs", follow_redirects=False)  # a page: sign in first
    assert docs.status_code == 303 and docs.headers["location"] == "/login?next=/api/docs"
    assert token_client.get("/api/openapi.json").status_code == 401
    sign_in(token_client)
    schema = token_client.get("/api/openapi.json").json()
    assert schema["security"] == [{"bearer": []}]  # Swagger's "Authorize" asks for the token


def test_a_large_pasted_team_passes_the_csrf_check_when_signed_in(token_client: TestClient) -> None:
    import json

    sign_in(token_client)
    page = token_client.get("/teams/import").text
    team = json.loads((Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "writer-critic.json").read_text())
    team["description"] = "long " * 300_000  # 1.5 MB: over the 1 MB a form field may have by default
    response = token_client.post("/teams/import", data={"text": json.dumps(team), "csrf_token": csrf_of(page)})
    assert response.status_code == 200
    assert "Imported" in response.text


