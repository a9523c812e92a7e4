"""Recorded runs for the replay tests: each scenario scripts the loopback OpenAI server, runs the team with
a `Recorder` wrapped round it, and keeps what a replay must reproduce."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studio.components import load_component
from studio.playground.recording import Recorder
from studio.playground.replay import scripted_input
from studio.runtime.agents.user_proxy import UserProxyAgent
from tests.playground.replay_teams import (
    assistant,
    comparable,
    max_messages,
    openai_model,
    run_items,
    team,
    user_proxy,
)
from tests.support.openai_server import OpenAIServer

TASK = "What is 1 + 2?"


@dataclass
class Recorded:
    component: dict[str, Any]
    recording: dict[str, Any]
    items: list[Any]
    user_replies: list[str] = field(default_factory=list)

    @property
    def trace(self) -> tuple[list[Any], list[Any], str | None]:
        return comparable(self.items)


def round_robin_tool(server: OpenAIServer) -> tuple[dict[str, Any], list[str]]:
    server.reply_tool_calls([("add", '{"a": 1, "b": 2}')], usage=(12, 4))
    server.stream(["The ", "answer ", "is 3"], usage=(7, 3))
    server.reply("TERMINATE", usage=(20, 1))
    url = server.base_url
    return team("RoundRobinGroupChat", [assistant("calc", openai_model(url), tools=True),
                                        assistant("writer", openai_model(url), stream=True)], max_turns=3), []


def selector(server: OpenAIServer) -> tuple[dict[str, Any], list[str]]:
    for speaker, reply in (("b", "b plans"), ("c", "c codes"), ("a", "a reviews")):
        server.reply(speaker, usage=(30, 1))
        server.reply(reply, usage=(5, 2))
    url = server.base_url
    agents = [assistant(name, openai_model(url, model="gpt-4o-mini")) for name in ("a", "b", "c")]
    return team("SelectorGroupChat", agents, model_client=openai_model(url), max_turns=3), []


def swarm(server: OpenAIServer) -> tuple[dict[str, Any], list[str]]:
    server.reply_tool_calls([("transfer_to_bob", "{}")], usage=(9, 2))
    server.reply("bob takes over", usage=(11, 3))
    server.reply_tool_calls([("transfer_to_alice", "{}")], usage=(13, 2))
    server.reply("alice again", usage=(15, 2))
    url = server.base_url
    agents = [assistant("alice", openai_model(url), handoffs=["bob"]),
              assistant("bob", openai_model(url), handoffs=["alice"])]
    return team("Swarm", agents, termination_condition=max_messages(5)), []


def with_user_proxy(server: OpenAIServer) -> tuple[dict[str, Any], list[str]]:
    server.reply("Shall I add them?", usage=(8, 4))
    server.reply("1 + 2 = 3", usage=(14, 5))
    url = server.base_url
    return team("RoundRobinGroupChat", [assistant("helper", openai_model(url)), user_proxy("user")],
                max_turns=3), ["yes please"]


SCENARIOS = {"round_robin_tool": round_robin_tool, "selector": selector, "swarm": swarm,
             "user_proxy": with_user_proxy}


def feed_user_replies(team_obj: Any, replies: dict[str, list[str]]) -> None:
    """Give each user proxy of a loaded team its scripted replies."""
    for participant in team_obj.participants:
        if isinstance(participant, UserProxyAgent):
            participant.input_func = scripted_input(replies.get(participant.name, []))


async def record(name: str, server: OpenAIServer) -> Recorded:
    component, user_replies = SCENARIOS[name](server)
    team_obj = load_component(component)
    feed_user_replies(team_obj, {"user": user_replies})
    recorder = Recorder()
    recorder.wrap(team_obj)
    items = await run_items(team_obj, TASK)
    await team_obj.close()
    if hasattr(team_obj, "model_client"):  # a selector team's close() leaves its own model client open
        await team_obj.model_client.close()
    recorded = Recorded(component, recorder.data(), items, user_replies)
    assert not (recorded.trace[2] or "").startswith("Error"), recorded.trace  # the script fits the team
    return recorded
