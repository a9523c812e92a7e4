"""Engines, migrations and sessions.

    engine = make_engine(settings.resolved_database_url)
    migrate(engine)                      # Alembic `upgrade head`, with the migrations in this package
    with session(engine) as db:          # commits on success, rolls back on error
        create_team(db, component=..., label="...")
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, select

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_SECONDS = 15
# Any constant: two processes starting at once on PostgreSQL migrate one after the other.
_MIGRATION_LOCK_ID = 0x57_0D_10


def normalise_url(url: str | URL) -> URL:
    """Parse a database URL; plain `postgresql://` (or `postgres://`) URLs use psycopg 3."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:") or "mode=memory" in str(url)


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url`, tuned per backend (SQLite: WAL, foreign keys, busy timeout).

    Statement parameters are left out of logs and error messages, since some are secrets; so are
    result rows, which SQLAlchemy logs when its loggers are at DEBUG.
    """
    parsed = normalise_url(url)
    kwargs.setdefault("hide_parameters", True)
    _hide_logged_rows()
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)

    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("check_same_thread", False)  # sessions may move between threads
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
    if _is_memory(parsed):
        kwargs.setdefault("poolclass", StaticPool)  # one connection, so every session sees the data
    elif parsed.database and not parsed.database.startswith("file:"):
        _private_database_file(Path(parsed.database).expanduser())
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _private_database_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600; SQLite gives its `-wal` and `-shm` files
    the database's mode), in a new private directory if need be; tighten an existing one and its files."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if stat.S_IMODE(file.stat().st_mode) & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


class _HideRows(logging.Filter):
    """Replaces the result rows SQLAlchemy logs at DEBUG ("Row (...)"): a row may hold a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Row "):
            record.msg, record.args = "Row [hidden: result rows may hold secrets]", ()
        return True


def _hide_logged_rows() -> None:
    logger = logging.getLogger("sqlalchemy.engine.Engine")
    if not any(isinstance(f, _HideRows) for f in logger.filters):
        logger.addFilter(_HideRows())


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
        cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite: needed for cascades
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, much faster
    finally:
        cursor.close()


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest) with Alembic."""
    from alembic import command

    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # batch mode copies tables: a drop must not cascade to their children
            _set_sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
                command.upgrade(_alembic_config(connection), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows pointing at missing parents")
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, on=True)


def _set_sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    # PRAGMA foreign_keys is ignored inside a transaction, so it runs on its own.
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    connection.commit()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision shipped with this package."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


def table_names(engine: Engine) -> set[str]:
    """The tables in the database (for checks and tests)."""
    return set(inspect(engine).get_table_names())


def forget_cascaded(db: Session) -> None:
    """Drop from `db` the loaded objects whose rows an ON DELETE CASCADE just removed."""
    from .models import (
        BuilderDraft,
        BuilderDraftStep,
        Conversation,
        GalleryTemplate,
        Run,
        RunEvent,
        TeamVersion,
    )

    children = (TeamVersion, Conversation, Run, RunEvent, GalleryTemplate, BuilderDraft, BuilderDraftStep)
    by_model: dict[type, list[Any]] = {}
    for obj in list(db.identity_map.values()):
        if isinstance(obj, children):
            by_model.setdefault(type(obj), []).append(obj)
    for model, objects in by_model.items():
        ids = [obj.id for obj in objects]
        alive = set(db.exec(select(model.id).where(model.id.in_(ids))))  # type: ignore[attr-defined]
        for obj in objects:
            if obj.id not in alive:
                db.expunge(obj)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back if it raises.

    Objects stay readable after the block (no expiry on commit), so they can be rendered.
    """
    with Session(engine, expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


__all__ = [
    "MIGRATIONS_DIR",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
    "normalise_url",
    "session",
    "table_names",
]
