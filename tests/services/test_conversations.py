"""Playground conversations: listing with their newest run, naming, opening for a team, runs that belong."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from studio import store
from studio.services import conversations
from studio.services.errors import NotFoundError
from studio.store.models import Team

from .helpers import writer_critic


@pytest.fixture
def team(db: Session) -> Team:
    return store.create_team(db, component=writer_critic(), label="Conversations")


def test_names_are_tidied_and_cut_and_an_empty_name_shows_the_number(db: Session, team: Team) -> None:
    conversation = conversations.create_conversation(db, team, "  first \n  try  ")
    assert conversation.name == "first try"
    renamed = conversations.rename_conversation(db, conversation, "x" * 300)
    assert renamed.name == "x" * conversations.NAME_LIMIT
    assert conversations.conversation_title(conversations.rename_conversation(db, renamed, "   ")) == \
        f"Session {conversation.id}"


def test_a_team_opens_its_latest_conversation_or_a_new_one(db: Session, team: Team) -> None:
    assert conversations.latest_conversation(db, team) is None
    opened = conversations.open_conversation_for_team(db, team)
    assert conversations.open_conversation_for_team(db, team).id == opened.id  # no second one
    newer = conversations.create_conversation(db, team)
    store.create_run(db, conversation_id=newer.id, task="go")  # a run makes it the most recently active
    assert conversations.latest_conversation(db, team).id == newer.id


def test_the_list_carries_each_conversation_s_team_and_newest_run(db: Session, team: Team) -> None:
    quiet, busy = conversations.create_conversation(db, team, "quiet"), conversations.create_conversation(db, team)
    store.create_run(db, conversation_id=busy.id, task="one")
    second = store.create_run(db, conversation_id=busy.id, task="two")
    listed = conversations.list_conversations(db, team_id=team.id)
    assert [(row.conversation.id, row.team.id, row.last_run and row.last_run.id) for row in listed] == [
        (busy.id, team.id, second.id), (quiet.id, team.id, None)]


def test_missing_conversations_and_runs_are_not_found(db: Session, team: Team) -> None:
    with pytest.raises(NotFoundError, match="There is no playground session 999999"):
        conversations.get_conversation(db, 999_999)
    with pytest.raises(NotFoundError, match="There is no run 999999"):
        conversations.get_run(db, 999_999)


def test_a_run_of_another_conversation_is_not_found_in_this_one(db: Session, team: Team) -> None:
    mine, other = conversations.create_conversation(db, team), conversations.create_conversation(db, team)
    run = store.create_run(db, conversation_id=other.id, task="theirs")
    assert conversations.get_run_in(db, other, run.id).id == run.id
    assert conversations.conversation_of(db, run).id == other.id
    with pytest.raises(NotFoundError, match=f"does not belong to session {mine.id}"):
        conversations.get_run_in(db, mine, run.id)


def test_deleting_a_conversation_deletes_its_runs_and_events(db: Session, team: Team) -> None:
    conversation = conversations.create_conversation(db, team)
    run = store.create_run(db, conversation_id=conversation.id, task="go")
    store.add_events(db, [(run.id, 1, {"type": "TextMessage", "source": "user", "content": "go"})])
    assert [e.seq for e in conversations.list_events(db, run.id)] == [1] and conversations.last_seq(db, run.id) == 1
    conversations.delete_conversation(db, conversation)
    with pytest.raises(NotFoundError):
        conversations.get_run(db, run.id)
    assert conversations.list_events(db, run.id) == [] and conversations.last_seq(db, run.id) == 0
