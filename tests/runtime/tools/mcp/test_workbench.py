"""McpWorkbench: the server's tools as the model is told of them, calls and their errors in AutoGen's words, and
a session opened on first use, once per run, closed at the run's end and on Stop."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from studio.components import load_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.isolation import SandboxLimits, get_sandbox_limits
from studio.runtime.messages import ErrorEvent, ToolCallExecutionEvent
from studio.runtime.teams import RoundRobinGroupChat
from studio.runtime.tools.mcp import McpWorkbench
from studio.runtime.tools.mcp.workbench import McpWorkbenchConfig
from tests.runtime.helpers import agent, run, tool_calls
from tests.support.mcp_servers import HttpServer, stdio_params
from tests.support.waits import until

MCP = "autogen_ext.tools.mcp.McpWorkbench"


def workbench(server_params: dict[str, Any], **config: Any) -> McpWorkbench:
    built = load_component({"provider": MCP, "config": {"server_params": server_params, **config}})
    assert isinstance(built, McpWorkbench)
    return built


def _live_boxes() -> list[int]:
    from studio.runtime.isolation import _watchdog

    return list(_watchdog._watched)


async def test_tools_are_listed_as_autogen_tells_the_model_with_overrides() -> None:
    async with workbench(stdio_params(), tool_overrides={"add": {"name": "plus", "description": "Adds."}}) as bench:
        tools = {tool["name"]: tool for tool in await bench.list_tools()}
        assert tools["plus"] == {"name": "plus", "description": "Adds.", "parameters": {
            "type": "object", "properties": {"a": {"title": "A", "type": "integer"},
                                             "b": {"title": "B", "type": "integer"}},
            "required": ["a", "b"], "additionalProperties": False}}
        assert tools["echo"]["description"] == "Say the text back."
        assert await bench.has_tool("plus") and not await bench.has_tool("add")
        result = await bench.call_tool("plus", {"a": 4, "b": 5})
        assert (result.name, result.content, result.is_error) == ("plus", "9", False)


def test_override_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="Tool override name 'same' is used by multiple tools"):
        McpWorkbench(McpWorkbenchConfig.model_validate({"server_params": stdio_params()}).server_params,
                     {"add": {"name": "same"}, "echo": {"name": "same"}})


async def test_a_tool_error_the_server_reports_passes_through() -> None:
    async with workbench(stdio_params()) as bench:
        failed = await bench.call_tool("fail", {"reason": "no notes"})
        assert (failed.content, failed.is_error) == ("Error executing tool fail: no notes", True)
        unknown = await bench.call_tool("nope", {})
        assert (unknown.content, unknown.is_error) == ("Unknown tool: nope", True)


async def test_a_tool_that_hangs_past_the_timeout_is_an_error_naming_the_server() -> None:
    async with workbench(stdio_params(read_timeout_seconds=10)) as bench:
        slow = await bench.call_tool("slow", {"seconds": 600})
        assert slow.is_error
        assert slow.content.startswith("MCP server '") and slow.content.endswith("did not answer tools/call 'slow' "
                                                                                 "within 10 s\n")
        assert (await bench.call_tool("add", {"a": 1, "b": 1})).content == "2"  # the session stays


async def test_a_huge_result_over_http_is_capped_and_says_so(streamable: HttpServer) -> None:
    limits = SandboxLimits(**{**get_sandbox_limits().__dict__, "max_result_bytes": 10_000})
    bench = McpWorkbench(McpWorkbenchConfig.model_validate({"server_params": streamable.params()}).server_params,
                         limits=limits)
    async with bench:
        assert (await bench.call_tool("huge", {"size": 9_000})).content == "x" * 9_000
        huge = await bench.call_tool("huge", {"size": 20_000})
        assert huge.is_error and huge.content == (f"MCP server '{streamable.url}' returned a result of 20000 bytes "
                                                  "for tool 'huge', over the 10000-byte limit\n")


@pytest.mark.parametrize("kind", ["sse", "streamable"])
async def test_http_transports_list_and_call(kind: str, request: pytest.FixtureRequest) -> None:
    server: HttpServer = request.getfixturevalue(kind)
    async with workbench(server.params()) as bench:
        assert "convert" in [tool["name"] for tool in await bench.list_tools()]
        result = await bench.call_tool("convert", {"value": 10, "from_unit": "km", "to_unit": "mi"})
        assert (result.content, result.is_error) == ("6.21 mi", False)


async def test_the_session_opens_on_first_use_once_per_run_and_closes_at_its_end() -> None:
    bench = workbench(stdio_params())
    helper = agent("helper", tool_calls(("add", {"a": 1, "b": 2})), "done", tool_calls(("echo", {"text": "hi"})),
                   workbench=bench)
    team = RoundRobinGroupChat([helper], max_turns=1)
    assert bench.session is None  # loading starts nothing
    sessions: list[Any] = []
    real = bench.list_tools

    async def spy() -> Any:
        sessions.append(bench.session)
        return await real()

    bench.list_tools = spy  # type: ignore[method-assign]
    items, result = await run(team)
    execution = next(item for item in items if isinstance(item, ToolCallExecutionEvent))
    assert execution.content[0].content == "3"
    assert len({id(s) for s in sessions[1:]}) == 1  # one session for the whole run
    assert bench.session is None  # closed at the run's end
    items, result = await run(team, "again")
    assert bench.session is None


async def test_the_server_process_is_stopped_at_the_end_of_a_run() -> None:
    bench = workbench(stdio_params())
    helper = agent("helper", tool_calls(("environment", {})), workbench=bench)
    items, _ = await run(RoundRobinGroupChat([helper], max_turns=1))
    assert not [item for item in items if isinstance(item, ErrorEvent)]
    assert bench.session is None
    await until(lambda: not _live_boxes(), message="the MCP server's sandbox is still running")


async def test_stop_closes_the_session() -> None:
    bench = workbench(stdio_params())
    helper = agent("helper", tool_calls(("slow", {"seconds": 600})), workbench=bench)
    team = RoundRobinGroupChat([helper], max_turns=1)
    token = CancellationToken()
    seen: list[Any] = []

    async def consume() -> None:
        async for item in team.run_stream(task="go", cancellation_token=token):
            seen.append(item)

    running = asyncio.create_task(consume())
    await until(lambda: any(type(item).__name__ == "ToolCallRequestEvent" for item in seen))
    token.cancel()
    await asyncio.wait_for(running, 30)
    assert seen[-1].stop_reason == "Run cancelled."
    assert bench.session is None
    await until(lambda: not _live_boxes(), message="the MCP server's sandbox is still running")


async def test_a_server_that_cannot_start_ends_the_run_with_an_error_naming_it() -> None:
    bench = workbench(stdio_params(command="no-such-server", args=[]))
    items, result = await run(RoundRobinGroupChat([agent("helper", "never", workbench=bench)], max_turns=1))
    error = items[-1]
    assert isinstance(error, ErrorEvent)
    assert error.content == "helper: MCP server 'no-such-server' exited with code 127: no-such-server: No such file " \
        "or directory"
    assert result.stop_reason == f"Error: {error.content}"


async def test_a_server_that_dies_mid_run_gives_an_error_result_then_ends_the_run() -> None:
    bench = workbench(stdio_params())
    helper = agent("helper", tool_calls(("crash", {"code": 9})), tool_calls(("add", {"a": 1, "b": 1})),
                   workbench=bench, max_tool_iterations=2)
    items, result = await run(RoundRobinGroupChat([helper], max_turns=1))
    execution = next(item for item in items if isinstance(item, ToolCallExecutionEvent))
    assert execution.content[0].is_error and "exited with code 9" in execution.content[0].content
    assert isinstance(items[-1], ErrorEvent) and "exited with code 9" in items[-1].content
    assert (result.stop_reason or "").startswith("Error: helper: MCP server '")


async def test_the_config_round_trips_in_autogen_form() -> None:
    bench = workbench(stdio_params(env={"A": "1"}), tool_overrides={"add": {"name": "plus"}})
    from studio.components import dump_component

    config = dump_component(bench)["config"]
    assert config == {"server_params": {**stdio_params(env={"A": "1"}), "args": ["mcp_server.py", "stdio"],
                                        "encoding": "utf-8", "encoding_error_handler": "strict"},
                      "tool_overrides": {"add": {"name": "plus"}}}
    assert json.loads(json.dumps(config)) == config
