"""The team being edited: a component plus node positions, and what each node id (`studio.builder.node_id`)
names in it."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from studio.components import canonical_form, get_spec

from .node_id import TEAM, TEAM_MODEL, TERMINATION, NodeId

ROUND_ROBIN = "autogen_agentchat.teams.RoundRobinGroupChat"
SELECTOR = "autogen_agentchat.teams.SelectorGroupChat"
SWARM = "autogen_agentchat.teams.Swarm"
GRAPH_FLOW = "autogen_agentchat.teams.GraphFlow"
ASSISTANT = "autogen_agentchat.agents.AssistantAgent"
OR = "autogen_agentchat.base.OrTerminationCondition"
AND = "autogen_agentchat.base.AndTerminationCondition"


@dataclass(frozen=True)
class Draft:
    """A team component and its layout (`{"nodes": {str(node_id): {"x", "y"}}}`), kept apart so the
    component stays AutoGen's JSON. `dropped` says what the action that made this draft removed."""

    component: dict[str, Any]
    layout: dict[str, Any] = field(default_factory=lambda: {"nodes": {}})
    dropped: tuple[str, ...] = ()

    def snapshot(self) -> dict[str, Any]:
        """What the undo history keeps (deep copies, plain JSON)."""
        return {"component": copy.deepcopy(self.component), "layout": copy.deepcopy(self.layout)}

    @classmethod
    def from_snapshot(cls, snapshot: dict[str, Any]) -> Draft:
        """The draft a history entry holds, its component in canonical form (entries written before the
        builder kept drafts canonical are read as if it had)."""
        layout = copy.deepcopy(snapshot.get("layout") or {})
        layout.setdefault("nodes", {})
        return cls(canonical_form(snapshot["component"]), layout)

    def editable(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Deep copies of the component and layout, for an action to change and wrap in a new draft."""
        layout = copy.deepcopy(self.layout)
        layout.setdefault("nodes", {})
        return copy.deepcopy(self.component), layout


# --- reading a team component -------------------------------------------------------------------


def canonical(provider: Any) -> str:
    """The canonical provider path of an alias or internal path (the input itself if unknown)."""
    spec = get_spec(provider) if isinstance(provider, str) else None
    return spec.provider if spec else str(provider)


def kind_of(component: Any) -> str | None:
    """The component type ("agent", "model", ...) of a component, from its provider when known."""
    if not isinstance(component, dict):
        return None
    spec = get_spec(component["provider"]) if isinstance(component.get("provider"), str) else None
    return spec.component_type if spec else component.get("component_type")


def team_provider(component: dict[str, Any]) -> str:
    return canonical(component.get("provider"))


def config_of(component: dict[str, Any]) -> dict[str, Any]:
    """The component's config dict (created if missing)."""
    config = component.get("config")
    if not isinstance(config, dict):
        config = component["config"] = {}
    return config


def read_config(component: dict[str, Any]) -> dict[str, Any]:
    """The component's config dict, to read (an empty one when it has none: nothing is made)."""
    config = component.get("config")
    return config if isinstance(config, dict) else {}


def participants(component: dict[str, Any]) -> list[dict[str, Any]]:
    """The team's participants list (created if missing)."""
    config = config_of(component)
    found = config.get("participants")
    if not isinstance(found, list):
        found = config["participants"] = []
    return found


def name_of(agent: Any) -> str | None:
    config = agent.get("config") if isinstance(agent, dict) else None
    name = config.get("name") if isinstance(config, dict) else None
    return name if isinstance(name, str) else None


def agent_names(component: dict[str, Any]) -> list[str]:
    return [n for n in (name_of(a) for a in participants(component)) if n is not None]


def find_agent(component: dict[str, Any], name: str) -> tuple[int, dict[str, Any]] | None:
    """(index, participant) of the participant called `name`."""
    for i, agent in enumerate(participants(component)):
        if name_of(agent) == name:
            return i, agent
    return None


def graph_of(component: dict[str, Any]) -> dict[str, Any] | None:
    """The GraphFlow graph (`{nodes, default_start_node}`), or None for other teams."""
    if team_provider(component) != GRAPH_FLOW:
        return None
    config = config_of(component)
    graph = config.get("graph")
    if not isinstance(graph, dict):
        graph = config["graph"] = {"nodes": {}, "default_start_node": None}
    if not isinstance(graph.get("nodes"), dict):
        graph["nodes"] = {}
    return graph


def edges(component: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(source, target, edge config) of every graph edge, in document order."""
    graph = graph_of(component)
    found = []
    for source, node in (graph or {}).get("nodes", {}).items():
        for edge in node.get("edges", []) if isinstance(node, dict) else []:
            if isinstance(edge, dict) and isinstance(edge.get("target"), str):
                found.append((source, edge["target"], edge))
    return found


def tool_lists(agent: dict[str, Any]) -> list[list[Any]]:
    """The lists an agent's tools live in: its own `tools` and each workbench's (read only: none made)."""
    config = read_config(agent)
    lists = [config["tools"]] if isinstance(config.get("tools"), list) else []
    benches = config.get("workbench")
    for bench in benches if isinstance(benches, list) else [benches] if isinstance(benches, dict) else []:
        tools = (bench.get("config") or {}).get("tools") if isinstance(bench, dict) else None
        if isinstance(tools, list):
            lists.append(tools)
    return lists


def tools_of(agent: dict[str, Any]) -> list[dict[str, Any]]:
    """An agent's tools, in order."""
    return [t for tools in tool_lists(agent) for t in tools if isinstance(t, dict)]


def component_at(component: dict[str, Any], node: NodeId) -> dict[str, Any] | None:
    """The component (or graph edge) a node id names, if it exists."""
    if node.kind == "edge":
        for source, target, edge in edges(component):
            if (source, target) == (node.name, node.child):
                return edge
        return None
    return nested_at(component, node)


def nested_at(component: dict[str, Any], node: NodeId) -> dict[str, Any] | None:
    """The component a team, termination, agent, model, tool or `at:` node id names (None if it is gone);
    the live dict inside `component`, so an action working on a copy can change it in place."""
    config = read_config(component)
    found: Any = None
    if node.kind == "team":
        found = component
    elif node.kind == "termination":
        found = config.get("termination_condition")
    elif node.kind == "team_model":
        found = config.get("model_client") if team_provider(component) == SELECTOR else None
    elif node.kind == "at":
        found = value_at(component, node.name)
    elif node.kind in ("agent", "model", "tool"):
        agent = find_agent(component, node.name)
        if agent is not None and node.kind == "agent":
            found = agent[1]
        elif agent is not None and node.kind == "model":
            found = (agent[1].get("config") or {}).get("model_client")
        elif agent is not None:
            found = next((t for t in tools_of(agent[1]) if name_of(t) == node.child), None)
    return found if isinstance(found, dict) else None


def value_at(component: Any, path: str) -> Any:
    """What is at a JSON path of `component` (None if nothing is, or the path is malformed)."""
    try:
        parts = split_path(path)
    except ValueError:
        return None
    holder = component
    for key in parts:
        if not has_item(holder, key):
            return None
        holder = holder[key]
    return holder


def node_at_path(component: dict[str, Any], path: str) -> NodeId:
    """The node id of the component at JSON `path`: its own id (an agent, its model or a tool, the termination,
    the team's model, the team) when it has one, else `at:<path>`."""
    found = value_at(component, path) if path else component
    node = node_for_path(component, path)
    return node if found is not None and nested_at(component, node) is found else NodeId.at(path)


def nodes_of(draft: Draft) -> list[NodeId]:
    """Every node id of the draft: the team, its termination and model (if any), each agent followed
    by its model and tools, then edges."""
    component = draft.component
    ids = [TEAM]
    if (component.get("config") or {}).get("termination_condition") is not None:
        ids.append(TERMINATION)
    if nested_at(component, TEAM_MODEL) is not None:
        ids.append(TEAM_MODEL)
    for agent in participants(component):
        name = name_of(agent)
        if name is None:
            continue
        ids.append(NodeId.agent(name))
        if isinstance((agent.get("config") or {}).get("model_client"), dict):
            ids.append(NodeId.model(name))
        ids += [NodeId.tool(name, t) for t in (name_of(tool) for tool in tools_of(agent)) if t]
    ids += [NodeId.edge(s, t) for s, t, _ in edges(component)]
    return ids


# --- problems to nodes --------------------------------------------------------------------------

_PART = re.compile(r'\.?([A-Za-z_]\w*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def split_path(path: str) -> list[str | int]:
    """`config.participants[1].config["a b"]` -> `["config", "participants", 1, "config", "a b"]`."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _PART.match(path, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"not a JSON path: {path!r}")
        name, index, quoted = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
        pos = match.end()
    return parts


def node_for_path(component: dict[str, Any], path: str) -> NodeId:
    """The node a validation problem at `path` concerns (so clicking a problem selects it).

    Inside a participant's model client or one of its named tools is that model or tool, anything
    else inside a participant is that agent; inside `graph.nodes.<name>.edges[i]` is that edge,
    elsewhere in a graph node its agent; inside the termination condition is `"termination"`; inside
    a selector team's model client is `"team/model"`; everything else is the team.
    """
    try:
        parts = split_path(path)
    except ValueError:
        return TEAM
    if parts[:2] == ["config", "participants"] and len(parts) > 2 and isinstance(parts[2], int):
        agents = component.get("config", {}).get("participants", [])
        if isinstance(agents, list) and 0 <= parts[2] < len(agents) and name_of(agents[parts[2]]):
            return _inside_agent(agents[parts[2]], parts[3:])
        return TEAM
    if parts[:2] == ["config", "termination_condition"]:
        return TERMINATION
    if parts[:2] == ["config", "model_client"] and nested_at(component, TEAM_MODEL) is not None:
        return TEAM_MODEL
    if parts[:3] == ["config", "graph", "nodes"] and len(parts) > 3 and isinstance(parts[3], str):
        source = parts[3]
        if len(parts) > 5 and parts[4] == "edges" and isinstance(parts[5], int):
            node = component.get("config", {}).get("graph", {}).get("nodes", {}).get(source, {})
            edge_list = node.get("edges", []) if isinstance(node, dict) else []
            if 0 <= parts[5] < len(edge_list) and isinstance(edge_list[parts[5]], dict):
                return NodeId.edge(source, str(edge_list[parts[5]].get("target")))
        return NodeId.agent(source)
    return TEAM


def _inside_agent(agent: dict[str, Any], rest: list[str | int]) -> NodeId:
    """The node for a path `rest` inside participant `agent`: its model, a named tool, or the agent."""
    name = name_of(agent) or ""
    config = agent.get("config") or {}
    if rest[:2] == ["config", "model_client"] and isinstance(config.get("model_client"), dict):
        return NodeId.model(name)
    holder: Any = agent
    for i, key in enumerate(rest):
        holder = holder[key] if has_item(holder, key) else None
        if key == "tools" and len(rest) > i + 1 and has_item(holder, rest[i + 1]):
            tool = name_of(holder[rest[i + 1]])
            return NodeId.tool(name, tool) if tool else NodeId.agent(name)
    return NodeId.agent(name)


def has_item(holder: Any, key: str | int) -> bool:
    """`holder[key]` exists (a dict key, or an index of a list)."""
    if isinstance(holder, dict):
        return key in holder
    return isinstance(holder, list) and isinstance(key, int) and 0 <= key < len(holder)


__all__ = [
    "AND",
    "ASSISTANT",
    "GRAPH_FLOW",
    "OR",
    "ROUND_ROBIN",
    "SELECTOR",
    "SWARM",
    "Draft",
    "agent_names",
    "canonical",
    "component_at",
    "config_of",
    "edges",
    "find_agent",
    "graph_of",
    "has_item",
    "kind_of",
    "name_of",
    "nested_at",
    "node_at_path",
    "node_for_path",
    "nodes_of",
    "participants",
    "read_config",
    "split_path",
    "team_provider",
    "tool_lists",
    "tools_of",
    "value_at",
]
