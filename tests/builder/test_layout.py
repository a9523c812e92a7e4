"""Node positions (builder/layout.py): a graph in layers from its start node, the other team types in a row."""

from __future__ import annotations

from studio.builder import AddEdge, AddParticipant, AutoLayout, Draft, SetStartNode
from studio.builder.layout import graph_layers

from .conftest import agent


def test_auto_layout_puts_a_round_robin_in_a_row(round_robin: Draft) -> None:
    nodes = AutoLayout().apply(round_robin).layout["nodes"]
    assert nodes["agent:writer"]["y"] == nodes["agent:critic"]["y"]
    assert nodes["agent:writer"]["x"] < nodes["agent:critic"]["x"]
    assert "team" in nodes


def test_auto_layout_layers_a_loop_from_the_start_node(graph: Draft) -> None:
    d = AddParticipant(component=agent("editor")).apply(graph)
    d = AddParticipant(component=agent("loner")).apply(d)
    d = AddEdge(source="critic", target="writer", condition="REJECT").apply(d)
    d = AddEdge(source="critic", target="editor", condition="APPROVE").apply(d)
    assert graph_layers(d.component) == [["writer"], ["critic"], ["editor"], ["loner"]]
    nodes = AutoLayout().apply(d).layout["nodes"]
    ys = [nodes[f"agent:{n}"]["y"] for n in ("writer", "critic", "editor", "loner")]
    assert ys == sorted(ys) and len(set(ys)) == 4  # one layer under the other


def test_auto_layout_fans_out_in_one_layer_centred_under_its_source(graph: Draft) -> None:
    d = AddParticipant(component=agent("editor")).apply(graph)
    d = AddEdge(source="writer", target="editor").apply(d)
    d = SetStartNode(name=None).apply(d)
    assert graph_layers(d.component) == [["writer"], ["critic", "editor"]]
    nodes = AutoLayout().apply(d).layout["nodes"]
    assert nodes["agent:critic"]["y"] == nodes["agent:editor"]["y"] > nodes["agent:writer"]["y"]
    assert nodes["agent:critic"]["x"] < nodes["agent:writer"]["x"] < nodes["agent:editor"]["x"]


def test_auto_layout_of_a_cycle_without_start(graph: Draft) -> None:
    d = AddEdge(source="critic", target="writer", condition="AGAIN").apply(SetStartNode(name=None).apply(graph))
    assert graph_layers(d.component) == [["writer"], ["critic"]]
