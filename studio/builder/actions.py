"""Every editing action of the builder: a small pydantic model with a `type` literal whose
`apply(draft)` returns a NEW draft (the input is never changed) or raises `ActionRefused` with a short
reason. An action is all or nothing: it works on copies and returns only when done.

`parse_action(data)` reads one from JSON (what the web layer posts).
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Field, TypeAdapter

from studio.components import blocking, validate_component

from . import _graph
from ._base import (
    ActionRefused,
    BaseAction,
    NeedsConfirmation,
    agent_at,
    check_name,
    done,
    expect,
    named,
    word,
)
from ._equip import AddTool, RemoveTool, SetModel
from ._graph import AddEdge, DeleteEdge, SetStartNode, UpdateEdge
from ._refs import drop_references, rename_references, unique_name
from ._switch import TEAM_TYPES, nested_teams, switched
from ._termination import RemoveTerminationPart, SetTermination
from .draft import (
    SWARM,
    Draft,
    agent_names,
    canonical,
    config_of,
    has_item,
    kind_of,
    name_of,
    nested_at,
    participants,
    split_path,
    team_provider,
    tool_lists,
)
from .layout import auto_layout
from .node_id import TEAM, NodeId
from .opaque import EditOpaque

# --- participants -------------------------------------------------------------------------------


class AddParticipant(BaseAction):
    """Add an agent to the team (at `index`, default last), renamed `writer_2`... if taken."""

    type: Literal["add_participant"] = "add_participant"
    component: dict[str, Any]
    index: int | None = None

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        if kind_of(self.component) != "agent":
            raise ActionRefused(f"{word(self.component).capitalize()} can't join the team: drop an agent.")
        agent = expect(self.component, "agent")
        name = unique_name(name_of(agent) or "agent", set(agent_names(component)))
        named(agent, name)
        agents = participants(component)
        index = len(agents) if self.index is None else max(0, min(self.index, len(agents)))
        agents.insert(index, agent)
        _graph.add_node(component, name)
        return done(draft, component, layout)


class MoveParticipant(BaseAction):
    """Reorder: move participant `name` to position `index`."""

    type: Literal["move_participant"] = "move_participant"
    name: str
    index: int

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        i, _ = agent_at(component, NodeId.agent(self.name))
        agents = participants(component)
        if not 0 <= self.index < len(agents):
            raise ActionRefused(f"Position {self.index} is outside the team (0 to {len(agents) - 1}).")
        agents.insert(self.index, agents.pop(i))
        return done(draft, component, layout)


# --- layout -------------------------------------------------------------------------------------


class MoveNode(BaseAction):
    """Place a node on the canvas (layout only; the component is unchanged)."""

    type: Literal["move_node"] = "move_node"
    node: NodeId
    x: float
    y: float

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        if self.node.kind not in ("team", "agent"):
            raise ActionRefused("Only the team and its agents can be moved.")
        if self.node.kind == "agent":
            agent_at(component, self.node)
        layout["nodes"][str(self.node)] = {"x": self.x, "y": self.y}
        return done(draft, component, layout)


class AutoLayout(BaseAction):
    """Arrange the nodes: graph teams in layers from the start node, the others in a row."""

    type: Literal["auto_layout"] = "auto_layout"

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        return done(draft, component, {**layout, **auto_layout(component)})


# --- nodes --------------------------------------------------------------------------------------


class Rename(BaseAction):
    """Rename an agent (everything pointing at it follows), one of its tools (unique within the agent)
    or the team (its label)."""

    type: Literal["rename"] = "rename"
    node: NodeId
    new_name: str

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        new = self.new_name.strip()
        if self.node == TEAM:
            if not new:
                raise ActionRefused("A team needs a name.")
            component["label"] = new
            return done(draft, component, layout)
        if self.node.kind == "tool":
            return _rename_tool(draft, self.node, new)
        _, agent = agent_at(component, self.node)
        old = name_of(agent) or ""
        if new == old:
            return done(draft, component, layout)
        check_name(component, new, current=old)
        named(agent, new)
        rename_references(component, layout, old, new)
        return done(draft, component, layout)


def _rename_tool(draft: Draft, node: NodeId, new: str) -> Draft:
    component, layout = draft.editable()
    agent_name, old = node.name, node.child
    tool = nested_at(component, node)
    if tool is None:
        raise ActionRefused(f"{agent_name} has no tool named {old!r}.")
    if not new.isidentifier():
        raise ActionRefused(f"{new!r} is not a valid tool name: use letters, digits and _ (not first).")
    taken = [name_of(t) for tools in tool_lists(nested_at(component, NodeId.agent(agent_name)) or {}) for t in tools]
    if new != old and new in taken:
        raise ActionRefused(f"{agent_name} already has a tool named {new!r}: tool names must be unique within an agent.")
    config_of(tool)["name"] = new
    return done(draft, component, layout)


class DeleteNode(BaseAction):
    """Delete an agent and everything pointing at it, an edge, the termination condition, or a
    model or tool (from its agent or the selector team)."""

    type: Literal["delete_node"] = "delete_node"
    node: NodeId

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        kind = self.node.kind
        if kind == "edge":
            return DeleteEdge(edge=self.node).apply(draft)
        if kind == "termination":
            if config_of(component).pop("termination_condition", None) is None:
                raise ActionRefused("The team has no termination condition.")
            return done(draft, component, layout, ["the termination condition"])
        if kind == "team":
            raise ActionRefused("The team itself can't be deleted.")
        if kind == "tool":
            return RemoveTool(target=self.node.owner, name=self.node.child).apply(draft)
        if kind in ("model", "team_model"):
            if nested_at(component, self.node) is None:
                raise ActionRefused("There is no model there.")
            owner = config_of(component) if kind == "team_model" else config_of(agent_at(component, self.node.owner)[1])
            del owner["model_client"]
            return done(draft, component, layout, ["the selector's model" if kind == "team_model"
                                                   else f"the model of {self.node.name}"])
        i, agent = agent_at(component, self.node)
        del participants(component)[i]
        name = name_of(agent) or ""
        return done(draft, component, layout, drop_references(component, layout, name))


class DuplicateNode(BaseAction):
    """Copy an agent (renamed `writer_2`...) right after it; in a graph it starts without edges."""

    type: Literal["duplicate_node"] = "duplicate_node"
    node: NodeId

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        i, agent = agent_at(component, self.node)
        copy_ = named(copy.deepcopy(agent), unique_name(name_of(agent) or "agent", set(agent_names(component))))
        participants(component).insert(i + 1, copy_)
        _graph.add_node(component, name_of(copy_) or "")
        where = layout["nodes"].get(str(self.node))
        if isinstance(where, dict):
            layout["nodes"][str(NodeId.agent(name_of(copy_) or ""))] = {"x": where.get("x", 0) + 40,
                                                                          "y": where.get("y", 0) + 40}
        return done(draft, component, layout)


class SwitchTeamType(BaseAction):
    """Round robin <-> selector <-> swarm <-> GraphFlow, keeping the participants; asks (raises
    `NeedsConfirmation`) before dropping anything unless `confirm`."""

    type: Literal["switch_team_type"] = "switch_team_type"
    provider: str
    confirm: bool = False

    def apply(self, draft: Draft) -> Draft:
        from .library import default_model

        target = canonical(self.provider)
        if target not in TEAM_TYPES:
            raise ActionRefused(f"A team can switch to a round robin, selector, swarm or GraphFlow, not {self.provider!r}.")
        component, layout = draft.editable()
        if team_provider(component) == target:
            return done(draft, component, layout)
        if target in (SWARM, _graph.GRAPH_FLOW) and (nested := nested_teams(component)):
            raise ActionRefused(f"A {target.rsplit('.', 1)[-1]} takes agents only; remove {', '.join(nested)} first.")
        new, dropped = switched(component, target, default_model())
        if dropped and not self.confirm:
            raise NeedsConfirmation(dropped)
        layout["nodes"] = {k: v for k, v in layout["nodes"].items() if not _is_edge(k)}
        return done(draft, new, layout, dropped)


def _is_edge(key: str) -> bool:
    """Whether a layout key names an edge."""
    node = NodeId.parse_or_none(key)
    return node is not None and node.kind == "edge"


# --- fields and JSON ----------------------------------------------------------------------------


class SetField(BaseAction):
    """A property-panel edit: set `path` (e.g. `config.system_message`) inside a node's component;
    `None` removes the key (the field falls back to its default). Renames go through `rename`."""

    type: Literal["set_field"] = "set_field"
    node: NodeId
    path: str
    value: Any = None

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        kind = self.node.kind
        try:
            path = split_path(self.path)
        except ValueError:
            raise ActionRefused(f"{self.path!r} is not a field path.") from None
        if not path:
            raise ActionRefused("Say which field to set.")
        if kind in ("agent", "tool") and path == ["config", "name"]:
            return Rename(node=self.node, new_name=str(self.value or "")).apply(draft)
        if kind == "edge":
            return _graph.set_edge_field(draft, self.node, path, self.value)
        if kind == "agent":
            agent_at(component, self.node)  # refuses, naming the agent, when it is gone
        root = nested_at(component, self.node)
        if root is None:
            raise ActionRefused("The team has no termination condition." if kind == "termination"
                                else f"There is nothing at {str(self.node)!r} any more.")
        holder: Any = root
        for i, key in enumerate(path[:-1]):
            nxt = holder[key] if has_item(holder, key) else None
            if nxt is None and isinstance(key, str) and isinstance(holder, dict):
                nxt = holder[key] = [] if isinstance(path[i + 1], int) else {}
            if not isinstance(nxt, (dict, list)):
                raise ActionRefused(f"Can't set {self.path}: {key} is not an object.")
            holder = nxt
        last = path[-1]
        if isinstance(holder, list) and not (isinstance(last, int) and 0 <= last <= len(holder)):
            raise ActionRefused(f"Can't set {self.path}: no item {last}.")
        if self.value is None and isinstance(holder, dict):
            holder.pop(last, None)
        elif isinstance(holder, list) and last == len(holder):
            holder.append(copy.deepcopy(self.value))
        else:
            holder[last] = copy.deepcopy(self.value)
        return done(draft, component, layout)


class ReplaceComponent(BaseAction):
    """The JSON view: replace the whole team; refused, listing every error's path, when invalid (opaque nodes,
    components the studio cannot run, are kept as written)."""

    type: Literal["replace_component"] = "replace_component"
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        errors = blocking(validate_component(self.component, kind="team"))  # opaque nodes are kept
        if errors:
            listed = "; ".join(str(p) for p in errors[:5]) + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")
            raise ActionRefused(f"The JSON has {len(errors)} error{'s' if len(errors) > 1 else ''}: {listed}", errors)
        component = copy.deepcopy(self.component)
        nodes = {str(TEAM), *(str(NodeId.agent(n)) for n in agent_names(component))}
        layout = copy.deepcopy(draft.layout)
        layout["nodes"] = {k: v for k, v in (layout.get("nodes") or {}).items() if k in nodes}
        return done(draft, component, layout)


Action: TypeAlias = (
    AddParticipant | MoveParticipant | SetModel | AddTool | RemoveTool | SetTermination | RemoveTerminationPart
    | MoveNode | AutoLayout | Rename | DeleteNode | DuplicateNode | SwitchTeamType | SetField | ReplaceComponent
    | AddEdge | UpdateEdge | DeleteEdge | SetStartNode | EditOpaque
)
"""Any editing action (`parse_action` tells them apart by their `type`)."""
_ADAPTER: TypeAdapter[Action] = TypeAdapter(Annotated[Action, Field(discriminator="type")])


def parse_action(data: dict[str, Any] | str | bytes) -> Action:
    """An action from its JSON (`{"type": "add_edge", ...}`); raises pydantic's ValidationError."""
    if isinstance(data, (str, bytes)):
        return _ADAPTER.validate_json(data)
    return _ADAPTER.validate_python(data)


__all__ = [
    "Action",
    "ActionRefused",
    "AddEdge",
    "AddParticipant",
    "AddTool",
    "AutoLayout",
    "DeleteEdge",
    "DeleteNode",
    "DuplicateNode",
    "EditOpaque",
    "MoveNode",
    "MoveParticipant",
    "NeedsConfirmation",
    "RemoveTerminationPart",
    "RemoveTool",
    "Rename",
    "ReplaceComponent",
    "SetField",
    "SetModel",
    "SetStartNode",
    "SetTermination",
    "SwitchTeamType",
    "UpdateEdge",
    "parse_action",
]
