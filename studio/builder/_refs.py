"""Edits that follow names around a team: renaming or removing an agent updates everything that
points at it (Swarm handoffs, GraphFlow nodes and edges, termination sources). In place, on copies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from studio.runtime.agents.handoff import handoff_defaults

from .draft import AND, OR, canonical, config_of, edges, graph_of, name_of, participants
from .node_id import NodeId

SOURCE_MATCH = "autogen_agentchat.conditions.SourceMatchTermination"
TEXT_MESSAGE = "autogen_agentchat.conditions.TextMessageTermination"
HANDOFF = "autogen_agentchat.conditions.HandoffTermination"


def unique_name(base: str, taken: set[str] | list[str]) -> str:
    """`base`, or `base_2`, `base_3`... whichever is free."""
    if base not in taken:
        return base
    stem = base
    n = 2
    while f"{stem}_{n}" in taken:
        n += 1
    return f"{stem}_{n}"


def _handoff_lists(component: dict[str, Any]) -> Iterator[tuple[str | None, list[Any]]]:
    for agent in participants(component):
        handoffs = (agent.get("config") or {}).get("handoffs") if isinstance(agent, dict) else None
        if isinstance(handoffs, list):
            yield name_of(agent), handoffs


def _conditions(condition: Any) -> Iterator[dict[str, Any]]:
    """A termination condition and every condition nested in it."""
    if not isinstance(condition, dict):
        return
    yield condition
    if canonical(condition.get("provider")) in (OR, AND):
        for child in (condition.get("config") or {}).get("conditions") or []:
            yield from _conditions(child)


def rename_references(component: dict[str, Any], layout: dict[str, Any], old: str, new: str) -> None:
    """Point every handoff, graph node/edge, termination source and layout entry at `new`."""
    for _, handoffs in _handoff_lists(component):
        for i, item in enumerate(handoffs):
            if item == old:
                handoffs[i] = new
            elif isinstance(item, dict) and item.get("target") == old:
                before, after = handoff_defaults(old), handoff_defaults(new)
                item["target"] = new
                for key in ("name", "description", "message"):
                    if item.get(key) == before[key]:
                        item[key] = after[key]
    graph = graph_of(component)
    if graph is not None:
        nodes = graph["nodes"]
        if old in nodes:
            graph["nodes"] = {(new if k == old else k): v for k, v in nodes.items()}
            if isinstance(graph["nodes"][new], dict):
                graph["nodes"][new]["name"] = new
        for _, _, edge in edges(component):
            if edge.get("target") == old:
                edge["target"] = new
            if edge.get("activation_group") == old:
                edge["activation_group"] = new
        if graph.get("default_start_node") == old:
            graph["default_start_node"] = new
    for condition in _conditions(config_of(component).get("termination_condition")):
        config = condition.get("config") or {}
        provider = canonical(condition.get("provider"))
        if provider == SOURCE_MATCH and isinstance(config.get("sources"), list):
            config["sources"] = [new if s == old else s for s in config["sources"]]
        elif provider == TEXT_MESSAGE and config.get("source") == old:
            config["source"] = new
        elif provider == HANDOFF and config.get("target") == old:
            config["target"] = new
    nodes_layout = layout.setdefault("nodes", {})
    for key in list(nodes_layout):
        renamed = _renamed_node(key, old, new)
        if renamed != key:
            nodes_layout[renamed] = nodes_layout.pop(key)


def _renamed_node(key: str, old: str, new: str) -> str:
    """A layout key after agent `old` became `new` (keys that name no node stay as they are)."""
    node = NodeId.parse_or_none(key)
    if node == NodeId.agent(old):
        return str(NodeId.agent(new))
    if node is not None and node.kind == "edge":
        return str(NodeId.edge(new if node.name == old else node.name, new if node.child == old else node.child))
    return key


def drop_references(component: dict[str, Any], layout: dict[str, Any], name: str) -> list[str]:
    """Remove everything that points at agent `name`; returns what was dropped, for the user."""
    dropped: list[str] = []
    for owner, handoffs in _handoff_lists(component):
        kept = [h for h in handoffs if (h.get("target") if isinstance(h, dict) else h) != name]
        if len(kept) != len(handoffs):
            dropped.append(f"handoff from {owner} to {name}")
            handoffs[:] = kept
    graph = graph_of(component)
    if graph is not None:
        nodes = graph["nodes"]
        for source, target, _ in edges(component):
            if name in (source, target):
                dropped.append(f"edge {source} -> {target}")
        nodes.pop(name, None)
        for node in nodes.values():
            if isinstance(node, dict) and isinstance(node.get("edges"), list):
                node["edges"] = [e for e in node["edges"] if not (isinstance(e, dict) and e.get("target") == name)]
        if graph.get("default_start_node") == name:
            graph["default_start_node"] = None
            dropped.append(f"start node {name}")
    for condition in _conditions(config_of(component).get("termination_condition")):
        config = condition.get("config") or {}
        provider = canonical(condition.get("provider"))
        if provider == SOURCE_MATCH and isinstance(config.get("sources"), list) and name in config["sources"]:
            config["sources"] = [s for s in config["sources"] if s != name]
            dropped.append(f"{name} from the termination's sources")
    nodes_layout = layout.setdefault("nodes", {})
    for key in list(nodes_layout):
        node = NodeId.parse_or_none(key)
        if node == NodeId.agent(name) or (node is not None and node.kind == "edge" and name in (node.name, node.child)):
            del nodes_layout[key]
    return dropped


def combine_terminations(provider: str, existing: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`existing OR new` (or AND), flattening nested conditions of that same kind."""
    conditions: list[Any] = []
    for part in (existing, new):
        if canonical(part.get("provider")) == provider:
            conditions += (part.get("config") or {}).get("conditions") or []
        else:
            conditions.append(part)
    return {"provider": provider, "component_type": "termination", "version": 1, "component_version": 1,
            "config": {"conditions": conditions}}


__all__ = ["combine_terminations", "drop_references", "rename_references", "unique_name"]
