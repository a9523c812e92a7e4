"""The run engine (playground/runs.py): store then publish, follow exactly once, stop, refusals, model errors,
recording and replay. Continuing and resetting conversations, human input and attachments have their own
modules' tests (test_conversations, test_human_input, test_attachments)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import pytest

from studio.playground import ConversationNotFound, RunManager, RunNotFound, RunRefused, Update
from studio.playground.runs import STOPPED_REASON
from studio.settings import Settings
from studio.store import make_engine, migrate
from tests.components.builders import replay
from tests.playground.replay_teams import (
    assistant,
    max_messages,
    openai_model,
    team,
    user_proxy,
)
from tests.playground.runs_support import (
    events,
    finished,
    follow_all,
    new_session,
    run_count,
    run_row,
    set_component,
    solo,
    stored,
    texts,
    writer_and_user,
)
from tests.support.openai_server import OpenAIServer
from tests.support.postgres import postgres_url
from tests.support.waits import until

# -- store then publish, follow ------------------------------------------------------------------------


async def test_events_are_stored_in_order_and_each_follower_sees_each_once(engine, manager) -> None:
    conversation_id = new_session(engine, writer_and_user("draft one", "draft two"))
    run_id = await manager.start(conversation_id, "Write a haiku")
    early = asyncio.create_task(follow_all(manager, run_id))  # follows from the start, live
    question = await until(lambda: manager.pending_question(run_id))
    # A follower joining mid-run gets the stored events from the database, then the live ones.
    late = asyncio.create_task(follow_all(manager, run_id))
    middle = asyncio.create_task(follow_all(manager, run_id, after_seq=2))
    await until(lambda: len(manager._broker._followers.get(run_id, ())) == 3)  # all three follow live
    assert await manager.reply(run_id, "make it shorter")
    updates = await asyncio.wait_for(early, 30)

    rows = stored(engine, run_id)
    assert texts(rows) == [
        ("TextMessage", "user", "Write a haiku"),
        ("TextMessage", "writer", "draft one"),
        ("UserInputRequestedEvent", "user", ""),
        ("TextMessage", "user", "make it shorter"),
        ("TextMessage", "writer", "draft two"),
    ]
    assert [e.seq for e in rows] == [1, 2, 3, 4, 5]
    expected = [(e.seq, e.type, e.source) for e in rows]
    assert events(updates) == expected
    assert events(await late) == expected
    assert events(await middle) == expected[2:]
    assert (question.agent, question.asked_seq) == ("user", 3)
    assert question.prompt == "Enter your response: "
    end = updates[-1]
    assert end.kind == "end" and end.run.status == "complete"
    assert end.run.stop_reason == "Maximum number of messages 4 reached, current message count: 4"
    assert [u.kind for u in updates].count("end") == 1
    assert any(u.kind == "question" and u.data["agent"] == "user" for u in updates)


async def test_a_follower_yields_a_question_once_though_it_learns_of_it_twice(engine, manager) -> None:
    """A follower joining as the question is asked sees it pending and also queued by the broker: a second
    reply form would replace the first, and the answer being typed into it, in the browser."""
    run_id = await manager.start(new_session(engine, writer_and_user("draft one", "draft two")), "Write a haiku")
    question = await until(lambda: manager.pending_question(run_id))
    seen: list[Update] = []
    async with contextlib.aclosing(manager.follow(run_id)) as updates:
        async for update in updates:
            seen.append(update)
            if update.kind == "question":  # subscribed by now: the broker delivers this copy to it too
                manager._broker.publish(run_id, Update("question", seq=question.asked_seq, data=question.dump()))
                assert await manager.reply(run_id, "make it shorter")
    assert [u.kind for u in seen].count("question") == 1
    assert events(seen)[-1] == (5, "TextMessage", "writer") and seen[-1].kind == "end"


async def test_a_finished_run_yields_its_stored_events_then_the_end(engine, manager) -> None:
    run_id = await manager.start(new_session(engine, solo(replay("hello"))), "Say hello")
    await finished(manager, run_id)
    assert not manager.is_active(run_id)
    again = await follow_all(manager, run_id)
    assert events(again) == [(1, "TextMessage", "user"), (2, "TextMessage", "writer")]
    assert again[-1].run.status == "complete"
    assert events(await follow_all(manager, run_id, after_seq=1)) == [(2, "TextMessage", "writer")]
    assert events(await follow_all(manager, run_id, after_seq=2)) == []


async def test_following_an_unknown_run_says_so(manager) -> None:
    with pytest.raises(RunNotFound):
        await follow_all(manager, 999)


async def test_streamed_chunks_reach_followers_but_are_not_stored(engine, manager) -> None:
    writer = assistant("writer", replay("one two three"), stream=True)
    component = team("RoundRobinGroupChat", [writer], termination_condition=max_messages(2))
    run_id = await manager.start(new_session(engine, component), "Count")
    follower = asyncio.create_task(follow_all(manager, run_id))
    updates = await asyncio.wait_for(follower, 30)
    assert {e.type for e in stored(engine, run_id)} == {"TextMessage"}
    chunks = [u.data["content"] for u in updates if u.kind == "chunk"]
    assert "".join(chunks) == "one two three"
    assert all(u.seq is None for u in updates if u.kind == "chunk")


# -- stop, errors -------------------------------------------------------------------------------------


async def test_stop_cancels_the_current_model_call(engine, manager, openai_server: OpenAIServer) -> None:
    openai_server.delay(30.0)
    run_id = await manager.start(new_session(engine, solo(openai_model(openai_server.base_url))), "Think long")
    await until(lambda: openai_server.chat_requests)
    assert await manager.stop(run_id)
    updates = await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert (run.status, run.stop_reason, run.error) == ("stopped", STOPPED_REASON, None)
    assert updates[-1].run.status == "stopped"
    assert texts(stored(engine, run_id)) == [("TextMessage", "user", "Think long")]
    assert not await manager.stop(run_id)  # not active any more


async def test_a_model_error_ends_the_run_as_error_with_the_message(engine, manager, openai_server) -> None:
    openai_server.fail(401, "Incorrect API key provided", retry_after_ms=None)
    run_id = await manager.start(new_session(engine, solo(openai_model(openai_server.base_url))), "Hi")
    await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert run.status == "error"
    assert run.stop_reason.startswith("Error:")
    assert "Incorrect API key provided" in run.error
    assert "Traceback" not in run.error
    last = stored(engine, run_id)[-1]
    assert last.type == "ErrorEvent" and "Incorrect API key provided" in last.data["content"]


async def test_an_unexpected_failure_ends_the_run_as_error_and_the_manager_keeps_working(
    engine, manager, monkeypatch
) -> None:
    conversation_id = new_session(engine, solo(replay("hello", "again")))

    def broken(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("studio.playground.run_writer.store.add_events", broken)
    run_id = await manager.start(conversation_id, "Hi")
    await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert run.status == "error" and "disk on fire" in run.error and "Traceback" not in run.error
    monkeypatch.undo()
    second = await manager.start(conversation_id, "Hi again")
    await finished(manager, second)
    second_run = run_row(engine, second)
    assert second_run.status == "complete"
    assert second_run.fresh_start and "failed unexpectedly" in second_run.notice


# -- refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["", "   ", [], [{"type": "text", "text": " "}]])
async def test_an_empty_task_is_refused_and_nothing_is_stored(engine, manager, task) -> None:
    conversation_id = new_session(engine, solo(replay("hello")))
    with pytest.raises(RunRefused) as refused:
        await manager.start(conversation_id, task)
    assert [p.path for p in refused.value.problems] == ["task"]
    assert "empty" in refused.value.message
    assert run_count(engine, conversation_id) == 0


async def test_an_invalid_team_is_refused_with_its_problems(engine, manager) -> None:
    component = solo(replay("hello"))
    component["config"]["participants"][0]["config"]["name"] = 5
    del component["config"]["termination_condition"]["config"]["max_messages"]
    conversation_id = new_session(engine, component)
    with pytest.raises(RunRefused) as refused:
        await manager.start(conversation_id, "Go")
    paths = {p.path for p in refused.value.problems}
    assert "config.participants[0].config.name" in paths
    assert "config.termination_condition.config.max_messages" in paths
    assert run_count(engine, conversation_id) == 0
    # The session is not left claimed: a fixed team runs.
    set_component(engine, conversation_id, solo(replay("hello")))
    await finished(manager, await manager.start(conversation_id, "Go"))


async def test_one_run_at_a_time_per_session(engine, manager) -> None:
    conversation_id = new_session(engine, writer_and_user("draft"))
    run_id = await manager.start(conversation_id, "Go")
    await until(lambda: manager.pending_question(run_id))
    with pytest.raises(RunRefused, match="already active"):
        await manager.start(conversation_id, "Again")
    await manager.stop(run_id)
    await finished(manager, run_id)


async def test_an_unknown_session_is_refused_as_not_found_every_time(manager) -> None:
    for _ in range(2):  # the first refusal let go of its claim: no "a run is already active" the second time
        with pytest.raises(ConversationNotFound, match="no playground session 12345"):
            await manager.start(12345, "Go")


# -- recording and replay -----------------------------------------------------------------------------


async def test_the_recording_is_stored_and_a_replay_reproduces_the_trace(engine, manager, openai_server) -> None:
    openai_server.reply("draft one", usage=(5, 2))
    openai_server.reply("draft two", usage=(9, 2))
    url = openai_server.base_url
    component = team("RoundRobinGroupChat", [assistant("writer", openai_model(url)), user_proxy("user")],
                     termination_condition=max_messages(4))
    conversation_id = new_session(engine, component)
    original = await manager.start(conversation_id, "Write")
    await until(lambda: manager.pending_question(original))
    await manager.reply(original, "shorter please")
    await finished(manager, original)
    recording = run_row(engine, original).recording
    assert [r["content"] for r in recording["models"]["writer"]] == ["draft one", "draft two"]
    assert recording["user"] == {"user": ["shorter please"]}

    replayed = await manager.start(conversation_id, "", replay_of=original)
    await finished(manager, replayed)  # no reply needed: the recorded one is fed in
    assert texts(stored(engine, replayed)) == texts(stored(engine, original))
    assert len(openai_server.chat_requests) == 2  # the replay called no live model
    run = run_row(engine, replayed)
    assert (run.status, run.replay_of, run.task) == ("complete", original, "Write")


async def test_a_supplied_recording_plays_its_scripted_replies(engine, manager, openai_server) -> None:
    """A gallery demo: the team runs on the recording's model and user replies, no model called."""
    url = openai_server.base_url
    component = team("RoundRobinGroupChat", [assistant("writer", openai_model(url)), user_proxy("user")],
                     termination_condition=max_messages(4))
    conversation_id = new_session(engine, component)
    demo = {"demo": True, "models": {"writer": ["demo draft", "demo final"]}, "user": {"user": ["shorter please"]}}
    run_id = await manager.start(conversation_id, "Write", recording=demo)
    await finished(manager, run_id)
    assert [(source, text) for kind, source, text in texts(stored(engine, run_id)) if kind == "TextMessage"] == [
        ("user", "Write"), ("writer", "demo draft"), ("user", "shorter please"), ("writer", "demo final")]
    assert openai_server.chat_requests == []
    assert run_row(engine, run_id).status == "complete"


