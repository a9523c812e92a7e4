"""Conversations, their runs, and every event a run yields, in order.

Functions flush but never commit. One writer appends a run's events (the task running it); the
unique `(run_id, seq)` index turns a second writer's clash into an error, never a reordering.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, update
from sqlmodel import Session, SQLModel, col, select

from .db import forget_cascaded
from .models import Conversation, Run, RunEvent, RunStatus
from .text_check import scrub
from .types import utcnow

INTERRUPTED_REASON = "Interrupted: the server stopped during the run."
FINAL_STATUSES = frozenset(RunStatus) - {RunStatus.RUNNING}


def create_conversation(session: Session, *, team_id: int, name: str = "") -> Conversation:
    """Start a conversation with a team."""
    conversation = Conversation(team_id=team_id, name=name)
    session.add(conversation)
    session.flush()
    return conversation


def get_conversation(session: Session, conversation_id: int) -> Conversation | None:
    return session.get(Conversation, conversation_id)


def list_conversations(session: Session, *, team_id: int | None = None) -> list[Conversation]:
    """Sessions (of one team, or all), most recently active first."""
    query = select(Conversation)
    if team_id is not None:
        query = query.where(Conversation.team_id == team_id)
    query = query.order_by(col(Conversation.updated_at).desc(), col(Conversation.id).desc())
    return list(session.exec(query))


def rename_conversation(session: Session, conversation: Conversation, name: str) -> Conversation:
    """Give a session a name ("" lets pages call it "Session N")."""
    conversation.name = name
    session.add(conversation)
    session.flush()
    return conversation


def delete_conversation(session: Session, conversation: Conversation) -> None:
    """Delete a session with its runs and their events."""
    session.delete(conversation)
    session.flush()
    forget_cascaded(session)


def create_run(
    session: Session,
    *,
    conversation_id: int,
    task: str,
    replay_of: int | None = None,
    fresh_start: bool = True,
    notice: str = "",
) -> Run:
    """A new run, `running` from now; the session counts as active."""
    now = utcnow()
    run = Run(
        conversation_id=conversation_id, task=task, status=RunStatus.RUNNING, started_at=now,
        replay_of=replay_of, fresh_start=fresh_start, notice=notice,
    )
    session.add(run)
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        conversation.updated_at = now
        session.add(conversation)
    session.flush()
    return run


def get_run(session: Session, run_id: int) -> Run | None:
    return session.get(Run, run_id)


def list_runs(session: Session, conversation_id: int) -> list[Run]:
    """A session's runs, oldest first."""
    query = select(Run).where(Run.conversation_id == conversation_id).order_by(col(Run.id))
    return list(session.exec(query))


def last_run(session: Session, conversation_id: int) -> Run | None:
    """A session's newest run, None when it has none."""
    query = select(Run).where(Run.conversation_id == conversation_id).order_by(col(Run.id).desc()).limit(1)
    return session.exec(query).first()


def has_runs(session: Session, conversation_id: int, *, replays: bool = True) -> bool:
    """Whether the session has a run (`replays=False`: a run of its own task, not a replay), without
    loading any (a run's row carries its recording)."""
    query = select(Run.id).where(Run.conversation_id == conversation_id)
    if not replays:
        query = query.where(col(Run.replay_of).is_(None))
    return session.exec(query.limit(1)).first() is not None


def add_event(session: Session, run_id: int, seq: int, event: dict[str, Any]) -> RunEvent:
    """Store `event` as the run's event number `seq`, for a writer that keeps count itself."""
    return add_events(session, [(run_id, seq, event)])[0]


def add_events(session: Session, events: Sequence[tuple[int, int, dict[str, Any]]]) -> list[RunEvent]:
    """Store `(run_id, seq, event)` triples, for writers that keep count themselves, in one flush.

    The playground's run writer does: it stores the events of every active run that arrived together
    without loading the runs or reading their last seq first. The rows go in one multi-row INSERT and the
    token totals of the runs with usage in one executemany UPDATE (in SQL, so they are right mid-run).
    """
    rows = [_row(run_id, seq, event) for run_id, seq, event in events]
    tokens: dict[int, list[int]] = {}
    for run_id, _, event in events:
        prompt, completion = _usage(event)
        if prompt or completion:
            totals = tokens.setdefault(run_id, [0, 0])
            totals[0] += prompt
            totals[1] += completion
    if tokens:
        table = SQLModel.metadata.tables[Run.__tablename__]
        session.connection().execute(
            table.update().where(table.c.id == bindparam("run")).values(
                prompt_tokens=table.c.prompt_tokens + bindparam("prompt"),
                completion_tokens=table.c.completion_tokens + bindparam("completion"),
            ),
            [{"run": run, "prompt": prompt, "completion": completion} for run, (prompt, completion) in tokens.items()],
        )
    session.add_all(rows)
    session.flush()
    return rows


def _row(run_id: int, seq: int, event: dict[str, Any]) -> RunEvent:
    event = scrub(event)  # model and tool output: a NUL is recorded as U+FFFD, not lost with the run
    return RunEvent(run_id=run_id, seq=seq, type=str(event.get("type") or ""), source=str(event.get("source") or ""),
                    data=event)


def _usage(event: dict[str, Any]) -> tuple[int, int]:
    """(prompt, completion) tokens an event's `models_usage` reports, zeros when it has none."""
    usage = event.get("models_usage")
    if not isinstance(usage, dict):
        return 0, 0
    return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def last_seq(session: Session, run_id: int) -> int:
    """The seq of the run's newest stored event; 0 when it has none (seqs run 1, 2, 3... with no gaps)."""
    return session.exec(select(func.max(RunEvent.seq)).where(RunEvent.run_id == run_id)).one() or 0


def list_events(
    session: Session, run_id: int, *, after_seq: int = 0, limit: int | None = None
) -> list[RunEvent]:
    """A run's events with `seq > after_seq`, in order: poll with the last seq you saw."""
    query = (
        select(RunEvent)
        .where(RunEvent.run_id == run_id, RunEvent.seq > after_seq)
        .order_by(col(RunEvent.seq))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query))


def finish_run(
    session: Session,
    run: Run,
    *,
    status: RunStatus | str,
    stop_reason: str = "",
    error: str | None = None,
    recording: dict[str, Any] | None = None,
) -> Run:
    """Record how a run ended: `complete`, `error`, `stopped` or `interrupted` (and what it recorded)."""
    status = RunStatus(status)
    if status not in FINAL_STATUSES:
        raise ValueError(f"a finished run cannot be {status.value!r}")
    run.status = status
    run.stop_reason = scrub(stop_reason)
    run.error = scrub(error)
    if recording is not None:
        run.recording = scrub(recording)
    run.finished_at = utcnow()
    session.add(run)
    session.flush()
    return run


def mark_interrupted_runs(session: Session) -> int:
    """On start-up: runs still `running` died with the last server; mark them. Returns how many."""
    statement = (
        update(Run)
        .where(col(Run.status) == RunStatus.RUNNING)
        .values(status=RunStatus.INTERRUPTED, stop_reason=INTERRUPTED_REASON, finished_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    result = session.exec(statement)
    return int(result.rowcount or 0)


__all__ = [
    "INTERRUPTED_REASON",
    "add_event",
    "add_events",
    "create_run",
    "create_conversation",
    "delete_conversation",
    "finish_run",
    "get_conversation",
    "get_run",
    "has_runs",
    "last_run",
    "last_seq",
    "list_events",
    "list_runs",
    "list_conversations",
    "mark_interrupted_runs",
    "rename_conversation",
]
