"""A real PostgreSQL for the tests that need one (127.0.0.1:5432, trust auth, database `test`): one
throwaway database per test session (`studio_test_<random>`, dropped at the end), and a fresh schema per
engine inside it (`postgres_url`), so tests never see each other's rows."""

from __future__ import annotations

import itertools
import secrets
import socket
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import URL

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


def postgres_url(database: str) -> URL:
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
