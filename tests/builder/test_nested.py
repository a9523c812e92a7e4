"""Nested nodes (an agent's model and tools, a selector's model), termination parts, and the team
name following a type switch."""

from __future__ import annotations

import pytest

from studio.builder import (
    AddTool,
    DeleteNode,
    Draft,
    RemoveTerminationPart,
    SetField,
    SetModel,
    SwitchTeamType,
    parse_action,
)

from .conftest import errors, handoff, template
from .test_actions import apply, refused

SELECTOR = "autogen_agentchat.teams.SelectorGroupChat"
GRAPH = "autogen_agentchat.teams.GraphFlow"


def _writer(draft: Draft) -> dict:
    return draft.component["config"]["participants"][0]


def _with_two_tools(draft: Draft) -> Draft:
    d = apply(AddTool(target="agent:writer", component=template("builtin:tool:function")), draft)
    return apply(AddTool(target="agent:writer", component=template("builtin:tool:function")), d)


def _tool_names(draft: Draft) -> list[str]:
    return [t["config"]["name"] for t in _writer(draft)["config"]["workbench"][0]["config"]["tools"]]


def test_set_field_on_an_agents_model_edits_that_model(round_robin: Draft) -> None:
    d = apply(SetField(node="agent:writer/model", path="config.model", value="gpt-4.1"), round_robin)
    assert _writer(d)["config"]["model_client"]["config"]["model"] == "gpt-4.1"
    assert d.component["config"]["participants"][1] == round_robin.component["config"]["participants"][1]
    assert "nothing at" in refused(SetField(node="agent:nobody/model", path="config.model", value="x"), round_robin)


def test_rename_a_tool_keeps_names_unique_within_the_agent(round_robin: Draft) -> None:
    d = _with_two_tools(round_robin)
    first, second = _tool_names(d)
    reason = refused(SetField(node=f"agent:writer/tool:{second}", path="config.name", value=first), d)
    assert repr(first) in reason and "unique" in reason
    d = apply(SetField(node=f"agent:writer/tool:{second}", path="config.name", value="lookup"), d)
    assert _tool_names(d) == [first, "lookup"]
    assert "not a valid tool name" in refused(SetField(node="agent:writer/tool:lookup", path="config.name",
                                                       value="two words"), d)


def test_delete_model_tool_and_selector_model_nodes(round_robin: Draft) -> None:
    d = _with_two_tools(round_robin)
    first, second = _tool_names(d)
    d = apply(DeleteNode(node=f"agent:writer/tool:{first}"), d)
    assert _tool_names(d) == [second]
    d = apply(DeleteNode(node="agent:writer/model"), d)
    assert "model_client" not in _writer(d)["config"] and d.dropped == ("the model of writer",)
    assert any("model_client" in e for e in errors(d.component))  # the Validation region says so
    assert "no model" in refused(DeleteNode(node="agent:writer/model"), d)
    selector = Draft(template("builtin:team:selector"))
    d = apply(DeleteNode(node="team/model"), selector)
    assert "model_client" not in d.component["config"]


def test_a_model_dropped_on_a_model_node_replaces_it(round_robin: Draft) -> None:
    ollama = template("builtin:model:ollama")
    d = apply(SetModel(target="agent:writer/model", component=ollama), round_robin)
    assert _writer(d)["config"]["model_client"] == ollama
    selector = Draft(template("builtin:team:selector"))
    d = apply(parse_action({"type": "set_model", "target": "team/model", "component": ollama}), selector)
    assert d.component["config"]["model_client"] == ollama


def test_a_tool_dropped_on_a_tool_node_joins_its_agent(round_robin: Draft) -> None:
    d = _with_two_tools(round_robin)
    d = apply(AddTool(target=f"agent:writer/tool:{_tool_names(d)[0]}", component=template("builtin:tool:function")), d)
    assert len(_tool_names(d)) == 3 and len(set(_tool_names(d))) == 3


def test_remove_one_part_of_an_or_termination(round_robin: Draft) -> None:
    condition = round_robin.component["config"]["termination_condition"]
    assert condition["provider"].endswith("OrTerminationCondition")
    parts = condition["config"]["conditions"]
    three = Draft({**round_robin.component, "config": {**round_robin.component["config"], "termination_condition": {
        **condition, "config": {"conditions": [*parts, template("builtin:termination:stop-message")]}}}})
    d = apply(RemoveTerminationPart(index=0), three)
    assert d.component["config"]["termination_condition"]["config"]["conditions"][0] == parts[1]
    d = apply(RemoveTerminationPart(index=1), d)  # one part left: it replaces the OR
    assert d.component["config"]["termination_condition"] == parts[1]
    assert "not an OR / AND" in refused(RemoveTerminationPart(index=0), d)
    assert "no part 5" in refused(RemoveTerminationPart(index=4), three)


@pytest.mark.parametrize("target", [SELECTOR, GRAPH])
def test_switching_type_moves_a_default_name_along(round_robin: Draft, target: str) -> None:
    round_robin.component["config"]["name"] = "RoundRobinGroupChat"
    d = apply(SwitchTeamType(provider=target, confirm=True), round_robin)
    assert d.component["config"]["name"] == target.rsplit(".", 1)[-1]


def test_switching_type_keeps_a_chosen_name(round_robin: Draft) -> None:
    round_robin.component["config"]["name"] = "trip_planners"
    d = apply(SwitchTeamType(provider=SELECTOR, confirm=True), round_robin)
    assert d.component["config"]["name"] == "trip_planners"


def test_switching_to_a_swarm_gives_assistants_handoffs_to_each_other() -> None:
    from studio.builder import SwitchTeamType
    from studio.components import validate_component

    from .test_scenarios import haiku_team

    draft = SwitchTeamType(provider="autogen_agentchat.teams.Swarm", confirm=True).apply(haiku_team())
    assert [a["config"]["handoffs"] for a in draft.component["config"]["participants"]] == [
        [handoff("critic")], [handoff("writer")]]
    assert [p for p in validate_component(draft.component, kind="team") if p.severity == "error"] == []
