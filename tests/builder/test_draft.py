"""Drafts, node ids, and mapping a problem's JSON path to the node it concerns."""

from __future__ import annotations

from studio.builder import Draft, agent_node, edge_node, node_for_path, nodes_of, parse_node
from studio.builder.draft import split_path


def test_node_ids_round_trip() -> None:
    assert parse_node("team") == ("team",)
    assert parse_node("termination") == ("termination",)
    assert parse_node(agent_node("writer")) == ("agent", "writer")
    assert parse_node(edge_node("writer", "critic")) == ("edge", "writer", "critic")
    assert parse_node("agent:") == () and parse_node("edge:a") == () and parse_node("x") == ()


def test_split_path() -> None:
    assert split_path('config.participants[1].config["a b"]') == ["config", "participants", 1, "config", "a b"]


def test_nodes_of_lists_team_termination_agents_and_edges(graph: Draft, round_robin: Draft) -> None:
    assert nodes_of(graph) == ["team", "termination", "agent:writer", "agent:critic", "edge:writer->critic"]
    assert nodes_of(round_robin) == ["team", "termination", "agent:writer", "agent:critic"]


def test_node_for_path(graph: Draft) -> None:
    c = graph.component
    assert node_for_path(c, "config.participants[1].config.model_client") == "agent:critic"
    assert node_for_path(c, "config.participants[0]") == "agent:writer"
    assert node_for_path(c, "config.participants[7].config") == "team"
    assert node_for_path(c, "config.participants") == "team"
    assert node_for_path(c, "config.termination_condition.config.conditions[0].config.text") == "termination"
    assert node_for_path(c, "config.graph.nodes.writer.edges[0].target") == "edge:writer->critic"
    assert node_for_path(c, "config.graph.nodes.writer.edges[5]") == "agent:writer"
    assert node_for_path(c, "config.graph.nodes.critic") == "agent:critic"
    assert node_for_path(c, 'config.graph.nodes["odd name"]') == "agent:odd name"
    assert node_for_path(c, "config.graph") == "team"
    assert node_for_path(c, "") == "team"
    assert node_for_path(c, "config..bad[") == "team"


def test_snapshot_is_a_deep_copy(round_robin: Draft) -> None:
    snapshot = round_robin.snapshot()
    snapshot["component"]["config"]["participants"].clear()
    assert len(round_robin.component["config"]["participants"]) == 2
    again = Draft.from_snapshot({"component": round_robin.component})
    assert again.layout == {"nodes": {}} and again.component == round_robin.component
