"""Builders for the run manager's tests: sessions over the test database, what a run stored, and following
a run to its end."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Engine

from studio.playground import RunManager, Update
from studio.store import Run, create_conversation, create_team, get_run, list_events, list_runs, session, update_team
from studio.store.models import RunEvent
from tests.components.builders import replay
from tests.playground.replay_teams import assistant, max_messages, team, user_proxy

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def new_session(engine: Engine, component: dict[str, Any]) -> int:
    with session(engine) as db:
        row = create_team(db, component=component, label="T")
        return create_conversation(db, team_id=row.id).id


def set_component(engine: Engine, conversation_id: int, component: dict[str, Any]) -> None:
    with session(engine) as db:
        from studio.store import get_conversation, get_team

        update_team(db, get_team(db, get_conversation(db, conversation_id).team_id), component=component)


def stored(engine: Engine, run_id: int) -> list[RunEvent]:
    with session(engine) as db:
        return list_events(db, run_id)


def run_row(engine: Engine, run_id: int) -> Run:
    with session(engine) as db:
        return get_run(db, run_id)


async def follow_all(manager: RunManager, run_id: int, after_seq: int = 0) -> list[Update]:
    return [update async for update in manager.follow(run_id, after_seq)]


async def finished(manager: RunManager, run_id: int) -> list[Update]:
    updates = await asyncio.wait_for(follow_all(manager, run_id), 30)
    assert updates[-1].kind == "end"
    return updates


def events(updates: list[Update]) -> list[tuple[int, str, str]]:
    return [(u.seq, u.event.type, u.event.source) for u in updates if u.kind == "event"]


def texts(rows: list[RunEvent]) -> list[tuple[str, str, Any]]:
    return [(e.type, e.source, e.data.get("content")) for e in rows]


def writer_and_user(*replies: str, n: int = 4) -> dict[str, Any]:
    return team("RoundRobinGroupChat", [assistant("writer", replay(*replies)), user_proxy("user")],
                termination_condition=max_messages(n))


def solo(model: dict[str, Any], n: int = 2) -> dict[str, Any]:
    return team("RoundRobinGroupChat", [assistant("writer", model)], termination_condition=max_messages(n))


def run_count(engine: Engine, conversation_id: int) -> int:
    with session(engine) as db:
        return len(list_runs(db, conversation_id))
