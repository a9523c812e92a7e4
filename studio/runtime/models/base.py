"""The interface every model client implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from typing import Any

from ..cancellation import CancellationToken
from ..config import Configurable
from .types import CreateResult, LLMMessage, ModelInfo, RequestUsage, ToolSchema


class ModelClientError(Exception):
    """A model call failed for good (after retries): the message is shown to the user as is."""


class ChatCompletionClient(Configurable, ABC):
    """Sends a conversation to a model and returns its reply; counts the tokens it used."""

    model_info: ModelInfo

    @abstractmethod
    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult: ...

    @abstractmethod
    def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncIterator[str | CreateResult]:
        """Yield text chunks as they arrive, then the complete `CreateResult` last."""

    @abstractmethod
    def total_usage(self) -> RequestUsage: ...

    async def close(self) -> None:
        return None
