"""A model client that replays scripted replies: for tests, demos and offline runs.

Mirrors AutoGen 0.7.5's `ReplayChatCompletionClient` observably: same reply order, same
whitespace token counting (so `models_usage` on messages matches), same streaming chunks.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Any

from pydantic import Field

from ..cancellation import CancellationToken
from ..config import Built, ConfigModel, TextOr, filled
from .base import ChatCompletionClient, ModelClientError
from .types import CreateResult, LLMMessage, ModelInfo, ModelInfoConfig, RequestUsage, ToolSchema

logger = logging.getLogger(__name__)

_REQUIRED_INFO = ("vision", "function_calling", "json_output", "family")
CREATE_CALLS_KEPT = 20


def _count_words(messages: str | Sequence[LLMMessage]) -> tuple[list[str], int]:
    """Whitespace-split tokens of a reply or of the text messages of a prompt.

    Messages whose content is not a plain string (images, tool calls, tool results) count
    zero, exactly as AutoGen's replay client counts them.
    """
    if isinstance(messages, str):
        words = messages.split()
        return words, len(words)
    words = []
    for message in messages:
        content = getattr(message, "content", None)
        if isinstance(content, str):
            words.extend(content.split())
        else:
            logger.debug("replay client counts tokens of string content only")
    return words, len(words)


class _PromptWordCounter:
    """Counts prompt words in time proportional to what is new since the previous call.

    An agent's prompt is its previous prompt plus new messages (the same objects), so when the previous
    prompt is still the head of this one (checked by identity at its first, middle and last message) only
    the tail is counted; otherwise (a bounded context dropped messages) everything is counted afresh.
    Without this a long conversation costs quadratic time.
    """

    def __init__(self) -> None:
        self._length = 0
        self._probes: tuple[LLMMessage, ...] = ()
        self._total = 0

    def count(self, messages: Sequence[LLMMessage]) -> int:
        n = self._length
        probes = (0, n // 2, n - 1) if n else ()
        if n and len(messages) >= n and all(messages[i] is p for i, p in zip(probes, self._probes, strict=False)):
            total = self._total + _count_words(messages[n:])[1]
        else:
            total = _count_words(messages)[1]
        n = len(messages)
        self._length, self._total = n, total
        self._probes = tuple(messages[i] for i in (0, n // 2, n - 1)) if n else ()
        return total


def _as_result(reply: str | CreateResult | dict[str, Any], index: int) -> str | CreateResult:
    """Validate a dict reply into a `CreateResult`; strings and results pass through."""
    if isinstance(reply, (str, CreateResult)):
        return reply
    if isinstance(reply, dict):
        try:
            return CreateResult.model_validate(reply)
        except ValueError as err:
            raise ValueError(f"replay reply #{index + 1} is not a valid CreateResult: {err}") from None
    raise TypeError(f"replay reply #{index + 1} must be a str, CreateResult or dict, not {type(reply).__name__}")


DEFAULT_MODEL_INFO: dict[str, Any] = {"vision": False, "function_calling": False, "json_output": False,
                                      "family": "unknown", "structured_output": False}
"""AutoGen's replay default when no model_info is given: no tools, no JSON, no vision."""


class ReplayClientConfig(ConfigModel):
    """Replies used in order: each a string or a full result."""

    chat_completions: list[TextOr[CreateResult]] = Field(
        description="The scripted replies, used in order: each a string, or a result object with tool calls. "
        "Edit as a JSON list.")
    model_info: ModelInfoConfig | None = filled(
        ModelInfoConfig(**DEFAULT_MODEL_INFO), description="What the replayed model claims it can do; agents "
        "use it to decide whether to offer tools.")


