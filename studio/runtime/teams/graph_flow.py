"""GraphFlow: participants run along the edges of a directed graph.

A node becomes ready when its incoming edges fire: with `activation_condition` "all" once every edge of its
activation group has fired, with "any" on the first. An edge with a string `condition` fires only when the
source's message contains that text. Ready nodes run together (fan-out); the run ends when nothing is ready
("Digraph execution is complete") or the termination condition fires, which is what bounds loops.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from ..agents.base import BaseChatAgent
from ..conditions import TerminationCondition
from ..config import Component, filled, slot
from ..messages import BaseAgentEvent, BaseChatMessage
from .base import DESCRIPTION_HELP, NAME_HELP, PARTICIPANTS_HELP, BaseGroupChat, TeamConfig
from .stop import Stop

GRAPH_COMPLETE = "Digraph execution is complete"
Activation = Literal["all", "any"]


class DiGraphEdge(BaseModel):
    """An edge; a string `condition` means "the source's last message contains this text"."""

    target: str = Field(description="The agent that may speak after this edge's source agent.")
    condition: str | None = Field(None, description="Follow this edge only when the source agent's last message "
                                  "contains this text, e.g. APPROVE. Empty: always follow it.")
    activation_group: str = Field("", description="Edges into the same agent with the same group are counted "
                                  "together for its activation. Empty: the target's name.")
    activation_condition: Activation = Field("all", description="With several edges in one group: \"all\" waits "
                                             "until every source has spoken, \"any\" lets the target speak after "
                                             "the first.")

    @model_validator(mode="after")
    def _group_defaults_to_target(self) -> DiGraphEdge:
        if not self.activation_group:
            self.activation_group = self.target
        return self

    def fires_on(self, message: BaseChatMessage) -> bool:
        return self.condition is None or self.condition in message.to_model_text()


class DiGraphNode(BaseModel):
    name: str
    edges: list[DiGraphEdge] = []
    activation: Activation = "all"


class DiGraph(BaseModel):
    nodes: dict[str, DiGraphNode]
    default_start_node: str | None = None

    def parents(self) -> dict[str, list[str]]:
        parents: dict[str, list[str]] = {name: [] for name in self.nodes}
        for node in self.nodes.values():
            for edge in node.edges:
                parents.setdefault(edge.target, []).append(node.name)
        return parents

    def start_nodes(self) -> list[str]:
        if self.default_start_node:
            return [self.default_start_node]
        return [name for name, parents in self.parents().items() if not parents]

    def problems(self) -> list[str]:
        """What makes this graph impossible to run, as sentences (empty when it is fine)."""
        problems = []
        if not self.nodes:
            return ["Graph has no nodes."]
        for node in self.nodes.values():
            for edge in node.edges:
                if edge.target not in self.nodes:
                    problems.append(f"Edge from '{node.name}' points to unknown node '{edge.target}'.")
        if self.default_start_node and self.default_start_node not in self.nodes:
            problems.append(f"Start node '{self.default_start_node}' is not a node of the graph.")
        if not self.start_nodes():
            problems.append("Graph must have at least one start node (a node without incoming edges).")
        if not any(not node.edges for node in self.nodes.values()):
            problems.append("Graph must have at least one leaf node (a node without outgoing edges).")
        for node in self.nodes.values():
            conditional = [e.condition is not None for e in node.edges]
            if any(conditional) and not all(conditional):
                problems.append(f"Node '{node.name}' has a mix of conditional and unconditional edges.")
        conditions: dict[tuple[str, str], str] = {}
        for node in self.nodes.values():
            for edge in node.edges:
                key = (edge.target, edge.activation_group)
                if conditions.setdefault(key, edge.activation_condition) != edge.activation_condition:
                    problems.append(
                        f"Conflicting activation conditions for target '{edge.target}' group "
                        f"'{edge.activation_group}'."
                    )
        if not problems:
            problems.extend(self._unconditional_cycles())
        return problems

    def has_cycles(self) -> bool:
        return bool(self.cycles())

    def _unconditional_cycles(self) -> list[str]:
        return [
            f"Cycle detected without exit condition: {' -> '.join([*cycle, cycle[0]])}"
            for cycle in self.cycles()
            if all(edge.condition is None for name in cycle for edge in self.nodes[name].edges)
        ]

    def cycles(self) -> list[list[str]]:
        """One node list per back edge found by a depth-first walk (edges to unknown nodes skipped)."""
        cycles: list[list[str]] = []
        visited: set[str] = set()
        path: list[str] = []

        def visit(name: str) -> None:
            visited.add(name)
            path.append(name)
            for edge in self.nodes[name].edges:
                if edge.target in path:
                    cycles.append(path[path.index(edge.target) :])
                elif edge.target not in visited and edge.target in self.nodes:
                    visit(edge.target)
            path.pop()

        for name in self.nodes:
            if name not in visited:
                visit(name)
        return cycles

    def incoming_counts(self) -> dict[str, Counter[str]]:
        """For each target: how many edges of each activation group point at it."""
        counts: dict[str, Counter[str]] = {}
        for node in self.nodes.values():
            for edge in node.edges:
                counts.setdefault(edge.target, Counter())[edge.activation_group] += 1
        return counts


class GraphFlow(BaseGroupChat):
    DEFAULT_NAME = "GraphFlow"
    DEFAULT_DESCRIPTION = "A team of agents"
    MANAGER_NAME = "GraphManager"

    def __init__(
        self,
        participants: Sequence[BaseChatAgent | BaseGroupChat],
        graph: DiGraph,
        termination_condition: TerminationCondition | None = None,
        max_turns: int | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(participants, termination_condition, max_turns, name, description)
        problems = graph.problems()
        unknown = sorted(set(graph.nodes) - set(self.participant_names))
        if unknown:
            problems.append(f"Graph nodes {unknown} are not participants.")
        if problems:
            raise ValueError(" ".join(problems))
        if graph.has_cycles() and termination_condition is None and max_turns is None:
            raise ValueError("A termination condition is required for cyclic graphs without a maximum turn limit.")
        self.graph = graph
        self._activation = {
            (edge.target, edge.activation_group): edge.activation_condition
            for node in graph.nodes.values()
            for edge in node.edges
        }
        self._initial_counts = graph.incoming_counts()
        self._reset_execution()

    def _reset_execution(self) -> None:
        self._remaining = {target: Counter(groups) for target, groups in self._initial_counts.items()}
        self._enqueued_any = {key: False for key, cond in self._activation.items() if cond == "any"}
        self._triggered: dict[str, set[str]] = {}
        self._ready: deque[str] = deque(self.graph.start_nodes())

    async def on_messages(self, messages: Sequence[BaseAgentEvent | BaseChatMessage]) -> None:
        message = messages[-1]
        node = self.graph.nodes.get(message.source)
        if node is None or not isinstance(message, BaseChatMessage):
            return
        for edge in node.edges:
            if not edge.fires_on(message):
                continue
            key = (edge.target, edge.activation_group)
            if self._activation[key] == "all":
                self._remaining[edge.target][edge.activation_group] -= 1
                if self._remaining[edge.target][edge.activation_group] == 0:
                    self._make_ready(*key)
            elif not self._enqueued_any[key]:
                self._enqueued_any[key] = True
                self._make_ready(*key)

    def _make_ready(self, target: str, group: str) -> None:
        self._ready.append(target)
        self._triggered.setdefault(target, set()).add(group)

    async def select_speakers(self) -> list[str]:
        speakers = list(self._ready)
        self._ready.clear()
        for speaker in speakers:
            # The speaker's incoming groups start counting afresh, so loops can activate it again.
            for group in self._triggered.pop(speaker, ()):
                if self._activation[(speaker, group)] == "any":
                    self._enqueued_any[(speaker, group)] = False
                else:
                    self._remaining[speaker][group] = self._initial_counts[speaker][group]
        return speakers

    def completion(self) -> Stop | None:
        if self._ready:
            return None
        self._reset_execution()
        return Stop(GRAPH_COMPLETE)

    async def reset_state(self) -> None:
        self._reset_execution()


class GraphFlowConfig(TeamConfig):
    name: str | None = filled(GraphFlow.DEFAULT_NAME, description=NAME_HELP)
    description: str | None = filled(GraphFlow.DEFAULT_DESCRIPTION, description=DESCRIPTION_HELP)
    participants: list[Component] = slot("agent", many=True, default=..., description=PARTICIPANTS_HELP)
    graph: DiGraph = Field(description="The graph of a GraphFlow team: its nodes and conditional edges. Edit edges "
                           "and the start node on the canvas; this is the raw form.")


GraphFlow.component_config_schema = GraphFlowConfig
