"""`in_db`: an async route's database work in a worker thread, with its own session that commits."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from studio.store import create_team, session
from studio.store.models import Team
from studio.web.threads import in_db
from tests.services.helpers import writer_critic


async def test_the_work_runs_off_the_event_loop_thread_and_commits(engine: Engine) -> None:
    def work(db: Session, label: str) -> tuple[int, str]:
        team = create_team(db, label=label, component=writer_critic())
        return threading.get_ident(), team.label

    thread, label = await in_db(engine, work, "Threaded")
    assert thread != threading.get_ident() and label == "Threaded"
    with session(engine) as db:
        assert [t.label for t in db.exec(select(Team))] == ["Threaded"]


async def test_the_work_is_rolled_back_when_it_raises(engine: Engine) -> None:
    def work(db: Session) -> None:
        create_team(db, label="Half done", component=writer_critic())
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await in_db(engine, work)
    with session(engine) as db:
        assert list(db.exec(select(Team))) == []
