"""The `mcp` SDK's own client against a served team endpoint (`studio serve --mcp`, the studio's
`/api/serve/mcp`): `connected(url, key)` yields an initialized `ClientSession`, and records every
notification the server sent in `notifications`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.session import RequestResponder


@dataclass
class Connection:
    session: ClientSession
    notifications: list[types.ServerNotification] = field(default_factory=list)

    @property
    def progress(self) -> list[types.ProgressNotificationParams]:
        return [n.root.params for n in self.notifications if isinstance(n.root, types.ProgressNotification)]


@asynccontextmanager
async def connected(url: str, key: str | None = None) -> AsyncIterator[Connection]:
    """A session on the MCP endpoint at `url`, sending `Authorization: Bearer key` when there is a key."""
    notifications: list[types.ServerNotification] = []

    async def record(message: RequestResponder[types.ServerRequest, types.ClientResult] | types.ServerNotification
                     | Exception) -> None:
        if isinstance(message, types.ServerNotification):
            notifications.append(message)

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    async with httpx.AsyncClient(headers=headers, timeout=httpx.Timeout(30, read=300)) as http, \
            streamable_http_client(url, http_client=http) as (read, write, _), \
            ClientSession(read, write, message_handler=record) as session:
        await session.initialize()
        yield Connection(session, notifications)


def text_of(result: types.CallToolResult) -> str:
    """The text of a tool result's content blocks."""
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


def outcome(result: Any) -> dict[str, Any]:
    """The structured content of a tool result (its answer and stop reason)."""
    assert isinstance(result, types.CallToolResult) and result.structuredContent is not None, result
    return result.structuredContent
