"""One connection to one MCP server, through the official `mcp` SDK's ClientSession on any of the three transports.

The connection lives in a task of its own (anyio's cancel scopes must be left by the task that entered them,
and a run opens it in one agent turn and closes it after the last), and requests are made from any task.
Whatever goes wrong with the server itself (it cannot start or be reached, does not answer in time, exits,
breaks the protocol) is raised as `McpServerError`, whose text names the server; once the connection is lost,
every later request raises the same error until the session is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ...isolation import SandboxLimits, SandboxUnavailable, get_sandbox_limits
from ._stdio import StdioState, sandboxed_stdio
from .params import ServerParams, SseServerParams, StdioServerParams

if TYPE_CHECKING:
    import httpx
    from mcp import ClientSession, types

T = TypeVar("T")

_CONNECTION_CLOSED = -32000
_REQUEST_TIMEOUT = 408


class McpServerError(RuntimeError):
    """The MCP server failed (not a tool of it): its message names the server and says what happened."""


class McpSession:
    """An open session with one server. `await McpSession.open(params)`; `await session.close()` when done."""

    def __init__(self, params: ServerParams, limits: SandboxLimits) -> None:
        self.params = params
        self.limits = limits
        self.label = f"MCP server {params.label()!r}"
        self.initialize_result: types.InitializeResult | None = None
        self._client: ClientSession | None = None
        self._stdio = StdioState()
        self._failure: McpServerError | None = None
        self._closing = asyncio.Event()
        self._lost = asyncio.Event()  # set once the connection is gone: requests in flight fail at once
        self._owner: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, params: ServerParams, limits: SandboxLimits | None = None) -> McpSession:
        """Connect (start the server, for stdio) and initialize. Raises McpServerError."""
        session = cls(params, limits or get_sandbox_limits())
        ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        session._owner = asyncio.create_task(session._own(ready), name=session.label)
        try:
            await asyncio.wait_for(asyncio.shield(ready), session._open_timeout())
        except TimeoutError:
            await session._abandon(ready)
            raise McpServerError(f"{session.label} did not answer within {session._open_timeout():g} s "
                                 "of being started") from None
        except BaseException:
            await session._abandon(ready)
            raise
        return session

    async def _abandon(self, ready: asyncio.Future[None]) -> None:
        """Close a session that did not open; what its owner then reports is not news to anyone."""
        await self.close()
        if ready.done() and not ready.cancelled():
            ready.exception()

    @property
    def failure(self) -> McpServerError | None:
        """Why the connection was lost, if it was."""
        return self._failure

    def _open_timeout(self) -> float:
        if isinstance(self.params, StdioServerParams):
            return self.params.read_timeout_seconds
        return self.params.timeout

    def _read_timeout(self) -> float:
        """Each request's timeout, as AutoGen sets it: stdio's read timeout, the HTTP transports' SSE read timeout."""
        if isinstance(self.params, StdioServerParams):
            return self.params.read_timeout_seconds
        return self.params.sse_read_timeout

    async def _own(self, ready: asyncio.Future[None]) -> None:
        from mcp import ClientSession, types

        async def refuse_sampling(context: Any, params: Any) -> types.ErrorData:
            return types.ErrorData(code=types.INVALID_REQUEST, message="No model client available for sampling.")

        async def on_message(message: Any) -> None:
            """The transports hand the session what went wrong with the connection as an exception."""
            if isinstance(message, Exception):
                self._lose(self._explain(message, "failed"))

        try:
            async with contextlib.AsyncExitStack() as stack:
                read, write = await stack.enter_async_context(self._transport())
                client = await stack.enter_async_context(ClientSession(
                    read, write, read_timeout_seconds=timedelta(seconds=self._read_timeout()),
                    sampling_callback=refuse_sampling, message_handler=on_message))
                self.initialize_result = await self._unless_lost(client.initialize())
                self._client = client
                ready.set_result(None)
                await self._closing.wait()
        except Exception as e:  # noqa: BLE001 - every failure of the connection becomes the session's failure
            self._lose(self._explain(e, "could not be started" if not ready.done() else "failed"))
        finally:
            self._client = None
            if not ready.done():
                ready.set_exception(self._failure or McpServerError(f"{self.label} closed the connection"))
            elif not self._closing.is_set():
                self._lose(self._failure or McpServerError(f"{self.label} closed the connection"))

    def _transport(self) -> contextlib.AbstractAsyncContextManager[tuple[Any, Any]]:
        params = self.params
        if isinstance(params, StdioServerParams):
            return sandboxed_stdio(params, self.limits, self._stdio)
        if isinstance(params, SseServerParams):
            from mcp.client.sse import sse_client

            def factory(headers: dict[str, str] | None = None, timeout: httpx.Timeout | None = None,
                        auth: httpx.Auth | None = None) -> httpx.AsyncClient:
                return _http_client(params.headers, timeout, auth)

            return sse_client(params.url, timeout=params.timeout, sse_read_timeout=params.sse_read_timeout,
                              httpx_client_factory=factory)
        return _streamable_http(params.url, params.headers, params.timeout, params.sse_read_timeout,
                                params.terminate_on_close)

    def _lose(self, error: McpServerError) -> None:
        self._failure = self._failure or error
        self._lost.set()

    def _explain(self, error: BaseException, what: str) -> McpServerError:
        """An McpServerError naming the server, from what the SDK or the transport raised."""
        if isinstance(error, McpServerError):
            return error
        if self._stdio.failure is not None:
            return McpServerError(f"{self.label} {self._stdio.failure}")
        if isinstance(error, BaseExceptionGroup):
            return self._explain(error.exceptions[0], what)
        if isinstance(error, SandboxUnavailable):
            return McpServerError(f"{self.label} could not be started: {error}")
        code = getattr(getattr(error, "error", None), "code", None)
        if code == _CONNECTION_CLOSED:
            return McpServerError(f"{self.label} closed the connection")
        detail = str(error).strip() or type(error).__name__
        return McpServerError(f"{self.label} {what}: {detail}")

    async def request(self, what: str, call: Callable[[ClientSession], Awaitable[T]]) -> T:
        """Make one request (`what` names it in errors). A JSON-RPC error the server answers with is raised as
        the SDK's McpError, as AutoGen sees it; a lost connection or a timeout as McpServerError."""
        client = self._client
        if client is None or self._failure is not None:
            raise self._failure or McpServerError(f"{self.label} is not connected")
        try:
            return await self._unless_lost(call(client))
        except Exception as e:
            code = getattr(getattr(e, "error", None), "code", None)
            if code == _REQUEST_TIMEOUT:
                raise McpServerError(f"{self.label} did not answer {what} within {self._read_timeout():g} s") from e
            if code == _CONNECTION_CLOSED or self._failure is not None or self._stdio.failure is not None:
                await self._settled()
                raise self._failure or self._explain(e, f"failed during {what}") from e
            raise

    async def _unless_lost(self, request: Awaitable[T]) -> T:
        """The request's answer, or the connection's failure as soon as it is lost."""
        answer = asyncio.ensure_future(request)
        lost = asyncio.ensure_future(self._lost.wait())
        try:
            await asyncio.wait({answer, lost}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            if not answer.done():
                answer.cancel()
        if answer.done() and not answer.cancelled():
            return answer.result()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await answer
        raise self._failure or McpServerError(f"{self.label} closed the connection")

    async def _settled(self) -> None:
        """Let the owner task record why the connection ended (it does so as it unwinds)."""
        if self._owner is not None and self._failure is None:
            await asyncio.wait({self._owner}, timeout=5.0)
        if self._failure is None:
            self._lose(self._explain(RuntimeError("the connection was lost"), "failed"))

    async def list_tools(self) -> list[types.Tool]:
        """Every tool, all pages of the list."""
        async def tools(client: ClientSession) -> list[types.Tool]:
            from mcp import types

            found: list[types.Tool] = []
            cursor: str | None = None
            while True:
                page = await client.list_tools(params=types.PaginatedRequestParams(cursor=cursor) if cursor else None)
                found += page.tools
                cursor = page.nextCursor
                if not cursor:
                    return found

        return await self.request("tools/list", tools)

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        return await self.request(f"tools/call {name!r}", lambda client: client.call_tool(name, arguments))

    async def close(self) -> None:
        """End the session (and stop a stdio server). Idempotent."""
        self._closing.set()
        owner, self._owner = self._owner, None
        if owner is not None:
            if self._client is None:
                owner.cancel()  # still starting (or lost): nothing to end politely
            await asyncio.wait({owner}, timeout=10.0)  # the owner's own outcome is recorded by `_own`
            if not owner.done():
                owner.cancel()
                await asyncio.wait({owner}, timeout=10.0)


def _http_client(headers: dict[str, Any] | None, timeout: httpx.Timeout | None,
                 auth: httpx.Auth | None) -> httpx.AsyncClient:
    """An HTTP client sending only the component's headers: no proxy or .netrc credentials from the environment."""
    import httpx

    return httpx.AsyncClient(headers={str(k): str(v) for k, v in (headers or {}).items()}, timeout=timeout, auth=auth,
                             trust_env=False)


@contextlib.asynccontextmanager
async def _streamable_http(url: str, headers: dict[str, Any] | None, timeout: float, read_timeout: float,
                           terminate_on_close: bool) -> AsyncIterator[tuple[Any, Any]]:
    import httpx
    from mcp.client.streamable_http import streamable_http_client

    client = _http_client(headers, httpx.Timeout(timeout, read=read_timeout), None)
    async with client, streamable_http_client(url, http_client=client, terminate_on_close=terminate_on_close) as streams:
        yield streams[0], streams[1]


__all__ = ["McpServerError", "McpSession"]
