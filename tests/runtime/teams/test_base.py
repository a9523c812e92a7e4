"""The engine every team type shares (teams/base.py): a cancelled run stops its current model call or
question and ends with the cancelled stop reason, and the team runs again afterwards; what each participant
sees of another's turn."""

import asyncio

from studio.runtime.agents import AssistantAgent, UserProxyAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.models.base import ChatCompletionClient
from studio.runtime.models.types import RequestUsage, default_model_info
from studio.runtime.teams import CANCELLED_REASON, RoundRobinGroupChat
from studio.runtime.tools.task_runner import AgentTool
from tests.support.waits import WAIT_SECONDS

from ..helpers import agent, tool_calls


class HangingClient(ChatCompletionClient):
    """A model that never answers, like a stuck HTTP call."""

    model_info = default_model_info()

    def __init__(self) -> None:
        self.called = asyncio.Event()
        self.cancelled = asyncio.Event()

    async def create(self, messages, **kwargs):
        self.called.set()
        try:
            await asyncio.Event().wait()
        finally:
            self.cancelled.set()

    async def create_stream(self, messages, **kwargs):
        yield await self.create(messages, **kwargs)

    def total_usage(self) -> RequestUsage:
        return RequestUsage()


async def test_cancelling_stops_the_current_model_call_and_reports_it():
    client = HangingClient()
    team = RoundRobinGroupChat([agent("fast", "quick"), AssistantAgent("slow", client)], max_turns=10)
    token = CancellationToken()

    async def cancel_when_called():
        await client.called.wait()
        token.cancel()

    canceller = asyncio.create_task(cancel_when_called())
    async with asyncio.timeout(WAIT_SECONDS):
        seen = [item async for item in team.run_stream(task="go", cancellation_token=token)]
    await canceller
    result = seen[-1]
    assert result.stop_reason == CANCELLED_REASON
    assert [m.source for m in result.messages] == ["user", "fast"]
    assert client.cancelled.is_set()


async def test_cancelling_while_waiting_for_the_user():
    asked = asyncio.Event()

    async def never_answers(prompt, token):
        asked.set()
        await asyncio.Event().wait()

    team = RoundRobinGroupChat([UserProxyAgent("human", input_func=never_answers)], max_turns=1)
    token = CancellationToken()

    async def cancel_when_asked():
        await asked.wait()
        token.cancel()

    canceller = asyncio.create_task(cancel_when_asked())
    async with asyncio.timeout(WAIT_SECONDS):
        result = await team.run(task="hello?", cancellation_token=token)
    await canceller
    assert result.stop_reason == CANCELLED_REASON
    assert [m.type for m in result.messages] == ["TextMessage", "UserInputRequestedEvent"]


async def test_a_team_can_run_again_after_a_cancelled_run():
    team = RoundRobinGroupChat([agent("a", "one", "two")], max_turns=1)
    token = CancellationToken()
    token.cancel()
    result = await team.run(task="x", cancellation_token=token)
    assert result.stop_reason == CANCELLED_REASON
    result = await team.run(task="y")
    assert [m.content for m in result.messages] == ["y", "one"]


async def test_the_others_see_an_agents_reply_not_the_messages_of_an_agent_it_ran_as_a_tool():
    boss = agent("boss", tool_calls(("helper", {"task": "secret task"})),
                 tools=[AgentTool(agent("helper", "inner reply"))])
    listener = agent("listener", "heard")
    await RoundRobinGroupChat([boss, listener], max_turns=2).run(task="go")
    heard = [m.content for m in listener.model_client.create_calls[0]["messages"][1:]]
    assert heard == ["go", "helper: inner reply"]


async def test_cancelling_stops_an_agent_running_as_a_tool():
    client = HangingClient()
    boss = agent("boss", tool_calls(("helper", {"task": "think"})), tools=[AgentTool(AssistantAgent("helper", client))])
    token = CancellationToken()

    async def cancel_when_called():
        await client.called.wait()
        token.cancel()

    canceller = asyncio.create_task(cancel_when_called())
    async with asyncio.timeout(WAIT_SECONDS):
        seen = [item async for item in RoundRobinGroupChat([boss]).run_stream(task="go", cancellation_token=token)]
    await canceller
    assert seen[-1].stop_reason == CANCELLED_REASON and client.cancelled.is_set()
    assert [m.type for m in seen[-1].messages] == ["TextMessage", "ToolCallRequestEvent", "TextMessage"]
