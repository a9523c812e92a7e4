"""Teams for the Playground's web, browser and bench runs, built as AutoGen JSON with replay model clients
(no model is called) or OpenAI clients pointed at the loopback server."""

from __future__ import annotations

from typing import Any

REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"


def replay_model(*replies: str) -> dict[str, Any]:
    return {"provider": REPLAY, "component_type": "model", "label": "Recorded replies",
            "config": {"chat_completions": list(replies)}}


def openai_model(base_url: str) -> dict[str, Any]:
    return {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
            "config": {"model": "gpt-4o-mini", "api_key": "sk-loopback", "base_url": base_url, "max_retries": 0}}


def assistant(name: str, model: dict[str, Any], *, stream: bool = False) -> dict[str, Any]:
    return {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent", "version": 2,
            "component_version": 2,
            "config": {"name": name, "model_client": model, "system_message": f"You are {name}.",
                       "model_client_stream": stream}}


def user_proxy(name: str = "user") -> dict[str, Any]:
    return {"provider": "autogen_agentchat.agents.UserProxyAgent", "component_type": "agent",
            "config": {"name": name, "description": "A human who answers in the playground."}}


def max_messages(n: int) -> dict[str, Any]:
    return {"provider": "autogen_agentchat.conditions.MaxMessageTermination", "component_type": "termination",
            "config": {"max_messages": n}}


def round_robin(*participants: dict[str, Any], label: str, max_turns: int) -> dict[str, Any]:
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": label,
            "config": {"participants": list(participants), "termination_condition": max_messages(max_turns)}}


def replay_team(*replies: str, label: str = "Replay team") -> dict[str, Any]:
    """One assistant that gives `replies` in order; the run ends after all of them (plus the task)."""
    return round_robin(assistant("assistant", replay_model(*replies)), label=label, max_turns=len(replies) + 1)


def asking_team(label: str = "Asking team") -> dict[str, Any]:
    """The assistant speaks, then the user proxy asks the person; the run ends after the person's reply."""
    return round_robin(assistant("assistant", replay_model("What colour should the poem be?", "Blue it is.")),
                       user_proxy(), label=label, max_turns=3)


def long_team(replies: int = 1000, label: str = "Long team") -> dict[str, Any]:
    """An assistant with `replies` recorded replies and a MaxMessageTermination of 1000: a long run."""
    return round_robin(assistant("assistant", replay_model(*(f"Reply {i}." for i in range(1, replies + 1)))),
                       label=label, max_turns=1000)


def loopback_team(base_url: str, *, agents: int = 2, turns: int = 5, label: str = "Loopback team") -> dict[str, Any]:
    """Assistants on the loopback OpenAI server taking `turns` messages (the task included)."""
    members = [assistant(f"agent_{i}", openai_model(base_url)) for i in range(1, agents + 1)]
    return round_robin(*members, label=label, max_turns=turns)
