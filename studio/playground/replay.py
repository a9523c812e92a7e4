"""Turn a recording back into a run: the team component with replay model clients, and the user replies.

The recording is `Recorder.data()` (see `recording.py`): model replies keyed by agent name,
`__selector__` for a selector team's model, `<team>/` prefixed per level of nesting (and `<agent>/` for the
agents and teams an agent runs as tools).
"""

from __future__ import annotations

import copy
import shlex
from collections.abc import Callable
from typing import Any

from studio.components import load_component
from studio.components.registry import get_spec
from studio.runtime.cancellation import CancellationToken
from studio.services.teams import export_component, pretty_json

SELECTOR_KEY = "__selector__"
REPLAY_PROVIDER = "autogen_ext.models.replay.ReplayChatCompletionClient"
USER_PROXY = "autogen_agentchat.agents.UserProxyAgent"
AGENT_TOOL, TEAM_TOOL = "autogen_agentchat.tools.AgentTool", "autogen_agentchat.tools.TeamTool"
_MODEL_INFO_FIELDS = ("vision", "function_calling", "json_output", "family", "structured_output",
                      "multiple_system_messages")


def replay_inputs(recording: dict[str, Any]) -> dict[str, list[str]]:
    """The recorded user replies per user proxy name (copies: consuming them leaves the recording intact)."""
    return {name: list(replies) for name, replies in (recording.get("user") or {}).items()}


ASK_PERSON = "ask_person"
"""Key of a demo recording listing the user proxies whose questions the playground leaves to the person (their
recorded replies still answer `studio run --replay` and the tests, where nobody is there to type)."""


def playground_inputs(recording: dict[str, Any]) -> dict[str, list[str]]:
    """The recorded user replies a playground run of `recording` uses: those of `replay_inputs`, less the
    user proxies the recording leaves to the person (`ask_person`), who are asked as in a live run."""
    inputs = replay_inputs(recording)
    for name in recording.get(ASK_PERSON) or []:
        inputs.pop(str(name), None)
    return inputs


