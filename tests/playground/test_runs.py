"""The run engine: store then publish, follow exactly once, stop, continue, reset, human input,
attachments, refusals, model errors, recording and replay."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from studio.playground import RunManager, RunNotFound, RunRefused, SessionNotFound, Update
from studio.playground.attachments import MAX_IMAGE_BYTES
from studio.playground.conversations import CHANGED_NOTICE, RESET_NOTICE, RESTART_NOTICE, UNLOADED_NOTICE
from studio.playground.runs import STOPPED_REASON
from studio.settings import Settings
from studio.store import (
    Run,
    create_session,
    create_team,
    get_run,
    list_events,
    list_runs,
    make_engine,
    migrate,
    session,
    update_team,
)
from studio.store.models import RunEvent
from tests.components.builders import replay
from tests.playground.replay_teams import (
    assistant,
    max_messages,
    openai_model,
    team,
    user_proxy,
)
from tests.support.openai_server import OpenAIServer
from tests.support.postgres import postgres_url
from tests.support.waits import until

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
async def make_manager(engine: Engine, tmp_path: Path) -> AsyncIterator[Callable[..., RunManager]]:
    """`make_manager(input_timeout_seconds=...)`: a run manager (a "server") over the test database."""
    managers: list[RunManager] = []

    def make(**settings: Any) -> RunManager:
        manager = RunManager(engine, Settings(home=tmp_path / "home", **settings))
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        await manager.aclose()


@pytest.fixture
def manager(make_manager: Callable[..., RunManager]) -> RunManager:
    return make_manager()


def new_session(engine: Engine, component: dict[str, Any]) -> int:
    with session(engine) as db:
        row = create_team(db, component=component, label="T")
        return create_session(db, team_id=row.id).id


def set_component(engine: Engine, session_id: int, component: dict[str, Any]) -> None:
    with session(engine) as db:
        from studio.store import get_chat_session, get_team

        update_team(db, get_team(db, get_chat_session(db, session_id).team_id), component=component)


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


# -- store then publish, follow ------------------------------------------------------------------------


async def test_events_are_stored_in_order_and_each_follower_sees_each_once(engine, manager) -> None:
    session_id = new_session(engine, writer_and_user("draft one", "draft two"))
    run_id = await manager.start(session_id, "Write a haiku")
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
    session_id = new_session(engine, solo(replay("hello", "again")))

    def broken(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("studio.playground.run_writer.store.add_events", broken)
    run_id = await manager.start(session_id, "Hi")
    await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert run.status == "error" and "disk on fire" in run.error and "Traceback" not in run.error
    monkeypatch.undo()
    second = await manager.start(session_id, "Hi again")
    await finished(manager, second)
    second_run = run_row(engine, second)
    assert second_run.status == "complete"
    assert second_run.fresh_start and "failed unexpectedly" in second_run.notice


# -- refusals -----------------------------------------------------------------------------------------


def run_count(engine: Engine, session_id: int) -> int:
    with session(engine) as db:
        return len(list_runs(db, session_id))


@pytest.mark.parametrize("task", ["", "   ", [], [{"type": "text", "text": " "}]])
async def test_an_empty_task_is_refused_and_nothing_is_stored(engine, manager, task) -> None:
    session_id = new_session(engine, solo(replay("hello")))
    with pytest.raises(RunRefused) as refused:
        await manager.start(session_id, task)
    assert [p.path for p in refused.value.problems] == ["task"]
    assert "empty" in refused.value.message
    assert run_count(engine, session_id) == 0


async def test_an_invalid_team_is_refused_with_its_problems(engine, manager) -> None:
    component = solo(replay("hello"))
    component["config"]["participants"][0]["config"]["name"] = 5
    del component["config"]["termination_condition"]["config"]["max_messages"]
    session_id = new_session(engine, component)
    with pytest.raises(RunRefused) as refused:
        await manager.start(session_id, "Go")
    paths = {p.path for p in refused.value.problems}
    assert "config.participants[0].config.name" in paths
    assert "config.termination_condition.config.max_messages" in paths
    assert run_count(engine, session_id) == 0
    # The session is not left claimed: a fixed team runs.
    set_component(engine, session_id, solo(replay("hello")))
    await finished(manager, await manager.start(session_id, "Go"))


async def test_one_run_at_a_time_per_session(engine, manager) -> None:
    session_id = new_session(engine, writer_and_user("draft"))
    run_id = await manager.start(session_id, "Go")
    await until(lambda: manager.pending_question(run_id))
    with pytest.raises(RunRefused, match="already active"):
        await manager.start(session_id, "Again")
    await manager.stop(run_id)
    await finished(manager, run_id)


async def test_an_unknown_session_is_refused_as_not_found_every_time(manager) -> None:
    for _ in range(2):  # the first refusal let go of its claim: no "a run is already active" the second time
        with pytest.raises(SessionNotFound, match="no playground session 12345"):
            await manager.start(12345, "Go")


# -- conversation state -------------------------------------------------------------------------------


def prompt_texts(request) -> str:
    return json.dumps(request.body["messages"])


async def test_a_second_task_continues_the_conversation(engine, manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("second answer")
    session_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    first = await manager.start(session_id, "task one")
    await finished(manager, first)
    second = await manager.start(session_id, "task two")
    await finished(manager, second)
    prompt = prompt_texts(openai_server.chat_requests[1])
    assert "task one" in prompt and "first answer" in prompt and "task two" in prompt
    assert (run_row(engine, first).fresh_start, run_row(engine, first).notice) == (True, "")
    assert (run_row(engine, second).fresh_start, run_row(engine, second).notice) == (False, "")


async def test_reset_starts_a_new_conversation(engine, manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("fresh answer")
    session_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    await finished(manager, await manager.start(session_id, "task one"))
    await manager.reset(session_id)
    after = await manager.start(session_id, "task two")
    await finished(manager, after)
    prompt = prompt_texts(openai_server.chat_requests[1])
    assert "task two" in prompt and "task one" not in prompt and "first answer" not in prompt
    assert (run_row(engine, after).fresh_start, run_row(engine, after).notice) == (True, RESET_NOTICE)


async def test_after_a_restart_the_run_says_it_starts_afresh(engine, make_manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("fresh answer")
    session_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    before = make_manager()
    await finished(before, await before.start(session_id, "task one"))
    await before.aclose()  # the old server shuts down
    restarted = make_manager()  # a new server: no live team
    run_id = await restarted.start(session_id, "task two")
    await finished(restarted, run_id)
    assert "task one" not in prompt_texts(openai_server.chat_requests[1])
    assert (run_row(engine, run_id).fresh_start, run_row(engine, run_id).notice) == (True, RESTART_NOTICE)


async def test_past_the_limit_the_least_recently_used_session_unloads_and_says_so(engine, make_manager) -> None:
    manager = make_manager(live_conversations=2)
    a, b, c = (new_session(engine, solo(replay("r1", "r2", "r3"))) for _ in range(3))
    for session_id in (a, b):
        await finished(manager, await manager.start(session_id, "first"))
    await finished(manager, await manager.start(a, "again"))  # a is now the most recently used
    await finished(manager, await manager.start(c, "first"))  # a third live team: b has to go
    kept, unloaded = await manager.start(a, "third"), await manager.start(b, "again")
    await finished(manager, kept)
    await finished(manager, unloaded)
    assert (run_row(engine, kept).fresh_start, run_row(engine, kept).notice) == (False, "")
    assert (run_row(engine, unloaded).fresh_start, run_row(engine, unloaded).notice) == (True, UNLOADED_NOTICE)
    assert {run_row(engine, run_id).status for run_id in (kept, unloaded)} == {"complete"}


async def test_a_changed_team_starts_afresh(engine, manager) -> None:
    session_id = new_session(engine, solo(replay("hello")))
    await finished(manager, await manager.start(session_id, "one"))
    set_component(engine, session_id, solo(replay("changed")))
    run_id = await manager.start(session_id, "two")
    await finished(manager, run_id)
    assert texts(stored(engine, run_id))[-1] == ("TextMessage", "writer", "changed")
    assert (run_row(engine, run_id).fresh_start, run_row(engine, run_id).notice) == (True, CHANGED_NOTICE)


# -- human in the loop --------------------------------------------------------------------------------


async def test_no_reply_in_time_stops_the_run_with_that_reason(engine, make_manager) -> None:
    manager = make_manager(input_timeout_seconds=0.05)
    run_id = await manager.start(new_session(engine, writer_and_user("draft one", "draft two")), "Go")
    await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert run.status == "stopped"
    assert run.stop_reason == "No reply came within 0.05 seconds, so the run stopped."
    assert texts(stored(engine, run_id))[-1] == ("UserInputRequestedEvent", "user", "")
    assert manager.pending_question(run_id) is None
    assert not await manager.reply(run_id, "too late")


async def test_a_swarm_handing_off_to_the_user_ends_and_the_next_task_continues(engine, manager) -> None:
    handoff_reply = {"finish_reason": "function_calls", "content": [{"id": "c1", "arguments": "{}",
                     "name": "transfer_to_user"}], "usage": {"prompt_tokens": 0, "completion_tokens": 0},
                     "cached": False}
    alice = assistant("alice", replay(handoff_reply, "thanks for the answer TERMINATE"), handoffs=["user"])
    handoff = {"provider": "autogen_agentchat.conditions.HandoffTermination", "component_type": "termination",
               "config": {"target": "user"}}
    mention = {"provider": "autogen_agentchat.conditions.TextMentionTermination", "component_type": "termination",
               "config": {"text": "TERMINATE"}}
    either = {"provider": "autogen_agentchat.conditions.OrTerminationCondition", "component_type": "termination",
              "config": {"conditions": [handoff, mention]}}
    session_id = new_session(engine, team("Swarm", [alice], termination_condition=either))
    first = await manager.start(session_id, "Ask me something")
    await finished(manager, first)
    assert run_row(engine, first).stop_reason == "Handoff to user from alice detected."
    second = await manager.start(session_id, "blue")
    await finished(manager, second)
    rows = stored(engine, second)
    assert (rows[0].type, rows[0].data["target"], rows[0].data["content"]) == ("HandoffMessage", "alice", "blue")
    assert texts(rows)[-1] == ("TextMessage", "alice", "thanks for the answer TERMINATE")
    assert run_row(engine, second).status == "complete"


# -- attachments --------------------------------------------------------------------------------------


async def test_an_image_goes_to_the_model_as_a_multimodal_message(engine, manager, openai_server) -> None:
    openai_server.reply("a tiny picture")
    session_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    image = base64.b64encode(PNG).decode()
    task = [{"type": "text", "text": "What is this?"},
            {"type": "text", "name": "notes.txt", "text": "file body"},
            {"type": "image", "mime": "image/png", "data_b64": image, "name": "dot.png"}]
    run_id = await manager.start(session_id, task)
    await finished(manager, run_id)
    first = stored(engine, run_id)[0]
    assert first.type == "MultiModalMessage"
    assert first.data["content"][0] == "What is this?"
    assert "file body" in first.data["content"][1]
    assert first.data["content"][2] == {"data": image}
    sent = json.dumps(openai_server.chat_requests[0].body["messages"])
    assert f"data:image/png;base64,{image}" in sent
    assert run_row(engine, run_id).task == "What is this?\n\n[file: notes.txt]\n\n[image: dot.png]"


async def test_a_jpeg_goes_to_the_model_as_a_jpeg(engine, manager, openai_server) -> None:
    openai_server.reply("a photo")
    session_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 32).decode()
    run_id = await manager.start(session_id, [{"type": "image", "mime": "image/jpeg", "data_b64": jpeg}])
    await finished(manager, run_id)
    assert f"data:image/jpeg;base64,{jpeg}" in json.dumps(openai_server.chat_requests[0].body["messages"])


async def test_too_big_or_broken_images_are_refused_with_their_path(engine, manager) -> None:
    session_id = new_session(engine, solo(replay("hello")))
    big = base64.b64encode(PNG + b"\x00" * MAX_IMAGE_BYTES).decode()
    task = [{"type": "text", "text": "Look"},
            {"type": "image", "mime": "image/png", "data_b64": big},
            {"type": "image", "mime": "image/png", "data_b64": "not base64!"},
            {"type": "image", "mime": "image/jpeg", "data_b64": base64.b64encode(PNG).decode()},
            {"type": "video"}]
    with pytest.raises(RunRefused) as refused:
        await manager.start(session_id, task)
    problems = {p.path: p.message for p in refused.value.problems}
    assert "at most 5 MB" in problems["task[1].data_b64"]
    assert problems["task[2].data_b64"] == "is not valid base64"
    assert problems["task[3].data_b64"] == "is not a image/jpeg image"
    assert "task[4].type" in problems
    assert run_count(engine, session_id) == 0


# -- recording and replay -----------------------------------------------------------------------------


async def test_the_recording_is_stored_and_a_replay_reproduces_the_trace(engine, manager, openai_server) -> None:
    openai_server.reply("draft one", usage=(5, 2))
    openai_server.reply("draft two", usage=(9, 2))
    url = openai_server.base_url
    component = team("RoundRobinGroupChat", [assistant("writer", openai_model(url)), user_proxy("user")],
                     termination_condition=max_messages(4))
    session_id = new_session(engine, component)
    original = await manager.start(session_id, "Write")
    await until(lambda: manager.pending_question(original))
    await manager.reply(original, "shorter please")
    await finished(manager, original)
    recording = run_row(engine, original).recording
    assert [r["content"] for r in recording["models"]["writer"]] == ["draft one", "draft two"]
    assert recording["user"] == {"user": ["shorter please"]}

    replayed = await manager.start(session_id, "", replay_of=original)
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
    session_id = new_session(engine, component)
    demo = {"demo": True, "models": {"writer": ["demo draft", "demo final"]}, "user": {"user": ["shorter please"]}}
    run_id = await manager.start(session_id, "Write", recording=demo)
    await finished(manager, run_id)
    assert [(source, text) for kind, source, text in texts(stored(engine, run_id)) if kind == "TextMessage"] == [
        ("user", "Write"), ("writer", "demo draft"), ("user", "shorter please"), ("writer", "demo final")]
    assert openai_server.chat_requests == []
    assert run_row(engine, run_id).status == "complete"


async def test_a_run_without_recording_cannot_be_replayed(engine, manager) -> None:
    session_id = new_session(engine, solo(replay("hello")))
    with pytest.raises(RunRefused, match="no recording"):
        await manager.start(session_id, "", replay_of=4242)
    assert run_count(engine, session_id) == 0


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
