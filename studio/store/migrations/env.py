"""Alembic environment: migrates the connection `studio.store.db.migrate` hands over, or, when run
from the `alembic` command line, the database of Studio's settings (`STUDIO_DATABASE_URL`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import studio.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.is_offline_mode():
        raise SystemExit("Studio's migrations run online only; see studio.store.db.migrate")
    from studio.settings import get_settings
    from studio.store.db import make_engine

    engine = make_engine(get_settings().resolved_database_url)
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


_main()
