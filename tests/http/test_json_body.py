"""Every JSON request body read strictly (http/json_body.py): a hostile one gets the app's 422 naming its JSON
path whatever the route; other bodies reach the app as they were sent."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from studio.http.json_body import JSONBodyMiddleware


async def echo(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream")


def refuse(request: Request, path: str, message: str) -> Response:
    return JSONResponse({"path": path, "message": message}, status_code=422)


@pytest.fixture
def client() -> TestClient:
    return TestClient(JSONBodyMiddleware(Starlette(routes=[Route("/", echo, methods=["POST"])]), refuse=refuse))


@pytest.mark.parametrize("content_type", ["application/json", "application/merge-patch+json; charset=utf-8"])
def test_a_hostile_json_body_is_refused_at_its_path(client: TestClient, content_type: str) -> None:
    response = client.post("/", content=b'{"team": {"max_turns": NaN}}', headers={"content-type": content_type})
    assert response.status_code == 422
    assert response.json()["path"] == "team.max_turns"


def test_other_bodies_reach_the_app_unchanged(client: TestClient) -> None:
    sent = b'{"a": [1, 2]}'
    assert client.post("/", content=sent, headers={"content-type": "application/json"}).content == sent
    chunked = client.post("/", content=(part for part in (b'{"a": ', b"[1, 2]}")),
                          headers={"content-type": "application/json"})
    assert chunked.content == sent
    not_json = b"NaN is fine here"
    assert client.post("/", content=not_json, headers={"content-type": "text/plain"}).content == not_json
