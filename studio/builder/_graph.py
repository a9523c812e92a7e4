"""GraphFlow editing: edges (add, update, delete) and the start node."""

from __future__ import annotations

from typing import Any, Literal

from ._base import ActionRefused, BaseAction, done
from .draft import GRAPH_FLOW, Draft, agent_names, graph_of
from .node_id import NodeId

Activation = Literal["all", "any"]
_EDGE_FIELDS = ("target", "condition", "activation_group", "activation_condition")


def add_node(component: dict[str, Any], name: str) -> None:
    """Give a new participant its (edgeless) graph node, when the team is a GraphFlow."""
    graph = graph_of(component)
    if graph is not None and name not in graph["nodes"]:
        graph["nodes"][name] = {"name": name, "edges": [], "activation": "all"}


def _graph(component: dict[str, Any]) -> dict[str, Any]:
    graph = graph_of(component)
    if graph is None:
        raise ActionRefused("Only a GraphFlow team has edges; switch the team to a graph first.")
    return graph


def _edge(component: dict[str, Any], node: NodeId) -> tuple[list[dict[str, Any]], int]:
    """(the source's edge list, index) of an edge node id."""
    if node.kind != "edge":
        raise ActionRefused(f"{str(node)!r} is not an edge.")
    graph = _graph(component)
    source, target = node.name, node.child
    edge_list = (graph["nodes"].get(source) or {}).get("edges") or []
    for i, edge in enumerate(edge_list):
        if isinstance(edge, dict) and edge.get("target") == target:
            return edge_list, i
    raise ActionRefused(f"There is no edge {source} -> {target}.")


def _member(component: dict[str, Any], name: str) -> None:
    if name not in agent_names(component):
        raise ActionRefused(f"There is no agent named {name!r}.")


class AddEdge(BaseAction):
    """Connect two agents of a graph; a string `condition` means "when the source's message contains it"."""

    type: Literal["add_edge"] = "add_edge"
    source: str
    target: str
    condition: str | None = None
    activation_condition: Activation = "all"

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        graph = _graph(component)
        _member(component, self.source)
        _member(component, self.target)
        for name in (self.source, self.target):
            add_node(component, name)
        edge_list = graph["nodes"][self.source].setdefault("edges", [])
        if any(isinstance(e, dict) and e.get("target") == self.target for e in edge_list):
            raise ActionRefused(f"There is already an edge {self.source} -> {self.target}.")
        edge_list.append({"target": self.target, "condition": self.condition or None,
                          "activation_group": self.target, "activation_condition": self.activation_condition})
        return done(draft, component, layout)


class UpdateEdge(BaseAction):
    """Change an edge's condition, activation or target; fields left out stay as they are."""

    type: Literal["update_edge"] = "update_edge"
    edge: NodeId
    target: str | None = None
    condition: str | None = None
    activation_group: str | None = None
    activation_condition: Activation | None = None

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        edge_list, i = _edge(component, self.edge)
        edge = edge_list[i]
        given = self.model_fields_set - {"type", "edge"}
        if "target" in given and self.target != edge["target"]:
            if self.target is None:
                raise ActionRefused("An edge needs a target.")
            _member(component, self.target)
            if any(isinstance(e, dict) and e.get("target") == self.target for e in edge_list):
                raise ActionRefused(f"There is already an edge {self.edge.name} -> {self.target}.")
            if edge.get("activation_group") in (None, "", edge["target"]):
                edge["activation_group"] = self.target
            edge["target"] = self.target
            add_node(component, self.target)
            old, new = str(self.edge), str(NodeId.edge(self.edge.name, self.target))
            if old in layout["nodes"]:
                layout["nodes"][new] = layout["nodes"].pop(old)
        if "condition" in given:
            edge["condition"] = self.condition or None
        if "activation_group" in given:
            edge["activation_group"] = self.activation_group or edge["target"]
        if "activation_condition" in given and self.activation_condition is not None:
            edge["activation_condition"] = self.activation_condition
        return done(draft, component, layout)


def set_edge_field(draft: Draft, node: NodeId, path: list[str | int], value: Any) -> Draft:
    """`set_field` on an edge: one of its own fields."""
    if len(path) != 1 or path[0] not in _EDGE_FIELDS:
        raise ActionRefused(f"An edge has the fields {', '.join(_EDGE_FIELDS)}.")
    return UpdateEdge.model_validate({"edge": node, str(path[0]): value}).apply(draft)


class DeleteEdge(BaseAction):
    type: Literal["delete_edge"] = "delete_edge"
    edge: NodeId

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        edge_list, i = _edge(component, self.edge)
        del edge_list[i]
        layout["nodes"].pop(str(self.edge), None)
        return done(draft, component, layout, [f"edge {self.edge.name} -> {self.edge.child}"])


class SetStartNode(BaseAction):
    """The graph's `default_start_node` (None: the nodes without incoming edges start)."""

    type: Literal["set_start_node"] = "set_start_node"
    name: str | None

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        graph = _graph(component)
        if self.name is not None:
            _member(component, self.name)
            add_node(component, self.name)
        graph["default_start_node"] = self.name
        return done(draft, component, layout)


__all__ = ["GRAPH_FLOW", "AddEdge", "DeleteEdge", "SetStartNode", "UpdateEdge", "add_node", "set_edge_field"]
