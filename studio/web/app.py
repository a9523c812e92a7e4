"""The FastAPI app: `create_app(settings)` wires storage, middleware, errors, templates and routes.

Requests pass, outermost first: `Secure` cookies over https → sessions (signed cookie) → guard (host, origin, sign-in; see
`auth.py`) → body size limit → JSON bodies read strictly (`studio.http.json_input`) → catch-all for
unexpected errors → FastAPI's routing, where every route depends on `verify_csrf`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from studio.http.body_limit import BodySizeLimitMiddleware
from studio.http.json_body import JSONBodyMiddleware
from studio.playground import RunManager
from studio.services.gallery import seed_gallery_once
from studio.settings import Settings, get_settings
from studio.store import make_engine, migrate, session
from studio.store.crypto import prepare_secrets
from studio.store.runs import mark_interrupted_runs

from . import errors
from .auth import API_DOCS_PATH, GuardMiddleware, session_mark, verify_csrf
from .builder_view import McpListings
from .login_security import LoginLimiter, RevokedSessions, SecureCookieMiddleware
from .routes import include_routers
from .templating import SWAGGER_UI_DIR, make_environment

logger = logging.getLogger(__name__)

SESSION_COOKIE = "studio_session"
SESSION_MAX_AGE = 14 * 24 * 3600


def create_app(settings: Settings | None = None, *, extra_hosts: Iterable[str] = ()) -> FastAPI:
    """A new Studio web app; the database is migrated when it starts (its lifespan).

    `extra_hosts`: host names accepted besides loopback ones when there is no sign-in. Tests pass
    `{"testserver"}` (Starlette's TestClient); the studio never does.
    """
    settings = settings or get_settings()
    settings.configure_runtime()
    settings.prepare_home()
    secret = settings.session_secret()
    app = FastAPI(
        title="Studio API",
        summary="Teams, versions, import/export and settings of the Studio, as JSON.",
        lifespan=_lifespan,
        docs_url=None,  # served below with the vendored Swagger UI: the studio works offline
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.session_mark = session_mark(settings, secret)
    app.state.jinja = make_environment(settings.frontend_dir / "templates")
    app.state.mcp_listings = McpListings()  # what the Builder's Connect found, for the canvas

    errors.install(app)  # adds the innermost middleware: the catch-all
    app.add_middleware(JSONBodyMiddleware, refuse=errors.json_refused)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, respond=errors.error_response)
    app.state.login_limiter = LoginLimiter()
    app.state.revoked_sessions = RevokedSessions(SESSION_MAX_AGE)
    app.add_middleware(GuardMiddleware, settings=settings, session_mark=app.state.session_mark,
                       extra_hosts=extra_hosts, revoked=app.state.revoked_sessions)
    app.add_middleware(
        SessionMiddleware, secret_key=secret, session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE, same_site="lax"
    )
    app.add_middleware(SecureCookieMiddleware, trust_proxy_headers=settings.trust_proxy_headers)

    app.mount("/static", StaticFiles(directory=settings.frontend_dir / "static"), name="static")
    include_routers(app)
    app.add_api_route(API_DOCS_PATH, _api_docs, include_in_schema=False, response_class=HTMLResponse)
    app.openapi = lambda: _api_schema(app)  # type: ignore[method-assign]
    return app


def _api_schema(app: FastAPI) -> dict[str, Any]:
    """FastAPI's OpenAPI schema, kept to the JSON API: paths under `/api/`, not the HTML pages.

    Page routers also say `include_in_schema=False`; this catches any that forget.
    """
    schema = FastAPI.openapi(app)
    schema["paths"] = {path: item for path, item in schema.get("paths", {}).items() if path.startswith("/api/")}
    if app.state.settings.auth_token is not None:  # Swagger's "Authorize" then takes the token
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http", "scheme": "bearer", "description": "The studio's STUDIO_AUTH_TOKEN."
        }
        schema["security"] = [{"bearer": []}]
    return schema


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database and prepare it; start the run manager, and on shutdown end its runs first."""
    settings: Settings = app.state.settings
    engine = make_engine(settings.resolved_database_url)
    runs: RunManager | None = None
    try:
        await run_in_threadpool(_prepare_database, engine, settings)
        await run_in_threadpool(app.state.revoked_sessions.load, engine)
        app.state.engine = engine
        app.state.runs = runs = RunManager(engine, settings)
        yield
    finally:
        if runs is not None:
            await runs.aclose()
        engine.dispose()


def _prepare_database(engine: Engine, settings: Settings) -> None:
    """Schema up to date, secrets readable with this key (and encrypted), runs a previous server left active
    marked interrupted, the gallery seeded once."""
    migrate(engine)
    prepare_secrets(engine, settings)
    with session(engine) as db:
        interrupted = mark_interrupted_runs(db)
    if interrupted:
        logger.warning("%d run(s) were still active when the server last stopped: marked interrupted", interrupted)
    seed_gallery_once(engine, settings)


def _api_docs(request: Request) -> HTMLResponse:
    static = f"/static/{SWAGGER_UI_DIR}"
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title="Studio API",
        swagger_js_url=f"{static}/swagger-ui-bundle.js",
        swagger_css_url=f"{static}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


__all__ = ["create_app"]
