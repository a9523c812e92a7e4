"""Error bodies: OpenAI's shape under `/v1` (its clients read it), FastAPI's `{"detail"}` elsewhere."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

_OPENAI_TYPES = {401: "authentication_error", 429: "rate_limit_exceeded"}


def detail_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def openai_error(status: int, message: str, *, param: str | None = None, code: str | None = None) -> JSONResponse:
    kind = _OPENAI_TYPES.get(status, "invalid_request_error")
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}}, status_code=status)


def error_for(request: Request, status: int, message: str, *, param: str | None = None) -> JSONResponse:
    if request.url.path.startswith("/v1/"):
        return openai_error(status, message, param=param)
    return detail_error(status, message)
