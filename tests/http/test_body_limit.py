"""The request body limit (http/body_limit.py): a declared length over it is refused before the app runs, a
body without one as soon as it passes the limit."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from studio.http.body_limit import BodySizeLimitMiddleware, format_size

TOO_LARGE = "The request is too large: the limit is 1,000 bytes (setting STUDIO_MAX_BODY_BYTES)."


async def size(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[Route("/", size, methods=["POST"])])
    return TestClient(BodySizeLimitMiddleware(app, max_bytes=1000))


def test_a_body_within_the_limit_reaches_the_app(client: TestClient) -> None:
    assert client.post("/", content=b"x" * 1000).json() == {"size": 1000}
    assert client.post("/", content=(b"x" * 500 for _ in range(2))).json() == {"size": 1000}  # chunked


def test_a_declared_length_over_the_limit_is_refused_and_the_connection_closed(client: TestClient) -> None:
    response = client.post("/", content=b"x" * 1001)
    assert (response.status_code, response.json(), response.headers["connection"]) == (
        413, {"detail": TOO_LARGE}, "close")
    response = client.post("/", content=b"x", headers={"content-length": "one"})
    assert (response.status_code, response.json()) == (400, {"detail": "The Content-Length header is not a number."})


def test_a_chunked_body_is_refused_once_it_passes_the_limit(client: TestClient) -> None:
    response = client.post("/", content=(b"x" * 400 for _ in range(3)))  # raised in the app, as its HTTPException
    assert (response.status_code, response.text) == (413, TOO_LARGE)


@pytest.mark.parametrize(("size_", "text"), [(5 * 1024 * 1024, "5 MB"), (2048, "2 KB"), (1000, "1,000 bytes"),
                                             (1536 * 1024, "1.5 MB")])
def test_sizes_read_as_people_write_them(size_: int, text: str) -> None:
    assert format_size(size_) == text
