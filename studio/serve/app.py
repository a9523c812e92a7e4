"""The `studio serve` application: a catalog of teams behind `serve_router` (and, with `mcp`, the same teams as
MCP tools at `/mcp`), with a bearer token (or, without one, loopback hosts only), a request size limit, and
OpenAI-shaped errors under `/v1`."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from contextlib import nullcontext

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from studio.http.body_limit import BodySizeLimitMiddleware
from studio.http.json_body import JSONBodyMiddleware
from studio.http.local_only import LocalOnlyMiddleware

from .catalog import TeamCatalog
from .errors import error_for
from .mcp_server import McpEndpoint
from .routes import serve_router
from .runner import RunLimits, TeamRunner

OPEN_PATHS = frozenset({"/health"})
MCP_PATH = "/mcp"


def create_serve_app(catalog: TeamCatalog, *, api_key: str | None = None, limits: RunLimits | None = None,
                     max_body_bytes: int = 5 * 1024 * 1024, extra_hosts: Iterable[str] = (),
                     mcp: bool = False) -> FastAPI:
    """The app; without `api_key` it answers only requests addressed to a loopback host, and no
    cross-site browser request (`LocalOnlyMiddleware`, as `studio ui` without a token). `extra_hosts`:
    further host names to accept, which only tests pass (`{"testserver"}`). `mcp`: serve the teams as MCP
    tools at `MCP_PATH` too, under the same key and run limits."""
    runner = TeamRunner(limits or RunLimits())
    endpoint = McpEndpoint(lambda request: nullcontext(catalog), lambda request: runner) if mcp else None
    app = FastAPI(title="Studio team service", docs_url="/docs", redoc_url=None,
                  lifespan=None if endpoint is None else lambda app: endpoint.running())
    app.state.runner = runner
    app.include_router(serve_router(lambda: catalog, lambda: runner))
    if endpoint is not None:
        app.router.routes.append(Route(MCP_PATH, endpoint))
    app.add_middleware(JSONBodyMiddleware, refuse=lambda request, path, message: error_for(
        request, 422, f"{path or 'body'}: {message}", param=path or None))
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes, respond=error_for)
    if api_key:
        app.add_middleware(_BearerToken, api_key=api_key)
    else:
        app.add_middleware(LocalOnlyMiddleware, respond=lambda request, status, message: error_for(
            request, status, message), extra_hosts=extra_hosts)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "body"  # drop the leading "body"
        return error_for(request, 422, f"{where}: {first['msg']}", param=where)

    return app


class _BearerToken:
    """Every path but `/health` needs `Authorization: Bearer <api key>` (compared in constant time)."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.expected = f"Bearer {api_key}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] not in OPEN_PATHS:
            given = dict(scope["headers"]).get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                response = error_for(Request(scope), 401, "Missing or wrong API key: send `Authorization: Bearer <key>`.")
                response.headers["WWW-Authenticate"] = "Bearer"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
