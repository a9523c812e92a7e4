"""Served teams as MCP tools over streamable HTTP, on the `mcp` SDK's server side: one tool per team, named by
its served name, `task` in, the answer and the stop reason out, and a progress notification per message of the
run when the client sent a progress token. Runs go through the service's `TeamRunner`, so its concurrency and
time limits hold here as over HTTP; a run that fails or may not start is a tool error (`isError`), not an HTTP
error. Who may call is the app's business: its middleware guards the path like every other."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import AbstractContextManager, aclosing, asynccontextmanager
from importlib.metadata import version
from typing import Any

from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.session import ServerSession
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.shared.context import RequestContext
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from studio.components import ComponentValidationError, cannot_run
from studio.runtime.messages import ModelClientStreamingChunkEvent, TaskResult

from .catalog import ServedTeam, TeamRefused
from .errors import detail_error
from .routes import TeamSource
from .runner import Busy, TeamRunner, failed, final_answer

Context = RequestContext[ServerSession, Any, Request]
TeamsFor = Callable[[Request], AbstractContextManager[TeamSource]]
"""The teams an MCP request may call, for as long as the context lasts (the studio opens a database session)."""
RunnerFor = Callable[[Request], TeamRunner]
"""The service's runner, whose limits every run takes."""

INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"task": {"type": "string", "minLength": 1, "description": "The task for the team."}},
    "required": ["task"],
}
OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string", "description": "The last message of the run not from the user."},
        "stop_reason": {"type": "string", "description": "Why the run stopped."},
    },
    "required": ["answer", "stop_reason"],
}


class McpEndpoint:
    """The ASGI app to route at the MCP path. Enter `running()` in the app's lifespan: the SDK's session manager
    runs there (a fresh one per lifespan, as the SDK requires). Stateless: every request stands alone, like a
    `studio serve` request, and a client that hangs up stops its run."""

    def __init__(self, teams: TeamsFor, runner: RunnerFor) -> None:
        self._server = _team_server(teams, runner)
        self._manager: StreamableHTTPSessionManager | None = None

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        manager = StreamableHTTPSessionManager(self._server, stateless=True)
        async with manager.run():
            self._manager = manager
            try:
                yield
            finally:
                self._manager = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":  # the spec's answer when there is no stream to GET (nor session to DELETE)
            refusal = detail_error(405, "This MCP endpoint is stateless: POST each message; there is no event stream "
                                        "to GET and no session to DELETE.")
            refusal.headers["Allow"] = "POST"
            await refusal(scope, receive, send)
            return
        if self._manager is None:
            await detail_error(503, "The MCP endpoint is not running: the app has not started.")(scope, receive, send)
            return
        await self._manager.handle_request(scope, receive, send)


def _team_server(teams: TeamsFor, runner: RunnerFor) -> Server[Any, Request]:
    server: Server[Any, Request] = Server("studio", version=version("studio"),
                                          instructions="Each tool runs a team of agents on a task and returns "
                                                       "its answer.")

    # The SDK's handler decorators carry no types (mcp 1.x): the handlers below are typed all the same.
    @server.list_tools()  # type: ignore[no-untyped-call, untyped-decorator]
    async def list_tools() -> list[types.Tool]:
        return await run_in_threadpool(_tools, teams, _request(server.request_context))

    @server.call_tool()  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        context = server.request_context
        request = _request(context)
        try:
            team = await run_in_threadpool(_team, teams, request, name)
        except TeamRefused as e:
            return _error("\n".join([str(e), *(f"- {p.path}: {p.message}" for p in e.problems)]))
        if team is None:
            return _error(f"No team called {name!r}; tools/list lists them.")
        try:  # the SDK checked the arguments against INPUT_SCHEMA
            items = runner(request).start(team.component, arguments["task"])
        except Busy as e:
            return _error(str(e))
        except ComponentValidationError as e:
            return _error(cannot_run(team.label, e.errors))
        result = await _run(items, context)
        outcome = {"answer": final_answer(result), "stop_reason": result.stop_reason or ""}
        if failed(result):
            return _error(outcome["stop_reason"], outcome)
        text = types.TextContent(type="text", text=json.dumps(outcome, ensure_ascii=False))
        return types.CallToolResult(content=[text], structuredContent=outcome)

    return server


def _tools(teams: TeamsFor, request: Request) -> list[types.Tool]:
    """Every team as a tool (in a worker thread: the studio's teams come from its database)."""
    with teams(request) as source:
        return [_tool(team) for team in source]


def _team(teams: TeamsFor, request: Request, name: str) -> ServedTeam | None:
    """The team to run, ready to (in a worker thread, its database session closed before the run)."""
    with teams(request) as source:
        return source.get(name)


def _tool(team: ServedTeam) -> types.Tool:
    description = team.description or f"Runs the team {team.label!r} on a task and returns its answer."
    return types.Tool(name=team.name, title=team.label, description=description, inputSchema=INPUT_SCHEMA,
                      outputSchema=OUTPUT_SCHEMA)


def _request(context: Context) -> Request:
    """The HTTP request that carried the MCP request being handled (the streamable HTTP transport sets it)."""
    request = context.request
    assert request is not None, "MCP requests reach the teams over HTTP only"
    return request


async def _run(items: AsyncGenerator[Any, None], context: Context) -> TaskResult:
    """Run to the end, telling the client of each message (streamed chunks aside: their message follows) when
    it asked for progress; the TaskResult."""
    token = context.meta.progressToken if context.meta else None
    result: TaskResult | None = None
    count = 0
    async with aclosing(items) as stream:
        async for item in stream:
            if isinstance(item, TaskResult):
                result = item
            elif token is not None and not isinstance(item, ModelClientStreamingChunkEvent):
                count += 1
                text = f"{item.source}: {item.to_text()}"
                await context.session.send_progress_notification(token, count, message=text,
                                                                 related_request_id=str(context.request_id))
    assert result is not None, "a run's stream ends with its TaskResult"
    return result


def _error(message: str, outcome: dict[str, Any] | None = None) -> types.CallToolResult:
    """A tool error: the message for the client's model, and the run's outcome when there was a run."""
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], structuredContent=outcome,
                                isError=True)


__all__ = ["INPUT_SCHEMA", "OUTPUT_SCHEMA", "McpEndpoint", "RunnerFor", "TeamsFor"]
