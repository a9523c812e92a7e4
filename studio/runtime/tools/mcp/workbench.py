"""McpWorkbench: AutoGen's `autogen_ext.tools.mcp.McpWorkbench`, the tools of one MCP server.

Its session opens on first use (or `start()`), once per run: the agent lists the server's tools before each
model call, as AutoGen does, and the run's end (`end_run`, also on Stop) or `close()` ends the session and
stops a stdio server. A tool call that fails gives an error result in AutoGen's words (the error's text and a
newline); a server that cannot be listed raises `McpServerError`, which ends the run with an error naming it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ...cancellation import CancellationToken
from ...config import Built, Component, ConfigModel, Dump, plain, slot
from ...isolation import SandboxLimits, get_sandbox_limits
from ...models.types import ToolSchema
from ..base import ToolResult
from ..workbench import ToolOverride, Workbench
from .params import ServerParams
from .session import McpServerError, McpSession

if TYPE_CHECKING:
    from mcp import types

__all__ = ["McpWorkbench", "McpWorkbenchConfig", "result_text", "tool_schema"]


class McpWorkbenchConfig(ConfigModel):
    server_params: ServerParams = Field(description="How to reach the server: a command the studio "
                                        "starts (stdio), or the URL of a running server (SSE, streamable HTTP).")
    tool_overrides: dict[str, ToolOverride] = Field({}, description="Rename the server's tools or change their "
                                                    "descriptions, as a JSON object {tool: {name, description}}.")
    model_client: Component | None = slot("model", description="A model for the server's sampling requests (the "
                                          "studio refuses them for now).")


class McpWorkbench(Workbench):
    component_config_schema = McpWorkbenchConfig

    def __init__(self, server_params: ServerParams, tool_overrides: Mapping[str, ToolOverride | dict[str, Any]] | None
                 = None, model_client: Any = None, *, limits: SandboxLimits | None = None) -> None:
        self.server_params = server_params
        self.tool_overrides = {
            name: override if isinstance(override, ToolOverride) else ToolOverride.model_validate(override)
            for name, override in (tool_overrides or {}).items()
        }
        self.model_client = model_client
        self.limits = limits
        self._original: dict[str, str] = {}
        for original, override in self.tool_overrides.items():
            if override.name and override.name != original:
                if override.name in self._original:
                    raise ValueError(f"Tool override name '{override.name}' is used by multiple tools: "
                                     f"'{self._original[override.name]}' and '{original}'. Override names must be "
                                     "unique.")
                self._original[override.name] = original
        self._session: McpSession | None = None
        self._opening = asyncio.Lock()

    @classmethod
    def _from_config(cls, config: McpWorkbenchConfig, built: Built) -> McpWorkbench:
        return cls(config.server_params, config.tool_overrides, built["model_client"])

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        return {"server_params": self.server_params.to_json(), "tool_overrides": plain(self.tool_overrides),
                "model_client": dump(self.model_client)}

    @property
    def session(self) -> McpSession | None:
        """The open session, if any."""
        return self._session

    async def start(self) -> None:
        await self._connected()

    async def _connected(self) -> McpSession:
        async with self._opening:
            if self._session is None:
                self._session = await McpSession.open(self.server_params, self.limits or get_sandbox_limits())
            return self._session

    async def stop(self) -> None:
        async with self._opening:
            session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def list_tools(self) -> list[ToolSchema]:
        session = await self._connected()
        return [tool_schema(tool, self.tool_overrides.get(tool.name)) for tool in await session.list_tools()]

    async def call_tool(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
        call_id: str | None = None,
    ) -> ToolResult:
        token = cancellation_token or CancellationToken()
        original = self._original.get(name, name)
        try:
            session = await self._connected()
            call = asyncio.ensure_future(session.call_tool(original, dict(arguments or {})))
            token.link_future(call)
            result = await call
            text = result_text(result)
            limit = session.limits.max_result_bytes
            if len(text.encode()) > limit:
                raise McpServerError(f"{session.label} returned a result of {len(text.encode())} bytes for tool "
                                     f"{original!r}, over the {limit}-byte limit")
        except Exception as e:  # AutoGen's McpWorkbench: every failure of a call is the call's error result
            return ToolResult(name=name, content=_errors(e), is_error=True)
        return ToolResult(name=name, content=text, is_error=bool(result.isError))


def tool_schema(tool: types.Tool, override: ToolOverride | None = None) -> ToolSchema:
    """How AutoGen tells the model of an MCP tool: its name, description and parameters, overrides applied."""
    schema = tool.inputSchema
    return ToolSchema(
        name=override.name if override and override.name is not None else tool.name,
        description=override.description if override and override.description is not None else tool.description or "",
        parameters={"type": "object", "properties": schema.get("properties", {}),
                    "required": schema.get("required", []),
                    "additionalProperties": schema.get("additionalProperties", False)},
    )


def result_text(result: types.CallToolResult) -> str:
    """The text AutoGen's agent gets of a tool's result: text parts, images as `[Image: base64]`, embedded
    resources as their JSON, one per line. Other content (audio, resource links) is an error, as in AutoGen."""
    from mcp import types

    parts: list[str] = []
    for content in result.content:
        if isinstance(content, types.TextContent):
            parts.append(content.text)
        elif isinstance(content, types.ImageContent):
            parts.append(f"[Image: {content.data}]")
        elif isinstance(content, types.EmbeddedResource):
            parts.append(content.model_dump_json())
        else:
            raise ValueError(f"Unknown content type from server: {type(content)}")
    return "\n".join(parts)


def _errors(error: BaseException) -> str:
    """AutoGen's McpWorkbench text for a failed call: each error's text and a newline (an exception group's
    errors one after the other)."""
    if isinstance(error, BaseExceptionGroup):
        return "".join(_errors(e) for e in error.exceptions)
    return f"{error}\n"
