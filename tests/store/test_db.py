"""Engines per backend, URL handling and the commit-or-rollback session."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from studio.store import (
    create_team,
    get_team,
    make_engine,
    migrate,
    normalise_url,
    session,
)


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_postgresql_urls_use_psycopg(url: str, driver: str) -> None:
    assert normalise_url(url).drivername == driver


def test_sqlite_file_uses_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "studio.db"  # parent directories are created
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert path.exists()
    engine.dispose()


def test_sqlite_wal_lets_a_reader_in_while_a_write_is_open(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    migrate(engine)
    with session(engine) as db:
        create_team(db, component={}, label="before")
    with engine.connect() as writer, engine.connect() as reader:
        writer.exec_driver_sql("BEGIN IMMEDIATE")
        writer.execute(text("UPDATE team SET label = 'during'"))
        assert reader.execute(text("SELECT label FROM team")).scalar() == "before"
        writer.rollback()
    engine.dispose()


def test_in_memory_sqlite_shares_one_database_across_sessions() -> None:
    engine = make_engine("sqlite://")
    migrate(engine)
    with session(engine) as db:
        team_id = create_team(db, component={}, label="kept").id
    with session(engine) as db:
        assert get_team(db, team_id) is not None


def test_session_commits_on_success_and_rolls_back_on_error(engine: Engine) -> None:
    with session(engine) as db:
        kept = create_team(db, component={}, label="kept")
    with pytest.raises(RuntimeError), session(engine) as db:
        lost = create_team(db, component={}, label="lost")
        raise RuntimeError("boom")
    with session(engine) as db:
        assert get_team(db, kept.id) is not None
        assert get_team(db, lost.id) is None
    assert kept.label == "kept"  # still readable after the block: no expiry on commit


def test_sqlite_files_are_private(tmp_path: Path) -> None:
    """The database, its -wal and -shm files: 0600, in a directory created 0700; an existing open file is tightened."""
    path = tmp_path / "private" / "studio.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with engine.connect() as connection:  # WAL mode: the -wal and -shm files exist while connected
        connection.exec_driver_sql("SELECT 1")
        files = [path, path.with_name("studio.db-wal"), path.with_name("studio.db-shm")]
        assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {f.name: "0o600" for f in files}
    engine.dispose()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    path.chmod(0o644)
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
