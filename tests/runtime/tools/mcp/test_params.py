"""The server params: AutoGen's fields and defaults, the kind chosen by `type`, and how errors name a server."""

from __future__ import annotations

from studio.components import validate_component
from studio.runtime.tools.mcp import SseServerParams, StdioServerParams, StreamableHttpServerParams
from studio.runtime.tools.mcp.workbench import McpWorkbenchConfig


def test_defaults_are_autogens() -> None:
    assert StdioServerParams(command="npx").to_json() == {
        "command": "npx", "args": [], "encoding": "utf-8", "encoding_error_handler": "strict",
        "type": "StdioServerParams", "read_timeout_seconds": 5}
    assert SseServerParams(url="http://x/sse").to_json() == {"type": "SseServerParams", "url": "http://x/sse",
                                                             "timeout": 5, "sse_read_timeout": 300}
    assert StreamableHttpServerParams(url="http://x/mcp").to_json() == {
        "type": "StreamableHttpServerParams", "url": "http://x/mcp", "timeout": 30.0, "sse_read_timeout": 300.0,
        "terminate_on_close": True}


def test_the_type_chooses_the_kind() -> None:
    config = McpWorkbenchConfig.model_validate({"server_params": {"type": "SseServerParams", "url": "http://x"}})
    assert isinstance(config.server_params, SseServerParams)


def test_labels_name_the_server() -> None:
    assert StdioServerParams(command="python", args=["notes server.py"]).label() == "python 'notes server.py'"
    assert StreamableHttpServerParams(url="http://x/mcp").label() == "http://x/mcp"


def test_errors_come_from_the_kind_named() -> None:
    problems = validate_component({"provider": "autogen_ext.tools.mcp.McpWorkbench", "config": {
        "server_params": {"type": "StdioServerParams", "args": ["x"]}}})
    assert [(p.path, p.severity) for p in problems] == [("config.server_params.command", "error")]
    problems = validate_component({"provider": "autogen_ext.tools.mcp.McpWorkbench", "config": {
        "server_params": {"type": "WebSocketServerParams"}}})
    assert [p.path for p in problems] == ["config.server_params"]
    assert "StdioServerParams" in problems[0].message
