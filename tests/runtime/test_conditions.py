import pytest

from studio.runtime.conditions import (
    ExternalTermination,
    FunctionCallTermination,
    HandoffTermination,
    MaxMessageTermination,
    SourceMatchTermination,
    StopMessageTermination,
    TerminatedException,
    TextMentionTermination,
    TextMessageTermination,
    TimeoutTermination,
    TokenUsageTermination,
)
from studio.runtime.messages import (
    HandoffMessage,
    StopMessage,
    TextMessage,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    ToolCallSummaryMessage,
)
from studio.runtime.models.types import FunctionExecutionResult, RequestUsage


def text(content: str, source: str = "a", usage: tuple[int, int] | None = None) -> TextMessage:
    models_usage = RequestUsage(prompt_tokens=usage[0], completion_tokens=usage[1]) if usage else None
    return TextMessage(content=content, source=source, models_usage=models_usage)


def executed(name: str) -> ToolCallExecutionEvent:
    return ToolCallExecutionEvent(source="a", content=[FunctionExecutionResult(content="1", name=name, call_id="c")])


async def test_max_message_counts_chat_messages_and_events_only_when_asked():
    condition = MaxMessageTermination(3)
    event = ToolCallRequestEvent(source="a", content=[])
    assert await condition([text("1"), event]) is None
    assert await condition([event, text("2")]) is None
    stop = await condition([text("3")])
    assert stop.content == "Maximum number of messages 3 reached, current message count: 3"
    with pytest.raises(TerminatedException):
        await condition([text("4")])
    await condition.reset()
    with_events = MaxMessageTermination(2, include_agent_event=True)
    assert (await with_events([text("1"), event])) is not None


@pytest.mark.parametrize(
    ("condition", "fires_on", "ignores", "reason"),
    [
        (TextMentionTermination("DONE"), text("we are DONE"), text("done"), "Text 'DONE' mentioned"),
        (StopMessageTermination(), StopMessage(content="x", source="a"), text("stop"), "Stop message received"),
        (
            HandoffTermination("user"),
            HandoffMessage(content="?", source="a", target="user"),
            HandoffMessage(content="?", source="a", target="b"),
            "Handoff to user from a detected.",
        ),
        (SourceMatchTermination(["critic"]), text("ok", "critic"), text("ok", "writer"), "'critic' answered"),
        (
            TextMessageTermination("b"),
            text("hi", "b"),
            ToolCallSummaryMessage(content="x", source="b", tool_calls=[], results=[]),
            "Text message received from 'b'",
        ),
        (FunctionCallTermination("book"), executed("book"), executed("search"), "Function 'book' was executed."),
    ],
)
async def test_each_condition_fires_on_its_message_only(condition, fires_on, ignores, reason):
    assert await condition([ignores]) is None
    stop = await condition([fires_on])
    assert stop.content == reason
    assert condition.terminated
    await condition.reset()
    assert not condition.terminated


async def test_text_mention_can_be_limited_to_sources():
    condition = TextMentionTermination("DONE", sources=["critic"])
    assert await condition([text("DONE", "writer")]) is None
    assert await condition([text("DONE", "critic")]) is not None


async def test_token_usage_adds_up_usage_across_turns():
    condition = TokenUsageTermination(max_total_token=100, max_completion_token=30)
    assert await condition([text("a", usage=(40, 10))]) is None
    stop = await condition([text("b", usage=(10, 25))])
    assert stop.content == "Token usage limit reached, total token count: 85, prompt token count: 50, completion token count: 35."
    with pytest.raises(ValueError):
        TokenUsageTermination()


async def test_timeout_and_external():
    timeout = TimeoutTermination(0)
    assert (await timeout([text("x")])).content == "Timeout of 0 seconds reached"
    assert await TimeoutTermination(3600)([text("x")]) is None
    external = ExternalTermination()
    assert await external([text("x")]) is None
    external.set()
    assert (await external([])).content == "External termination requested"


async def test_or_reports_every_condition_that_fired_and_and_waits_for_all():
    either = TextMentionTermination("A") | TextMentionTermination("B")
    stop = await either([text("A and B")])
    assert stop.content == "Text 'A' mentioned, Text 'B' mentioned"
    assert stop.source == "TextMentionTermination, TextMentionTermination"

    both = TextMentionTermination("A") & MaxMessageTermination(3)
    assert await both([text("A")]) is None
    assert await both([text("x")]) is None
    stop = await both([text("y")])
    assert stop.content == "Text 'A' mentioned, Maximum number of messages 3 reached, current message count: 3"
    await both.reset()
    assert not both.terminated
