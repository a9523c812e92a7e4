"""A session on the suite's migrated SQLite database (`engine`, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from studio.store import session


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with session(engine) as db:
        yield db
