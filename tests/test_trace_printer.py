"""A run's trace on a terminal (studio/trace_printer.py), as `studio run` shows it: a header per message with
its tokens, tool calls and results, streamed text as it arrives and not again, then the stop reason and the
tokens used per agent."""

from __future__ import annotations

import io

from studio.runtime.messages import (
    HandoffMessage,
    ModelClientStreamingChunkEvent,
    TaskResult,
    TextMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    UserInputRequestedEvent,
)
from studio.runtime.models.types import FunctionCall, FunctionExecutionResult, RequestUsage
from studio.trace_printer import TracePrinter


def printed(*items: object) -> str:
    out = io.StringIO()
    printer = TracePrinter(out)
    for item in items:
        printer.show(item)
    return out.getvalue()


def test_messages_tool_calls_and_the_summary() -> None:
    usage = RequestUsage(prompt_tokens=12, completion_tokens=3)
    text = printed(
        TextMessage(content="2+3?", source="user"),
        ToolCallRequestEvent(content=[FunctionCall(id="c1", name="add", arguments='{"a":2,"b":3}')], source="calc",
                             models_usage=usage),
        ToolCallExecutionEvent(content=[FunctionExecutionResult(call_id="c1", name="add", content="5"),
                                        FunctionExecutionResult(call_id="c2", name="mul", content="boom",
                                                                is_error=True)], source="calc"),
        UserInputRequestedEvent(request_id="r1", source="human"),
        HandoffMessage(content="yours", target="critic", source="calc", models_usage=usage),
        TaskResult(messages=[], stop_reason="Handoff to critic"),
    )
    assert text.splitlines() == [
        "---------- TextMessage (user) ----------", "2+3?",
        "---------- ToolCallRequestEvent (calc) [12+3 tokens] ----------", 'call add({"a": 2, "b": 3})',
        "---------- ToolCallExecutionEvent (calc) ----------", "add -> 5", "ERROR mul -> boom",
        "[human is asked for input]",
        "---------- HandoffMessage (calc) [12+3 tokens] ----------", "→ critic: yours",
        "========== stop reason: Handoff to critic ==========", "  calc: 24 prompt + 6 completion tokens",
    ]


def test_streamed_text_shows_as_it_arrives_and_its_message_is_not_printed_again() -> None:
    final = TextMessage(content="Hello world", source="poet", models_usage=RequestUsage(prompt_tokens=4,
                                                                                         completion_tokens=2))
    chunks = [ModelClientStreamingChunkEvent(content=part, source="poet", full_message_id=final.id)
              for part in ("Hello", " world")]
    text = printed(*chunks, final, TaskResult(messages=[final], stop_reason="done"))
    assert text.splitlines() == ["---------- ModelClientStreamingChunkEvent (poet) ----------", "Hello world",
                                 "========== stop reason: done ==========", "  poet: 4 prompt + 2 completion tokens"]
