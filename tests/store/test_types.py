"""Column types that behave the same on SQLite and PostgreSQL (store/types.py): a timestamp is stored in UTC
and always read back timezone-aware, whatever zone it was written in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from studio.store import create_team, get_team
from studio.store.models import Team
from studio.store.types import id_of, utcnow


def test_a_timestamp_comes_back_aware_and_in_utc(engine: Engine) -> None:
    paris = datetime(2025, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=1)))
    with Session(engine) as db:
        team = create_team(db, component={"provider": "x", "config": {}}, label="T")
        team.created_at, team.updated_at = paris, datetime(2025, 3, 1, 12, 0)  # a naive value is UTC already
        db.commit()
        team_id = team.id
    with Session(engine) as db:
        stored = get_team(db, team_id)
        assert stored.created_at == datetime(2025, 3, 1, 12, 30, tzinfo=UTC) and stored.created_at.tzinfo == UTC
        assert stored.updated_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert utcnow().tzinfo == UTC


def test_a_row_has_an_id_once_flushed(engine: Engine) -> None:
    with Session(engine) as db:
        unsaved = Team(label="T", component={})
        with pytest.raises(ValueError, match="Team has no id yet"):
            id_of(unsaved)
        saved = create_team(db, component={}, label="T")  # flushed: the database gave it an id
        assert saved.id is not None and id_of(saved) == saved.id
