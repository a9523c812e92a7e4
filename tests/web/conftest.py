"""Fixtures for the web tests: the app over a temporary home, and an in-process client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio.settings import Settings
from studio.web.app import create_app


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., FastAPI]:
    """`make_app(auth_token="t", max_body_bytes=1000)`: an app over a fresh home in `tmp_path`."""

    def make(**overrides: Any) -> FastAPI:
        (tmp_path / "gallery").mkdir(exist_ok=True)
        values = {"home": tmp_path / "home", "gallery_dir": tmp_path / "gallery", "database_url": None,
                  "auth_token": None, **overrides}  # explicit values win over STUDIO_* variables
        return create_app(Settings(**values))

    return make


@pytest.fixture
def web_client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    """A client of a local (loopback, no token) studio."""
    with TestClient(make_app()) as client:
        yield client
