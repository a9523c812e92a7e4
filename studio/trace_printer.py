"""Prints a run's messages and events readably on a terminal, the way `studio run` shows them."""

from __future__ import annotations

import json
from typing import Any, TextIO

from .runtime.messages import (
    HandoffMessage,
    ModelClientStreamingChunkEvent,
    TaskResult,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    ToolCallSummaryMessage,
    UserInputRequestedEvent,
)


class TracePrinter:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._streaming: str | None = None  # id of the message whose chunks are being printed
        self._tokens: dict[str, list[int]] = {}

    def show(self, item: Any) -> None:
        if isinstance(item, TaskResult):
            self._end_stream()
            self._summary(item)
            return
        if isinstance(item, ModelClientStreamingChunkEvent):
            if self._streaming != item.full_message_id:
                self._end_stream()
                self._header(item.type, item.source)
                self._streaming = item.full_message_id
            self.out.write(item.content)
            self.out.flush()
            return
        streamed = self._streaming is not None and item.id == self._streaming
        self._end_stream()
        if item.models_usage is not None:
            used = self._tokens.setdefault(item.source, [0, 0])
            used[0] += item.models_usage.prompt_tokens
            used[1] += item.models_usage.completion_tokens
        if streamed:
            return  # already shown chunk by chunk
        if isinstance(item, UserInputRequestedEvent):
            self._line(f"[{item.source} is asked for input]")
            return
        self._header(item.type, item.source, item.models_usage)
        self._line(_body(item))

    def _summary(self, result: TaskResult) -> None:
        self._line(f"========== stop reason: {result.stop_reason} ==========")
        for source, (prompt, completion) in self._tokens.items():
            self._line(f"  {source}: {prompt} prompt + {completion} completion tokens")

    def _header(self, kind: str, source: str, usage: Any = None) -> None:
        tokens = f" [{usage.prompt_tokens}+{usage.completion_tokens} tokens]" if usage else ""
        self._line(f"---------- {kind} ({source}){tokens} ----------")

    def _end_stream(self) -> None:
        if self._streaming is not None:
            self.out.write("\n")
            self._streaming = None

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _body(item: Any) -> str:
    if isinstance(item, ToolCallRequestEvent):
        return "\n".join(f"call {c.name}({_pretty_args(c.arguments)})" for c in item.content)
    if isinstance(item, ToolCallExecutionEvent):
        return "\n".join(f"{'ERROR ' if r.is_error else ''}{r.name} -> {r.content}" for r in item.content)
    if isinstance(item, HandoffMessage):
        return f"→ {item.target}: {item.content}"
    if isinstance(item, ToolCallSummaryMessage):
        return item.content
    text: str = item.to_text()
    return text


def _pretty_args(arguments: str) -> str:
    try:
        return json.dumps(json.loads(arguments), ensure_ascii=False)
    except ValueError:
        return arguments
