"""Differential tests for MCP: the same team JSON with an McpWorkbench (or MCP tool adapters) and the same scripted
model replies give the same run in AutoGen 0.7.5 and in Studio, against the real test server
(tests/support/mcp_server.py) over stdio, SSE and streamable HTTP.

Compared: the streamed items and TaskResult messages (normalised as tests/compat/harness.py does), the stop
reasons, each item's to_text(), and what the model was asked (messages and the tools listed before each call).
Where AutoGen raises (a server that cannot start), Studio yields the same items, then an ErrorEvent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("autogen_ext.tools.mcp", reason="differential tests need AutoGen 0.7.5 with [mcp]")

from tests.compat.harness import (  # noqa: E402
    SIDECAR,
    Outcome,
    Run,
    _autogen_task,
    _collect,
    first_difference,
    format_items,
    model_calls,
    run_studio_isolated,
)
from tests.compat.marks import AUTOGEN_LOADS  # noqa: E402
from tests.support.mcp_servers import HttpServer, http_server, stdio_params  # noqa: E402

# AutoGen 0.7.5 calls the SDK's deprecated `streamablehttp_client` (the warning is attributed to contextlib).
pytestmark = [*AUTOGEN_LOADS, pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")]

INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
        "structured_output": False}
REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"


def calls(*named: tuple[str, str]) -> dict[str, Any]:
    return {"finish_reason": "function_calls", "cached": False, "usage": {"prompt_tokens": 3, "completion_tokens": 2},
            "content": [{"id": f"call_{i}", "name": name, "arguments": arguments}
                        for i, (name, arguments) in enumerate(named)]}


SCRIPT = [
    calls(("add", '{"a": 2, "b": 3}'), ("convert", '{"value": 5, "from_unit": "km", "to_unit": "mi"}')),
    calls(("fail", '{"reason": "no notes"}'), ("nope", "{}")),
    calls(("echo", '{"text": "done"}')),
    "All done. TERMINATE",
]


def team(tools: dict[str, Any], *, replies: list[Any] | None = None, iterations: int = 3) -> dict[str, Any]:
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent", "config": {
        "name": "helper", "description": "Uses MCP tools.", "system_message": "Use the tools.",
        "reflect_on_tool_use": True, "tool_call_summary_format": "{result}", "max_tool_iterations": iterations,
        "model_client": {"provider": REPLAY, "component_type": "model",
                         "config": {"chat_completions": replies or SCRIPT, "model_info": INFO}}, **tools}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", SIDECAR: {
        "task": "Go"}, "config": {
        "participants": [agent], "max_turns": 1,
        "termination_condition": {"provider": "autogen_agentchat.conditions.TextMentionTermination",
                                  "component_type": "termination", "config": {"text": "TERMINATE"}}}}


def mcp_workbench(server_params: dict[str, Any], **config: Any) -> dict[str, Any]:
    return {"workbench": [{"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench",
                           "config": {"server_params": server_params, **config}}]}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, HttpServer]]:
    with http_server("sse") as sse, http_server("http") as streamable:
        yield {"sse": sse, "http": streamable}


def server_params(kind: str, servers: dict[str, HttpServer]) -> dict[str, Any]:
    return stdio_params() if kind == "stdio" else servers[kind].params()


async def run_autogen(data: dict[str, Any]) -> Outcome:
    from autogen_agentchat.base import Team

    loaded = Team.load_component(data)
    try:
        run = await asyncio.wait_for(_collect(loaded.run_stream(task=_autogen_task("Go")), "run 1", catch=True), 120)
    finally:
        for agent in loaded._participants:  # type: ignore[attr-defined]
            for bench in getattr(agent, "_workbench", []):
                if getattr(bench, "_actor", None) is not None:
                    await bench.stop()
    return Outcome(runs=[run], model_calls=model_calls(loaded))


def run_studio(data: dict[str, Any]) -> Outcome:
    outcome = run_studio_isolated(data, timeout=120)
    assert not outcome.timed_out and outcome.error is None, outcome.error
    assert outcome.runs is not None and outcome.model_calls is not None
    return Outcome(runs=outcome.runs, model_calls=outcome.model_calls)


def _fail(what: str, expected: list[Any], actual: list[Any]) -> None:
    index = first_difference(expected, actual)
    pytest.fail(f"{what} differ at {index}\nAutoGen:\n{format_items(expected)}\nStudio:\n{format_items(actual)}",
                pytrace=False)


def compare(ag: Run, st: Run) -> None:
    if ag.error is not None:
        assert st.items and st.items[-1][0] == "ErrorEvent" and (st.stop_reason or "").startswith("Error:")
        if st.items[:-1] != ag.items:
            _fail("items before the error", ag.items, st.items[:-1])
        return
    if st.items != ag.items:
        _fail("streamed items", ag.items, st.items)
    if st.result_messages != ag.result_messages:
        _fail("TaskResult messages", ag.result_messages, st.result_messages)
    assert st.stop_reason == ag.stop_reason
    if st.texts != ag.texts:
        _fail("to_text() of the items", ag.texts, st.texts)


async def both(data: dict[str, Any]) -> tuple[Outcome, Outcome]:
    studio = await asyncio.to_thread(run_studio, data)
    autogen = await run_autogen(data)
    return autogen, studio


@pytest.mark.parametrize("kind", ["stdio", "sse", "http"])
async def test_an_mcp_workbench_team_runs_as_in_autogen(kind: str, servers: dict[str, HttpServer]) -> None:
    autogen, studio = await both(team(mcp_workbench(server_params(kind, servers),
                                                    tool_overrides={"convert": {"name": "units"}})))
    compare(autogen.runs[0], studio.runs[0])
    assert studio.model_calls == autogen.model_calls  # the same messages and the same tools listed each time


async def test_an_override_name_calls_the_original_tool(servers: dict[str, HttpServer]) -> None:
    replies = [calls(("units", '{"value": 1, "from_unit": "kg", "to_unit": "lb"}')), "TERMINATE"]
    autogen, studio = await both(team(mcp_workbench(stdio_params(), tool_overrides={
        "convert": {"name": "units", "description": "Units."}}), replies=replies))
    compare(autogen.runs[0], studio.runs[0])
    assert studio.model_calls == autogen.model_calls


async def test_a_server_that_cannot_start_fails_the_run_as_in_autogen() -> None:
    autogen, studio = await both(team(mcp_workbench(stdio_params(command="no-such-server", args=[]))))
    assert autogen.runs[0].error is not None
    compare(autogen.runs[0], studio.runs[0])
    assert studio.runs[0].items[-1][2].startswith("helper: MCP server 'no-such-server' exited with code 127")


@pytest.mark.parametrize("kind", ["Stdio", "Sse", "StreamableHttp"])
async def test_tool_adapters_run_as_in_autogen(kind: str, servers: dict[str, HttpServer]) -> None:
    params = server_params({"Stdio": "stdio", "Sse": "sse", "StreamableHttp": "http"}[kind], servers)
    add = {"name": "add", "description": "Add two integers.", "inputSchema": {
        "type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]}}
    fail = {"name": "fail", "description": "Always fails.", "inputSchema": {
        "type": "object", "properties": {"reason": {"type": "string"}}}}
    adapters = [{"provider": f"autogen_ext.tools.mcp.{kind}McpToolAdapter", "component_type": "tool",
                 "config": {"server_params": params, "tool": tool}} for tool in (add, fail)]
    replies = [calls(("add", '{"a": 2, "b": 3}'), ("fail", '{"reason": "no"}')), "TERMINATE"]
    autogen, studio = await both(team({"tools": adapters}, replies=replies))
    compare(autogen.runs[0], studio.runs[0])
