"""An app answering without a key on loopback (http/local_only.py): only requests addressed to a loopback
name are answered (no DNS rebinding), and a browser's writes only from the app's own origin."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from studio.http.local_only import LocalOnlyMiddleware

HERE = {"Host": "127.0.0.1:8084"}


async def ok(request: Request) -> Response:
    return PlainTextResponse("ok")


def respond(request: Request, status: int, message: str) -> Response:
    return PlainTextResponse(message, status_code=status)


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[Route("/", ok, methods=["GET", "POST"])])
    return TestClient(LocalOnlyMiddleware(app, respond=respond))


def test_only_loopback_host_names_are_answered(client: TestClient) -> None:
    for host in ("127.0.0.1:8084", "localhost", "[::1]:8084", "LOCALHOST:1"):
        assert client.get("/", headers={"Host": host}).text == "ok", host
    for host in ("attacker.example", "testserver", "[nonsense", "127.0.0.1.attacker.example"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 400 and response.text.startswith("No API key is set, so only requests"), host


def test_testserver_is_answered_only_when_the_app_is_told() -> None:
    app = LocalOnlyMiddleware(Starlette(routes=[Route("/", ok)]), respond=respond, extra_hosts={"testserver"})
    assert TestClient(app).get("/").text == "ok"


def test_a_browsers_writes_must_come_from_the_apps_own_origin(client: TestClient) -> None:
    assert client.post("/", headers=HERE).text == "ok"  # no Origin or Referer: not a browser (curl, scripts)
    assert client.post("/", headers={**HERE, "Origin": "http://127.0.0.1:8084"}).text == "ok"
    assert client.post("/", headers={**HERE, "Referer": "http://127.0.0.1:8084/teams"}).text == "ok"
    for foreign in ({"Origin": "http://127.0.0.1:3000"}, {"Origin": "null"}, {"Referer": "https://attacker.example/"}):
        response = client.post("/", headers={**HERE, **foreign})
        assert (response.status_code, response.text) == (403, "Cross-site request refused."), foreign
    assert client.get("/", headers={**HERE, "Origin": "https://attacker.example"}).text == "ok"  # reading is safe
