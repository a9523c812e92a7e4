"""Recorder.wrap records every model reply (by agent, selector and nested path) and every user reply."""

from __future__ import annotations

import json

from studio.components import load_component
from studio.playground.recording import Recorder, RecordingClient
from studio.runtime.models.replay import ReplayChatCompletionClient
from studio.runtime.models.types import CreateResult, RequestUsage, UserMessage
from tests.playground.replay_teams import assistant, openai_model, team, user_proxy
from tests.playground.scenarios import record

PROMPT = [UserMessage(content="one two three", source="user")]


async def test_records_each_reply_in_order_streamed_ones_too(openai_server) -> None:
    recorded = await record("round_robin_tool", openai_server)
    data = recorded.recording
    assert json.loads(json.dumps(data)) == data and data["version"] == 1 and data["user"] == {}
    assert list(data["models"]) == ["calc", "writer"]
    call, done = data["models"]["calc"]
    assert call["finish_reason"] == "function_calls" and call["usage"] == {"prompt_tokens": 12, "completion_tokens": 4}
    assert call["content"] == [{"id": "call_0", "arguments": '{"a": 1, "b": 2}', "name": "add"}]
    assert done["content"] == "TERMINATE"
    [streamed] = data["models"]["writer"]  # the final result of the stream, not its chunks
    assert streamed["content"] == "The answer is 3" and streamed["usage"]["completion_tokens"] == 3


async def test_selector_model_and_user_replies_are_recorded(openai_server) -> None:
    selector = await record("selector", openai_server)
    assert [r["content"] for r in selector.recording["models"]["__selector__"]] == ["b", "c", "a"]
    with_user = await record("user_proxy", openai_server)
    assert with_user.recording["user"] == {"user": ["yes please"]}


async def test_the_wrapper_delegates_the_whole_client_interface() -> None:
    inner = ReplayChatCompletionClient(["hello there", "bye"], model_info={
        "vision": True, "function_calling": True, "json_output": False, "family": "gpt-4o"})
    replies: list = []
    client = RecordingClient(inner, replies)

    result = await client.create(PROMPT)
    chunks = [c async for c in client.create_stream(PROMPT)]

    assert result.content == "hello there" and chunks[:-1] == ["bye"] and chunks[-1].content == "bye"
    assert [r["content"] for r in replies] == ["hello there", "bye"]
    assert client.model_info is inner.model_info and client.model_info["vision"] is True
    assert client.count_tokens(PROMPT) == 3
    assert client.actual_usage() == inner.actual_usage() == RequestUsage(prompt_tokens=3, completion_tokens=1)
    assert client.total_usage() == inner.total_usage() and client.remaining_tokens(PROMPT) == inner.remaining_tokens(PROMPT)
    assert len(client.create_calls) == 1  # attributes of the inner client show through


async def test_function_calls_and_thoughts_survive_recording() -> None:
    reply = CreateResult(finish_reason="function_calls", usage=RequestUsage(prompt_tokens=2, completion_tokens=1),
                         content=[{"id": "c1", "name": "add", "arguments": "{}"}], thought="thinking")
    replies: list = []
    await RecordingClient(ReplayChatCompletionClient([reply]), replies).create(PROMPT)
    assert CreateResult.model_validate(replies[0]) == reply


async def test_nested_teams_are_keyed_by_path_and_wrapping_twice_records_once() -> None:
    def model(*replies: str) -> dict:
        return {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
                "config": {"chat_completions": list(replies)}}

    inner = team("SelectorGroupChat", [assistant("x", model("inner x")), assistant("y", model())],
                 model_client=model("x"), name="inner", max_turns=1)
    outer = load_component(team("RoundRobinGroupChat", [assistant("x", model("outer x")), inner, user_proxy()],
                                max_turns=2))
    recorder = Recorder()
    recorder.wrap(outer)
    recorder.wrap(outer)
    async for _ in outer.run_stream(task="go"):
        pass
    models = recorder.data()["models"]
    assert {key: [r["content"] for r in replies] for key, replies in models.items()} == {
        "x": ["outer x"], "inner/__selector__": ["x"], "inner/x": ["inner x"], "inner/y": []}
    assert recorder.data()["user"] == {"user": []}  # the run stopped before the user's turn


async def test_data_is_a_snapshot() -> None:
    outer = load_component(team("RoundRobinGroupChat", [assistant("a", openai_model("http://127.0.0.1:9"))]))
    recorder = Recorder()
    recorder.wrap(outer)
    snapshot = recorder.data()
    outer.participants[0].model_client.replies.append({"content": "later"})
    assert snapshot["models"] == {"a": []} and recorder.data()["models"] == {"a": [{"content": "later"}]}


async def test_agents_and_teams_run_as_tools_are_recorded_under_the_agent_that_runs_them() -> None:
    def model(*replies: object) -> dict:
        return {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
                "config": {"chat_completions": list(replies)}}

    def call(name: str) -> dict:
        return {"finish_reason": "function_calls", "content": [{"id": name, "name": name, "arguments": '{"task": "t"}'}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0}, "cached": False}

    inner_team = team("RoundRobinGroupChat", [assistant("w", model("team w"))], max_turns=1)
    boss = assistant("boss", model(call("helper"), call("crew"), "done"))
    boss["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticStreamWorkbench", "config": {"tools": [
        {"provider": "autogen_agentchat.tools.AgentTool", "config": {"agent": assistant("helper", model("helped"))}},
        {"provider": "autogen_agentchat.tools.TeamTool", "config": {"name": "crew", "description": "A crew.",
                                                                    "team": inner_team}}]}}]
    outer = load_component(team("RoundRobinGroupChat", [boss], max_turns=2))
    recorder = Recorder()
    recorder.wrap(outer)
    async for _ in outer.run_stream(task="go"):
        pass
    models = recorder.data()["models"]
    assert {key: len(replies) for key, replies in models.items()} == {"boss": 2, "boss/helper": 1, "boss/crew/w": 1}