async def test_a_run_without_recording_cannot_be_replayed(engine, manager) -> None:
    conversation_id = new_session(engine, solo(replay("hello")))
    with pytest.raises(RunRefused, match="no recording"):
        await manager.start(conversation_id, "", replay_of=4242)
    assert run_count(engine, conversation_id) == 0


async def test_aclose_interrupts_active_runs(engine, make_manager) -> None:
    manager = make_manager()
    run_id = await manager.start(new_session(engine, writer_and_user("draft")), "Go")
    await until(lambda: manager.pending_question(run_id))
    await manager.aclose()
    run = run_row(engine, run_id)
    assert run.status == "interrupted" and run.finished_at is not None


async def test_a_run_with_a_question_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    engine = make_engine(postgres_url(pg_database))
    migrate(engine)
    manager = RunManager(engine, Settings(home=tmp_path / "home"))
    try:
        run_id = await manager.start(new_session(engine, writer_and_user("draft one", "draft two")), "Go")
        follower = asyncio.create_task(follow_all(manager, run_id))
        await until(lambda: manager.pending_question(run_id))
        await manager.reply(run_id, "ok")
        updates = await asyncio.wait_for(follower, 30)
        assert [e[0] for e in events(updates)] == [1, 2, 3, 4, 5]
        run = run_row(engine, run_id)
        assert (run.status, run.recording["user"]) == ("complete", {"user": ["ok"]})
        assert run.prompt_tokens > 0
    finally:
        await manager.aclose()
        engine.dispose()


