"""The interface every tool implements, and the result a tool call produces."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from ..cancellation import CancellationToken
from ..config import Configurable
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
