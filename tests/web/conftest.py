"""Fixtures for the web tests: the app over a temporary home, and an in-process client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.settings import Settings
from studio.web.app import create_app
from studio.web.templating import flash, render
from tests.support.postgres import postgres_url

from .auth_support import TOKEN
from .teams_support import app_db, clear_credentials_env

TEST_HOSTS = {"testserver"}
"""The host Starlette's TestClient sends: accepted only because the tests say so (`create_app(extra_hosts=...)`)."""


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    """`make_app(auth_token="t", max_body_bytes=1000)`: an app over a fresh home in `tmp_path`."""

    def make(**overrides: Any) -> FastAPI:
        (tmp_path / "gallery").mkdir(exist_ok=True)
        values = {"home": tmp_path / "home", "gallery_dir": tmp_path / "gallery", "database_url": None,
                  "auth_token": None, **overrides}  # explicit values win over STUDIO_* variables
        return create_app(Settings(**values), extra_hosts=TEST_HOSTS)

    return make


def add_test_routes(app: FastAPI) -> None:
    """Routes that fail on purpose, flash a message, or accept a body (for `shell`)."""

    def boom() -> None:
        raise RuntimeError("database password is hunter2")  # must never reach the client

    def flashing(request: Request) -> object:
        flash(request, "Saved <everything>", "success")
        context = {"title": "Flashed", "status_code": 200, "messages": ["part"]}
        return render(request, "errors/error.html", context, partial="errors/_error.html")

    def numbered(n: int) -> dict[str, int]:
        return {"n": n}

    async def body(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    for prefix in ("", "/api"):
        app.add_api_route(f"{prefix}/test/boom", boom)
        app.add_api_route(f"{prefix}/test/number", numbered)
        app.add_api_route(f"{prefix}/test/body", body, methods=["POST"])
    app.add_api_route("/test/flash", flashing)


@pytest.fixture
def shell(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """A client of an app with routes that fail on purpose, flash a message, take a number or a body (at most
    1,000 bytes), each at `/test/...` and `/api/test/...`."""
    app = make_app(max_body_bytes=1000)
    add_test_routes(app)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def web_client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """A client of a local (loopback, no token) studio."""
    with TestClient(make_app()) as client:
        yield client


@pytest.fixture
def token_client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """A client of a studio with an access token (`auth_support.TOKEN`), not signed in."""
    with TestClient(make_app(auth_token=TOKEN)) as client:
        yield client


@pytest.fixture(params=["sqlite", "postgresql"])
def any_client(request: pytest.FixtureRequest, make_app: Callable[..., FastAPI],
               monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """`client`, once on SQLite and once on PostgreSQL (tests/support/postgres.py)."""
    clear_credentials_env(monkeypatch)
    url = None if request.param == "sqlite" else postgres_url(request.getfixturevalue("pg_database"))
    with TestClient(make_app(database_url=url and url.render_as_string(hide_password=False))) as client:
        yield client


@pytest.fixture
def client(web_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """A local studio's client that sees no model credentials from the environment of whoever runs the tests."""
    clear_credentials_env(monkeypatch)
    return web_client


@pytest.fixture
def db(client: TestClient) -> Iterator[Session]:
    """A session on the database of `client`'s app (committed when the test's use of it ends)."""
    with app_db(client) as db:
        yield db