def scripted_input(replies: list[str]) -> Callable[[str, CancellationToken | None], Any]:
    """A user proxy `input_func` that answers with `replies` in order, failing clearly once they run out."""
    pending = list(replies)

    async def answer(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
        if not pending:
            raise RuntimeError(f"the recording has no more user replies: all {len(replies)} were used")
        return pending.pop(0)

    return answer


def replay_component(component: dict[str, Any], recording: dict[str, Any], *, count_words: bool = True) -> dict[str, Any]:
    """A copy of the team component whose recorded model clients replay the recording.

    Each model client with recorded replies becomes a `ReplayChatCompletionClient` holding them (function
    calls, usage and thoughts kept) and the original client's `model_info`, so capability checks behave the
    same; its config, API key included, is dropped. Clients with nothing recorded (never called) get an
    empty replay client, so the exported file holds no secret and calls no live model.

    A reply written as plain text (a demo's) has no usage: the replay client then counts its words as
    tokens, as AutoGen's does. `count_words=False` (the playground) gives such replies zero usage instead,
    so the trace never shows a count no model made.
    """
    replayed = copy.deepcopy(component)
    _replace_models(replayed, recording.get("models") or {}, prefix="", count_words=count_words)
    return replayed


def export_as_test(component: dict[str, Any], recording: dict[str, Any], *, label: str,
                   task: str | None = None) -> str:
    """The replay component as pretty, stable JSON text, labelled, that `studio run FILE` reproduces.

    The run's `task` (when given) goes in the description with the command to run. A team with a user
    proxy still asks for its user's replies: `studio run` reads them from stdin, one per line, in the
    order recorded (`replay_inputs`). The file is what every export writes (`teams.export_component`: canonical,
    keys masked); a replay component the runtime would refuse raises `ComponentValidationError`.
    """
    replayed = replay_component(component, recording)
    load_component(replayed, kind="team")
    replayed["label"] = label
    if task is not None:
        replayed["description"] = f"Replays a recorded run. Reproduce it with: studio run FILE --task {shlex.quote(task)}"
    return pretty_json(export_component(replayed))


def _replace_models(team: dict[str, Any], models: dict[str, list[Any]], prefix: str, *, count_words: bool) -> None:
    config = team.setdefault("config", {})
    if isinstance(config.get("model_client"), dict):
        config["model_client"] = _replay_client(config["model_client"], models.get(prefix + SELECTOR_KEY, []),
                                                count_words)
    for participant in config.get("participants") or []:
        if not isinstance(participant, dict):
            continue
        if _component_type(participant) == "team":
            _replace_models(participant, models, prefix + _team_name(participant) + "/", count_words=count_words)
        else:
            _replace_agent_models(participant, models, prefix, count_words=count_words)


def _replace_agent_models(agent: dict[str, Any], models: dict[str, list[Any]], prefix: str, *,
                          count_words: bool) -> None:
    """An agent's model, and those of the agents and teams it runs as tools (keyed under the agent's name)."""
    config = agent.get("config") or {}
    name = str(config.get("name", ""))
    if isinstance(config.get("model_client"), dict):
        config["model_client"] = _replay_client(config["model_client"], models.get(prefix + name, []), count_words)
    for tool in _tools_of(config):
        spec = get_spec(str(tool.get("provider", "")))
        tool_config = tool.get("config") or {}
        if spec is not None and spec.provider == AGENT_TOOL and isinstance(tool_config.get("agent"), dict):
            _replace_agent_models(tool_config["agent"], models, f"{prefix}{name}/", count_words=count_words)
        elif spec is not None and spec.provider == TEAM_TOOL and isinstance(tool_config.get("team"), dict):
            _replace_models(tool_config["team"], models, f"{prefix}{name}/{tool_config.get('name', '')}/",
                            count_words=count_words)


def _tools_of(agent_config: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool envelopes of an agent's config: its loose `tools` and those of its workbench(es)."""
    benches = agent_config.get("workbench")
    benches = benches if isinstance(benches, list) else [benches]
    tools = [t for t in agent_config.get("tools") or [] if isinstance(t, dict)]
    for bench in benches:
        if isinstance(bench, dict):
            tools += [t for t in (bench.get("config") or {}).get("tools") or [] if isinstance(t, dict)]
    return tools


def _replay_client(original: dict[str, Any], replies: list[Any], count_words: bool = True) -> dict[str, Any]:
    """A replay client envelope with `replies` and the model info `original` would have had at run time."""
    config: dict[str, Any] = {"chat_completions": [_reply(r if count_words else _uncounted(r)) for r in replies]}
    config["model_info"] = _model_info(original)
    envelope = {
        "provider": REPLAY_PROVIDER,
        "component_type": "model",
        "version": 1,
        "component_version": 1,
        "label": "ReplayChatCompletionClient",
        "config": config,
    }
    if original.get("description"):
        envelope["description"] = original["description"]
    return envelope


def _uncounted(reply: Any) -> Any:
    """A plain-text reply as a result that reports no usage (a dict reply keeps the usage it recorded)."""
    if not isinstance(reply, str):
        return reply
    return {"finish_reason": "stop", "content": reply, "usage": {"prompt_tokens": 0, "completion_tokens": 0},
            "cached": True}


def _reply(reply: Any) -> Any:
    """A recorded result as AutoGen's loader wants it: `usage` and `cached` present, no null extras."""
    if isinstance(reply, str):
        return reply
    result = {k: v for k, v in dict(reply).items() if v is not None}
    result.setdefault("usage", {"prompt_tokens": 0, "completion_tokens": 0})
    result.setdefault("cached", False)
    return result


def _model_info(original: dict[str, Any]) -> dict[str, Any]:
    """The model info the runtime resolves for `original` (explicit, or known from the model name)."""
    client = load_component(original, kind="model")
    info = dict(client.model_info)
    return {k: info[k] for k in _MODEL_INFO_FIELDS if k in info}


def _component_type(node: dict[str, Any]) -> str | None:
    spec = get_spec(str(node.get("provider", "")))
    return spec.component_type if spec else node.get("component_type")


def _team_name(team: dict[str, Any]) -> str:
    """The name the runtime gives a nested team: its config name, else its class's default."""
    name = (team.get("config") or {}).get("name")
    if name:
        return str(name)
    spec = get_spec(str(team.get("provider", "")))
    return getattr(spec.runtime, "DEFAULT_NAME", "") if spec else ""
