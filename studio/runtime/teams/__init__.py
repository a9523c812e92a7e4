"""Teams: how participants take turns."""

from .base import CANCELLED_REASON, BaseGroupChat
from .graph_flow import GRAPH_COMPLETE, DiGraph, DiGraphEdge, DiGraphNode, GraphFlow
from .round_robin import RoundRobinGroupChat
from .selector import DEFAULT_SELECTOR_PROMPT, SelectorGroupChat
from .stop import Stop
from .swarm import Swarm

__all__ = [
    "BaseGroupChat",
    "CANCELLED_REASON",
    "DEFAULT_SELECTOR_PROMPT",
    "DiGraph",
    "DiGraphEdge",
    "DiGraphNode",
    "GRAPH_COMPLETE",
    "GraphFlow",
    "RoundRobinGroupChat",
    "SelectorGroupChat",
    "Stop",
    "Swarm",
]
