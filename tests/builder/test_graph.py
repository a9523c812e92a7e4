"""GraphFlow editing: edges, their conditions and activation, the start node."""

from __future__ import annotations

import pytest

from studio.builder import (
    ActionRefused,
    AddEdge,
    AddParticipant,
    AutoLayout,
    DeleteEdge,
    DeleteNode,
    Draft,
    MoveNode,
    SetField,
    SetStartNode,
    UpdateEdge,
)

from .conftest import agent, errors


def edges_of(draft: Draft) -> list[tuple[str, str, str | None]]:
    return [(source, e["target"], e.get("condition"))
            for source, node in draft.component["config"]["graph"]["nodes"].items() for e in node["edges"]]


def refused(action: object, draft: Draft) -> str:
    with pytest.raises(ActionRefused) as info:
        action.apply(draft)  # type: ignore[attr-defined]
    return info.value.reason


def test_add_update_and_delete_edges(graph: Draft) -> None:
    d = AddEdge(source="critic", target="writer", condition="REJECT").apply(graph)
    assert edges_of(d) == [("writer", "critic", None), ("critic", "writer", "REJECT")]
    assert d.component["config"]["graph"]["nodes"]["critic"]["edges"][0] == {
        "target": "writer", "condition": "REJECT", "activation_group": "writer", "activation_condition": "all"}
    d = UpdateEdge(edge="edge:critic->writer", activation_condition="any").apply(d)
    edge = d.component["config"]["graph"]["nodes"]["critic"]["edges"][0]
    assert (edge["condition"], edge["activation_condition"]) == ("REJECT", "any")
    d = UpdateEdge(edge="edge:critic->writer", condition="AGAIN").apply(d)
    assert edges_of(d)[1] == ("critic", "writer", "AGAIN")
    d = SetField(node="edge:critic->writer", path="condition", value=None).apply(d)
    assert edges_of(d)[1] == ("critic", "writer", None)
    d = DeleteEdge(edge="edge:critic->writer").apply(d)
    assert edges_of(d) == [("writer", "critic", None)]
    assert d.dropped == ("edge critic -> writer",)


def test_update_edge_target_moves_its_layout(graph: Draft) -> None:
    d = AddParticipant(component=agent("editor")).apply(graph)
    d = MoveNode(node="agent:editor", x=1, y=1).apply(d)
    d.layout["nodes"]["edge:writer->critic"] = {"x": 3, "y": 3}  # a label position, say
    d = UpdateEdge(edge="edge:writer->critic", target="editor").apply(d)
    assert edges_of(d) == [("writer", "editor", None)]
    assert d.component["config"]["graph"]["nodes"]["writer"]["edges"][0]["activation_group"] == "editor"
    assert d.layout["nodes"]["edge:writer->editor"] == {"x": 3, "y": 3}


def test_edge_refusals(graph: Draft, round_robin: Draft) -> None:
    assert refused(AddEdge(source="writer", target="critic"), graph) == "There is already an edge writer -> critic."
    assert refused(AddEdge(source="writer", target="ghost"), graph) == "There is no agent named 'ghost'."
    assert refused(AddEdge(source="writer", target="critic"), round_robin) == \
        "Only a GraphFlow team has edges; switch the team to a graph first."
    assert refused(UpdateEdge(edge="edge:critic->writer", condition="x"), graph) == \
        "There is no edge critic -> writer."
    assert refused(DeleteEdge(edge="agent:writer"), graph) == "'agent:writer' is not an edge."
    assert refused(SetField(node="edge:writer->critic", path="config.x", value=1), graph).startswith(
        "An edge has the fields")


def test_delete_node_on_an_edge(graph: Draft) -> None:
    assert edges_of(DeleteNode(node="edge:writer->critic").apply(graph)) == []


def test_set_start_node(graph: Draft) -> None:
    d = SetStartNode(name="critic").apply(graph)
    assert d.component["config"]["graph"]["default_start_node"] == "critic"
    d = SetStartNode(name=None).apply(d)
    assert "default_start_node" not in d.component["config"]["graph"]  # null: AutoGen leaves it out
    assert errors(d.component) == []
    assert refused(SetStartNode(name="ghost"), graph) == "There is no agent named 'ghost'."


def test_mixed_conditional_edges_are_reported_not_refused(graph: Draft) -> None:
    d = AddParticipant(component=agent("editor")).apply(graph)
    d = AddEdge(source="writer", target="editor", condition="EDIT").apply(d)
    assert [e.split(":")[0] for e in errors(d.component)] == ["config.graph.nodes.writer.edges"]


def test_no_action_changes_its_input(graph: Draft) -> None:
    import copy

    from studio.builder import (
        AddTool,
        DuplicateNode,
        Rename,
        ReplaceComponent,
        SetModel,
        SetTermination,
        SwitchTeamType,
        parse_action,
    )

    from .conftest import template

    actions = [
        AddParticipant(component=agent("editor")), AddEdge(source="critic", target="writer", condition="NO"),
        UpdateEdge(edge="edge:writer->critic", condition=None, activation_condition="any"),
        DeleteEdge(edge="edge:writer->critic"), SetStartNode(name="critic"), AutoLayout(),
        MoveNode(node="team", x=1, y=2), DeleteNode(node="agent:writer"), DuplicateNode(node="agent:critic"),
        Rename(node="agent:writer", new_name="author"), SetField(node="agent:writer", path="config.x.y", value=1),
        SetModel(target="agent:writer", component=template("builtin:model:replay")),
        AddTool(target="agent:critic", component=template("builtin:tool:function")),
        SetTermination(component=template("builtin:termination:timeout"), combine="and"),
        SwitchTeamType(provider="Swarm", confirm=True), ReplaceComponent(component=template("builtin:team:swarm")),
    ]
    before = copy.deepcopy((graph.component, graph.layout))
    for action in actions:
        after = action.apply(graph)
        assert (graph.component, graph.layout) == before, action.type
        assert after.component is not graph.component
        assert parse_action(action.model_dump()) == action  # every action reads back from its JSON
