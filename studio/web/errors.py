"""The one error handler: an HTML page for browsers, a fragment for htmx, JSON under `/api`.

htmx fragments are retargeted into the page's flash area (`HX-Retarget: #flash`), so whatever the
request was about to replace stays intact and the page stays usable. Unexpected exceptions are
logged with their traceback here and answered with a plain 500: never a traceback to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from studio.services.errors import ServiceError
from studio.store.text_check import UnstorableTextError

from .templating import is_htmx, render_template

logger = logging.getLogger("studio.web")

FLASH_TARGET = "#flash"
_MESSAGES = {
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    500: "Something went wrong on our side. The error has been logged; please try again.",
}


def wants_json(request: Request) -> bool:
    """True for the JSON API: everything under `/api`."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def error_response(
    request: Request, status_code: int, detail: Any = None, *, headers: Mapping[str, str] | None = None
) -> Response:
    """The error in the format the client asked for (JSON, htmx fragment or full page)."""
    phrase = _phrase(status_code)
    if wants_json(request):
        detail = _MESSAGES[500] if status_code == 500 else phrase if detail is None else detail
        return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=status_code, headers=headers)
    if detail is None or detail == phrase:  # say it in words for people
        detail = _MESSAGES.get(status_code, phrase + ".")
    context = {"status_code": status_code, "title": phrase, "messages": _lines(detail)}
    if is_htmx(request):
        html = render_template(request, "errors/_error.html", context)
        fragment_headers = {"HX-Retarget": FLASH_TARGET, "HX-Reswap": "innerHTML", "HX-Push-Url": "false"}
        return HTMLResponse(html, status_code=status_code, headers={**(headers or {}), **fragment_headers})
    return HTMLResponse(render_template(request, "errors/error.html", context), status_code, headers=headers)


JSON_REFUSED = "The JSON sent cannot be read."
UNSTORABLE = "Nothing was saved: a text cannot be stored."


def problem_detail(message: str, path: str, problem: str) -> dict[str, Any]:
    """The `/api` body of a 422 about one value: `{"message", "problems": [{"path", "message", "severity"}]}`."""
    return {"message": message, "problems": [{"path": path, "message": problem, "severity": "error"}]}


def json_refused(request: Request, path: str, message: str) -> Response:
    """A 422 for a JSON body that `studio.http.json_input` refused, naming the JSON path."""
    if wants_json(request):
        return error_response(request, 422, problem_detail(JSON_REFUSED, path, message))
    return error_response(request, 422, [JSON_REFUSED, f"{path}: {message}" if path else message])


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code in (204, 304):  # bodiless answers raised as exceptions
        return Response(status_code=exc.status_code, headers=exc.headers)
    return error_response(request, exc.status_code, exc.detail, headers=exc.headers)


async def validation_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if wants_json(request):
        return error_response(request, 422, exc.errors())
    return error_response(request, 422, [_describe(error) for error in exc.errors()])


async def service_error_handler(request: Request, exc: Exception) -> Response:
    """A service refusal that a route did not turn into an answer itself: its status and message."""
    assert isinstance(exc, ServiceError)
    message = getattr(exc, "message", None) or str(exc)
    problems = [str(problem) for problem in getattr(exc, "problems", ())]
    return error_response(request, exc.status_code, [message, *problems] if problems else message)


class CatchAllMiddleware:
    """Innermost middleware: turns an unexpected exception into a logged, formatted 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            request = Request(scope)
            logger.exception("Unexpected error on %s %s", request.method, request.url.path)
            if started:  # too late for an error page; the server closes the connection
                raise
            await error_response(request, 500)(scope, receive, send)


async def unstorable_text_handler(request: Request, exc: Exception) -> Response:
    """Text the database cannot keep (a NUL, a lone surrogate), from any route: a 422 naming its field."""
    assert isinstance(exc, UnstorableTextError)
    if wants_json(request):
        return error_response(request, 422, problem_detail(UNSTORABLE, exc.path, exc.message))
    return error_response(request, 422, [UNSTORABLE, str(exc)])


def install(app: FastAPI) -> None:
    """Register the handlers and the catch-all on `app`."""
    app.add_exception_handler(HTTPException, http_exception_handler)
    app.add_exception_handler(UnstorableTextError, unstorable_text_handler)
    app.add_exception_handler(RequestValidationError, validation_exception_handler)
    app.add_exception_handler(ServiceError, service_error_handler)
    app.add_middleware(CatchAllMiddleware)


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:  # a code outside the standard list
        return "Error"


def _lines(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    return [str(detail)]


def _describe(error: dict[str, Any]) -> str:
    """A validation error as one readable line: `field: message`."""
    loc = list(error.get("loc", ()))
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    location = ".".join(str(part) for part in loc)
    return f"{location}: {error.get('msg', 'invalid')}" if location else str(error.get("msg", "invalid"))


__all__ = ["CatchAllMiddleware", "error_response", "install", "json_refused", "problem_detail", "wants_json"]
