"""The flow view: agents as nodes, the turns between them as arrows with counts, laid out for SVG.

Computed on the server from stored events (no JavaScript layout): nodes sit on a row (two or fewer) or
a circle, each arrow is a quadratic curve bent to its right so A→B and B→A do not overlap.
`playground/_flow.html` draws it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from studio.playground.turns import TurnTracker, is_speaker, turn_key

NODE_RADIUS = 30
LABEL_SPACE = 24  # below a node, for its name
MARGIN = 40
ROW_GAP = 200
BEND = 0.18  # how far an arrow bows out, as a share of its length


@dataclass
class FlowNode:
    name: str
    x: float = 0.0
    y: float = 0.0
    events: int = 0

    @property
    def initial(self) -> str:
        return self.name[:1].upper()


@dataclass
class FlowEdge:
    source: str
    target: str
    count: int = 0
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0

    @property
    def key(self) -> str:
        """The `data-turn` value of the trace items this arrow filters to."""
        return turn_key(self.source, self.target)

    @property
    def accessible_name(self) -> str:
        return f"{self.source} to {self.target}, {self.count} turn{'s' if self.count != 1 else ''}"


@dataclass
class Flow:
    nodes: list[FlowNode] = field(default_factory=list)
    edges: list[FlowEdge] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    node_radius: int = NODE_RADIUS

    @property
    def turns(self) -> int:
        return sum(edge.count for edge in self.edges)


def flow(events: Iterable[Any]) -> Flow:
    """The agents of a run (in order of first appearance) and the counted turns between them."""
    nodes: dict[str, FlowNode] = {}
    edges: dict[tuple[str, str], FlowEdge] = {}
    turns = TurnTracker()
    for event in events:
        source, type_ = str(event.source or ""), str(event.type)
        if not is_speaker(source, type_):
            continue
        nodes.setdefault(source, FlowNode(source)).events += 1
        turn = turns.see(source, type_)
        if turn is not None:
            edges.setdefault(turn, FlowEdge(*turn)).count += 1
    result = Flow(nodes=list(nodes.values()), edges=list(edges.values()))
    _place(result)
    return result


def _place(result: Flow) -> None:
    """Node positions, then arrow paths and label points, then the drawing's size."""
    n = len(result.nodes)
    if n <= 2:
        for i, node in enumerate(result.nodes):
            node.x, node.y = MARGIN + NODE_RADIUS + i * ROW_GAP, MARGIN + NODE_RADIUS
    else:
        radius = max(110.0, n * (NODE_RADIUS * 2 + 24) / (2 * math.pi))
        centre = MARGIN + NODE_RADIUS + radius
        for i, node in enumerate(result.nodes):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            node.x, node.y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
    where = {node.name: node for node in result.nodes}
    for edge in result.edges:
        _route(edge, where[edge.source], where[edge.target])
    result.width = max((node.x for node in result.nodes), default=0) + NODE_RADIUS + MARGIN
    result.height = max((node.y for node in result.nodes), default=0) + NODE_RADIUS + LABEL_SPACE + MARGIN


def _route(edge: FlowEdge, a: FlowNode, b: FlowNode) -> None:
    """A curve from node `a`'s rim to node `b`'s rim, bowing to the right of the direction of travel."""
    dx, dy = b.x - a.x, b.y - a.y
    cx, cy = (a.x + b.x) / 2 - dy * BEND, (a.y + b.y) / 2 + dx * BEND
    start = _towards(a.x, a.y, cx, cy, NODE_RADIUS)
    end = _towards(b.x, b.y, cx, cy, NODE_RADIUS + 4)  # leave room for the arrowhead
    edge.path = f"M {start[0]:.1f} {start[1]:.1f} Q {cx:.1f} {cy:.1f} {end[0]:.1f} {end[1]:.1f}"
    edge.label_x = 0.25 * start[0] + 0.5 * cx + 0.25 * end[0]
    edge.label_y = 0.25 * start[1] + 0.5 * cy + 0.25 * end[1]


def _towards(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    """The point `distance` from (x, y) in the direction of (tx, ty)."""
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1.0
    return x + dx / length * distance, y + dy / length * distance


__all__ = ["Flow", "FlowEdge", "FlowNode", "flow"]
