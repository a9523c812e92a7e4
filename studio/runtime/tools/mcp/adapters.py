"""AutoGen's MCP tool adapters: one tool of an MCP server as a tool of its own (`StdioMcpToolAdapter`,
`SseMcpToolAdapter`, `StreamableHttpMcpToolAdapter`), configured with the server params and the tool's MCP
definition.

Where AutoGen opens a session per call, the studio opens one on the tool's first call and keeps it until the
run ends (`end_run`) or the tool is closed. The result is AutoGen's: the content parts as a JSON list; a result
the server marks `isError` is an error whose text is that list.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from ...cancellation import CancellationToken
from ...config import Built, ConfigModel, Dump
from ...isolation import get_sandbox_limits
from ...models.types import ToolSchema
from ..base import Tool, ToolResult
from .params import ServerParams, SseServerParams, StdioServerParams, StreamableHttpServerParams
from .session import McpServerError, McpSession

if TYPE_CHECKING:
    from mcp import types

__all__ = ["McpToolAdapter", "McpToolDefinition", "SseMcpToolAdapter", "StdioMcpToolAdapter",
           "StreamableHttpMcpToolAdapter", "adapter_text"]


class McpToolDefinition(BaseModel):
    """An MCP tool as the server lists it (`mcp.types.Tool`): the keys it has are kept, nulls are not."""

    model_config = ConfigDict(extra="allow")

    name: str = Field(description="The tool's name on the server.")
    title: str | None = None
    description: str | None = Field(None, description="What the tool does, as the model is told.")
    inputSchema: dict[str, Any] = Field(description="The JSON schema of its arguments.")  # noqa: N815 - MCP's name


class StdioMcpToolAdapterConfig(ConfigModel):
    server_params: StdioServerParams = Field(description="The command that starts the server.")
    tool: McpToolDefinition = Field(description="The server's definition of the tool.")


class SseMcpToolAdapterConfig(ConfigModel):
    server_params: SseServerParams = Field(description="Where the server runs.")
    tool: McpToolDefinition = Field(description="The server's definition of the tool.")


class StreamableHttpMcpToolAdapterConfig(ConfigModel):
    server_params: StreamableHttpServerParams = Field(description="Where the server runs.")
    tool: McpToolDefinition = Field(description="The server's definition of the tool.")


class McpToolAdapter(Tool):
    """One tool of an MCP server."""

    params_type: ClassVar[type[ConfigModel]]

    def __init__(self, server_params: ServerParams, tool: McpToolDefinition | Mapping[str, Any]) -> None:
        if not isinstance(server_params, self.params_type):
            raise TypeError(f"{type(self).__name__} needs {self.params_type.__name__}, "
                            f"not {type(server_params).__name__}")
        self.server_params = server_params
        self.tool = tool if isinstance(tool, McpToolDefinition) else McpToolDefinition.model_validate(tool)
        self.name = self.tool.name
        self.description = self.tool.description or ""
        self._session: McpSession | None = None
        self._opening = asyncio.Lock()

    @classmethod
    def _from_config(cls, config: Any, built: Built) -> McpToolAdapter:
        return cls(config.server_params, config.tool)

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        return {"server_params": self.server_params.to_json(),
                "tool": self.tool.model_dump(mode="json", exclude_none=True)}

    @property
    def schema(self) -> ToolSchema:
        schema = self.tool.inputSchema
        return ToolSchema(name=self.name, description=self.description, strict=False, parameters={
            "type": "object", "properties": schema.get("properties", {}), "required": schema.get("required", []),
            "additionalProperties": schema.get("additionalProperties", False)})

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        try:
            session = await self._connected()
            call = asyncio.ensure_future(session.call_tool(self.name, dict(args)))
            cancellation_token.link_future(call)
            result = await call
            text = adapter_text(result.content)
            limit = session.limits.max_result_bytes
            if len(text.encode()) > limit:
                raise McpServerError(f"{session.label} returned a result of {len(text.encode())} bytes for tool "
                                     f"{self.name!r}, over the {limit}-byte limit")
        except Exception as e:  # AutoGen's static workbench: the error's text is the result
            return ToolResult(name=self.name, content=str(e).strip(), is_error=True)
        return ToolResult(name=self.name, content=text, is_error=bool(result.isError))

    async def _connected(self) -> McpSession:
        async with self._opening:
            if self._session is None:
                self._session = await McpSession.open(self.server_params, get_sandbox_limits())
            return self._session

    async def end_run(self) -> None:
        async with self._opening:
            session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def close(self) -> None:
        await self.end_run()


def adapter_text(contents: list[types.ContentBlock]) -> str:
    """AutoGen's adapter result: each content part as a JSON object (without a null `meta`), in a JSON list."""
    def item(content: Any) -> dict[str, Any]:
        dumped: dict[str, Any] = content.model_dump(mode="json")
        if dumped.get("meta") is None:
            dumped.pop("meta", None)
        if getattr(content, "type", None) == "resource":
            resource = {k: v for k, v in dumped["resource"].items() if not (k == "meta" and v is None)}
            annotations = dumped.get("annotations")
            if isinstance(annotations, dict) and annotations.get("meta") is None:
                annotations.pop("meta", None)
            return {"type": dumped["type"], "resource": resource, "annotations": annotations}
        return dumped

    return json.dumps([item(content) for content in contents])


class StdioMcpToolAdapter(McpToolAdapter):
    component_config_schema = StdioMcpToolAdapterConfig
    params_type = StdioServerParams


class SseMcpToolAdapter(McpToolAdapter):
    component_config_schema = SseMcpToolAdapterConfig
    params_type = SseServerParams


class StreamableHttpMcpToolAdapter(McpToolAdapter):
    component_config_schema = StreamableHttpMcpToolAdapterConfig
    params_type = StreamableHttpServerParams
