"""Store fixtures: every `engine` test runs on SQLite (a temp file) and on a real PostgreSQL.

PostgreSQL: see tests/support/postgres.py (the `pg_database` fixture lives in tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlmodel import Session

from studio.store import make_engine, migrate
from tests.support.postgres import postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database, never migrated."""
    if request.param == "sqlite":
        url: str | URL = f"sqlite:///{tmp_path / 'studio.db'}"
    else:
        url = postgres_url(request.getfixturevalue("pg_database"))
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(blank_engine: Engine) -> Engine:
    """An engine on a database migrated to head."""
    migrate(blank_engine)
    return blank_engine


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session on the migrated database; tests commit when they need a fresh read."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def writer_critic() -> dict:
    """A real team component from the gallery."""
    import json

    path = Path(__file__).parents[1] / "fixtures" / "writer-critic.json"
    return json.loads(path.read_text())
