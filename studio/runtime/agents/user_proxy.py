"""UserProxyAgent: a person in the team. Their reply comes from a pluggable async input function."""

from __future__ import annotations

import asyncio
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from pydantic import Field

from ..cancellation import CancellationToken
from ..config import Built, ConfigModel, Dump, attrs
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    HandoffMessage,
    Response,
    TextMessage,
    UserInputRequestedEvent,
)
from .base import NAME_HELP, BaseChatAgent

InputFunc = Callable[[str, CancellationToken | None], Awaitable[str]]


async def stdin_input(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
    """Ask on the terminal without blocking the event loop (the CLI's default).

    The prompt goes to stderr. The read happens in a daemon thread, so a cancelled run can exit while `input()` is still waiting.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def settle(value: str | None, error: BaseException | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(value or "")

    def read() -> None:
        sys.stderr.write(prompt)  # stdout may be carrying JSON lines
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            loop.call_soon_threadsafe(settle, None, RuntimeError("no input: standard input is closed"))
        else:
            loop.call_soon_threadsafe(settle, line.rstrip("\n"), None)

    threading.Thread(target=read, name="stdin-input", daemon=True).start()
    return await answer


class UserProxyAgentConfig(ConfigModel):
    """`input_func` is accepted and ignored: the studio asks the user through its own UI."""

    name: str = Field(description=NAME_HELP)
    description: str = Field("A human user", description="How the other agents, and a selector's model, see the "
                             "human in the team.")
    input_func: str | None = Field(None, description="Kept for compatibility with AutoGen files; the studio always "
                                   "asks the human through its own chat window.")

    def canonical_json(self) -> dict[str, Any]:
        """`input_func` is ignored (the studio asks through its own UI), and not written."""
        data = self.to_json()
        data.pop("input_func", None)
        return data


class UserProxyAgent(BaseChatAgent):
    """Asks for input each turn. After a handoff to it, the reply is handed back to the agent that asked.

    `input_func(prompt, cancellation_token)` supplies the text: the CLI reads stdin, the playground waits for
    the browser. The `UserInputRequestedEvent` it yields first carries the request id the answer belongs to.
    """

    component_config_schema = UserProxyAgentConfig

    def __init__(self, name: str, description: str = "A human user", input_func: InputFunc | None = None) -> None:
        super().__init__(name, description)
        self.input_func: InputFunc = input_func or stdin_input

    @classmethod
    def _from_config(cls, config: UserProxyAgentConfig, built: Built) -> UserProxyAgent:
        return cls(config.name, description=config.description)

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        return attrs(self, "name", "description")

    async def on_messages_stream(
        self, messages: Sequence[BaseChatMessage], cancellation_token: CancellationToken
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | Response]:
        handoff = self._latest_handoff(messages)
        prompt = f"Handoff received from {handoff.source}. Enter your response: " if handoff else "Enter your response: "
        yield UserInputRequestedEvent(request_id=str(uuid.uuid4()), source=self.name)
        try:
            reply = await self.input_func(prompt, cancellation_token)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            raise RuntimeError(f"Failed to get user input: {e}") from e
        if handoff is not None:
            yield Response(chat_message=HandoffMessage(content=reply, target=handoff.source, source=self.name))
        else:
            yield Response(chat_message=TextMessage(content=reply, source=self.name))

    def _latest_handoff(self, messages: Sequence[BaseChatMessage]) -> HandoffMessage | None:
        if messages and isinstance(messages[-1], HandoffMessage):
            if messages[-1].target != self.name:
                raise RuntimeError(f"Handoff message target does not match agent name: {messages[-1].source}")
            return messages[-1]
        return None
