"""The MCP tool adapters: one server tool as a tool, its result as AutoGen's JSON list of content parts, a
session per run (closed by `end_run`), and the adapter kind bound to its transport."""

from __future__ import annotations

import json
from typing import Any

import pytest

from studio.components import dump_component, load_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools.mcp import McpToolAdapter, StdioMcpToolAdapter, StdioServerParams
from tests.support.mcp_servers import HttpServer, stdio_params

ADD = {"name": "add", "description": "Add two integers.", "inputSchema": {
    "type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]}}
FAIL = {"name": "fail", "inputSchema": {"type": "object", "properties": {"reason": {"type": "string"}}}}


def adapter(kind: str, server_params: dict[str, Any], tool: dict[str, Any]) -> McpToolAdapter:
    built = load_component({"provider": f"autogen_ext.tools.mcp.{kind}McpToolAdapter",
                            "config": {"server_params": server_params, "tool": tool}})
    assert isinstance(built, McpToolAdapter)
    return built


async def test_a_stdio_adapter_calls_its_tool_and_answers_in_autogens_form() -> None:
    add = adapter("Stdio", stdio_params(), ADD)
    try:
        assert add.schema == {"name": "add", "description": "Add two integers.", "strict": False, "parameters": {
            "type": "object", "properties": ADD["inputSchema"]["properties"], "required": ["a", "b"],
            "additionalProperties": False}}
        result = await add.run_json({"a": 2, "b": 5}, CancellationToken())
        assert json.loads(result.content) == [{"type": "text", "text": "7", "annotations": None}]
        assert result.content == '[{"type": "text", "text": "7", "annotations": null}]' and not result.is_error
        session = add._session
        await add.run_json({"a": 1, "b": 1}, CancellationToken())
        assert add._session is session  # one session for the run
    finally:
        await add.end_run()
    assert add._session is None


async def test_a_tool_error_is_the_adapters_error_result() -> None:
    fail = adapter("Stdio", stdio_params(), FAIL)
    try:
        result = await fail.run_json({"reason": "no"}, CancellationToken())
        assert result.is_error
        assert json.loads(result.content) == [{"type": "text", "text": "Error executing tool fail: no",
                                               "annotations": None}]
    finally:
        await fail.close()


@pytest.mark.parametrize(("kind", "fixture"), [("Sse", "sse"), ("StreamableHttp", "streamable")])
async def test_http_adapters(kind: str, fixture: str, request: pytest.FixtureRequest) -> None:
    server: HttpServer = request.getfixturevalue(fixture)
    add = adapter(kind, server.params(), ADD)
    try:
        result = await add.run_json({"a": 20, "b": 22}, CancellationToken())
        assert json.loads(result.content)[0]["text"] == "42"
    finally:
        await add.end_run()


async def test_a_server_that_cannot_start_is_an_error_result_naming_it() -> None:
    broken = adapter("Stdio", stdio_params(command="no-such-server", args=[]), ADD)
    result = await broken.run_json({"a": 1, "b": 2}, CancellationToken())
    assert result.is_error and result.content.startswith("MCP server 'no-such-server' exited with code 127")


def test_the_tool_definition_is_kept_as_the_server_gave_it_without_nulls() -> None:
    tool = {**ADD, "title": None, "annotations": {"readOnlyHint": True}, "outputSchema": {"type": "object"}}
    dumped = dump_component(adapter("Stdio", stdio_params(), tool))["config"]["tool"]
    assert dumped == {**ADD, "annotations": {"readOnlyHint": True}, "outputSchema": {"type": "object"}}


def test_an_adapter_needs_its_own_kind_of_server() -> None:
    with pytest.raises(TypeError, match="StdioMcpToolAdapter needs StdioServerParams"):
        StdioMcpToolAdapter(object(), ADD)  # type: ignore[arg-type]
    assert isinstance(adapter("Stdio", stdio_params(), ADD).server_params, StdioServerParams)