async def test_a_follower_that_falls_behind_catches_up_from_the_database(engine, manager, monkeypatch) -> None:
    monkeypatch.setattr("studio.playground.broker.FOLLOWER_QUEUE_SIZE", 1)  # every burst overflows
    writer = assistant("writer", replay("one two three", "four five"), stream=True)
    component = team("RoundRobinGroupChat", [writer, user_proxy("user")], termination_condition=max_messages(4))
    run_id = await manager.start(new_session(engine, component), "Count")
    follower = asyncio.create_task(follow_all(manager, run_id))
    await until(lambda: manager.pending_question(run_id))
    await manager.reply(run_id, "more")
    updates = await asyncio.wait_for(follower, 30)
    assert [seq for seq, _, _ in events(updates)] == [1, 2, 3, 4, 5]
    assert updates[-1].kind == "end" and updates[-1].run.status == "complete"


async def test_a_follower_hears_keepalives_while_the_run_waits_and_then_every_event(engine, manager) -> None:
    run_id = await manager.start(new_session(engine, writer_and_user("draft one", "draft two")), "Go")
    heard: list[Update] = []

    async def follow() -> None:
        async for update in manager.follow(run_id, heartbeat=0.02):
            heard.append(update)

    follower = asyncio.create_task(follow())
    await until(lambda: manager.pending_question(run_id))
    await until(lambda: sum(u.kind == "keepalive" for u in heard) >= 2)  # nothing else happens while it waits
    await manager.reply(run_id, "ok")
    await asyncio.wait_for(follower, 30)
    assert [seq for seq, _, _ in events(heard)] == [1, 2, 3, 4, 5]
    assert heard[-1].kind == "end" and heard[-1].run.status == "complete"
