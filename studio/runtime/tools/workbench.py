"""Workbenches: where an agent's tools come from. The interface, and the static one (a fixed set of tools,
with optional renames); an MCP server's workbench is `tools.mcp.McpWorkbench`."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from pydantic import BaseModel, Field

from ..cancellation import CancellationToken
from ..config import Component, ConfigModel, Configurable, slot
from ..messages import BaseAgentEvent, BaseChatMessage
from ..models.types import ToolSchema
from .base import StreamTool, Tool, ToolResult


class ToolOverride(BaseModel):
    """Shows a tool to the model under another name and/or description."""

    name: str | None = None
    description: str | None = None


class StaticWorkbenchConfig(ConfigModel):
    tools: list[Component] = slot("tool", many=True, default=[], description="The tools this workbench offers to "
                                  "its agent.")
    tool_overrides: dict[str, ToolOverride] = Field({}, description="Rename tools or change their descriptions "
                                                    "for this workbench, as a JSON object {tool: {name, description}}.")


class Workbench(Configurable, ABC):
    """Tools an agent lists before each model call and calls by the names listed.

    A workbench may hold a connection (an MCP server's session): it opens on first use, or on `start()` /
    `async with`, and `stop()` closes it. A run's end (`end_run`) and `close()` stop it too."""

    @abstractmethod
    async def list_tools(self) -> list[ToolSchema]:
        """The tools as the model is told of them (renamed by any overrides)."""

    @abstractmethod
    async def call_tool(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
        call_id: str | None = None,
    ) -> ToolResult:
        """Call a tool by its listed name. Never raises for a failed call: returns an error result."""

    async def has_tool(self, name: str) -> bool:
        """Whether `list_tools` lists this name (how an agent finds the workbench of a call, as AutoGen does)."""
        return any(schema["name"] == name for schema in await self.list_tools())

    async def start(self) -> None:
        """Open what the workbench needs (nothing, unless it connects somewhere)."""

    async def stop(self) -> None:
        """Close what `start` (or the first use) opened."""

    async def end_run(self) -> None:
        await self.stop()

    async def close(self) -> None:
        await self.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.stop()


class StaticWorkbench(Workbench):
    component_config_schema = StaticWorkbenchConfig

    def __init__(
        self, tools: Sequence[Tool], tool_overrides: Mapping[str, ToolOverride | dict[str, Any]] | None = None
    ) -> None:
        self.tools = list(tools)
        self.tool_overrides = {
            name: override if isinstance(override, ToolOverride) else ToolOverride.model_validate(override)
            for name, override in (tool_overrides or {}).items()
        }
        self._by_exposed_name: dict[str, Tool] = {}
        for tool in self.tools:
            override = self.tool_overrides.get(tool.name)
            exposed = override.name if override and override.name else tool.name
            if exposed in self._by_exposed_name:
                raise ValueError(f"Tool name '{exposed}' is used twice in one workbench.")
            self._by_exposed_name[exposed] = tool
        self._schemas: list[ToolSchema] | None = None

    async def list_tools(self) -> list[ToolSchema]:
        if self._schemas is None:
            self._schemas = [self._exposed_schema(tool) for tool in self.tools]
        return self._schemas

    async def has_tool(self, name: str) -> bool:
        return name in self._by_exposed_name

    async def call_tool(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
        call_id: str | None = None,
    ) -> ToolResult:
        tool = self._by_exposed_name.get(name)
        if tool is None:
            return ToolResult(name=name, content=f"Tool {name} not found.", is_error=True)
        try:
            result = await tool.run_json(arguments or {}, cancellation_token or CancellationToken(), call_id=call_id)
        except Exception as e:  # a tool is not supposed to raise; if it does, the model hears about it
            return ToolResult(name=name, content=_error_text(e), is_error=True)
        return result.model_copy(update={"name": name}) if result.name != name else result

    async def stop(self) -> None:
        """The run ended: each tool drops what it kept for it (FunctionTool: its sandbox workers)."""
        for tool in self.tools:
            await tool.end_run()

    async def close(self) -> None:
        for tool in self.tools:
            await tool.close()

    def _exposed_schema(self, tool: Tool) -> ToolSchema:
        schema = dict(tool.schema)
        override = self.tool_overrides.get(tool.name)
        if override is not None:
            if override.name is not None:
                schema["name"] = override.name
            if override.description is not None:
                schema["description"] = override.description
        return schema  # type: ignore[return-value]


def _error_text(error: BaseException) -> str:
    """AutoGen's format: the exception's text, the parts of an exception group one per line."""
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(_error_text(e) for e in error.exceptions)
    return str(error)


class StaticStreamWorkbench(StaticWorkbench):
    """`StaticWorkbench` whose calls also stream the events of stream tools (AutoGen's default for an agent's
    `tools`): the agent passes them on as they happen."""

    async def call_tool_stream(
        self,
        name: str,
        arguments: Mapping[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
        call_id: str | None = None,
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | ToolResult]:
        """The call's events, then its result (an error result when the tool fails, after the events so far)."""
        tool = self._by_exposed_name.get(name)
        if not isinstance(tool, StreamTool):
            yield await self.call_tool(name, arguments, cancellation_token, call_id)
            return
        try:
            async for item in tool.run_json_stream(arguments or {}, cancellation_token or CancellationToken(),
                                                   call_id=call_id):
                yield item.model_copy(update={"name": name}) if isinstance(item, ToolResult) else item
        except Exception as e:  # as call_tool: the model hears about it
            yield ToolResult(name=name, content=_error_text(e), is_error=True)
