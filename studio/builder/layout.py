"""Node positions: a neat layered layout for graphs (layers top to bottom, so a pipeline fits the canvas
column; each layer centred under the widest), a row for the other team types."""

from __future__ import annotations

from collections import deque
from typing import Any

from .draft import agent_names, edges, graph_of
from .node_id import TEAM, NodeId

X0, Y0 = 80, 200
"""Where the first participant goes; the team node sits above, at (X0, 40)."""
COLUMN, ROW = 260, 140
LAYER = 210
"""Graph layers sit this far apart: room for a condition label between a node and the next."""


def graph_layers(component: dict[str, Any]) -> list[list[str]]:
    """Participants in layers: BFS from the start node(s) (the default start node, else the nodes with
    no incoming edge, else the first participant); each node in the layer where BFS first reaches it, so
    loops never push nodes further; unreachable participants start further layers of their own."""
    names = agent_names(component)
    graph = graph_of(component) or {"nodes": {}}
    successors: dict[str, list[str]] = {n: [] for n in names}
    incoming: set[str] = set()
    for source, target, _ in edges(component):
        if source in successors and target in successors:
            successors[source].append(target)
            if source != target:
                incoming.add(target)
    start = graph.get("default_start_node")
    roots = [start] if start in successors else [n for n in names if n not in incoming and n in graph["nodes"]]
    layer_of: dict[str, int] = {}
    pending = [n for n in names if n not in roots]
    queue: deque[str] = deque()
    for root in roots or names[:1]:
        layer_of[root] = 0
        queue.append(root)
    while True:
        while queue:
            node = queue.popleft()
            for nxt in successors[node]:
                if nxt not in layer_of:
                    layer_of[nxt] = layer_of[node] + 1
                    queue.append(nxt)
        rest = [n for n in pending if n not in layer_of]
        if not rest:
            break
        layer_of[rest[0]] = max(layer_of.values(), default=-1) + 1
        queue.append(rest[0])
    layers: list[list[str]] = [[] for _ in range(max(layer_of.values(), default=-1) + 1)]
    for name in names:  # participants' order within a layer
        layers[layer_of[name]].append(name)
    return layers


def auto_layout(component: dict[str, Any]) -> dict[str, Any]:
    """A fresh layout (`{"nodes": {node_id: {"x", "y"}}}`) for the team's nodes, on a grid."""
    positions: dict[str, dict[str, int]] = {str(TEAM): {"x": X0, "y": 40}}
    if graph_of(component) is not None:
        layers = graph_layers(component)
        widest = max((len(layer) for layer in layers), default=0)
        for depth, layer in enumerate(layers):
            indent = (widest - len(layer)) * COLUMN // 2
            for i, name in enumerate(layer):
                positions[str(NodeId.agent(name))] = {"x": X0 + indent + i * COLUMN, "y": Y0 + depth * LAYER}
    else:
        for i, name in enumerate(agent_names(component)):
            positions[str(NodeId.agent(name))] = {"x": X0 + i * COLUMN, "y": Y0}
    return {"nodes": positions}


__all__ = ["auto_layout", "graph_layers"]
