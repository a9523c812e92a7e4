"""Column types that behave the same on SQLite and PostgreSQL, and the id of a stored row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import JSON, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Documents people read back (team components, event dumps) keep their key order: plain `json`
# on PostgreSQL, since `jsonb` re-sorts object keys and an exported team would come back shuffled.
JSONDocument = JSON()
# Small values nobody diffs (layouts, tags, preference values): `jsonb` on PostgreSQL.
JSONValue = JSON().with_variant(JSONB(), "postgresql")


class Row(Protocol):
    id: int | None


def id_of(row: Row) -> int:
    """A stored row's id: SQLModel types ids `int | None`, and None means the row was never flushed."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: it was never flushed")
    return row.id


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # naive values are taken to be UTC already
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


__all__ = ["JSONDocument", "JSONValue", "Row", "UTCDateTime", "id_of", "utcnow"]
