import pytest

from studio.runtime.conditions import MaxMessageTermination, TextMentionTermination
from studio.runtime.teams import GRAPH_COMPLETE, DiGraph, GraphFlow

from ..helpers import agent, run


def graph(edges: dict[str, list], start: str | None = None, activation: dict[str, str] | None = None) -> DiGraph:
    nodes = {}
    for name, targets in edges.items():
        out = [t if isinstance(t, dict) else {"target": t} for t in targets]
        nodes[name] = {"name": name, "edges": out, "activation": (activation or {}).get(name, "all")}
    return DiGraph.model_validate({"nodes": nodes, "default_start_node": start})


async def test_a_sequential_pipeline_runs_each_node_once_then_completes():
    team = GraphFlow(
        [agent("draft", "d"), agent("edit", "e"), agent("publish", "p")],
        graph({"draft": ["edit"], "edit": ["publish"], "publish": []}),
    )
    items, result = await run(team)
    assert [i.source for i in items] == ["user", "draft", "edit", "publish"]
    assert result.stop_reason == GRAPH_COMPLETE


async def test_a_conditional_loop_follows_the_edge_whose_text_appears():
    g = graph(
        {
            "writer": ["reviewer"],
            "reviewer": [{"target": "writer", "condition": "REJECT"}, {"target": "done", "condition": "APPROVE"}],
            "done": [],
        },
        start="writer",
    )
    team = GraphFlow(
        [agent("writer", "v1", "v2"), agent("reviewer", "REJECT: too short", "APPROVE"), agent("done", "shipped")],
        g,
        termination_condition=MaxMessageTermination(20),
    )
    items, result = await run(team)
    assert [(i.source, i.content) for i in items[1:]] == [
        ("writer", "v1"), ("reviewer", "REJECT: too short"), ("writer", "v2"), ("reviewer", "APPROVE"), ("done", "shipped"),
    ]
    assert result.stop_reason == GRAPH_COMPLETE


async def test_fan_out_runs_branches_together_and_fan_in_waits_for_all():
    team = GraphFlow(
        [agent("split", "s"), agent("left", "l"), agent("right", "r"), agent("join", "j")],
        graph({"split": ["left", "right"], "left": ["join"], "right": ["join"], "join": []}),
    )
    items, result = await run(team)
    sources = [i.source for i in items]
    assert sources[:2] == ["user", "split"]
    assert sorted(sources[2:4]) == ["left", "right"]
    assert sources[4:] == ["join"]
    assert result.stop_reason == GRAPH_COMPLETE


async def test_fan_in_with_any_activation_runs_on_the_first_branch():
    edges = {
        "split": ["left", "right"],
        "left": [{"target": "join", "activation_condition": "any"}],
        "right": [{"target": "join", "activation_condition": "any"}],
        "join": [],
    }
    team = GraphFlow(
        [agent("split", "s"), agent("left", "l"), agent("right", "r"), agent("join", "j")],
        graph(edges),
    )
    items, _ = await run(team)
    assert [i.source for i in items].count("join") == 1


async def test_a_termination_condition_bounds_a_loop_and_the_graph_can_continue():
    g = graph({"a": ["b"], "b": [{"target": "a", "condition": "again"}, {"target": "end", "condition": "stop"}], "end": []}, start="a")
    team = GraphFlow(
        [agent("a", "a1", "a2"), agent("b", "again", "stop"), agent("end", "bye")],
        g,
        termination_condition=TextMentionTermination("again"),
    )
    items, result = await run(team)
    assert result.stop_reason == "Text 'again' mentioned"
    items, result = await run(team, "resume")
    assert [i.source for i in items] == ["user", "a", "b", "end"]
    assert result.stop_reason == GRAPH_COMPLETE


def test_invalid_graphs_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="unknown node 'ghost'"):
        GraphFlow([agent("a", "x")], graph({"a": ["ghost"]}))
    with pytest.raises(ValueError, match="start node"):
        GraphFlow([agent("a", "x"), agent("b", "y")], graph({"a": [{"target": "b", "condition": "x"}], "b": ["a"]}))
    with pytest.raises(ValueError, match="termination condition is required"):
        GraphFlow(
            [agent("a", "x"), agent("b", "y"), agent("c", "z")],
            graph({"a": ["b"], "b": [{"target": "a", "condition": "x"}, {"target": "c", "condition": "y"}], "c": []}, start="a"),
        )
