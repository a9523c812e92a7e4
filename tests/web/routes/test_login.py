"""The sign-in page (web/routes/login.py): a wrong token is refused, the right one starts a fresh session and
goes where you were going, and the form needs its CSRF token."""

from __future__ import annotations

from fastapi.testclient import TestClient

from ..auth_support import TOKEN, sign_in


def test_wrong_token_is_refused(token_client: TestClient) -> None:
    response = sign_in(token_client, token="wrong")
    assert response.status_code == 401 and "That access token is not right." in response.text
    assert token_client.get("/builder", follow_redirects=False).status_code == 303


def test_right_token_starts_a_session(token_client: TestClient) -> None:
    before = token_client.cookies.get("studio_session")
    response = sign_in(token_client, next_path="/playground")
    assert response.status_code == 303 and response.headers["location"] == "/playground"
    assert token_client.cookies.get("studio_session") != before  # a fresh session: no fixation
    page = token_client.get("/builder")
    assert page.status_code == 200 and "Sign out" in page.text
    again = token_client.get("/login?next=/gallery", follow_redirects=False)  # already signed in
    assert again.status_code == 303 and again.headers["location"] == "/gallery"


def test_login_form_needs_its_csrf_token(token_client: TestClient) -> None:
    token_client.get("/login")
    response = token_client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 403 and "CSRF token" in response.text
