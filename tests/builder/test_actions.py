"""Every editing action: what it changes, what it refuses and why, and that its input never changes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from studio.builder import (
    ActionRefused,
    AddParticipant,
    AddTool,
    AddWorkbench,
    AutoLayout,
    DeleteNode,
    Draft,
    DuplicateNode,
    MoveNode,
    MoveParticipant,
    NeedsConfirmation,
    RemoveTool,
    Rename,
    ReplaceComponent,
    SetField,
    SetModel,
    SetTermination,
    SwitchTeamType,
    parse_action,
)
from studio.builder.draft import agent_names

from .conftest import agent, errors, handoff, template


def apply(action: Any, draft: Draft) -> Draft:
    """Apply, checking the input draft is left exactly as it was."""
    before = copy.deepcopy((draft.component, draft.layout))
    try:
        return action.apply(draft)
    finally:
        assert (draft.component, draft.layout) == before


def refused(action: Any, draft: Draft) -> str:
    before = copy.deepcopy((draft.component, draft.layout))
    with pytest.raises(ActionRefused) as info:
        action.apply(draft)
    assert (draft.component, draft.layout) == before
    return info.value.reason


def agents(draft: Draft) -> list[dict[str, Any]]:
    return draft.component["config"]["participants"]


# --- participants -------------------------------------------------------------------------------


def test_add_participant_makes_names_unique(round_robin: Draft) -> None:
    d = apply(AddParticipant(component=agent("writer")), round_robin)
    d = apply(AddParticipant(component=agent("writer"), index=0), d)
    assert agent_names(d.component) == ["writer_3", "writer", "critic", "writer_2"]
    assert errors(d.component) == []


def test_add_participant_refuses_what_is_not_an_agent(round_robin: Draft) -> None:
    assert refused(AddParticipant(component=template("builtin:model:openai")), round_robin) == \
        "A model can't join the team: drop an agent."
    assert refused(AddParticipant(component={"x": 1}), round_robin) == "This component can't join the team: drop an agent."


def test_add_participant_to_a_graph_adds_its_node(graph: Draft) -> None:
    d = apply(AddParticipant(component=agent("editor")), graph)
    assert d.component["config"]["graph"]["nodes"]["editor"] == {"name": "editor", "edges": [], "activation": "all"}


def test_move_participant(round_robin: Draft) -> None:
    d = apply(MoveParticipant(name="critic", index=0), round_robin)
    assert agent_names(d.component) == ["critic", "writer"]
    assert refused(MoveParticipant(name="critic", index=5), round_robin).startswith("Position 5 is outside")
    assert refused(MoveParticipant(name="nobody", index=0), round_robin) == "There is no agent named 'nobody'."


# --- models, tools, terminations ----------------------------------------------------------------


def test_set_model_on_an_agent(round_robin: Draft) -> None:
    model = template("builtin:model:ollama")
    d = apply(SetModel(target="agent:critic", component=model), round_robin)
    assert agents(d)[1]["config"]["model_client"] == model
    assert errors(d.component) == []


def test_set_model_refusals(round_robin: Draft) -> None:
    model = template("builtin:model:openai")
    assert refused(SetModel(target="termination", component=model), round_robin) == \
        "A model can't be dropped onto a termination."
    assert refused(SetModel(target="team", component=model), round_robin) == \
        "Only a selector team uses a model; drop the model onto an agent."
    assert refused(SetModel(target="agent:writer", component=template("builtin:tool:function")), round_robin) == \
        "A tool can't go here: this needs a model."
    d = apply(AddParticipant(component=template("builtin:agent:user-proxy")), round_robin)
    assert refused(SetModel(target="agent:user", component=model), d) == "user is a user proxy: it has no model."


def test_set_model_on_a_selector_team(round_robin: Draft) -> None:
    selector = Draft(template("builtin:team:selector"))
    model = template("builtin:model:azure")
    assert apply(SetModel(target="team", component=model), selector).component["config"]["model_client"] == model


def test_add_tool_goes_into_the_agents_workbench_and_keeps_names_unique(round_robin: Draft) -> None:
    tool = template("builtin:tool:function")
    d = apply(AddTool(target="agent:writer", component=tool), round_robin)
    d = apply(AddTool(target="agent:writer", component=tool), d)
    benches = agents(d)[0]["config"]["workbench"]
    assert [b["provider"] for b in benches] == ["autogen_core.tools.StaticStreamWorkbench"]  # the one it always has
    assert [t["config"]["name"] for t in benches[0]["config"]["tools"]] == ["get_weather", "get_weather_2"]
    assert errors(d.component) == []
    d = apply(RemoveTool(target="agent:writer", name="get_weather"), d)
    assert [t["config"]["name"] for t in agents(d)[0]["config"]["workbench"][0]["config"]["tools"]] == \
        ["get_weather_2"]
    assert refused(RemoveTool(target="agent:writer", name="nope"), d) == "writer has no tool named 'nope'."


def test_add_tool_refusals(round_robin: Draft) -> None:
    tool = template("builtin:tool:function")
    assert refused(AddTool(target="team", component=tool), round_robin) == "A tool can't be dropped onto the team."
    d = apply(AddParticipant(component=template("builtin:agent:user-proxy")), round_robin)
    assert refused(AddTool(target="agent:user", component=tool), d) == "Only an assistant agent uses tools; user can't."


def test_add_workbench_puts_an_mcp_server_beside_the_agents_tools(round_robin: Draft) -> None:
    mcp = template("builtin:workbench:mcp")
    d = apply(AddWorkbench(target="agent:writer", component=mcp), round_robin)
    benches = agents(d)[0]["config"]["workbench"]
    assert [b["provider"] for b in benches] == ["autogen_core.tools.StaticStreamWorkbench",
                                                "autogen_ext.tools.mcp.McpWorkbench"]
    assert errors(d.component) == []
    d = apply(AddTool(target="agent:writer", component=template("builtin:tool:function")), d)
    benches = agents(d)[0]["config"]["workbench"]
    assert len(benches[0]["config"]["tools"]) == 1 and "tools" not in benches[1]["config"]  # the static one's
    assert refused(AddWorkbench(target="team", component=mcp), d) == "A workbench can't be dropped onto the team."
    assert refused(AddWorkbench(target="agent:writer", component=template("builtin:tool:function")), d) == \
        "A tool can't go here: this needs a workbench."


def test_a_tool_added_to_an_agent_with_only_an_mcp_workbench_gets_a_static_one(round_robin: Draft) -> None:
    d = copy.deepcopy(round_robin)
    agents(d)[0]["config"]["workbench"] = [template("builtin:workbench:mcp")]
    d = apply(AddTool(target="agent:writer", component=template("builtin:tool:function")), d)
    benches = agents(d)[0]["config"]["workbench"]
    assert [b["provider"].rsplit(".", 1)[-1] for b in benches] == ["McpWorkbench", "StaticWorkbench"]
    assert [t["config"]["name"] for t in benches[1]["config"]["tools"]] == ["get_weather"]


def test_a_version_1_agent_joins_as_version_2_with_its_tools_in_a_workbench(round_robin: Draft) -> None:
    old = agent("old")
    old["version"] = old["component_version"] = 1
    old["config"]["tools"] = [template("builtin:tool:function")]
    del old["config"]["workbench"]
    d = apply(AddParticipant(component=old), round_robin)
    joined = agents(d)[2]
    assert (joined["version"], joined["component_version"], "tools" in joined["config"]) == (2, 2, False)
    d = apply(AddTool(target="agent:old", component=template("builtin:tool:function")), d)
    benches = agents(d)[2]["config"]["workbench"]
    assert [[t["config"]["name"] for t in b["config"]["tools"]] for b in benches] == [["get_weather", "get_weather_2"]]


def test_set_termination_replace_or_and_flatten(round_robin: Draft) -> None:
    stop = template("builtin:termination:stop-message")
    d = apply(SetTermination(component=stop), round_robin)
    assert d.component["config"]["termination_condition"] == stop
    # the fixture's condition is TERMINATE OR 10 messages: OR-ing adds to it, flat
    d = apply(SetTermination(component=stop, combine="or"), round_robin)
    condition = d.component["config"]["termination_condition"]
    assert condition["provider"] == "autogen_agentchat.base.OrTerminationCondition"
    assert [c["provider"].rsplit(".", 1)[1] for c in condition["config"]["conditions"]] == \
        ["TextMentionTermination", "MaxMessageTermination", "StopMessageTermination"]
    d = apply(SetTermination(component=template("builtin:termination:timeout"), combine="and"), d)
    condition = d.component["config"]["termination_condition"]
    assert condition["provider"].endswith("AndTerminationCondition")
    assert [c["provider"].rsplit(".", 1)[1] for c in condition["config"]["conditions"]] == \
        ["OrTerminationCondition", "TimeoutTermination"]
    assert errors(d.component) == []
    assert refused(SetTermination(component=template("builtin:model:openai")), round_robin) == \
        "A model can't go here: this needs a termination."


def test_combining_onto_no_termination_just_sets_it(round_robin: Draft) -> None:
    d = apply(DeleteNode(node="termination"), round_robin)
    assert d.dropped == ("the termination condition",)
    stop = template("builtin:termination:stop-message")
    assert apply(SetTermination(component=stop, combine="or"), d).component["config"]["termination_condition"] == stop


# --- layout -------------------------------------------------------------------------------------


def test_move_node_changes_only_the_layout(round_robin: Draft) -> None:
    d = apply(MoveNode(node="agent:writer", x=10, y=20.5), round_robin)
    assert d.layout["nodes"]["agent:writer"] == {"x": 10, "y": 20.5}
    assert d.component == round_robin.component
    assert refused(MoveNode(node="agent:nobody", x=1, y=1), round_robin) == "There is no agent named 'nobody'."
    assert refused(MoveNode(node="termination", x=1, y=1), round_robin) == "Only the team and its agents can be moved."


# --- rename, delete, duplicate ------------------------------------------------------------------


def test_rename_updates_swarm_handoffs(swarm: Draft) -> None:
    swarm = apply(MoveNode(node="agent:critic", x=5, y=5), swarm)
    d = apply(Rename(node="agent:critic", new_name="reviewer"), swarm)
    assert agent_names(d.component) == ["writer", "reviewer"]
    assert agents(d)[0]["config"]["handoffs"] == [handoff("reviewer")]  # its default texts follow the name
    assert d.layout["nodes"] == {"agent:reviewer": {"x": 5, "y": 5}}
    assert errors(d.component) == []


def test_rename_updates_full_handoffs_and_terminations(round_robin: Draft) -> None:
    c = copy.deepcopy(round_robin.component)
    c["config"]["participants"][0]["config"]["handoffs"] = [
        {"target": "critic", "name": "transfer_to_critic", "description": "Handoff to critic.",
         "message": "custom"}]
    c["config"]["termination_condition"] = {
        "provider": "autogen_agentchat.base.OrTerminationCondition", "component_type": "termination",
        "config": {"conditions": [
            {"provider": "SourceMatchTermination", "config": {"sources": ["critic", "writer"]}},
            {"provider": "TextMessageTermination", "config": {"source": "critic"}},
            {"provider": "HandoffTermination", "config": {"target": "critic"}}]}}
    d = apply(Rename(node="agent:critic", new_name="reviewer"), Draft(c))
    assert agents(d)[0]["config"]["handoffs"] == [
        {"target": "reviewer", "name": "transfer_to_reviewer", "description": "Handoff to reviewer.",
         "message": "custom"}]
    conditions = d.component["config"]["termination_condition"]["config"]["conditions"]
    assert conditions[0]["config"]["sources"] == ["reviewer", "writer"]
    assert conditions[1]["config"]["source"] == "reviewer"
    assert conditions[2]["config"]["target"] == "reviewer"


def test_rename_updates_the_graph(graph: Draft) -> None:
    d = apply(Rename(node="agent:writer", new_name="author"), graph)
    g = d.component["config"]["graph"]
    assert list(g["nodes"]) == ["author", "critic"]
    assert g["nodes"]["author"]["name"] == "author" and g["default_start_node"] == "author"
    d = apply(Rename(node="agent:critic", new_name="reviewer"), d)
    assert d.component["config"]["graph"]["nodes"]["author"]["edges"][0]["target"] == "reviewer"
    assert d.component["config"]["graph"]["nodes"]["author"]["edges"][0]["activation_group"] == "reviewer"
    assert errors(d.component) == []


def test_rename_refusals_and_the_team(round_robin: Draft) -> None:
    assert refused(Rename(node="agent:critic", new_name="writer"), round_robin) == \
        "An agent named 'writer' already exists."
    assert "not a valid agent name" in refused(Rename(node="agent:critic", new_name="two words"), round_robin)
    assert apply(Rename(node="agent:critic", new_name="critic"), round_robin).component == round_robin.component
    assert apply(Rename(node="team", new_name="My team"), round_robin).component["label"] == "My team"
    assert refused(Rename(node="team", new_name=" "), round_robin) == "A team needs a name."


def test_delete_agent_cascades_to_edges_handoffs_and_layout(graph: Draft, swarm: Draft) -> None:
    g = apply(MoveNode(node="agent:critic", x=1, y=1), graph)
    d = apply(DeleteNode(node="agent:critic"), g)
    assert agent_names(d.component) == ["writer"]
    assert d.component["config"]["graph"]["nodes"] == {"writer": {"name": "writer", "edges": [], "activation": "all"}}
    assert d.dropped == ("edge writer -> critic",)
    assert d.layout["nodes"] == {}
    d = apply(DeleteNode(node="agent:writer"), graph)
    assert "default_start_node" not in d.component["config"]["graph"]
    assert set(d.dropped) == {"edge writer -> critic", "start node writer"}
    d = apply(DeleteNode(node="agent:critic"), swarm)
    assert "handoffs" not in agents(d)[0]["config"]
    assert d.dropped == ("handoff from writer to critic",)
    assert [e.split(":")[0] for e in errors(d.component)] == ["config.participants[0].config.handoffs"]  # says so


def test_delete_refusals(round_robin: Draft) -> None:
    assert refused(DeleteNode(node="team"), round_robin) == "The team itself can't be deleted."
    assert refused(DeleteNode(node="agent:x"), round_robin) == "There is no agent named 'x'."
    d = apply(DeleteNode(node="termination"), round_robin)
    assert refused(DeleteNode(node="termination"), d) == "The team has no termination condition."


def test_duplicate_node(graph: Draft) -> None:
    g = apply(MoveNode(node="agent:writer", x=100, y=100), graph)
    d = apply(DuplicateNode(node="agent:writer"), g)
    assert agent_names(d.component) == ["writer", "writer_2", "critic"]
    assert d.component["config"]["graph"]["nodes"]["writer_2"]["edges"] == []
    assert d.layout["nodes"]["agent:writer_2"] == {"x": 140, "y": 140}
    assert errors(d.component) == []


# --- switching team types -----------------------------------------------------------------------


def test_switch_round_robin_to_selector_copies_the_first_model(round_robin: Draft) -> None:
    d = apply(SwitchTeamType(provider="SelectorGroupChat"), round_robin)
    assert d.component["provider"] == "autogen_agentchat.teams.SelectorGroupChat"
    assert d.component["config"]["model_client"] == agents(round_robin)[0]["config"]["model_client"]
    assert agents(d) == agents(round_robin)
    assert errors(d.component) == []


def test_switch_from_selector_needs_confirmation(round_robin: Draft) -> None:
    selector = Draft(template("builtin:team:selector"))
    with pytest.raises(NeedsConfirmation) as info:
        SwitchTeamType(provider="autogen_agentchat.teams.RoundRobinGroupChat").apply(selector)
    assert info.value.what_would_be_dropped == ["the selector's model"]
    d = apply(SwitchTeamType(provider="autogen_agentchat.teams.RoundRobinGroupChat", confirm=True), selector)
    assert "model_client" not in d.component["config"]
    assert d.dropped == ("the selector's model",)
    assert errors(d.component) == []


def test_switch_to_graph_builds_a_sequence_and_back_asks(round_robin: Draft) -> None:
    d = apply(AddParticipant(component=agent("editor")), round_robin)
    g = apply(SwitchTeamType(provider="autogen_agentchat.teams.GraphFlow"), d)
    graph = g.component["config"]["graph"]
    assert graph["default_start_node"] == "writer"
    assert [(k, [e["target"] for e in n["edges"]]) for k, n in graph["nodes"].items()] == \
        [("writer", ["critic"]), ("critic", ["editor"]), ("editor", [])]
    assert errors(g.component) == []
    with pytest.raises(NeedsConfirmation) as info:
        SwitchTeamType(provider="autogen_agentchat.teams.Swarm").apply(g)
    assert info.value.what_would_be_dropped == ["the graph and its 2 edges"]
    s = apply(SwitchTeamType(provider="autogen_agentchat.teams.Swarm", confirm=True), g)
    assert "graph" not in s.component["config"] and agent_names(s.component) == agent_names(d.component)
    assert [a["config"]["handoffs"] for a in agents(s)] == [  # a swarm moves by handoffs
        [handoff("critic"), handoff("editor")], [handoff("writer"), handoff("editor")],
        [handoff("writer"), handoff("critic")]]


def test_switch_refusals(round_robin: Draft) -> None:
    assert "not 'AssistantAgent'" in refused(SwitchTeamType(provider="AssistantAgent"), round_robin)
    nested = apply(AddParticipant(component=agent("x")), round_robin)
    nested.component["config"]["participants"][2] = template("builtin:team:round-robin")
    assert refused(SwitchTeamType(provider="Swarm"), nested) == \
        "A Swarm takes agents only; remove Round robin team first."
    same = apply(SwitchTeamType(provider="RoundRobinGroupChat"), round_robin)
    assert same.component == round_robin.component


# --- fields and JSON ----------------------------------------------------------------------------


def test_set_field_on_an_agent_the_team_and_the_termination(round_robin: Draft) -> None:
    d = apply(SetField(node="agent:writer", path="config.system_message", value="Be brief."), round_robin)
    assert agents(d)[0]["config"]["system_message"] == "Be brief."
    d = apply(SetField(node="agent:writer", path="config.model_client.config.temperature", value=0.2), d)
    assert agents(d)[0]["config"]["model_client"]["config"]["temperature"] == 0.2
    d = apply(SetField(node="agent:writer", path="config.metadata.topic", value="sea"), d)
    assert agents(d)[0]["config"]["metadata"] == {"topic": "sea"}
    d = apply(SetField(node="agent:writer", path="config.system_message", value=None), d)
    assert "system_message" not in agents(d)[0]["config"]
    d = apply(SetField(node="team", path="config.max_turns", value=6), d)
    assert d.component["config"]["max_turns"] == 6
    d = apply(SetField(node="termination", path="config.conditions[1].config.max_messages", value=4), d)
    assert d.component["config"]["termination_condition"]["config"]["conditions"][1]["config"]["max_messages"] == 4
    assert errors(d.component) == []


def test_set_field_reports_invalid_values_rather_than_refusing(round_robin: Draft) -> None:
    d = apply(SetField(node="team", path="config.max_turns", value=0), round_robin)
    assert [e.split(":")[0] for e in errors(d.component)] == ["config.max_turns"]


def test_set_field_name_renames(swarm: Draft) -> None:
    d = apply(SetField(node="agent:critic", path="config.name", value="reviewer"), swarm)
    assert agents(d)[0]["config"]["handoffs"] == [handoff("reviewer")]


def test_set_field_refusals(round_robin: Draft) -> None:
    assert refused(SetField(node="agent:writer", path="config.system_message.x", value=1), round_robin) == \
        "Can't set config.system_message.x: system_message is not an object."
    assert refused(SetField(node="agent:writer", path="", value=1), round_robin) == "Say which field to set."
    assert refused(SetField(node="agent:writer", path="config..", value=1), round_robin) == \
        "'config..' is not a field path."


def test_replace_component_validates_first(round_robin: Draft) -> None:
    g = apply(AutoLayout(), round_robin)
    new = template("builtin:team:graph")
    new["config"]["participants"].pop()  # critic goes
    new["config"]["graph"]["nodes"]["writer"]["edges"] = []
    del new["config"]["graph"]["nodes"]["critic"]
    d = apply(ReplaceComponent(component=new), g)
    assert d.component == new
    assert set(d.layout["nodes"]) == {"team", "agent:writer"}
    bad = copy.deepcopy(new)
    bad["config"]["participants"][0]["config"].pop("model_client")
    bad["config"]["max_turns"] = -1
    with pytest.raises(ActionRefused) as info:
        ReplaceComponent(component=bad).apply(g)
    assert info.value.reason.startswith("The JSON has 2 errors: ")
    assert "config.participants[0].config.model_client" in info.value.reason
    assert {p.path for p in info.value.problems} == {"config.participants[0].config.model_client", "config.max_turns"}


def test_parse_action_reads_every_action_from_json() -> None:
    action = parse_action('{"type": "move_node", "node": "team", "x": 1, "y": 2}')
    assert isinstance(action, MoveNode) and (action.x, action.y) == (1, 2)
    assert isinstance(parse_action({"type": "auto_layout"}), AutoLayout)
    with pytest.raises(ValueError):
        parse_action({"type": "fly"})
