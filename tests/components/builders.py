"""Small builders for component documents, and a loader that skips while a runtime piece is missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.components import load_component

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "autogen"

ASSISTANT = "autogen_agentchat.agents.AssistantAgent"
USER_PROXY = "autogen_agentchat.agents.UserProxyAgent"
CODE_AGENT = "autogen_agentchat.agents.CodeExecutorAgent"
REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"
OPENAI = "autogen_ext.models.openai.OpenAIChatCompletionClient"
AZURE = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"
ROUND_ROBIN = "autogen_agentchat.teams.RoundRobinGroupChat"
SELECTOR = "autogen_agentchat.teams.SelectorGroupChat"
SWARM = "autogen_agentchat.teams.Swarm"
GRAPH_FLOW = "autogen_agentchat.teams.GraphFlow"
MAGENTIC = "autogen_agentchat.teams.MagenticOneGroupChat"
FUNCTION_TOOL = "autogen_core.tools.FunctionTool"
CONDITIONS = "autogen_agentchat.conditions."
INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
        "structured_output": False}


def env(provider: str, **config: Any) -> dict[str, Any]:
    return {"provider": provider, "config": config}


def replay(*replies: str) -> dict[str, Any]:
    return env(REPLAY, chat_completions=list(replies) or ["Hello.", "TERMINATE"], model_info=INFO)


AUTOGEN_REQUIRED: dict[str, dict[str, Any]] = {
    ASSISTANT: {"description": "An assistant.", "reflect_on_tool_use": False, "tool_call_summary_format": "{result}"},
    SELECTOR: {"selector_prompt": "Pick one of {roles}: {participants}\n{history}", "allow_repeated_speaker": False},
    FUNCTION_TOOL: {"global_imports": [], "has_cancellation_support": False},
}
"""Fields AutoGen 0.7.5 requires that Studio would fill in (with a warning): the builders write them."""


def assistant(name: str, **config: Any) -> dict[str, Any]:
    return env(ASSISTANT, name=name, model_client=config.pop("model_client", replay()),
               **{**AUTOGEN_REQUIRED[ASSISTANT], **config})


def max_messages(n: int = 5) -> dict[str, Any]:
    return env(CONDITIONS + "MaxMessageTermination", max_messages=n)


def handoff_termination(target: str) -> dict[str, Any]:
    return env(CONDITIONS + "HandoffTermination", target=target)


def team(provider: str, *participants: dict[str, Any], **config: Any) -> dict[str, Any]:
    config.setdefault("termination_condition", max_messages())
    return env(provider, participants=list(participants), **{**AUTOGEN_REQUIRED.get(provider, {}), **config})


def tool(name: str = "add", source: str | None = None) -> dict[str, Any]:
    source = source or f"def {name}(a: int, b: int) -> int:\n    return a + b\n"
    return env(FUNCTION_TOOL, source_code=source, name=name, description="Add two integers.",
               **AUTOGEN_REQUIRED[FUNCTION_TOOL])


def fixture(provider: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{provider}.json").read_text())


def load(document: Any, **kwargs: Any) -> Any:
    return load_component(document, **kwargs)


def problems(document: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    """(severity, path, message) of every problem, for exact assertions."""
    from studio.components import validate_component

    return [(p.severity, p.path, p.message) for p in validate_component(document, **kwargs)]


def paths(document: Any, severity: str = "error") -> list[str]:
    return [path for sev, path, _ in problems(document) if sev == severity]
