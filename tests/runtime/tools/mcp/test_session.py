"""McpSession: the SDK's ClientSession over the sandboxed stdio transport, SSE and streamable HTTP; what a
server that fails looks like (an McpServerError naming it, never a hang)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

from studio.runtime.isolation import SandboxLimits, get_sandbox_limits
from studio.runtime.tools.mcp import McpServerError, McpSession
from studio.runtime.tools.mcp.params import ServerParams
from studio.runtime.tools.mcp.workbench import McpWorkbenchConfig
from tests.support.mcp_servers import HANG, HttpServer, http_server, stdio_params
from tests.support.waits import WAIT_SECONDS

HANG_TIMEOUT = 10.0  # the read timeout where a call hangs: the server must start within it, on a busy machine too
SANDBOX_VARIABLES = {"PATH", "LANG", "HOME", "TMPDIR", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                     "PWD", "LC_CTYPE"}
TOOLS = ["add", "convert", "echo", "fail", "slow", "huge", "environment", "headers", "garble", "crash"]


def params(data: dict[str, Any]) -> ServerParams:
    return McpWorkbenchConfig.model_validate({"server_params": data}).server_params


async def opened(data: dict[str, Any], limits: SandboxLimits | None = None) -> McpSession:
    return await McpSession.open(params(data), limits)


def text(result: Any) -> str:
    return "".join(part.text for part in result.content)


async def test_a_stdio_server_runs_in_the_sandbox_and_answers() -> None:
    session = await opened(stdio_params())
    try:
        assert session.initialize_result is not None
        assert session.initialize_result.serverInfo.name == "studio-test-server"
        assert [tool.name for tool in await session.list_tools()] == TOOLS
        result = await session.call_tool("add", {"a": 2, "b": 3})
        assert (text(result), result.isError) == ("5", False)
    finally:
        await session.close()


async def test_a_stdio_server_gets_only_the_variables_it_declares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-host-secret")
    session = await opened(stdio_params(env={"NOTES": "kept"}))
    try:
        seen = json.loads(text(await session.call_tool("environment", {})))
    finally:
        await session.close()
    assert seen["NOTES"] == "kept"
    assert "OPENAI_API_KEY" not in seen and "sk-host-secret" not in json.dumps(seen)
    assert set(seen) <= {*SANDBOX_VARIABLES, "NOTES"} and seen["HOME"] == "/tmp"
    assert seen["PATH"].split(":")[0] == os.path.dirname(sys.executable)  # `python` is the studio's


@pytest.mark.parametrize("kind", ["sse", "streamable"])
async def test_http_servers_get_only_the_headers_declared(kind: str, request: pytest.FixtureRequest,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    server: HttpServer = request.getfixturevalue(kind)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # not used: the environment is not consulted
    session = await opened(server.params(headers={"X-Team": "docs"}))
    try:
        assert [tool.name for tool in await session.list_tools()] == TOOLS
        seen = json.loads(text(await session.call_tool("headers", {})))
    finally:
        await session.close()
    assert seen["x-team"] == "docs"
    assert not {"authorization", "cookie", "proxy-authorization"} & set(seen)


async def test_closing_stops_the_server_process() -> None:
    session = await opened(stdio_params())
    pid = json.loads(text(await session.call_tool("environment", {})))  # the session works
    assert pid
    await session.close()
    await session.close()  # idempotent
    with pytest.raises(McpServerError, match="is not connected"):
        await session.list_tools()


async def test_a_server_that_cannot_start_is_named_with_its_reason() -> None:
    with pytest.raises(McpServerError) as failed:
        await opened(stdio_params(args=["-c", "import sys; sys.stderr.write('no notes here'); sys.exit(3)"]))
    assert str(failed.value).startswith(f"MCP server '{sys.executable} -c ")
    assert "exited with code 3: no notes here" in str(failed.value)


async def test_a_missing_command_is_named() -> None:
    with pytest.raises(McpServerError, match=r"MCP server 'no-such-server --flag' exited with code 127"):
        await opened(stdio_params(command="no-such-server", args=["--flag"]))


async def test_a_server_that_never_answers_initialize_times_out() -> None:
    with pytest.raises(McpServerError, match=r"did not answer within 3 s of being started"):
        await opened(stdio_params(args=["-c", HANG], read_timeout_seconds=3))


async def test_a_hanging_tool_times_out_and_the_session_stays() -> None:
    session = await opened(stdio_params(read_timeout_seconds=HANG_TIMEOUT))
    try:
        with pytest.raises(McpServerError, match=rf"did not answer tools/call 'slow' within {HANG_TIMEOUT:g} s"):
            await session.call_tool("slow", {"seconds": 600})
        assert text(await session.call_tool("add", {"a": 1, "b": 1})) == "2"
    finally:
        await session.close()


async def test_a_server_that_dies_mid_run_is_named_with_its_exit() -> None:
    session = await opened(stdio_params())
    try:
        with pytest.raises(McpServerError, match=r"MCP server '.*' exited with code 7"):
            await session.call_tool("crash", {"code": 7})
        with pytest.raises(McpServerError, match="exited with code 7"):  # lost for good: the same error
            await session.list_tools()
        assert session.failure is not None
    finally:
        await session.close()


async def test_a_malformed_message_ends_the_session() -> None:
    session = await opened(stdio_params())
    try:
        with pytest.raises(McpServerError, match=r"sent a malformed JSON-RPC message: 'this is not json-rpc'"):
            await session.call_tool("garble", {})
        with pytest.raises(McpServerError, match="malformed"):
            await session.list_tools()
    finally:
        await session.close()


async def test_a_message_over_the_limit_ends_the_session() -> None:
    limits = SandboxLimits(**{**get_sandbox_limits().__dict__, "max_result_bytes": 100_000})
    session = await opened(stdio_params(), limits)
    try:
        assert text(await session.call_tool("huge", {"size": 20_000})) == "x" * 20_000  # twice in the message
        with pytest.raises(McpServerError, match=r"sent a message of more than 100000 bytes \(the limit\)"):
            await session.call_tool("huge", {"size": 200_000})
    finally:
        await session.close()


async def test_an_unreachable_http_server_is_named() -> None:
    url = "http://127.0.0.1:9/mcp"
    with pytest.raises(McpServerError, match=r"MCP server 'http://127.0.0.1:9/mcp' could not be started"):
        await opened({"type": "StreamableHttpServerParams", "url": url, "timeout": 5})


@pytest.mark.parametrize("kind", ["sse", "http"])
async def test_an_http_server_that_dies_mid_run_fails_the_requests_at_once(kind: str) -> None:
    with http_server(kind) as doomed:
        session = await opened(doomed.params(timeout=5, sse_read_timeout=WAIT_SECONDS * 10))
        try:
            assert len(await session.list_tools()) == len(TOOLS)
            doomed.kill()
            with pytest.raises(McpServerError, match=rf"MCP server '{doomed.url}' failed: "):
                await session.call_tool("add", {"a": 1, "b": 2})  # not after sse_read_timeout: at once
            with pytest.raises(McpServerError, match=rf"MCP server '{doomed.url}' failed: "):
                await session.list_tools()
        finally:
            await session.close()
