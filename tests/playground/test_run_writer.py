"""The runs' batching writer: rows come back committed, runs writing together share a transaction, a
stored batch is published before its writers go on, and a bad write fails alone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from studio.playground import run_writer
from studio.playground.run_writer import RunWriter
from studio.store import create_conversation, create_run, create_team, get_run, list_events, session
from studio.store.models import RunEvent


def new_runs(engine: Engine, count: int) -> list[int]:
    with session(engine) as db:
        conversation = create_conversation(db, team_id=create_team(db, component={}, label="T").id)
        return [create_run(db, conversation_id=conversation.id, task=f"task {i}").id for i in range(count)]


def message(text: str, usage: tuple[int, int] | None = None) -> dict[str, Any]:
    tokens = {"prompt_tokens": usage[0], "completion_tokens": usage[1]} if usage else None
    return {"type": "TextMessage", "source": "writer", "content": text, "models_usage": tokens}


@pytest.fixture
def transactions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the writer's transactions (one entry per `db_session` it opens)."""
    opened: list[int] = []
    real = run_writer.db_session

    @contextmanager
    def counting(engine: Engine) -> Iterator[Any]:
        opened.append(1)
        with real(engine) as db:
            yield db

    monkeypatch.setattr(run_writer, "db_session", counting)
    return opened


def ignore(row: RunEvent) -> None:
    pass


async def test_events_of_runs_arriving_together_share_one_transaction(engine, transactions) -> None:
    writer = RunWriter(engine, on_stored=ignore)
    runs = new_runs(engine, 5)
    rows = await asyncio.gather(*(writer.event(run_id, 1, message(f"from run {run_id}", usage=(run_id, 1)))
                                  for run_id in runs))
    assert [(r.run_id, r.seq, r.data["content"]) for r in rows] == [(i, 1, f"from run {i}") for i in runs]
    assert len(transactions) == 1
    with session(engine) as db:
        assert [(get_run(db, i).prompt_tokens, get_run(db, i).completion_tokens) for i in runs] == [(i, 1) for i in runs]
    with session(engine) as db:
        assert [[e.data["content"] for e in list_events(db, run_id)] for run_id in runs] == [
            [f"from run {run_id}"] for run_id in runs
        ]


async def test_a_stored_batch_is_published_before_any_of_its_writers_goes_on(engine) -> None:
    happened: list[tuple[str, int]] = []
    writer = RunWriter(engine, on_stored=lambda row: happened.append(("published", row.run_id)))
    runs = new_runs(engine, 3)

    async def write(run_id: int) -> None:
        row = await writer.event(run_id, 1, message("hello"))
        happened.append(("woken", row.run_id))

    await asyncio.gather(*(write(run_id) for run_id in runs))
    assert happened == [("published", i) for i in runs] + [("woken", i) for i in runs]


async def test_a_run_writing_one_event_after_another_keeps_its_order_and_token_totals(engine) -> None:
    writer = RunWriter(engine, on_stored=ignore)
    [run_id] = new_runs(engine, 1)
    for seq in range(1, 4):
        await writer.event(run_id, seq, message(f"m{seq}", usage=(10, 2)))
    with session(engine) as db:
        assert [e.data["content"] for e in list_events(db, run_id)] == ["m1", "m2", "m3"]
        run = get_run(db, run_id)
        assert (run.prompt_tokens, run.completion_tokens) == (30, 6)


async def test_a_bad_event_fails_alone_and_is_never_published(engine, transactions) -> None:
    published: list[str] = []
    writer = RunWriter(engine, on_stored=lambda row: published.append(row.data["content"]))
    good, other = new_runs(engine, 2)
    await writer.event(other, 1, message("first"))
    results = await asyncio.gather(
        writer.event(good, 1, message("kept")),
        writer.event(other, 1, message("seq 1 again")),  # the unique (run_id, seq) index refuses it
        return_exceptions=True,
    )
    assert results[0].data["content"] == "kept"
    assert isinstance(results[1], IntegrityError)
    assert published == ["first", "kept"]
    with session(engine) as db:
        assert [e.data["content"] for e in list_events(db, good)] == ["kept"]
        assert [e.data["content"] for e in list_events(db, other)] == ["first"]


async def test_rows_and_events_written_together_share_a_transaction_and_a_failing_write_fails_alone(
    engine, transactions
) -> None:
    writer = RunWriter(engine, on_stored=ignore)
    [run_id] = new_runs(engine, 1)
    with session(engine) as db:
        conversation_id = get_run(db, run_id).conversation_id

    def broken(db: Any) -> None:
        raise ValueError("not this one")

    created, event, failed = await asyncio.gather(
        writer.write(lambda db: create_run(db, conversation_id=conversation_id, task="another").id),
        writer.event(run_id, 1, message("stored")),
        writer.write(broken),
        return_exceptions=True,
    )
    assert isinstance(failed, ValueError)
    assert event.data["content"] == "stored"
    assert len(transactions) == 1 + 3  # the shared one failed, then each write alone
    with session(engine) as db:
        assert get_run(db, created).task == "another"
        assert [e.data["content"] for e in list_events(db, run_id)] == ["stored"]
