"""Error bodies of `studio serve` (serve/errors.py): OpenAI's shape under `/v1`, which its clients read, and
FastAPI's `{"detail"}` elsewhere."""

from __future__ import annotations

import json

from starlette.requests import Request

from studio.serve.errors import error_for


def request(path: str) -> Request:
    return Request({"type": "http", "method": "POST", "path": path, "headers": [], "query_string": b""})


def body(response) -> dict:
    return json.loads(response.body)


def test_under_v1_errors_have_openais_shape_and_type() -> None:
    busy = error_for(request("/v1/chat/completions"), 429, "All 8 run slots are busy.")
    assert busy.status_code == 429
    assert body(busy) == {"error": {"message": "All 8 run slots are busy.", "type": "rate_limit_exceeded",
                                    "param": None, "code": None}}
    bad = body(error_for(request("/v1/chat/completions"), 422, "field required", param="messages"))
    assert (bad["error"]["type"], bad["error"]["param"]) == ("invalid_request_error", "messages")
    assert body(error_for(request("/v1/models"), 401, "no key"))["error"]["type"] == "authentication_error"


def test_elsewhere_errors_are_a_detail() -> None:
    response = error_for(request("/teams/echo/runs"), 404, "No team named 'x'.")
    assert (response.status_code, body(response)) == (404, {"detail": "No team named 'x'."})
