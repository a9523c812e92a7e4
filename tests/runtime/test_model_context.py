"""What an agent sends its model (runtime/model_context.py): the whole conversation, its last messages, or its
first and last with a note of what was skipped; never a tool result without its call."""

from __future__ import annotations

import pytest

from studio.runtime.model_context import (
    BufferedChatCompletionContext,
    HeadAndTailChatCompletionContext,
    UnboundedChatCompletionContext,
)
from studio.runtime.models.types import (
    AssistantMessage,
    FunctionCall,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    UserMessage,
)


async def test_bounded_contexts_limit_what_the_model_sees():
    buffered = BufferedChatCompletionContext(buffer_size=2)
    for i in range(5):
        await buffered.add_message(UserMessage(content=str(i), source="u"))
    assert [m.content for m in await buffered.get_messages()] == ["3", "4"]
    await buffered.add_message(FunctionExecutionResultMessage(content=[]))
    await buffered.add_message(UserMessage(content="5", source="u"))
    assert [m.content for m in await buffered.get_messages()] == ["5"]  # no orphaned tool result first

    head_tail = HeadAndTailChatCompletionContext(head_size=1, tail_size=1)
    for i in range(4):
        await head_tail.add_message(UserMessage(content=str(i), source="u"))
    assert [m.content for m in await head_tail.get_messages()] == ["0", "Skipped 2 messages.", "3"]


async def test_head_and_tail_drop_a_tool_call_whose_result_was_skipped() -> None:
    call = AssistantMessage(content=[FunctionCall(id="c1", name="add", arguments="{}")], source="a")
    result = FunctionExecutionResultMessage(content=[FunctionExecutionResult(call_id="c1", name="add", content="3")])
    context = HeadAndTailChatCompletionContext(head_size=1, tail_size=1,
                                               initial_messages=[call, result, UserMessage(content="x", source="u")])
    assert [m.content for m in await context.get_messages()] == ["Skipped 1 messages.", "x"]


async def test_the_whole_conversation_is_kept_saved_and_cleared() -> None:
    context = UnboundedChatCompletionContext()
    await context.add_message(UserMessage(content="hi", source="u"))
    assert context.save_state() == {"messages": [{"content": "hi", "source": "u", "type": "UserMessage"}]}
    await context.clear()
    assert await context.get_messages() == []


def test_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="buffer_size"):
        BufferedChatCompletionContext(buffer_size=0)
    with pytest.raises(ValueError, match="head_size and tail_size"):
        HeadAndTailChatCompletionContext(head_size=1, tail_size=0)
