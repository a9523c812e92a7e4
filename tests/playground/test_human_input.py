"""Human in the loop (playground/human_input.py): a question is recorded for the page, a reply answers it, and
no reply in time stops the run with that reason."""

from __future__ import annotations

import asyncio

import pytest

from studio.playground.human_input import HumanInput, user_proxies
from studio.runtime.agents import AssistantAgent, UserProxyAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.models import ReplayChatCompletionClient
from studio.runtime.teams import RoundRobinGroupChat
from studio.runtime.tools import AgentTool, TeamTool
from tests.playground.runs_support import finished, new_session, run_row, stored, texts, writer_and_user
from tests.support.waits import WAIT_SECONDS, until


async def test_a_question_shows_once_stored_and_its_reply_answers_it() -> None:
    human = HumanInput(timeout=WAIT_SECONDS)
    answer = asyncio.ensure_future(human.input_func("user")("Enter your response: "))
    await until(lambda: human._answer is not None)  # asked
    assert human.question is None  # its UserInputRequestedEvent is not stored yet: nowhere to place it
    human.asked("user", 3)
    assert human.question.dump() == {"prompt": "Enter your response: ", "agent": "user", "asked_seq": 3}
    assert human.reply("blue")
    assert await answer == "blue"
    assert human.question is None and not human.reply("again")  # answered: nothing open


async def test_no_reply_in_time_cancels_the_run_and_says_why() -> None:
    human, token = HumanInput(timeout=0.01), CancellationToken()
    with pytest.raises(asyncio.CancelledError, match="No reply came within 0.01 seconds, so the run stopped."):
        await human.input_func("user")("?", token)
    assert human.timed_out and token.is_cancelled()


def test_user_proxies_are_found_in_nested_teams_keyed_by_their_path() -> None:
    model = ReplayChatCompletionClient(["ok"])
    inner = RoundRobinGroupChat([UserProxyAgent("reviewer"), AssistantAgent("helper", model)], name="inner")
    outer = RoundRobinGroupChat([UserProxyAgent("user"), inner])
    assert [(key, proxy.name) for key, proxy in user_proxies(outer)] == [("user", "user"), ("inner/reviewer", "reviewer")]


def test_user_proxies_run_as_tools_are_found_under_the_agent_that_runs_them() -> None:
    crew = TeamTool(RoundRobinGroupChat([UserProxyAgent("approver")]), "crew", "Asks for approval.")
    boss = AssistantAgent("boss", ReplayChatCompletionClient(["ok"]), tools=[AgentTool(UserProxyAgent("asked")), crew])
    assert [key for key, _ in user_proxies(RoundRobinGroupChat([boss]))] == ["boss/asked", "boss/crew/approver"]


async def test_no_reply_in_time_stops_the_run_with_that_reason(engine, make_manager) -> None:
    manager = make_manager(input_timeout_seconds=0.05)
    run_id = await manager.start(new_session(engine, writer_and_user("draft one", "draft two")), "Go")
    await finished(manager, run_id)
    run = run_row(engine, run_id)
    assert run.status == "stopped"
    assert run.stop_reason == "No reply came within 0.05 seconds, so the run stopped."
    assert texts(stored(engine, run_id))[-1] == ("UserInputRequestedEvent", "user", "")
    assert manager.pending_question(run_id) is None
    assert not await manager.reply(run_id, "too late")
