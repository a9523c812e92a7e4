"""The home page (web/routes/home.py) sends you to the Teams page."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_home_redirects_to_teams(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/teams"
