"""Team documents for the service and web tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from studio.components import dump_component, load_component

ROOT = Path(__file__).resolve().parents[2]
WRITER_CRITIC = ROOT / "tests" / "fixtures" / "writer-critic.json"
AUTOGEN_FIXTURES = ROOT / "tests" / "fixtures" / "autogen"
PLANTED_KEY = "sk-planted-XYZ123-never-show-me-0000abcd"

REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"
OPENAI = "autogen_ext.models.openai.OpenAIChatCompletionClient"
AZURE = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"


def writer_critic() -> dict[str, Any]:
    return json.loads(WRITER_CRITIC.read_text())


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """What Studio exports for a document: AutoGen's dump after loading."""
    return dump_component(load_component(copy.deepcopy(document)))


def openai_client(**config: Any) -> dict[str, Any]:
    return {"provider": OPENAI, "component_type": "model", "config": {"model": "gpt-4o-mini", **config}}


def azure_client(**config: Any) -> dict[str, Any]:
    base = {"model": "gpt-4o", "azure_endpoint": "https://team.example/", "api_version": "2024-06-01"}
    return {"provider": AZURE, "component_type": "model", "config": {**base, **config}}


def assistant(name: str, model_client: dict[str, Any]) -> dict[str, Any]:
    return {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
            "config": {"name": name, "model_client": model_client}}


def max_messages(n: int = 5) -> dict[str, Any]:
    return {"provider": "autogen_agentchat.conditions.MaxMessageTermination", "config": {"max_messages": n}}


def round_robin(*participants: dict[str, Any], label: str = "Team") -> dict[str, Any]:
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": label,
            "config": {"participants": list(participants), "termination_condition": max_messages()}}


def team_with_key(key: str = PLANTED_KEY, label: str = "Keyed team") -> dict[str, Any]:
    """A valid team whose model client carries a key in the file."""
    return round_robin(assistant("writer", openai_client(api_key=key)), label=label)


def invalid_team() -> dict[str, Any]:
    """Two errors: a participant without a model client, and a bad max_messages."""
    team = writer_critic()
    del team["config"]["participants"][1]["config"]["model_client"]
    team["config"]["termination_condition"]["config"]["conditions"][1]["config"]["max_messages"] = "many"
    return team
