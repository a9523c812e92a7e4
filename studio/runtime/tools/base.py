"""The interface every tool implements, the result a tool call produces, and tools that stream events."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Mapping
from typing import Any

from pydantic import BaseModel

from ..cancellation import CancellationToken
from ..config import Configurable
from ..messages import BaseAgentEvent, BaseChatMessage
from ..models.types import ToolSchema


class ToolResult(BaseModel):
    """The text a tool call produced, or its error text with `is_error` set."""

    name: str
    content: str
    is_error: bool = False


class Tool(Configurable, ABC):
    name: str
    description: str

    @property
    @abstractmethod
    def schema(self) -> ToolSchema: ...

    @abstractmethod
    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        """Run the tool. Never raises for a failure of the tool itself: returns an error result."""

    async def end_run(self) -> None:
        """The run that used this tool ended: drop what it kept for that run (FunctionTool: its workers)."""
        return None

    async def close(self) -> None:
        return None


class StreamTool(Tool):
    """A tool whose call yields events as it runs (an agent or team as a tool): a StaticStreamWorkbench passes
    them on to the calling agent's stream, as AutoGen's does; elsewhere only the result counts."""

    @abstractmethod
    def run_json_stream(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | ToolResult]:
        """Yield the call's events as they happen, then its ToolResult."""

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        """The call's result, its events dropped."""
        result: ToolResult | None = None
        async for item in self.run_json_stream(args, cancellation_token, call_id):
            if isinstance(item, ToolResult):
                result = item
        if result is None:
            raise RuntimeError(f"Tool {self.name} gave no result.")
        return result
