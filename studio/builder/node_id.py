"""`NodeId`: how the builder names a node of the team graph, a small value with one text form (the wire string
the pages post, the layout's keys).

    team                        the team                  NodeId.team()
    termination                 its termination           NodeId.termination()
    team/model                  a selector team's model   NodeId.team_model()
    agent:<name>                a participant             NodeId.agent(name)
    agent:<name>/model          its model client          NodeId.model(name)
    agent:<name>/tool:<tool>    one of its tools          NodeId.tool(name, tool)
    edge:<source>-><target>     a GraphFlow edge          NodeId.edge(source, target)
    at:<JSON path>              any other component       NodeId.at(path)

`at:` names a component that has no id of its own (an agent's workbench, an opaque node: see
`studio.builder.draft.node_at_path`). `NodeId.parse(text)` reads the text form back; `str(node)` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

NodeKind = Literal["team", "termination", "team_model", "agent", "model", "tool", "edge", "at"]


class BadNodeId(ValueError):
    """Text that names no node."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a node id (team, termination, team/model, agent:<name>, "
                         "agent:<name>/model, agent:<name>/tool:<tool>, edge:<source>-><target> or at:<JSON path>)")
        self.text = text


@dataclass(frozen=True)
class NodeId:
    """One node of the builder's team graph. Make one with the constructor of its kind (`NodeId.agent("writer")`)
    or `NodeId.parse`; `name` is the agent's name (agent, model, tool), an edge's source or an `at:` path, and
    `child` a tool's name or an edge's target."""

    kind: NodeKind
    name: str = ""
    child: str = ""

    @classmethod
    def team(cls) -> NodeId:
        return cls("team")

    @classmethod
    def termination(cls) -> NodeId:
        return cls("termination")

    @classmethod
    def team_model(cls) -> NodeId:
        return cls("team_model")

    @classmethod
    def agent(cls, name: str) -> NodeId:
        return cls("agent", name)

    @classmethod
    def model(cls, agent: str) -> NodeId:
        return cls("model", agent)

    @classmethod
    def tool(cls, agent: str, tool: str) -> NodeId:
        return cls("tool", agent, tool)

    @classmethod
    def edge(cls, source: str, target: str) -> NodeId:
        return cls("edge", source, target)

    @classmethod
    def at(cls, path: str) -> NodeId:
        return cls("at", path)

    @classmethod
    def parse(cls, text: str) -> NodeId:
        """The node `text` names; raises `BadNodeId` when it names none."""
        found = cls.parse_or_none(text)
        if found is None:
            raise BadNodeId(text)
        return found

    @classmethod
    def parse_or_none(cls, text: str) -> NodeId | None:
        """The node `text` names, or None (for text from outside, e.g. a layout key or a stale selection)."""
        plain = {"team": cls.team, "termination": cls.termination, "team/model": cls.team_model}.get(text)
        if plain is not None:
            return plain()
        kind, _, rest = text.partition(":")
        if kind == "at" and rest:
            return cls.at(rest)
        if kind == "agent" and rest:
            agent, slash, nested = rest.partition("/")
            if not slash:
                return cls.agent(rest)
            if agent and nested == "model":
                return cls.model(agent)
            if agent and nested.startswith("tool:") and nested[5:]:
                return cls.tool(agent, nested[5:])
            return None
        if kind == "edge":
            source, arrow, target = rest.partition("->")
            if arrow and source and target:
                return cls.edge(source, target)
        return None

    def __str__(self) -> str:
        return {
            "team": "team",
            "termination": "termination",
            "team_model": "team/model",
            "agent": f"agent:{self.name}",
            "model": f"agent:{self.name}/model",
            "tool": f"agent:{self.name}/tool:{self.child}",
            "edge": f"edge:{self.name}->{self.child}",
            "at": f"at:{self.name}",
        }[self.kind]

    def __repr__(self) -> str:
        return f"NodeId({str(self)!r})"

    @property
    def agent_name(self) -> str | None:
        """The participant an agent, model or tool node belongs to (None for other nodes)."""
        return self.name if self.kind in ("agent", "model", "tool") else None

    @property
    def owner(self) -> NodeId:
        """The node that holds a nested one (`agent:a/model` -> `agent:a`, `team/model` -> `team`); itself
        for the others."""
        if self.kind == "team_model":
            return NodeId.team()
        if self.kind in ("model", "tool"):
            return NodeId.agent(self.name)
        return self

    def renamed(self, new_name: str) -> NodeId:
        """The id this node has after its component's `config.name` became `new_name` (an agent or a tool;
        any other node keeps its id)."""
        if self.kind == "agent":
            return NodeId.agent(new_name)
        if self.kind == "tool":
            return NodeId.tool(self.name, new_name)
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """In an action: written as its text form, read from it (or given as a `NodeId`)."""
        from_text = core_schema.chain_schema([core_schema.str_schema(), core_schema.no_info_plain_validator_function(
            cls.parse)])
        return core_schema.json_or_python_schema(
            json_schema=from_text,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_text]),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )


TEAM = NodeId.team()
TERMINATION = NodeId.termination()
TEAM_MODEL = NodeId.team_model()

__all__ = ["TEAM", "TEAM_MODEL", "TERMINATION", "BadNodeId", "NodeId", "NodeKind"]
