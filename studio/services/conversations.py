"""Playground conversations (the UI's "sessions"): a team's runs, one after another, and each run's stored
events. What the Playground pages read and change, so `studio.web` never reaches the store itself.

Running a task is the run manager's (`studio.playground.RunManager`); this is the stored side.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from studio import store
from studio.store.models import Conversation, Run, RunEvent, Team
from studio.store.types import id_of

from . import teams
from .errors import NotFoundError, find_row

NAME_LIMIT = 200


@dataclass(frozen=True)
class Listed:
    """A conversation in the list: its team and its newest run (None before the first)."""

    conversation: Conversation
    team: Team
    last_run: Run | None


def conversation_title(conversation: Conversation) -> str:
    return conversation.name or f"Session {conversation.id}"


def conversation_name(typed: str) -> str:
    """A name as typed, its whitespace tidied, at most `NAME_LIMIT` characters ("" means "Session N")."""
    return " ".join(typed.split())[:NAME_LIMIT]


def get_conversation(db: Session, conversation_id: int) -> Conversation:
    """The conversation; `NotFoundError` when there is none."""
    return find_row(store.get_conversation, db, conversation_id, f"There is no playground session {conversation_id}.")


def list_conversations(db: Session, *, team_id: int | None = None) -> list[Listed]:
    """Conversations (of one team, or all), most recently active first, each with its team and newest run."""
    return [Listed(conversation, teams.get_team(db, conversation.team_id), store.last_run(db, id_of(conversation)))
            for conversation in store.list_conversations(db, team_id=team_id)]


def latest_conversation(db: Session, team: Team) -> Conversation | None:
    """The team's most recently active conversation, None when it has none."""
    existing = store.list_conversations(db, team_id=team.id)
    return existing[0] if existing else None


def create_conversation(db: Session, team: Team, name: str = "") -> Conversation:
    return store.create_conversation(db, team_id=id_of(team), name=conversation_name(name))


def open_conversation_for_team(db: Session, team: Team) -> Conversation:
    """The team's most recently active conversation, or a new one: where `Run in playground` lands."""
    return latest_conversation(db, team) or create_conversation(db, team)


def rename_conversation(db: Session, conversation: Conversation, name: str) -> Conversation:
    return store.rename_conversation(db, conversation, conversation_name(name))


def delete_conversation(db: Session, conversation: Conversation) -> None:
    """Delete the conversation with its runs and their events (stop its live runs first)."""
    store.delete_conversation(db, conversation)


def get_run(db: Session, run_id: int) -> Run:
    """The run; `NotFoundError` when there is none."""
    return find_row(store.get_run, db, run_id, f"There is no run {run_id}.")


def get_run_in(db: Session, conversation: Conversation, run_id: int) -> Run:
    """A run of this conversation; `NotFoundError` for another conversation's run too."""
    run = get_run(db, run_id)
    if run.conversation_id != conversation.id:
        raise NotFoundError(f"Run {run_id} does not belong to session {conversation.id}.")
    return run


def conversation_of(db: Session, run: Run) -> Conversation:
    return get_conversation(db, run.conversation_id)


def list_runs(db: Session, conversation_id: int) -> list[Run]:
    """The conversation's runs, oldest first."""
    return store.list_runs(db, conversation_id)


def list_events(db: Session, run_id: int, *, after_seq: int = 0, limit: int | None = None) -> list[RunEvent]:
    """The run's events with `seq > after_seq`, in order (at most `limit`)."""
    return store.list_events(db, run_id, after_seq=after_seq, limit=limit)


def last_seq(db: Session, run_id: int) -> int:
    """The seq of the run's newest event; 0 when it has none."""
    return store.last_seq(db, run_id)


__all__ = [
    "NAME_LIMIT",
    "Listed",
    "conversation_name",
    "conversation_of",
    "conversation_title",
    "create_conversation",
    "delete_conversation",
    "get_conversation",
    "get_run",
    "get_run_in",
    "latest_conversation",
    "list_conversations",
    "list_events",
    "list_runs",
    "open_conversation_for_team",
    "rename_conversation",
]
