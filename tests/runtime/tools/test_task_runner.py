"""AgentTool and TeamTool (runtime/tools/task_runner.py): a task run on an agent or team, its messages and events
streamed, its result as AutoGen writes it; failures, argument errors, config and clean-up."""

from __future__ import annotations

from typing import Any

import pytest

from studio.components import dump_component, load_component, validate_component
from studio.runtime.agents import AssistantAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import TaskResult, ToolCallRequestEvent
from studio.runtime.teams import RoundRobinGroupChat
from studio.runtime.tools.base import ToolResult
from studio.runtime.tools.task_runner import AgentTool, TeamTool
from studio.runtime.tools.workbench import StaticStreamWorkbench

from ..helpers import agent, replay


async def stream(tool: AgentTool | TeamTool, **args: Any) -> list[Any]:
    return [item async for item in tool.run_json_stream(args, CancellationToken())]


def kinds(items: list[Any]) -> list[tuple[str, str, Any]]:
    return [(type(i).__name__, getattr(i, "source", i.name if isinstance(i, ToolResult) else None),
             i.content if isinstance(i.content, str) else "...") for i in items]


async def test_an_agent_tool_streams_the_run_then_gives_every_message_but_the_task() -> None:
    tool = AgentTool(agent("writer", "A poem.", description="Writes poems."))
    assert (tool.name, tool.description) == ("writer", "Writes poems.")
    assert kinds(await stream(tool, task="Write")) == [
        ("TextMessage", "user", "Write"), ("TextMessage", "writer", "A poem."),
        ("ToolResult", "writer", "writer: A poem.")]


async def test_a_team_tool_gives_the_last_message_or_every_one_prefixed_by_its_source() -> None:
    def team() -> RoundRobinGroupChat:
        return RoundRobinGroupChat([agent("drafter", "draft"), agent("editor", "edited")], max_turns=2)

    last = TeamTool(team(), "writing", "Writes.", return_value_as_last_message=True)
    assert (await last.run_json({"task": "go"}, CancellationToken())).content == "edited"
    every = TeamTool(team(), "writing", "Writes.")
    assert (await every.run_json({"task": "go"}, CancellationToken())).content == "drafter: draft\n\neditor: edited"


async def test_the_agent_continues_from_its_earlier_tasks() -> None:
    writer = agent("writer", "first", "second")
    tool = AgentTool(writer)
    await stream(tool, task="one")
    await stream(tool, task="two")
    assert [m.content for m in await writer.model_context.get_messages()] == ["one", "first", "two", "second"]


async def test_a_failing_inner_team_raises_its_error_and_the_workbench_makes_it_an_error_result() -> None:
    tool = TeamTool(RoundRobinGroupChat([agent("drafter")], max_turns=1), "writing", "Writes.")  # no replies left
    items = [item async for item in StaticStreamWorkbench([tool]).call_tool_stream("writing", {"task": "go"})]
    assert kinds(items[:-1]) == [("TextMessage", "user", "go")]  # no ErrorEvent: AutoGen's team raises instead
    assert isinstance(items[-1], ToolResult) and items[-1].is_error and items[-1].content.startswith("drafter: ")


async def test_arguments_are_validated_with_autogens_model() -> None:
    with pytest.raises(ValueError, match="1 validation error for TaskRunnerToolArgs\ntask\n  Field required"):
        await stream(AgentTool(agent("writer")), topic="x")


async def test_the_last_message_must_be_a_chat_message() -> None:
    class EventsOnly:
        name, description = "runner", "Only events."

        async def run_stream(self, **kwargs: Any) -> Any:
            yield TaskResult(messages=[ToolCallRequestEvent(content=[], source="runner")])

    tool = AgentTool(EventsOnly(), return_value_as_last_message=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="The last message is not a BaseChatMessage."):
        await stream(tool, task="x")


def test_the_schema_is_autogens_strict_task_schema() -> None:
    assert TeamTool(RoundRobinGroupChat([agent("a")]), "writing", "Writes.").schema == {
        "name": "writing", "description": "Writes.", "strict": True, "parameters": {
            "type": "object", "properties": {"task": {"title": "Task", "type": "string"}}, "required": ["task"],
            "additionalProperties": False}}


def test_configs_round_trip() -> None:
    tool = TeamTool(RoundRobinGroupChat([agent("a", "hi")], max_turns=1), "writing", "Writes.", True)
    dumped = dump_component(tool)
    assert dumped["provider"] == "autogen_agentchat.tools.TeamTool"
    assert {k: v for k, v in dumped["config"].items() if k != "team"} == {
        "name": "writing", "description": "Writes.", "return_value_as_last_message": True}
    assert dump_component(load_component(dumped)) == dumped
    agent_tool = dump_component(AgentTool(agent("a", "hi")))
    assert agent_tool["config"]["agent"]["config"]["name"] == "a"
    assert dump_component(load_component(agent_tool)) == agent_tool


async def test_closing_the_tool_closes_the_inner_agent() -> None:
    client = replay("hi")
    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    client.close = close  # type: ignore[method-assign]
    await AgentTool(AssistantAgent("a", client)).close()
    assert closed == [True]


def test_config_problems_are_reported_at_their_json_paths() -> None:
    wrong_kind = {"provider": "autogen_agentchat.tools.TeamTool", "config": {"name": "t", "team": {
        "provider": "autogen_agentchat.agents.UserProxyAgent", "config": {"name": "u"}}}}
    assert {(p.path, p.message) for p in validate_component(wrong_kind) if p.severity == "error"} == {
        ("config.description", "field required"),
        ("config.team", "expected a team here, got an agent (UserProxyAgent)")}
    bad_agent = {"provider": "autogen_agentchat.tools.AgentTool", "config": {"agent": {
        "provider": "autogen_agentchat.agents.UserProxyAgent", "config": {"name": "bad name"}}}}
    assert [p.path for p in validate_component(bad_agent) if p.severity == "error"] == ["config.agent.config.name"]
