"""Teams: round robin, selector, swarm, graph flow (and Magentic-One, validated only)."""

from __future__ import annotations

from typing import Any

from ..registry import ProviderSpec
from ..schemas import teams as s
from .base import attrs, build, runtime_class

_TEAMS = "studio.runtime.teams"
_COMMON = ("name", "description", "max_turns")


def _common(cfg: s.TeamConfig, built: dict[str, Any]) -> dict[str, Any]:
    return {
        "termination_condition": built["termination_condition"],
        "max_turns": cfg.max_turns,
        "name": cfg.name,
        "description": cfg.description,
    }


def _dump_common(obj: Any, dump: Any) -> dict[str, Any]:
    return {
        **attrs(obj, *_COMMON),
        "participants": [dump(p) for p in obj.participants],
        "termination_condition": dump(obj.termination_condition),
    }


def _round_robin(cfg: s.RoundRobinGroupChatConfig, built: dict[str, Any]) -> Any:
    return build(f"{_TEAMS}.RoundRobinGroupChat", built["participants"], **_common(cfg, built),
                 emit_team_events=cfg.emit_team_events)


def _dump_round_robin(obj: Any, dump: Any) -> dict[str, Any]:
    return {**_dump_common(obj, dump), **attrs(obj, "emit_team_events")}


def _selector(cfg: s.SelectorGroupChatConfig, built: dict[str, Any]) -> Any:
    optional = {"selector_prompt": cfg.selector_prompt} if cfg.selector_prompt is not None else {}
    return build(
        f"{_TEAMS}.SelectorGroupChat", built["participants"], built["model_client"], **_common(cfg, built),
        allow_repeated_speaker=cfg.allow_repeated_speaker, max_selector_attempts=cfg.max_selector_attempts,
        emit_team_events=cfg.emit_team_events, model_client_streaming=cfg.model_client_streaming,
        model_context=built["model_context"], **optional,
    )


def _dump_selector(obj: Any, dump: Any) -> dict[str, Any]:
    return {
        **_dump_common(obj, dump),
        "model_client": dump(obj.model_client),
        "model_context": dump(obj.model_context),
        **attrs(obj, "selector_prompt", "allow_repeated_speaker", "max_selector_attempts", "emit_team_events",
                "model_client_streaming"),
    }


def _swarm(cfg: s.SwarmConfig, built: dict[str, Any]) -> Any:
    return build(f"{_TEAMS}.Swarm", built["participants"], **_common(cfg, built),
                 emit_team_events=cfg.emit_team_events)


def _graph_flow(cfg: s.GraphFlowConfig, built: dict[str, Any]) -> Any:
    graph = runtime_class(f"{_TEAMS}.DiGraph").model_validate(cfg.graph.model_dump())
    return build(f"{_TEAMS}.GraphFlow", built["participants"], graph, **_common(cfg, built))


def _dump_graph_flow(obj: Any, dump: Any) -> dict[str, Any]:
    return {**_dump_common(obj, dump), **attrs(obj, "graph")}


SPECS = [
    ProviderSpec("autogen_agentchat.teams.RoundRobinGroupChat", "team", s.RoundRobinGroupChatConfig,
                 _round_robin, _dump_round_robin, f"{_TEAMS}.RoundRobinGroupChat"),
    ProviderSpec("autogen_agentchat.teams.SelectorGroupChat", "team", s.SelectorGroupChatConfig,
                 _selector, _dump_selector, f"{_TEAMS}.SelectorGroupChat"),
    ProviderSpec("autogen_agentchat.teams.Swarm", "team", s.SwarmConfig,
                 _swarm, _dump_round_robin, f"{_TEAMS}.Swarm"),
    ProviderSpec("autogen_agentchat.teams.GraphFlow", "team", s.GraphFlowConfig,
                 _graph_flow, _dump_graph_flow, f"{_TEAMS}.GraphFlow"),
    ProviderSpec("autogen_agentchat.teams.MagenticOneGroupChat", "team", s.MagenticOneGroupChatConfig,
                 unsupported="is not supported by the studio runtime yet"),
]
