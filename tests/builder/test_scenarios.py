"""The issue's two browser scenarios, built purely through actions: the exported JSON validates,
loads with `load_component` and runs (on replay clients). tests/compat runs the same teams in AutoGen."""

from __future__ import annotations

from typing import Any

from studio.builder import (
    AddEdge,
    AddParticipant,
    AddTool,
    AutoLayout,
    DeleteNode,
    Draft,
    Rename,
    SetField,
    SetModel,
    SetStartNode,
    SetTermination,
    SwitchTeamType,
)
from studio.builder.draft import agent_names
from studio.components import load_component, validate_component
from studio.services.teams import empty_team_component

from .conftest import template


def replay(*replies: str) -> dict[str, Any]:
    model = template("builtin:model:replay")
    model["config"]["chat_completions"] = list(replies)
    return model


def build(draft: Draft, *actions: Any) -> Draft:
    for action in actions:
        draft = action.apply(draft)
    return draft


def assert_valid(component: dict[str, Any]) -> None:
    assert [str(p) for p in validate_component(component, kind="team") if p.severity == "error"] == []


def haiku_team() -> Draft:
    """Two agents in a round robin, a model each, a tool, TERMINATE mentioned OR a message limit."""
    assistant = template("builtin:agent:assistant")
    return build(
        Draft(empty_team_component("Haiku team")),
        DeleteNode(node="agent:assistant"),
        AddParticipant(component=assistant),
        Rename(node="agent:assistant", new_name="writer"),
        AddParticipant(component=assistant),
        Rename(node="agent:assistant", new_name="critic"),
        SetModel(target="agent:writer", component=replay("A haiku about the sea.")),
        SetModel(target="agent:critic", component=replay("Lovely. TERMINATE")),
        AddTool(target="agent:writer", component=template("builtin:tool:function")),
        SetField(node="agent:writer", path="config.system_message", value="You write haiku."),
        SetTermination(component=template("builtin:termination:text-mention")),
        SetTermination(component=template("builtin:termination:max-message"), combine="or"),
        AutoLayout(),
    )


def review_loop() -> Draft:
    """A GraphFlow: writer -> reviewer, back to the writer on REJECT, on to the publisher on APPROVE."""
    assistant = template("builtin:agent:assistant")
    return build(
        Draft(empty_team_component("Review loop")),
        SwitchTeamType(provider="autogen_agentchat.teams.GraphFlow"),
        Rename(node="agent:assistant", new_name="writer"),
        AddParticipant(component=assistant),
        Rename(node="agent:assistant", new_name="reviewer"),
        AddParticipant(component=assistant),
        Rename(node="agent:assistant", new_name="publisher"),
        SetModel(target="agent:writer", component=replay("first draft", "second draft")),
        SetModel(target="agent:reviewer", component=replay("REJECT: too short", "APPROVE: good")),
        SetModel(target="agent:publisher", component=replay("Published.")),
        AddEdge(source="writer", target="reviewer"),
        AddEdge(source="reviewer", target="writer", condition="REJECT"),
        AddEdge(source="reviewer", target="publisher", condition="APPROVE"),
        SetStartNode(name="writer"),
        AutoLayout(),
    )


async def test_two_agent_round_robin_with_a_model_a_tool_and_text_mention_or_max_message() -> None:
    draft = haiku_team()
    component = draft.component
    assert agent_names(component) == ["writer", "critic"]
    assert component["config"]["termination_condition"]["provider"] == "autogen_agentchat.base.OrTerminationCondition"
    assert "nodes" not in component and set(draft.layout["nodes"]) == {"team", "agent:writer", "agent:critic"}
    assert_valid(component)
    team = load_component(component)
    result = await team.run(task="Write a haiku about the sea")
    assert [m.source for m in result.messages] == ["user", "writer", "critic"]
    assert "TERMINATE" in result.stop_reason


async def test_graph_flow_review_loop() -> None:
    draft = review_loop()
    graph = draft.component["config"]["graph"]
    assert {k: [(e["target"], e.get("condition")) for e in n["edges"]] for k, n in graph["nodes"].items()} == {
        "writer": [("reviewer", None)],
        "reviewer": [("writer", "REJECT"), ("publisher", "APPROVE")],
        "publisher": [],
    }
    nodes = draft.layout["nodes"]
    assert nodes["agent:writer"]["y"] < nodes["agent:reviewer"]["y"] < nodes["agent:publisher"]["y"]  # layers, top down
    assert_valid(draft.component)
    team = load_component(draft.component)
    result = await team.run(task="Write a slogan")
    assert [m.source for m in result.messages] == ["user", "writer", "reviewer", "writer", "reviewer", "publisher"]
