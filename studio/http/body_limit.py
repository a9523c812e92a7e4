"""Refuse request bodies over `settings.max_body_bytes` (default 5 MB) with a 413.

A declared `Content-Length` over the limit is refused before the app runs. A body without one
(chunked) is counted as it is read and refused as soon as it passes the limit.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """A 413 raised while reading a body; the error handler renders it like any HTTPException."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return f"The request is too large: the limit is {format_size(limit)} (setting STUDIO_MAX_BODY_BYTES)."


def format_size(size: int) -> str:
    """`5242880` → `5 MB`, `2048` → `2 KB`, `1000` → `1,000 bytes`."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size:,} bytes"


Respond = Callable[[Request, int, str], Response]


def json_error(request: Request, status: int, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=status)


class BodySizeLimitMiddleware:
    """`respond(request, status, message)` renders a refusal before the app runs (JSON by default)."""

    def __init__(self, app: ASGIApp, max_bytes: int, respond: Respond = json_error) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Request(scope).headers.get("content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send, declared)
                return
            await self.app(scope, receive, send)  # the server enforces a declared length
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, declared: str) -> None:
        request = Request(scope)
        if declared.isdigit():
            response = self.respond(request, 413, too_large_message(self.max_bytes))
        else:
            response = self.respond(request, 400, "The Content-Length header is not a number.")
        response.headers["Connection"] = "close"  # the unread body must not be taken for a next request
        await response(scope, receive, send)


__all__ = ["BodySizeLimitMiddleware", "BodyTooLarge", "format_size"]
