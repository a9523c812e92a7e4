"""Store fixtures: every `engine` test runs on SQLite (a temp file) and on a real PostgreSQL.

PostgreSQL: one throwaway database per test session (`studio_test_<random>`, dropped at the end),
and a fresh schema per test inside it, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlmodel import Session
from studio.store import make_engine, migrate

PG_HOST, PG_PORT, PG_USER, PG_ADMIN_DB = "127.0.0.1", 5432, "postgres", "test"
_schemas = itertools.count(1)


def _server_answers() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The name of a PostgreSQL database made for this test session."""
    if not _server_answers():
        pytest.skip(f"no PostgreSQL server answers at {PG_HOST}:{PG_PORT} (CI runs one)")
    name = f"studio_test_{secrets.token_hex(6)}"
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=PG_ADMIN_DB, autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_url(database: str) -> URL:
    schema = f"t{next(_schemas)}_{secrets.token_hex(3)}"
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=database, autocommit=True
    ) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return URL.create(
        "postgresql",
        username=PG_USER,
        host=PG_HOST,
        port=PG_PORT,
        database=database,
        query={"options": f"-csearch_path={schema}"},
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database, never migrated."""
    if request.param == "sqlite":
        url: str | URL = f"sqlite:///{tmp_path / 'studio.db'}"
    else:
        url = _postgres_url(request.getfixturevalue("pg_database"))
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

    path = Path(__file__).parents[2] / "gallery" / "writer-critic.json"
    return json.loads(path.read_text())
