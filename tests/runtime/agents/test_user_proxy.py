"""UserProxyAgent (runtime/agents/user_proxy.py): it says it asks, answers with what its input function
returns, and hands the answer back after a handoff to it."""

from __future__ import annotations

import pytest

from studio.runtime.agents import UserProxyAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import HandoffMessage


def answering(text: str, prompts: list[str]):
    async def ask(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
        prompts.append(prompt)
        return text

    return ask


async def test_it_asks_then_answers_with_the_input() -> None:
    prompts: list[str] = []
    result = await UserProxyAgent("user", input_func=answering("blue", prompts)).run(task="Favourite colour?")
    assert [(m.type, m.source) for m in result.messages] == [
        ("TextMessage", "user"), ("UserInputRequestedEvent", "user"), ("TextMessage", "user")]
    assert result.messages[-1].content == "blue" and prompts == ["Enter your response: "]


async def test_after_a_handoff_the_answer_goes_back_to_the_asker() -> None:
    prompts: list[str] = []
    asked = HandoffMessage(content="Which city?", target="user", source="planner")
    result = await UserProxyAgent("user", input_func=answering("Paris", prompts)).run(task=asked)
    reply = result.messages[-1]
    assert isinstance(reply, HandoffMessage) and (reply.target, reply.content) == ("planner", "Paris")
    assert prompts == ["Handoff received from planner. Enter your response: "]
    with pytest.raises(RuntimeError, match="does not match agent name"):
        await UserProxyAgent("someone_else", input_func=answering("x", [])).run(task=asked)


async def test_a_failing_input_function_is_an_error_naming_it() -> None:
    async def broken(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
        raise OSError("no terminal")

    with pytest.raises(RuntimeError, match="Failed to get user input: no terminal"):
        await UserProxyAgent("user", input_func=broken).run(task="?")
