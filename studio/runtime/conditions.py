"""Termination conditions: when a team stops, and the stop reason that names why.

Each condition sees the messages and events of every turn (the "delta") and returns a `StopMessage` once
it fires. Counting and texts are AutoGen 0.7.5's, so stop reasons read the same in both runtimes.
Combine them with `|` (either) and `&` (all, each firing at some point).
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Self

from pydantic import Field

from .config import Built, Component, ConfigModel, Configurable, filled, slot
from .messages import (
    BaseAgentEvent,
    BaseChatMessage,
    HandoffMessage,
    StopMessage,
    TextMessage,
    ToolCallExecutionEvent,
)

Delta = Sequence[BaseAgentEvent | BaseChatMessage]


class TerminatedException(RuntimeError):
    """A condition that already fired was asked again without a reset."""


class TerminationCondition(Configurable, ABC):
    @property
    @abstractmethod
    def terminated(self) -> bool: ...

    @abstractmethod
    async def check(self, messages: Delta) -> StopMessage | None:
        """Look at one turn's messages; return the stop message if the team must stop."""

    @abstractmethod
    async def reset(self) -> None: ...

    async def __call__(self, messages: Delta) -> StopMessage | None:
        if self.terminated:
            raise TerminatedException("Termination condition has already been reached")
        return await self.check(messages)

    def __or__(self, other: TerminationCondition) -> OrTerminationCondition:
        return OrTerminationCondition(self, other)

    def __and__(self, other: TerminationCondition) -> AndTerminationCondition:
        return AndTerminationCondition(self, other)


class _OnceCondition(TerminationCondition):
    """A condition that fires once on the first matching message and stays fired until reset."""

    _terminated = False

    @property
    def terminated(self) -> bool:
        return self._terminated

    async def check(self, messages: Delta) -> StopMessage | None:
        for message in messages:
            reason = self._reason(message)
            if reason is not None:
                self._terminated = True
                return StopMessage(content=reason, source=type(self).__name__)
        return None

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        raise NotImplementedError

    async def reset(self) -> None:
        self._terminated = False


class MaxMessageTerminationConfig(ConfigModel):
    max_messages: int = Field(ge=1, description="Stop after this many messages in the conversation (the task "
                              "counts as one).")
    include_agent_event: bool = Field(False, description="Also count agent events (tool calls, thoughts) as "
                                      "messages.")


class MaxMessageTermination(TerminationCondition):
    """Stops after `max_messages` chat messages (events too with `include_agent_event`), the task included."""

    component_config_schema = MaxMessageTerminationConfig

    def __init__(self, max_messages: int, include_agent_event: bool = False) -> None:
        self.max_messages = max_messages
        self.include_agent_event = include_agent_event
        self._count = 0

    @property
    def terminated(self) -> bool:
        return self._count >= self.max_messages

    async def check(self, messages: Delta) -> StopMessage | None:
        self._count += sum(1 for m in messages if self.include_agent_event or isinstance(m, BaseChatMessage))
        if self._count >= self.max_messages:
            return StopMessage(
                content=f"Maximum number of messages {self.max_messages} reached, current message count: {self._count}",
                source="MaxMessageTermination",
            )
        return None

    async def reset(self) -> None:
        self._count = 0


class TextMentionTerminationConfig(ConfigModel):
    text: str = Field(description="Stop when a message contains this text, e.g. TERMINATE or APPROVE.")


class TextMentionTermination(_OnceCondition):
    """Stops when a message or event (from `sources`, if given) contains `text`."""

    component_config_schema = TextMentionTerminationConfig

    def __init__(self, text: str, sources: Sequence[str] | None = None) -> None:
        self.text = text
        self.sources = sources

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        if self.sources is not None and message.source not in self.sources:
            return None
        return f"Text '{self.text}' mentioned" if self.text in message.to_text() else None


class StopMessageTerminationConfig(ConfigModel):
    pass


class StopMessageTermination(_OnceCondition):
    """Stops when an agent sends a `StopMessage`."""

    component_config_schema = StopMessageTerminationConfig

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        return "Stop message received" if isinstance(message, StopMessage) else None


