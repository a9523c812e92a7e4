"""The trace's view-model: one `TraceItem` per displayed event, built from stored events in one pass.

Pure functions of `RunEvent` rows (or any object with `seq, type, source, data, created_at`): no database
or web access. Tool results are attached to the call that asked for them (by call id), so a
ToolCallExecutionEvent that answers earlier calls is not an item of its own. `playground/_event.html`
renders one item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from markupsafe import Markup

from studio.playground.stats import as_datetime, duration_text
from studio.playground.turns import TurnTracker, is_speaker, turn_key

from .event_views import (
    ContentPart,
    MemoryView,
    ToolCallView,
    ToolResultView,
    content_parts,
    error_hint,
    is_long,
    memory_results,
    pretty_json,
    tool_calls,
    tool_results,
)
from .markdown import render_markdown

# How each AutoGen type is shown (the branch of `_event.html`); anything else is "unknown" (plain JSON).
KINDS = {
    "TextMessage": "text",
    "StopMessage": "stop",
    "HandoffMessage": "handoff",
    "ToolCallSummaryMessage": "tool_summary",
    "MultiModalMessage": "multimodal",
    "ToolCallRequestEvent": "tool_calls",
    "ToolCallExecutionEvent": "tool_results",
    "UserInputRequestedEvent": "question",
    "ThoughtEvent": "thought",
    "SelectSpeakerEvent": "speaker",
    "SelectorEvent": "selector",
    "CodeGenerationEvent": "code_generation",
    "CodeExecutionEvent": "code_execution",
    "ErrorEvent": "error",
    "MemoryQueryEvent": "memory",
}


LABELS = {
    "text": "message", "stop": "stop", "handoff": "handoff", "tool_summary": "tool summary",
    "multimodal": "message with attachments", "tool_calls": "tool calls", "tool_results": "tool results",
    "question": "question", "thought": "thought", "speaker": "speaker selection", "selector": "selector",
    "code_generation": "code", "code_execution": "code execution", "error": "error", "memory": "memory",
}

# How many of a trace's last text items are rendered as Markdown (see `trace_items`).
FORMATTED_LAST = 100


@dataclass(frozen=True)
class Tokens:
    prompt: int
    completion: int

    @property
    def total(self) -> int:
        return self.prompt + self.completion


@dataclass
class TraceItem:
    """What `_event.html` needs to draw one event (`data` is the raw AutoGen dump)."""

    run_id: int | None
    seq: int
    type: str
    source: str
    kind: str
    data: dict[str, Any]
    turn: str | None = None  # "writer>reviewer": the turn this event belongs to
    tokens: Tokens | None = None
    elapsed: float | None = None  # seconds since the previous event (or the run's start)
    markdown: str | None = None  # text content, shown as Markdown (`body`) or, if not `formatted`, as is
    formatted: bool = True
    calls: list[ToolCallView] = field(default_factory=list)
    results: list[ToolResultView] = field(default_factory=list)  # results not attached to a call
    parts: list[ContentPart] = field(default_factory=list)
    memories: list[MemoryView] = field(default_factory=list)
    text: str = ""  # plain text shown preformatted (tool summaries, code output, pretty JSON)
    hint: str = ""  # for errors: what to check
    replaces: str | None = None  # live only: the element id this item's HTML replaces

    @cached_property
    def body(self) -> Markup:
        """The text as sanitised Markdown, rendered only when a template asks for it."""
        return render_markdown(self.markdown or "")

    @property
    def label(self) -> str:
        """What kind of event this is, in words."""
        return LABELS.get(self.kind, self.type)

    @property
    def dom_id(self) -> str:
        return f"event-{self.run_id}-{self.seq}" if self.run_id is not None else f"event-{self.seq}"

    @property
    def settles(self) -> str:
        """The id of the live "typing" placeholder this event ends (see `_chunk.html`)."""
        return stream_dom_id(self.run_id, self.source)

    @property
    def elapsed_text(self) -> str:
        return duration_text(self.elapsed)

    @property
    def text_long(self) -> bool:
        return is_long(self.text)

    @property
    def is_error(self) -> bool:
        return self.kind == "error" or any(r.is_error for r in self.results) or any(
            c.result is not None and c.result.is_error for c in self.calls
        )


def stream_dom_id(run_id: int | None, source: str) -> str:
    """The id of the placeholder that live streamed chunks from `source` are appended to."""
    return f"stream-{run_id}-{source}"


class TraceBuilder:
    """Turns a run's events into items one at a time, remembering what pairing, timing and turns need.

    `add(event)` returns the event's new item or, for a ToolCallExecutionEvent whose results all answer
    calls of one earlier item, that item with the results attached. Keep one builder per live stream
    (fed the events already shown) so turns and pairing stay right across events.
    """

    def __init__(self, run: Any = None) -> None:
        self.run_id: int | None = getattr(run, "id", None)
        self.events: list[Any] = []  # every event given, in order: what a live stream's end summarises
        self._last_time = as_datetime(getattr(run, "started_at", None))
        self._turns = TurnTracker()
        self._calls: dict[str, tuple[TraceItem, ToolCallView]] = {}  # open calls by id

    def add(self, event: Any) -> TraceItem:
        self.events.append(event)
        created = as_datetime(getattr(event, "created_at", None))
        elapsed = _seconds_between(self._last_time, created)
        self._last_time = created or self._last_time
        type_, source = str(event.type), str(event.source or "")
        self._turns.see(source, type_)
        turn = self._turns.turn if is_speaker(source, type_) else None
        data = event.data if isinstance(event.data, dict) else {"content": event.data}
        item = TraceItem(
            run_id=getattr(event, "run_id", None) or self.run_id, seq=int(event.seq), type=type_, source=source,
            kind=KINDS.get(type_, "unknown"), data=data, turn=turn_key(*turn) if turn else None,
            tokens=_tokens(data), elapsed=elapsed,
        )
        try:
            return self._fill(item)
        except (KeyError, TypeError, ValueError, AttributeError):
            item.kind, item.markdown, item.calls, item.parts = "unknown", None, [], []
            _fill_unknown(item)
            return item

    def add_live(self, event: Any) -> TraceItem:
        """`add` for a live stream: an earlier item updated by this event comes with `replaces` set."""
        item = self.add(event)
        return replace(item, replaces=item.dom_id) if item.seq != int(event.seq) else item

    def _fill(self, item: TraceItem) -> TraceItem:
        if item.kind == "tool_calls":
            item.calls = tool_calls(item.data)
            self._calls.update((call.id, (item, call)) for call in item.calls)
        elif item.kind == "tool_results":
            return self._attach(item, tool_results(item.data, item.seq, item.source))
        else:
            _FILL[item.kind](item)
        return item

    def _attach(self, item: TraceItem, results: list[ToolResultView]) -> TraceItem:
        """The item of the calls these results answer, with them attached; else `item` showing them."""
        owners = [self._calls.get(result.call_id, (None, None))[0] for result in results]
        if not owners or owners[0] is None or any(owner is not owners[0] for owner in owners):
            item.results = results
            return item
        for result in results:
            result.elapsed_text = item.elapsed_text
            self._calls.pop(result.call_id)[1].result = result
        return owners[0]


def _fill_text(item: TraceItem) -> None:
    item.markdown = _text(item.data["content"])


def _fill_multimodal(item: TraceItem) -> None:
    item.parts = content_parts(item.data)


def _fill_tool_summary(item: TraceItem) -> None:
    item.text = _text(item.data["content"])


def _fill_speaker(item: TraceItem) -> None:
    content = item.data["content"]
    item.text = ", ".join(map(str, content)) if isinstance(content, list) else _text(content)


def _fill_code_generation(item: TraceItem) -> None:
    blocks = item.data.get("code_blocks") or []
    if not blocks:
        _fill_text(item)
        return
    item.text = "\n\n".join(_text(block["code"]) for block in blocks)


def _fill_code_execution(item: TraceItem) -> None:
    result = item.data["result"]
    item.text = _text(result["output"])
    int(result["exit_code"])  # must be a number to be shown as an exit code


def _fill_error(item: TraceItem) -> None:
    item.text = _text(item.data["content"])
    item.hint = error_hint(item.text)


def _fill_memory(item: TraceItem) -> None:
    item.memories = memory_results(item.data)


def _fill_unknown(item: TraceItem) -> None:
    item.text = pretty_json(item.data)


def _fill_nothing(item: TraceItem) -> None:
    pass


_FILL: dict[str, Callable[[TraceItem], None]] = {
    "text": _fill_text,
    "stop": _fill_text,
    "handoff": _fill_text,
    "thought": _fill_text,
    "selector": _fill_tool_summary,
    "tool_summary": _fill_tool_summary,
    "multimodal": _fill_multimodal,
    "question": _fill_nothing,
    "speaker": _fill_speaker,
    "code_generation": _fill_code_generation,
    "code_execution": _fill_code_execution,
    "error": _fill_error,
    "memory": _fill_memory,
    "unknown": _fill_unknown,
}


def trace_items(events: Iterable[Any], run: Any = None, *, formatted_last: int = FORMATTED_LAST) -> list[TraceItem]:
    """One item per displayed event, in order; tool results attached to their calls. Linear time.

    Only the last `formatted_last` items with text show it as Markdown; earlier ones show the text as
    typed (escaped), because parsing Markdown costs milliseconds a message and long runs have thousands.
    """
    builder = TraceBuilder(run)
    items = []
    for event in events:
        item = builder.add(event)
        if item.seq == int(event.seq):
            items.append(item)
    texts = [item for item in items if item.markdown is not None]
    for item in texts[: max(len(texts) - formatted_last, 0)]:
        item.formatted = False
    return items


def trace_item(event: Any, previous: Any = None, run: Any = None) -> TraceItem:
    """The item for one live event, given the event before it (for timing, turn and tool pairing).

    A ToolCallExecutionEvent right after its ToolCallRequestEvent gives the request's item with the
    results attached and `replaces` set: swap it in place of the element with that id. Without the
    whole history, `turn` is known only for an event that starts a turn; use `TraceBuilder` to keep it.
    """
    builder = TraceBuilder(run)
    if previous is not None:
        builder.add(previous)
    return builder.add_live(event)


def filter_items(items: Sequence[TraceItem], source: str, target: str) -> list[TraceItem]:
    """The items of the turns from `source` to `target` (what clicking a flow arrow shows)."""
    key = turn_key(source, target)
    return [item for item in items if item.turn == key]


def _tokens(data: dict[str, Any]) -> Tokens | None:
    """The event's usage; None without one, or when it reports none (0 + 0: a client that does not count)."""
    usage = data.get("models_usage")
    if not isinstance(usage, dict):
        return None
    try:
        tokens = Tokens(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
    except (TypeError, ValueError):
        return None
    return tokens if tokens.total else None


def _seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


__all__ = [
    "FORMATTED_LAST",
    "KINDS",
    "Tokens",
    "TraceBuilder",
    "TraceItem",
    "filter_items",
    "stream_dom_id",
    "trace_item",
    "trace_items",
]
