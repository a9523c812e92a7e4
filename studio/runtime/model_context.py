"""What an agent remembers of the conversation and sends to its model on each call."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from pydantic import Field

from .config import Component, ConfigModel, Configurable, slot
from .models.types import (
    AssistantMessage,
    FunctionExecutionResultMessage,
    LLMMessage,
    TaggedLLMMessage,
    UserMessage,
)

_UNBOUNDED: Component = {"provider": "autogen_core.model_context.UnboundedChatCompletionContext", "config": {}}
_INITIAL_MESSAGES = "Messages the context starts with, as a JSON list."


def context_slot() -> Any:
    """The `model_context` field of an agent or a selector: a context component, unbounded when unset (the
    runtime's default, and AutoGen's)."""
    return slot("chat_completion_context", default=_UNBOUNDED, description="How much of the conversation "
                "the agent sends to its model, e.g. only the last N messages. Empty: everything.")


class ChatCompletionContext(Configurable, ABC):
    def __init__(self, initial_messages: list[LLMMessage] | None = None) -> None:
        self.initial_messages = initial_messages
        self._messages: list[LLMMessage] = []
        self.has_images = False  # lets callers skip scanning for images on every model call
        for message in initial_messages or []:
            self._append(message)

    async def add_message(self, message: LLMMessage) -> None:
        self._append(message)

    def _append(self, message: LLMMessage) -> None:
        if isinstance(message, UserMessage) and not isinstance(message.content, str):
            self.has_images = True
        self._messages.append(message)

    @abstractmethod
    async def get_messages(self) -> list[LLMMessage]:
        """The messages to send to the model, in order."""

    async def clear(self) -> None:
        self._messages = []
        self.has_images = False

    def save_state(self) -> dict[str, Any]:
        return {"messages": [m.model_dump(mode="json") for m in self._messages]}


class UnboundedContextConfig(ConfigModel):
    initial_messages: list[TaggedLLMMessage] | None = Field(None, description=_INITIAL_MESSAGES)


class UnboundedChatCompletionContext(ChatCompletionContext):
    """Sends the whole conversation."""

    component_config_schema = UnboundedContextConfig

    async def get_messages(self) -> list[LLMMessage]:
        return self._messages


class BufferedContextConfig(ConfigModel):
    buffer_size: int = Field(ge=1, description="Send only the last this-many messages to the model.")
    initial_messages: list[TaggedLLMMessage] | None = Field(None, description=_INITIAL_MESSAGES)


class BufferedChatCompletionContext(ChatCompletionContext):
    """Sends only the last `buffer_size` messages (never starting with an orphaned tool result)."""

    component_config_schema = BufferedContextConfig

    def __init__(self, buffer_size: int, initial_messages: list[LLMMessage] | None = None) -> None:
        if buffer_size <= 0:
            raise ValueError("buffer_size must be greater than 0.")
        super().__init__(initial_messages)
        self.buffer_size = buffer_size

    async def get_messages(self) -> list[LLMMessage]:
        return _without_leading_tool_result(self._messages[-self.buffer_size :])


class HeadAndTailContextConfig(ConfigModel):
    head_size: int = Field(ge=0, description="Keep this many messages from the start of the conversation.")
    tail_size: int = Field(ge=0, description="Keep this many of the latest messages.")
    initial_messages: list[TaggedLLMMessage] | None = Field(None, description=_INITIAL_MESSAGES)


class HeadAndTailChatCompletionContext(ChatCompletionContext):
    """Sends the first `head_size` and last `tail_size` messages, with a note of how many were skipped."""

    component_config_schema = HeadAndTailContextConfig

    def __init__(self, head_size: int, tail_size: int, initial_messages: list[LLMMessage] | None = None) -> None:
        if head_size <= 0 or tail_size <= 0:
            raise ValueError("head_size and tail_size must be greater than 0.")
        super().__init__(initial_messages)
        self.head_size = head_size
        self.tail_size = tail_size

    async def get_messages(self) -> list[LLMMessage]:
        skipped = len(self._messages) - self.head_size - self.tail_size
        if skipped <= 0:
            return self._messages
        head = self._messages[: self.head_size]
        if head and isinstance(head[-1], AssistantMessage) and isinstance(head[-1].content, list):
            head = head[:-1]  # a tool call whose result falls in the skipped part
        tail = _without_leading_tool_result(self._messages[-self.tail_size :])
        return [*head, UserMessage(content=f"Skipped {skipped} messages.", source="System"), *tail]


def _without_leading_tool_result(messages: list[LLMMessage]) -> list[LLMMessage]:
    if messages and isinstance(messages[0], FunctionExecutionResultMessage):
        return messages[1:]
    return messages


__all__ = [
    "BufferedChatCompletionContext",
    "BufferedContextConfig",
    "ChatCompletionContext",
    "HeadAndTailChatCompletionContext",
    "HeadAndTailContextConfig",
    "UnboundedChatCompletionContext",
    "UnboundedContextConfig",
    "context_slot",
]