class ReplayChatCompletionClient(ChatCompletionClient):
    """Returns the given replies one per call, in order, counting tokens by whitespace."""

    component_config_schema = ReplayClientConfig

    def __init__(
        self,
        chat_completions: Sequence[str | CreateResult | dict[str, Any]],
        model_info: ModelInfo | None = None,
    ) -> None:
        self.chat_completions: list[str | CreateResult | dict[str, Any]] = list(chat_completions)
        for index, reply in enumerate(self.chat_completions):
            _as_result(reply, index)  # fail at load time, not in the middle of a run
        if model_info is not None:
            missing = [key for key in _REQUIRED_INFO if key not in model_info]
            if missing:
                raise ValueError(f"model_info is missing required field(s): {', '.join(missing)}")
            self.model_info = model_info
        else:
            self.model_info = ModelInfo(**DEFAULT_MODEL_INFO)  # type: ignore[typeddict-item]
        # The most recent calls, for tests to inspect; bounded so long runs stay flat in memory.
        self.create_calls: deque[dict[str, Any]] = deque(maxlen=CREATE_CALLS_KEPT)
        self._prompt_counter = _PromptWordCounter()
        self._cached = True  # AutoGen marks replayed string replies as cached
        self.reset()

    @classmethod
    def _from_config(cls, config: ReplayClientConfig, built: Built) -> ReplayChatCompletionClient:
        model_info = config.model_info.model_dump(exclude_none=True) if config.model_info else None
        return cls(config.chat_completions, model_info=model_info)  # type: ignore[arg-type]

    def reset(self) -> None:
        """Start again from the first reply, with usage back to zero."""
        self._index = 0
        self._last_usage = RequestUsage()
        self._total_usage = RequestUsage()

    def set_cached_bool_value(self, value: bool) -> None:
        """Set the `cached` flag put on results built from string replies."""
        self._cached = value

    def _next_reply(self, messages: Sequence[LLMMessage], tool_choice: str) -> tuple[str | CreateResult, int]:
        if tool_choice != "auto":
            logger.debug("replay client ignores tool_choice=%r", tool_choice)
        if self._index >= len(self.chat_completions):
            count = len(self.chat_completions)
            raise ModelClientError(f"replay model client has no more responses: all {count} were used")
        reply = _as_result(self.chat_completions[self._index], self._index)
        return reply, self._prompt_counter.count(messages)

    def _record(self, usage: RequestUsage) -> None:
        self._last_usage = usage
        self._total_usage = RequestUsage(
            prompt_tokens=self._total_usage.prompt_tokens + usage.prompt_tokens,
            completion_tokens=self._total_usage.completion_tokens + usage.completion_tokens,
        )

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        """Return the next reply; a string becomes a "stop" result with word-count usage."""
        reply, prompt_tokens = self._next_reply(messages, tool_choice)
        if isinstance(reply, str):
            usage = RequestUsage(prompt_tokens=prompt_tokens, completion_tokens=_count_words(reply)[1])
            result = CreateResult(finish_reason="stop", content=reply, usage=usage, cached=self._cached)
        else:
            # Like AutoGen: the scripted result is returned as is (its own usage), while the
            # client's totals count the prompt words plus the result's completion tokens.
            usage = RequestUsage(prompt_tokens=prompt_tokens, completion_tokens=reply.usage.completion_tokens)
            result = reply
        self._record(usage)
        self._index += 1
        self.create_calls.append(
            {
                "messages": messages,
                "tools": tools,
                "json_output": json_output,
                "extra_create_args": extra_create_args or {},
                "cancellation_token": cancellation_token,
            }
        )
        return result

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncIterator[str | CreateResult]:
        """Yield a string reply word by word ("word " except the last), then the result."""
        reply, prompt_tokens = self._next_reply(messages, tool_choice)
        if isinstance(reply, str):
            words, completion_tokens = _count_words(reply)
            usage = RequestUsage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
            for i, word in enumerate(words):
                yield word + " " if i < len(words) - 1 else word
            yield CreateResult(finish_reason="stop", content=reply, usage=usage, cached=self._cached)
        else:
            usage = RequestUsage(prompt_tokens=prompt_tokens, completion_tokens=reply.usage.completion_tokens)
            yield reply
        self._record(usage)
        self._index += 1

    def actual_usage(self) -> RequestUsage:
        """Usage of the last call."""
        return self._last_usage

    def total_usage(self) -> RequestUsage:
        return self._total_usage

    def count_tokens(self, messages: Sequence[LLMMessage], *, tools: Sequence[ToolSchema] = ()) -> int:
        return _count_words(messages)[1]

    def remaining_tokens(self, messages: Sequence[LLMMessage], *, tools: Sequence[ToolSchema] = ()) -> int:
        """AutoGen's replay client pretends to have a 10000-token budget."""
        used = self._total_usage.prompt_tokens + self._total_usage.completion_tokens
        return max(0, 10000 - used)

    def __repr__(self) -> str:
        return f"ReplayChatCompletionClient({len(self.chat_completions)} replies, next #{self._index + 1})"
