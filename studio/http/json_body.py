"""`JSONBodyMiddleware`: every JSON request body is read through `json_input.loads` before the app sees
it, so a hostile one (NaN, deep nesting, a huge integer, a lone surrogate) gets a 422 naming its JSON
path, whichever route it was sent to."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .json_input import JSONInputError, loads

Refuse = Callable[[Request, str, str], Response]
"""`refuse(request, path, message)`: the app's 422 for a JSON body `loads` refused."""


class JSONBodyMiddleware:
    """Reads every JSON request body (`application/json`, `*+json`) through `loads` before the app does:
    a body it refuses gets `refuse(request, path, message)` (a 422), never a parser's exception. Place it
    inside the body size limit, which bounds what is read here."""

    def __init__(self, app: ASGIApp, refuse: Refuse) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(Request(scope).headers.get("content-type", "")):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            try:
                message = await receive()
            except Exception as exc:  # a body over the size limit: the app answers it, as without us
                await self.app(scope, _raise(exc), send)
                return
            if message["type"] != "http.request":  # the client left: let the app see it
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.strip():
            try:
                loads(body)
            except JSONInputError as exc:
                await self.refuse(Request(scope), exc.path, exc.message)(scope, receive, send)
                return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def _raise(exc: Exception) -> Receive:
    async def receive() -> Message:
        raise exc

    return receive


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive



__all__ = ["JSONBodyMiddleware", "Refuse"]
