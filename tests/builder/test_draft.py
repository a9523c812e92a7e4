"""Drafts, node ids, and mapping a problem's JSON path to the node it concerns."""

from __future__ import annotations

from studio.builder import (
    Draft,
    agent_node,
    edge_node,
    model_node,
    node_for_path,
    nodes_of,
    parse_node,
    tool_node,
)
from studio.builder.draft import nested_at, owner_node, renamed_node, split_path

from .conftest import template


def test_node_ids_round_trip() -> None:
    assert parse_node("team") == ("team",)
    assert parse_node("termination") == ("termination",)
    assert parse_node(agent_node("writer")) == ("agent", "writer")
    assert parse_node(edge_node("writer", "critic")) == ("edge", "writer", "critic")
    assert parse_node("agent:") == () and parse_node("edge:a") == () and parse_node("x") == ()
    assert parse_node(model_node("writer")) == ("model", "writer")
    assert parse_node(tool_node("writer", "search")) == ("tool", "writer", "search")
    assert parse_node("team/model") == ("team_model",)
    assert parse_node("agent:writer/tool:") == () and parse_node("agent:writer/other") == ()
    assert owner_node("agent:writer/tool:search") == "agent:writer" and owner_node("team/model") == "team"
    assert renamed_node("agent:writer/tool:search", "lookup") == "agent:writer/tool:lookup"
    assert renamed_node("agent:writer", "author") == "agent:author"


def test_split_path() -> None:
    assert split_path('config.participants[1].config["a b"]') == ["config", "participants", 1, "config", "a b"]


def test_nodes_of_lists_team_termination_agents_and_edges(graph: Draft, round_robin: Draft) -> None:
    assert nodes_of(graph) == ["team", "termination", "agent:writer", "agent:writer/model", "agent:critic",
                               "agent:critic/model", "edge:writer->critic"]
    assert nodes_of(round_robin) == ["team", "termination", "agent:writer", "agent:writer/model", "agent:critic",
                                     "agent:critic/model"]


def test_nested_nodes_name_models_and_tools(round_robin: Draft) -> None:
    c = round_robin.component
    writer = c["config"]["participants"][0]
    writer["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticWorkbench", "component_type": "workbench",
                                      "config": {"tools": [template("builtin:tool:function")]}}]
    tool = writer["config"]["workbench"][0]["config"]["tools"][0]
    name = tool["config"]["name"]
    assert tool_node("writer", name) in nodes_of(round_robin)
    assert nested_at(c, tool_node("writer", name)) is tool
    assert nested_at(c, model_node("writer")) is writer["config"]["model_client"]
    assert nested_at(c, tool_node("writer", "nope")) is None and nested_at(c, "team/model") is None
    path = "config.participants[0].config.workbench[0].config.tools[0].config.source_code"
    assert node_for_path(c, path) == tool_node("writer", name)
    selector = Draft(template("builtin:team:selector")).component
    assert node_for_path(selector, "config.model_client.config.model") == "team/model"
    assert nested_at(selector, "team/model") is selector["config"]["model_client"]


def test_node_for_path(graph: Draft) -> None:
    c = graph.component
    assert node_for_path(c, "config.participants[1].config.model_client") == "agent:critic/model"
    assert node_for_path(c, "config.participants[0].config.model_client.config.model") == "agent:writer/model"
    assert node_for_path(c, "config.participants[1].config.system_message") == "agent:critic"
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