class TokenUsageTerminationConfig(ConfigModel):
    """AutoGen 0.7.5 requires all three keys (null allowed) yet drops nulls when it dumps, so it cannot
    load its own dump with a limit unset. The studio accepts missing keys and writes explicit nulls."""

    max_total_token: int | None = filled(None, autogen_required=True, description="Stop once prompt and "
                                         "completion tokens together reach this number. Empty: no limit.")
    max_prompt_token: int | None = filled(None, autogen_required=True, description="Stop once prompt tokens "
                                          "reach this number. Empty: no limit.")
    max_completion_token: int | None = filled(None, autogen_required=True, description="Stop once completion "
                                              "tokens reach this number. Empty: no limit.")


class TokenUsageTermination(TerminationCondition):
    """Stops once the tokens reported on messages reach any of the limits."""

    component_config_schema = TokenUsageTerminationConfig

    def __init__(
        self,
        max_total_token: int | None = None,
        max_prompt_token: int | None = None,
        max_completion_token: int | None = None,
    ) -> None:
        if max_total_token is None and max_prompt_token is None and max_completion_token is None:
            raise ValueError(
                "At least one of max_total_token, max_prompt_token, or max_completion_token must be provided"
            )
        self.max_total_token = max_total_token
        self.max_prompt_token = max_prompt_token
        self.max_completion_token = max_completion_token
        self._prompt = self._completion = 0

    @property
    def terminated(self) -> bool:
        limits = (
            (self.max_total_token, self._prompt + self._completion),
            (self.max_prompt_token, self._prompt),
            (self.max_completion_token, self._completion),
        )
        return any(limit is not None and used >= limit for limit, used in limits)

    async def check(self, messages: Delta) -> StopMessage | None:
        for message in messages:
            if message.models_usage is not None:
                self._prompt += message.models_usage.prompt_tokens
                self._completion += message.models_usage.completion_tokens
        if not self.terminated:
            return None
        return StopMessage(
            content=(
                f"Token usage limit reached, total token count: {self._prompt + self._completion}, "
                f"prompt token count: {self._prompt}, completion token count: {self._completion}."
            ),
            source="TokenUsageTermination",
        )

    async def reset(self) -> None:
        self._prompt = self._completion = 0


class HandoffTerminationConfig(ConfigModel):
    target: str = Field(description="Stop when an agent hands off to this target, usually \"user\", so a person "
                        "can answer before the team goes on.")


class HandoffTermination(_OnceCondition):
    """Stops when an agent hands off to `target` (typically "user", to ask a person)."""

    component_config_schema = HandoffTerminationConfig

    def __init__(self, target: str) -> None:
        self.target = target

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        if isinstance(message, HandoffMessage) and message.target == self.target:
            return f"Handoff to {self.target} from {message.source} detected."
        return None


class TimeoutTerminationConfig(ConfigModel):
    timeout_seconds: float = Field(ge=0, description="Stop when the run has lasted this many seconds.")


