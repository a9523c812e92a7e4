"""Helpers shared by the teams, settings and secrets tests (their fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services.credentials import FIELDS
from studio.store import session

HTMX = {"HX-Request": "true"}


def clear_credentials_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model credentials from the environment of whoever runs the tests."""
    for field in FIELDS:
        if field.env:
            monkeypatch.delenv(field.env, raising=False)


@contextmanager
def app_db(client: TestClient) -> Iterator[Session]:
    """A session on the database of a client's app (committed when the block ends)."""
    with session(client.app.state.engine) as db:  # type: ignore[attr-defined]
        yield db
