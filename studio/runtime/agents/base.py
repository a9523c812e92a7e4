"""What every agent is: a name, a description, and a turn that turns new messages into a response."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Sequence

from ..cancellation import CancellationToken
from ..config import Configurable
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    ModelClientStreamingChunkEvent,
    Response,
    TaskResult,
    TextMessage,
)

# The descriptions (the Builder's help texts) of the config fields agents share.
NAME_HELP = ("A unique name in the team, a Python identifier (letters, digits, underscores). Handoffs, graph edges "
             "and terminations refer to agents by this name.")
DESCRIPTION_HELP = ("What this agent is good at. Other agents and a selector's model read it to decide who should "
                    "speak next.")
STREAM_HELP = "Stream the model's reply token by token into the trace."


class BaseChatAgent(Configurable, ABC):
    def __init__(self, name: str, description: str) -> None:
        if not name.isidentifier():
            raise ValueError(f"The agent name must be a valid Python identifier, got {name!r}.")
        self.name = name
        self.description = description

    @abstractmethod
    def on_messages_stream(
        self, messages: Sequence[BaseChatMessage], cancellation_token: CancellationToken
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | Response]:
        """Take the messages new since this agent's last turn; yield events as they happen, then a Response."""

    async def on_reset(self, cancellation_token: CancellationToken | None = None) -> None:
        """Forget the conversation."""

    async def end_run(self) -> None:
        """A run of this agent (alone, or of its team) ended: its tools drop their per-run state."""

    async def close(self) -> None:
        """Release what the agent holds (tool workers, HTTP clients)."""

    async def run_stream(
        self, *, task: str | BaseChatMessage, cancellation_token: CancellationToken | None = None
    ) -> AsyncGenerator[BaseAgentEvent | BaseChatMessage | TaskResult, None]:
        """Run this agent alone on a task: the task message, the agent's events and reply, then the result."""
        message = TextMessage(content=task, source="user") if isinstance(task, str) else task
        output: list[BaseAgentEvent | BaseChatMessage] = [message]
        yield message
        try:
            async for item in self.on_messages_stream([message], cancellation_token or CancellationToken()):
                if isinstance(item, Response):
                    output.append(item.chat_message)
                    yield item.chat_message
                else:
                    if not isinstance(item, ModelClientStreamingChunkEvent):
                        output.append(item)
                    yield item
        finally:
            await self.end_run()
        yield TaskResult(messages=output)

    async def run(self, *, task: str | BaseChatMessage, cancellation_token: CancellationToken | None = None) -> TaskResult:
        result = None
        async for item in self.run_stream(task=task, cancellation_token=cancellation_token):
            result = item
        assert isinstance(result, TaskResult)
        return result
