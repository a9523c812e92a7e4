"""Optimistic concurrency on team writes, with real concurrent transactions on SQLite and PostgreSQL:
a change based on an old revision writes nothing (`RevisionConflict`), and concurrent changes without a
base never collide on a version number."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from studio.store import RevisionConflict, create_team, get_team, list_versions, session, update_team


def _team(engine: Engine, component: dict[str, Any]) -> int:
    with session(engine) as db:
        return create_team(db, component=component).id  # type: ignore[return-value]


def _race(engine: Engine, team_id: int, writers: list[Callable[[Session, Any], None]]) -> list[BaseException | None]:
    """Each writer in its own thread and transaction; all read the team before any writes."""
    ready = threading.Barrier(len(writers))
    outcomes: list[BaseException | None] = [None] * len(writers)

    def run(i: int) -> None:
        try:
            with session(engine) as db:
                team = get_team(db, team_id)
                ready.wait(timeout=30)
                writers[i](db, team)
        except BaseException as exc:  # noqa: BLE001 (reported to the test)
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _component(base: dict[str, Any], text: str) -> dict[str, Any]:
    return base | {"description": text}


def test_a_write_counts_a_revision(engine: Engine, writer_critic: dict) -> None:
    team_id = _team(engine, writer_critic)
    with session(engine) as db:
        team = get_team(db, team_id)
        assert team.revision == 1
        update_team(db, team, label="Poets", base_revision=1)
        assert team.revision == 2
        update_team(db, team, layout={"writer": [1, 2]})  # no base: whatever is current
        assert team.revision == 3
    with session(engine) as db:
        assert get_team(db, team_id).revision == 3


def test_a_stale_write_writes_nothing(engine: Engine, writer_critic: dict) -> None:
    team_id = _team(engine, writer_critic)
    with session(engine) as db:
        update_team(db, get_team(db, team_id), component=_component(writer_critic, "first"), base_revision=1)
    with pytest.raises(RevisionConflict) as raised, session(engine) as db:
        update_team(db, get_team(db, team_id), component=_component(writer_critic, "stale"), base_revision=1)
    assert (raised.value.base, raised.value.current) == (1, 2)
    with session(engine) as db:
        team = get_team(db, team_id)
        assert team.component["description"] == "first" and team.revision == 2
        assert len(list_versions(db, team_id)) == 1


def test_concurrent_saves_from_one_revision_one_wins(engine: Engine, writer_critic: dict) -> None:
    team_id = _team(engine, writer_critic)

    def save(text: str) -> Callable[[Session, Any], None]:
        return lambda db, team: update_team(db, team, component=_component(writer_critic, text),
                                            base_revision=team.revision)

    outcomes = _race(engine, team_id, [save("left"), save("right")])
    conflicts = [o for o in outcomes if isinstance(o, RevisionConflict)]
    assert len(conflicts) == 1 and outcomes.count(None) == 1, outcomes
    assert conflicts[0].current == 2
    winner = ["left", "right"][outcomes.index(None)]
    with session(engine) as db:
        team = get_team(db, team_id)
        assert (team.component["description"], team.revision) == (winner, 2)
        assert [v.number for v in list_versions(db, team_id)] == [1]


def test_concurrent_saves_without_a_base_keep_every_version(engine: Engine, writer_critic: dict) -> None:
    team_id = _team(engine, writer_critic)
    writers = [lambda db, team, i=i: update_team(db, team, component=_component(writer_critic, f"w{i}"))
               for i in range(4)]
    assert _race(engine, team_id, writers) == [None] * 4  # no unique-constraint error on version numbers
    with session(engine) as db:
        team = get_team(db, team_id)
        assert team.revision == 5
        assert sorted(v.number for v in list_versions(db, team_id)) == [1, 2, 3, 4]
        kept = {v.component.get("description") for v in list_versions(db, team_id)}
        assert kept | {team.component["description"]} == {writer_critic.get("description"), "w0", "w1", "w2", "w3"}
