"""ReplayChatCompletionClient: order, AutoGen-identical token counting, streaming, exhaustion."""

from __future__ import annotations

import pytest

from studio.runtime.models import (
    AssistantMessage,
    CreateResult,
    FunctionCall,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    ModelClientError,
    ReplayChatCompletionClient,
    RequestUsage,
    SystemMessage,
    UserMessage,
)

PROMPT = [
    SystemMessage(content="You are a helpful assistant."),  # 5 words
    UserMessage(content="What is  2 + 2?", source="user"),  # 5 words (runs of spaces count once)
    AssistantMessage(content=[FunctionCall(id="1", name="add", arguments="{}")], source="bot"),  # not counted
    FunctionExecutionResultMessage(content=[FunctionExecutionResult(content="4 is it", name="add", call_id="1")]),
    UserMessage(content=["an image part", {"type": "image", "data": "AAAA"}], source="user"),  # not counted
]
PROMPT_WORDS = 10


async def test_replies_come_back_in_order_as_stop_results() -> None:
    client = ReplayChatCompletionClient(["first", "second reply", "third"])
    results = [await client.create(PROMPT) for _ in range(3)]
    assert [r.content for r in results] == ["first", "second reply", "third"]
    assert {r.finish_reason for r in results} == {"stop"}
    assert all(r.cached for r in results)  # AutoGen marks replayed strings as cached


async def test_usage_counts_whitespace_words_like_autogen() -> None:
    client = ReplayChatCompletionClient(["one two three four", "five"])
    first = await client.create(PROMPT)
    assert first.usage == RequestUsage(prompt_tokens=PROMPT_WORDS, completion_tokens=4)
    second = await client.create([UserMessage(content="hi", source="user")])
    assert second.usage == RequestUsage(prompt_tokens=1, completion_tokens=1)
    assert client.total_usage() == RequestUsage(prompt_tokens=PROMPT_WORDS + 1, completion_tokens=5)
    assert client.actual_usage() == second.usage


async def test_create_result_reply_is_returned_as_is_and_totals_count_prompt_words() -> None:
    scripted = CreateResult(
        finish_reason="function_calls",
        content=[FunctionCall(id="c1", name="add", arguments='{"a": 1}')],
        usage=RequestUsage(prompt_tokens=99, completion_tokens=7),
    )
    client = ReplayChatCompletionClient([scripted])
    result = await client.create(PROMPT)
    assert result is scripted
    assert result.usage == RequestUsage(prompt_tokens=99, completion_tokens=7)
    assert client.total_usage() == RequestUsage(prompt_tokens=PROMPT_WORDS, completion_tokens=7)


async def test_dict_replies_are_validated_into_create_results() -> None:
    reply = {
        "finish_reason": "function_calls",
        "content": [{"id": "c1", "name": "lookup", "arguments": "{}"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2},
        "thought": "let me look",
    }
    client = ReplayChatCompletionClient([reply])
    assert client.chat_completions == [reply]  # kept as given, for dumping back
    result = await client.create(PROMPT)
    assert isinstance(result, CreateResult)
    assert result.content == [FunctionCall(id="c1", name="lookup", arguments="{}")]
    assert result.thought == "let me look"


def test_invalid_dict_reply_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="reply #2"):
        ReplayChatCompletionClient(["ok", {"content": "missing finish_reason and usage"}])


async def test_stream_yields_words_then_result() -> None:
    client = ReplayChatCompletionClient(["Hello big   world"])
    items = [item async for item in client.create_stream([UserMessage(content="say it", source="user")])]
    assert items[:-1] == ["Hello ", "big ", "world"]
    final = items[-1]
    assert isinstance(final, CreateResult)
    assert final.content == "Hello big   world"
    assert final.usage == RequestUsage(prompt_tokens=2, completion_tokens=3)
    assert client.total_usage() == RequestUsage(prompt_tokens=2, completion_tokens=3)


async def test_stream_of_create_result_yields_just_the_result() -> None:
    scripted = CreateResult(finish_reason="stop", content="done", usage=RequestUsage(completion_tokens=5))
    client = ReplayChatCompletionClient([scripted])
    items = [item async for item in client.create_stream(PROMPT)]
    assert items == [scripted]
    assert client.total_usage() == RequestUsage(prompt_tokens=PROMPT_WORDS, completion_tokens=5)


async def test_exhaustion_raises_a_clear_error() -> None:
    client = ReplayChatCompletionClient(["a", "b"])
    await client.create(PROMPT)
    await client.create(PROMPT)
    with pytest.raises(ModelClientError, match=r"^replay model client has no more responses: all 2 were used$"):
        await client.create(PROMPT)
    with pytest.raises(ModelClientError, match="all 2 were used"):
        async for _ in client.create_stream(PROMPT):
            pass


async def test_reset_restarts_from_the_first_reply() -> None:
    client = ReplayChatCompletionClient(["a", "b"])
    assert (await client.create(PROMPT)).content == "a"
    client.reset()
    assert client.total_usage() == RequestUsage()
    assert (await client.create(PROMPT)).content == "a"
    assert (await client.create(PROMPT)).content == "b"


def test_model_info_default_and_given() -> None:
    assert ReplayChatCompletionClient([]).model_info["function_calling"] is False  # AutoGen's default
    info = {"vision": False, "function_calling": True, "json_output": False, "family": "x", "structured_output": False}
    assert ReplayChatCompletionClient(["a"], model_info=info).model_info == info  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="family"):
        incomplete = {"vision": False, "function_calling": True, "json_output": False}
        ReplayChatCompletionClient(["a"], model_info=incomplete)  # type: ignore[arg-type]


async def test_create_calls_are_recorded() -> None:
    client = ReplayChatCompletionClient(["a"])
    await client.create(PROMPT, extra_create_args={"temperature": 0})
    assert len(client.create_calls) == 1
    assert client.create_calls[0]["messages"] == PROMPT
    assert client.create_calls[0]["extra_create_args"] == {"temperature": 0}