class TimeoutTermination(TerminationCondition):
    """Stops at the first turn that ends `timeout_seconds` after the start (or the last reset)."""

    component_config_schema = TimeoutTerminationConfig

    def __init__(self, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self._start = time.monotonic()
        self._terminated = False

    @property
    def terminated(self) -> bool:
        return self._terminated

    async def check(self, messages: Delta) -> StopMessage | None:
        if time.monotonic() - self._start >= self.timeout_seconds:
            self._terminated = True
            return StopMessage(
                content=f"Timeout of {self.timeout_seconds} seconds reached", source="TimeoutTermination"
            )
        return None

    async def reset(self) -> None:
        self._start = time.monotonic()
        self._terminated = False


class ExternalTerminationConfig(ConfigModel):
    pass


class ExternalTermination(TerminationCondition):
    """Stops at the end of the current turn after `set()` is called from outside (a Stop button)."""

    component_config_schema = ExternalTerminationConfig

    def __init__(self) -> None:
        self._terminated = False
        self._requested = False

    @property
    def terminated(self) -> bool:
        return self._terminated

    def set(self) -> None:
        self._requested = True

    async def check(self, messages: Delta) -> StopMessage | None:
        if self._requested:
            self._terminated = True
            return StopMessage(content="External termination requested", source="ExternalTermination")
        return None

    async def reset(self) -> None:
        self._terminated = self._requested = False


class SourceMatchTerminationConfig(ConfigModel):
    sources: list[str] = Field(description="Stop as soon as any of these agents has spoken, one name per line.")


class SourceMatchTermination(_OnceCondition):
    """Stops as soon as one of `sources` has produced a message or event."""

    component_config_schema = SourceMatchTerminationConfig

    def __init__(self, sources: Sequence[str]) -> None:
        self.sources = list(sources)

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        return f"'{message.source}' answered" if message.source in self.sources else None


class TextMessageTerminationConfig(ConfigModel):
    source: str | None = Field(None, description="Stop when this agent sends a plain text message. Empty: stop "
                               "on a text message from any agent.")


class TextMessageTermination(_OnceCondition):
    """Stops on the first `TextMessage` (from `source`, if given): an agent answered in plain text."""

    component_config_schema = TextMessageTerminationConfig

    def __init__(self, source: str | None = None) -> None:
        self.source = source

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        if isinstance(message, TextMessage) and self.source in (None, message.source):
            return f"Text message received from '{message.source}'"
        return None


class FunctionCallTerminationConfig(ConfigModel):
    function_name: str = Field(description="Stop when a tool with this name has been executed.")


class FunctionCallTermination(_OnceCondition):
    """Stops once a tool named `function_name` has been executed."""

    component_config_schema = FunctionCallTerminationConfig

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name

    def _reason(self, message: BaseAgentEvent | BaseChatMessage) -> str | None:
        if isinstance(message, ToolCallExecutionEvent) and any(
            result.name == self.function_name for result in message.content
        ):
            return f"Function '{self.function_name}' was executed."
        return None


class CompositeTerminationConfig(ConfigModel):
    """`OrTerminationCondition` / `AndTerminationCondition`: nestable."""

    conditions: list[Component] = slot("termination", many=True, default=..., description="The conditions "
                                       "combined: OR stops when any of them is met, AND when all are.")


class _Composite(TerminationCondition):
    component_config_schema = CompositeTerminationConfig

    def __init__(self, *conditions: TerminationCondition) -> None:
        self.conditions = list(conditions)

    @classmethod
    def _from_config(cls, config: CompositeTerminationConfig, built: Built) -> Self:
        return cls(*built["conditions"])


class OrTerminationCondition(_Composite):
    """Stops when any of its conditions fires; the stop reason joins every one that fired this turn."""

    @property
    def terminated(self) -> bool:
        return any(c.terminated for c in self.conditions)

    async def check(self, messages: Delta) -> StopMessage | None:
        fired = [m for m in await asyncio.gather(*(c(messages) for c in self.conditions)) if m is not None]
        return _joined(fired) if fired else None

    async def reset(self) -> None:
        for condition in self.conditions:
            await condition.reset()


class AndTerminationCondition(_Composite):
    """Stops once every condition has fired, not necessarily in the same turn."""

    def __init__(self, *conditions: TerminationCondition) -> None:
        super().__init__(*conditions)
        self._fired: list[StopMessage] = []

    @property
    def terminated(self) -> bool:
        return all(c.terminated for c in self.conditions)

    async def check(self, messages: Delta) -> StopMessage | None:
        results = await asyncio.gather(*(c(messages) for c in self.conditions if not c.terminated))
        self._fired.extend(m for m in results if m is not None)
        if any(m is None for m in results):
            return None
        return _joined(self._fired)

    async def reset(self) -> None:
        for condition in self.conditions:
            await condition.reset()
        self._fired.clear()


def _joined(stop_messages: list[StopMessage]) -> StopMessage:
    return StopMessage(
        content=", ".join(m.content for m in stop_messages),
        source=", ".join(m.source for m in stop_messages),
    )


__all__ = [
    "TerminationCondition",
    "TerminatedException",
    "MaxMessageTermination",
    "TextMentionTermination",
    "StopMessageTermination",
    "TokenUsageTermination",
    "HandoffTermination",
    "TimeoutTermination",
    "ExternalTermination",
    "SourceMatchTermination",
    "TextMessageTermination",
    "FunctionCallTermination",
    "OrTerminationCondition",
    "AndTerminationCondition",
    "CompositeTerminationConfig",
    "ExternalTerminationConfig",
    "FunctionCallTerminationConfig",
    "HandoffTerminationConfig",
    "MaxMessageTerminationConfig",
    "SourceMatchTerminationConfig",
    "StopMessageTerminationConfig",
    "TextMentionTerminationConfig",
    "TextMessageTerminationConfig",
    "TimeoutTerminationConfig",
    "TokenUsageTerminationConfig",
]
