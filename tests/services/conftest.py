"""A session on the suite's migrated SQLite database (`engine`, tests/conftest.py), and a loopback server of
gallery files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from studio.store import session
from tests.support.file_server import file_server

AGS_GALLERY = Path(__file__).resolve().parents[1] / "fixtures" / "autogenstudio_default_gallery.json"


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with session(engine) as db:
        yield db


@pytest.fixture
def http_server() -> Iterator[str]:
    """A loopback HTTP server with /gallery.json, /big.json, /page.html and /slow."""
    routes = {
        "/gallery.json": (200, AGS_GALLERY.read_bytes()),
        "/big.json": (200, b"[" + b"1," * 5000 + b"1]"),
        "/page.html": (200, b"<html>hello</html>"),
        "/slow": (200, b"{}"),
    }
    with file_server(routes, slow={"/slow": 1.0}) as url:
        yield url
