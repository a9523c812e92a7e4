"""Sessions, runs and their events: order, paging, token totals, endings, restarts."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from studio import store
from studio.store import (
    INTERRUPTED_REASON,
    Run,
    RunEvent,
    RunPublic,
    RunStatus,
    add_event,
    create_conversation,
    create_run,
    create_team,
    delete_conversation,
    finish_run,
    get_conversation,
    get_run,
    has_runs,
    last_run,
    list_conversations,
    list_events,
    list_runs,
    mark_interrupted_runs,
)


@pytest.fixture
def run(db: Session) -> Run:
    team = create_team(db, component={}, label="T")
    conversation = create_conversation(db, team_id=team.id, name="first conversation")
    return create_run(db, conversation_id=conversation.id, task="Write a haiku")


def _append(db: Session, run: Run, event: dict) -> RunEvent:
    """Store `event` as the run's next event, the way a writer keeping count does."""
    return add_event(db, run.id, store.last_seq(db, run.id) + 1, event)


def _message(n: int, usage: tuple[int, int] | None = None) -> dict:
    event = {"type": "TextMessage", "source": f"agent{n % 2}", "content": f"message {n}"}
    if usage:
        event["models_usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1]}
    return event


def test_a_new_run_is_running(db: Session, run: Run) -> None:
    assert (run.status, run.task, run.finished_at, run.error) == ("running", "Write a haiku", None, None)
    assert run.started_at.tzinfo is not None
    assert [r.id for r in list_runs(db, run.conversation_id)] == [run.id]
    assert get_run(db, run.id) is run


def test_events_come_back_in_order_with_seq_and_after_seq_paging(db: Session, run: Run) -> None:
    stored = [_append(db, run, _message(n)) for n in range(1, 8)]
    assert [e.seq for e in stored] == list(range(1, 8))
    db.commit()
    db.expire_all()
    events = list_events(db, run.id)
    assert [e.data["content"] for e in events] == [f"message {n}" for n in range(1, 8)]
    assert (events[0].type, events[0].source) == ("TextMessage", "agent1")
    assert [e.seq for e in list_events(db, run.id, after_seq=5)] == [6, 7]
    assert [e.seq for e in list_events(db, run.id, after_seq=2, limit=3)] == [3, 4, 5]
    assert list_events(db, run.id, after_seq=7) == []
    assert events[0].data == _message(1)


def test_seq_counts_per_run(db: Session, run: Run) -> None:
    other = create_run(db, conversation_id=run.conversation_id, task="again")
    _append(db, run, _message(1))
    assert _append(db, other, _message(1)).seq == 1
    assert _append(db, run, _message(2)).seq == 2


def test_token_usage_adds_up_from_the_events(db: Session, run: Run) -> None:
    _append(db, run, _message(1, usage=(10, 5)))
    _append(db, run, {"type": "ModelClientStreamingChunkEvent", "source": "a", "content": "x"})
    _append(db, run, _message(2, usage=(7, 3)))
    db.commit()
    db.expire_all()
    loaded = get_run(db, run.id)
    assert (loaded.prompt_tokens, loaded.completion_tokens) == (17, 8)


def test_add_event_stores_the_given_seq_and_adds_tokens_in_sql(db: Session, run: Run) -> None:
    db.commit()
    add_event(db, run.id, 1, _message(1, usage=(10, 5)))
    add_event(db, run.id, 2, _message(2))
    add_event(db, run.id, 3, _message(3, usage=(7, 3)))
    db.commit()
    db.expire_all()
    assert [(e.seq, e.data["content"]) for e in list_events(db, run.id)] == [
        (1, "message 1"), (2, "message 2"), (3, "message 3")
    ]
    loaded = get_run(db, run.id)
    assert (loaded.prompt_tokens, loaded.completion_tokens) == (17, 8)
    with pytest.raises(IntegrityError):  # a second writer of the same seq clashes, never reorders
        add_event(db, run.id, 3, _message(4))
    db.rollback()


def test_a_run_notes_a_fresh_start_and_keeps_its_recording(db: Session, run: Run) -> None:
    assert (run.fresh_start, run.notice, run.replay_of, run.recording) == (True, "", None, {})
    replay = create_run(db, conversation_id=run.conversation_id, task="again", replay_of=run.id,
                        fresh_start=False, notice="why")
    recording = {"version": 1, "models": {"writer": [{"content": "hi"}]}, "user": {}}
    finish_run(db, replay, status="complete", recording=recording)
    db.commit()
    db.expire_all()
    loaded = get_run(db, replay.id)
    assert (loaded.replay_of, loaded.fresh_start, loaded.notice, loaded.recording) == (run.id, False, "why", recording)
    assert RunPublic.model_validate(loaded).notice == "why"


def test_finish_run_records_the_ending(db: Session, run: Run) -> None:
    finish_run(db, run, status="complete", stop_reason="Text 'APPROVE' mentioned")
    db.commit()
    db.expire_all()
    loaded = get_run(db, run.id)
    assert (loaded.status, loaded.stop_reason, loaded.error) == ("complete", "Text 'APPROVE' mentioned", None)
    assert loaded.finished_at is not None and loaded.finished_at >= loaded.started_at
    with pytest.raises(ValueError):
        finish_run(db, run, status="running")
    with pytest.raises(ValueError):
        finish_run(db, run, status="exploded")


def test_mark_interrupted_runs_after_a_restart(db: Session, run: Run) -> None:
    second = create_run(db, conversation_id=run.conversation_id, task="two")
    done = create_run(db, conversation_id=run.conversation_id, task="three")
    finish_run(db, done, status=RunStatus.ERROR, stop_reason="Error: boom", error="boom")
    db.commit()
    assert mark_interrupted_runs(db) == 2
    db.commit()
    db.expire_all()
    for run_id in (run.id, second.id):
        loaded = get_run(db, run_id)
        assert (loaded.status, loaded.stop_reason) == ("interrupted", INTERRUPTED_REASON)
        assert loaded.finished_at is not None
    assert get_run(db, done.id).status == "error"
    assert mark_interrupted_runs(db) == 0


def test_sessions_by_team_and_deleting_one_drops_its_runs(db: Session, run: Run) -> None:
    conversation = get_conversation(db, run.conversation_id)
    other_team = create_team(db, component={}, label="U")
    other = create_conversation(db, team_id=other_team.id)
    assert [s.id for s in list_conversations(db, team_id=conversation.team_id)] == [conversation.id]
    assert {s.id for s in list_conversations(db)} == {conversation.id, other.id}
    _append(db, run, _message(1))
    db.commit()
    delete_conversation(db, conversation)
    db.commit()
    assert get_conversation(db, conversation.id) is None
    assert get_run(db, run.id) is None
    assert list_events(db, run.id) == []


def test_last_run_and_whether_a_session_has_runs_of_its_own(db: Session, run: Run) -> None:
    empty = create_conversation(db, team_id=get_conversation(db, run.conversation_id).team_id)
    assert (last_run(db, empty.id), has_runs(db, empty.id)) == (None, False)
    replay = create_run(db, conversation_id=empty.id, task="again", replay_of=run.id)
    assert (last_run(db, empty.id).id, has_runs(db, empty.id), has_runs(db, empty.id, replays=False)) == (
        replay.id, True, False)
    newest = create_run(db, conversation_id=empty.id, task="new")
    assert (last_run(db, empty.id).id, has_runs(db, empty.id, replays=False)) == (newest.id, True)


def test_rename_session_stores_the_new_name(db: Session, run: Run) -> None:
    conversation = get_conversation(db, run.conversation_id)
    assert conversation is not None and conversation.name == "first conversation"
    assert store.rename_conversation(db, conversation, "Sea haiku").name == "Sea haiku"
    db.commit()
    db.expire_all()
    assert get_conversation(db, run.conversation_id).name == "Sea haiku"


def test_last_seq_is_the_newest_event_of_that_run_only(db: Session, run: Run) -> None:
    assert store.last_seq(db, run.id) == 0
    other = create_run(db, conversation_id=run.conversation_id, task="Another")
    for n in range(1, 4):
        _append(db, run, _message(n))
    _append(db, other, _message(9))
    db.commit()
    assert (store.last_seq(db, run.id), store.last_seq(db, other.id)) == (3, 1)


def test_run_output_with_nul_and_surrogates_is_recorded_scrubbed(engine: Engine) -> None:
    """What a run produces is kept (with U+FFFD for what no database holds), on SQLite and PostgreSQL."""
    from studio.store import add_event, create_conversation, create_run, create_team, finish_run, list_events
    from studio.store import session as store_session

    with store_session(engine) as db:
        team = create_team(db, component={"provider": "x", "config": {}}, label="T")
        run = create_run(db, conversation_id=create_conversation(db, team_id=team.id).id, task="hi")
        add_event(db, run.id, 1, {"type": "TextMessage", "source": "tool\x00", "content": "a\x00b\ud800c"})
        finish_run(db, run, status="error", error="bad \x00 byte")
        run_id = run.id
    with store_session(engine) as db:
        events = list_events(db, run_id)
        assert events[0].data["content"] == "a\ufffdb\ufffdc" and events[0].source == "tool\ufffd"
