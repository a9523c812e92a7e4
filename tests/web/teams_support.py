"""Helpers shared by the teams, settings and secrets tests (their fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.runtime.models.endpoints import ENV_VARIABLES
from studio.store import session

HTMX = {"HX-Request": "true"}


def clear_credentials_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model credentials from the environment of whoever runs the tests."""
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@contextmanager
def app_db(client: TestClient) -> Iterator[Session]:
    """A session on the database of a client's app (committed when the block ends)."""
    with session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        yield db
