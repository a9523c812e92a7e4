"""User preferences (any JSON value under a key) and secrets such as API keys.

Secrets are stored as given, not encrypted: anyone who can read the database (the SQLite file, or
the PostgreSQL server) can read them. They never appear in a repr, and the engine keeps statement
parameters out of logs and error messages (`make_engine(hide_parameters=True)`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from .models import Secret, Setting
from .types import utcnow


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    """The value stored under `key`, or `default`."""
    row = session.get(Setting, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    """Store any JSON value under `key`, replacing what was there."""
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
    else:
        row.value = value
    session.add(row)
    session.flush()


def delete_setting(session: Session, key: str) -> bool:
    """Forget `key`; False when it was not set."""
    row = session.get(Setting, key)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def get_secret(session: Session, name: str) -> str | None:
    """The secret's value, or None when it is not set."""
    row = session.get(Secret, name)
    return None if row is None else row.value


def set_secret(session: Session, name: str, value: str) -> None:
    """Store (or replace) a secret."""
    row = session.get(Secret, name)
    if row is None:
        row = Secret(name=name, value=value)
    else:
        row.value = value
        row.updated_at = utcnow()
    session.add(row)
    session.flush()


def delete_secret(session: Session, name: str) -> bool:
    """Forget a secret; False when it was not set."""
    row = session.get(Secret, name)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_secret_names(session: Session) -> list[str]:
    """The names of the stored secrets, sorted (never their values)."""
    return list(session.exec(select(Secret.name).order_by(col(Secret.name))))


__all__ = [
    "delete_secret",
    "delete_setting",
    "get_secret",
    "get_setting",
    "list_secret_names",
    "set_secret",
    "set_setting",
]
