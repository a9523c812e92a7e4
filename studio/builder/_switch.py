"""Switching a team between round robin, selector, swarm and GraphFlow, keeping its participants."""

from __future__ import annotations

import copy
from typing import Any

from studio.components import get_spec
from studio.components.canonical import is_default
from studio.runtime.agents.handoff import handoff_defaults

from .draft import (
    ASSISTANT,
    GRAPH_FLOW,
    SELECTOR,
    SWARM,
    canonical,
    config_of,
    kind_of,
    name_of,
    participants,
)

TEAM_TYPES = ("autogen_agentchat.teams.RoundRobinGroupChat", SELECTOR, SWARM, GRAPH_FLOW)

_WHAT = {
    "model_client": "the selector's model",
    "selector_prompt": "the selector prompt",
    "model_context": "the selector's model context",
    "allow_repeated_speaker": "allowing repeated speakers",
    "max_selector_attempts": "the selector's attempt limit",
    "model_client_streaming": "the selector's model streaming",
    "emit_team_events": "team events",
}


def switched(component: dict[str, Any], provider: str, default_model: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The team as `provider` (a new dict), and what the switch would lose (human phrases).

    A field left at the old type's default is left out, so the new type's default applies (a team named
    "RoundRobinGroupChat" becomes "Swarm"; a chosen name stays). Switching to a Swarm gives assistants
    without handoffs one to every other participant; leaving a Swarm takes those back (see
    `_drop_swarm_handoffs`)."""
    spec = get_spec(provider)
    assert spec is not None
    old_provider = canonical(component.get("provider"))
    old = config_of(component)
    fields = spec.config.model_fields
    config: dict[str, Any] = {}
    dropped: list[str] = []
    for key, value in old.items():
        if is_default(old_provider, key, value):
            continue
        if key in fields:
            config[key] = copy.deepcopy(value)
        elif key == "graph":
            count = sum(len(n.get("edges") or []) for n in (value or {}).get("nodes", {}).values() if isinstance(n, dict))
            if count:
                dropped.append(f"the graph and its {count} edge{'s' if count != 1 else ''}")
        elif value is not None:
            dropped.append(_WHAT.get(key, f"the {key.replace('_', ' ')} setting"))
    agents = [a for a in config.get("participants") or [] if isinstance(a, dict)]
    if provider == SELECTOR and "model_client" not in config:
        model = next((a["config"]["model_client"] for a in agents
                      if isinstance(a.get("config"), dict) and isinstance(a["config"].get("model_client"), dict)),
                     default_model)
        config["model_client"] = copy.deepcopy(model)
    if provider == GRAPH_FLOW and "graph" not in config:
        names = [n for n in (name_of(a) for a in agents) if n]
        config["graph"] = {
            "nodes": {n: {"name": n, "edges": ([{"target": names[i + 1], "condition": None,
                                                  "activation_group": names[i + 1], "activation_condition": "all"}]
                                               if i + 1 < len(names) else []), "activation": "all"}
                      for i, n in enumerate(names)},
            "default_start_node": names[0] if names else None,
        }
    if provider == SWARM:
        _hand_off_to_each_other(agents)
    elif old_provider == SWARM:
        _drop_swarm_handoffs(agents)
    new = {k: copy.deepcopy(v) for k, v in component.items() if k not in ("provider", "config", "version",
                                                                       "component_version")}
    new = {"provider": spec.provider, "component_type": "team", "version": spec.version,
           "component_version": spec.version, **new, "config": config}
    return new, dropped


def _hand_off_to_each_other(agents: list[dict[str, Any]]) -> None:
    """Assistants without handoffs get one to every other participant: a Swarm moves only by handoffs,
    and its first speaker must be able to make one (AutoGen refuses the team otherwise)."""
    for agent in agents:
        config = agent.get("config")
        if canonical(agent.get("provider")) == ASSISTANT and isinstance(config, dict) and not config.get("handoffs"):
            config["handoffs"] = _to_each_other(agents, agent)


def _drop_swarm_handoffs(agents: list[dict[str, Any]]) -> None:
    """Leaving a Swarm, an assistant whose handoffs are exactly what `_hand_off_to_each_other` gives (one to
    every other participant, AutoGen's texts) loses them: outside a Swarm a handoff is only a tool that ends
    the agent's turn (AutoGen runs it, nobody follows it), so switching there and back gives the team it
    was. Handoffs of any other shape (their own text, some participants only, the user) are the user's work
    and stay."""
    for agent in agents:
        config = agent.get("config")
        if isinstance(config, dict) and config.get("handoffs") and config["handoffs"] == _to_each_other(agents, agent):
            del config["handoffs"]


def _to_each_other(agents: list[dict[str, Any]], agent: dict[str, Any]) -> list[dict[str, str]]:
    """A handoff from `agent` to every other participant, each as AutoGen 0.7.5 writes one: an object with
    its defaults (a bare string crashes its loader)."""
    own = name_of(agent)
    return [{"target": n, **handoff_defaults(n)} for n in (name_of(a) for a in agents) if n and n != own]


def nested_teams(component: dict[str, Any]) -> list[str]:
    """Labels of participants that are teams (Swarm and GraphFlow take agents only)."""
    return [str(p.get("label") or (p.get("config") or {}).get("name") or "a nested team")
            for p in participants(component) if kind_of(p) == "team"]


__all__ = ["TEAM_TYPES", "nested_teams", "switched"]
