"""The live team of each conversation (playground/live_teams.py): a second task continues the conversation,
and a reset, a restart, an unloaded or changed team start afresh and say so on the run."""

from __future__ import annotations

import json

from studio.playground.live_teams import CHANGED_NOTICE, RESET_NOTICE, RESTART_NOTICE, UNLOADED_NOTICE
from tests.components.builders import replay
from tests.playground.replay_teams import assistant, openai_model, team
from tests.playground.runs_support import finished, new_session, run_row, set_component, solo, stored, texts


def prompt_texts(request) -> str:
    return json.dumps(request.body["messages"])


async def test_a_second_task_continues_the_conversation(engine, manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("second answer")
    conversation_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    first = await manager.start(conversation_id, "task one")
    await finished(manager, first)
    second = await manager.start(conversation_id, "task two")
    await finished(manager, second)
    prompt = prompt_texts(openai_server.chat_requests[1])
    assert "task one" in prompt and "first answer" in prompt and "task two" in prompt
    assert (run_row(engine, first).fresh_start, run_row(engine, first).notice) == (True, "")
    assert (run_row(engine, second).fresh_start, run_row(engine, second).notice) == (False, "")


async def test_reset_starts_a_new_conversation(engine, manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("fresh answer")
    conversation_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    await finished(manager, await manager.start(conversation_id, "task one"))
    await manager.reset(conversation_id)
    after = await manager.start(conversation_id, "task two")
    await finished(manager, after)
    prompt = prompt_texts(openai_server.chat_requests[1])
    assert "task two" in prompt and "task one" not in prompt and "first answer" not in prompt
    assert (run_row(engine, after).fresh_start, run_row(engine, after).notice) == (True, RESET_NOTICE)


async def test_after_a_restart_the_run_says_it_starts_afresh(engine, make_manager, openai_server) -> None:
    openai_server.reply("first answer")
    openai_server.reply("fresh answer")
    conversation_id = new_session(engine, solo(openai_model(openai_server.base_url)))
    before = make_manager()
    await finished(before, await before.start(conversation_id, "task one"))
    await before.aclose()  # the old server shuts down
    restarted = make_manager()  # a new server: no live team
    run_id = await restarted.start(conversation_id, "task two")
    await finished(restarted, run_id)
    assert "task one" not in prompt_texts(openai_server.chat_requests[1])
    assert (run_row(engine, run_id).fresh_start, run_row(engine, run_id).notice) == (True, RESTART_NOTICE)


async def test_past_the_limit_the_least_recently_used_session_unloads_and_says_so(engine, make_manager) -> None:
    manager = make_manager(live_conversations=2)
    a, b, c = (new_session(engine, solo(replay("r1", "r2", "r3"))) for _ in range(3))
    for conversation_id in (a, b):
        await finished(manager, await manager.start(conversation_id, "first"))
    await finished(manager, await manager.start(a, "again"))  # a is now the most recently used
    await finished(manager, await manager.start(c, "first"))  # a third live team: b has to go
    kept, unloaded = await manager.start(a, "third"), await manager.start(b, "again")
    await finished(manager, kept)
    await finished(manager, unloaded)
    assert (run_row(engine, kept).fresh_start, run_row(engine, kept).notice) == (False, "")
    assert (run_row(engine, unloaded).fresh_start, run_row(engine, unloaded).notice) == (True, UNLOADED_NOTICE)
    assert {run_row(engine, run_id).status for run_id in (kept, unloaded)} == {"complete"}


async def test_a_changed_team_starts_afresh(engine, manager) -> None:
    conversation_id = new_session(engine, solo(replay("hello")))
    await finished(manager, await manager.start(conversation_id, "one"))
    set_component(engine, conversation_id, solo(replay("changed")))
    run_id = await manager.start(conversation_id, "two")
    await finished(manager, run_id)
    assert texts(stored(engine, run_id))[-1] == ("TextMessage", "writer", "changed")
    assert (run_row(engine, run_id).fresh_start, run_row(engine, run_id).notice) == (True, CHANGED_NOTICE)


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
    conversation_id = new_session(engine, team("Swarm", [alice], termination_condition=either))
    first = await manager.start(conversation_id, "Ask me something")
    await finished(manager, first)
    assert run_row(engine, first).stop_reason == "Handoff to user from alice detected."
    second = await manager.start(conversation_id, "blue")
    await finished(manager, second)
    rows = stored(engine, second)
    assert (rows[0].type, rows[0].data["target"], rows[0].data["content"]) == ("HandoffMessage", "alice", "blue")
    assert texts(rows)[-1] == ("TextMessage", "alice", "thanks for the answer TERMINATE")
    assert run_row(engine, second).status == "complete"
