"""Drafts, what node ids name in them, and mapping a problem's JSON path to the node it concerns."""

from __future__ import annotations

from studio.builder import TEAM, Draft, NodeId, node_for_path, nodes_of
from studio.builder.draft import component_at, nested_at, node_at_path, split_path

from .conftest import template


def test_split_path() -> None:
    assert split_path('config.participants[1].config["a b"]') == ["config", "participants", 1, "config", "a b"]


def test_nodes_of_lists_team_termination_agents_and_edges(graph: Draft, round_robin: Draft) -> None:
    assert [str(n) for n in nodes_of(graph)] == ["team", "termination", "agent:writer", "agent:writer/model",
                                                 "agent:critic", "agent:critic/model", "edge:writer->critic"]
    assert nodes_of(round_robin) == [TEAM, NodeId.termination(), NodeId.agent("writer"), NodeId.model("writer"),
                                     NodeId.agent("critic"), NodeId.model("critic")]


def test_nested_nodes_name_models_and_tools(round_robin: Draft) -> None:
    c = round_robin.component
    writer = c["config"]["participants"][0]
    writer["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticWorkbench", "component_type": "workbench",
                                      "config": {"tools": [template("builtin:tool:function")]}}]
    tool = writer["config"]["workbench"][0]["config"]["tools"][0]
    name = tool["config"]["name"]
    assert NodeId.tool("writer", name) in nodes_of(round_robin)
    assert nested_at(c, NodeId.tool("writer", name)) is tool
    assert nested_at(c, NodeId.model("writer")) is writer["config"]["model_client"]
    assert nested_at(c, NodeId.tool("writer", "nope")) is None and nested_at(c, NodeId.team_model()) is None
    path = "config.participants[0].config.workbench[0].config.tools[0].config.source_code"
    assert node_for_path(c, path) == NodeId.tool("writer", name)
    selector = Draft(template("builtin:team:selector")).component
    assert node_for_path(selector, "config.model_client.config.model") == NodeId.team_model()
    assert nested_at(selector, NodeId.team_model()) is selector["config"]["model_client"]


def test_node_for_path(graph: Draft) -> None:
    c = graph.component
    assert str(node_for_path(c, "config.participants[1].config.model_client")) == "agent:critic/model"
    assert str(node_for_path(c, "config.participants[0].config.model_client.config.model")) == "agent:writer/model"
    assert str(node_for_path(c, "config.participants[1].config.system_message")) == "agent:critic"
    assert str(node_for_path(c, "config.participants[0]")) == "agent:writer"
    assert str(node_for_path(c, "config.participants[7].config")) == "team"
    assert str(node_for_path(c, "config.participants")) == "team"
    assert str(node_for_path(c, "config.termination_condition.config.conditions[0].config.text")) == "termination"
    assert str(node_for_path(c, "config.graph.nodes.writer.edges[0].target")) == "edge:writer->critic"
    assert str(node_for_path(c, "config.graph.nodes.writer.edges[5]")) == "agent:writer"
    assert str(node_for_path(c, "config.graph.nodes.critic")) == "agent:critic"
    assert str(node_for_path(c, 'config.graph.nodes["odd name"]')) == "agent:odd name"
    assert str(node_for_path(c, "config.graph")) == "team"
    assert str(node_for_path(c, "")) == "team"
    assert str(node_for_path(c, "config..bad[")) == "team"


def test_snapshot_is_a_deep_copy(round_robin: Draft) -> None:
    snapshot = round_robin.snapshot()
    snapshot["component"]["config"]["participants"].clear()
    assert len(round_robin.component["config"]["participants"]) == 2
    again = Draft.from_snapshot({"component": round_robin.component})
    assert again.layout == {"nodes": {}} and again.component == round_robin.component


def test_component_at_finds_edges_and_node_at_path_names_what_has_no_id_of_its_own(graph: Draft) -> None:
    c = graph.component
    edge = component_at(c, NodeId.edge("writer", "critic"))
    assert edge is not None and edge["target"] == "critic"
    assert component_at(c, NodeId.edge("critic", "writer")) is None
    assert component_at(c, NodeId.agent("critic")) is c["config"]["participants"][1]
    assert node_at_path(c, "") == TEAM
    assert node_at_path(c, "config.participants[0]") == NodeId.agent("writer")
    path = "config.participants[0].config.system_message"
    assert node_at_path(c, path) == NodeId.at(path)
    assert nested_at(c, NodeId.at("config.participants[0].config")) is c["config"]["participants"][0]["config"]
