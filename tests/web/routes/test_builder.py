"""The Builder page in-process: the page and its contract names, actions through the routes (the
canvas partial changes), refusals, undo/redo, save, the JSON view and the Validation region."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from studio.builder.library import assistant
from studio.services import teams as team_service

from ..teams_support import HTMX, app_db


def _team(client: TestClient, label: str = "Crew") -> int:
    response = client.post("/teams", data={"label": label}, follow_redirects=False)
    return int(response.headers["location"].rsplit("/", 1)[1])


def _act(client: TestClient, team_id: int, action: dict, **extra: str) -> str:
    response = client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(action), **extra}, headers=HTMX)
    assert response.status_code == 200
    return response.text


def _agents(html: str) -> list[str]:
    return re.findall(r'data-agent-name="([^"]+)"', html)


def test_builder_without_team_lists_teams_or_opens_the_only_one(client: TestClient) -> None:
    assert "No teams yet" in client.get("/builder").text
    first = _team(client, "Alpha")
    assert client.get("/builder", follow_redirects=False).headers["location"] == f"/builder/{first}"
    _team(client, "Beta")
    page = client.get("/builder").text
    assert f'href="/builder/{first}"' in page and "Beta" in page


def test_page_has_the_contract_names(client: TestClient) -> None:
    team_id = _team(client)
    page = client.get(f"/builder/{team_id}").text
    for name in ("Component library", "Team canvas", "Validation", "Team JSON", "Properties"):
        assert f">{name}<" in page
    for button in ("Save", "Undo", "Redo", "Export JSON", "Import JSON", "JSON view", "Run in playground"):
        assert re.search(rf">\s*{button}\s*<", page), button
    assert f'action="/playground/teams/{team_id}/session"' in page
    assert 'data-team-provider="autogen_agentchat.teams.RoundRobinGroupChat"' in page
    assert _agents(page) == ["assistant"]
    assert 'aria-label="Assistant agent"' in page and 'data-component-type="agent"' in page
    assert 'data-provider="autogen_agentchat.agents.AssistantAgent"' in page
    for group in ("Teams", "Agents", "Models", "Tools", "Terminations"):
        assert f"<h3>{group}</h3>" in page
    assert 'name="config.system_message"' not in page  # the team is selected, not an agent
    agent_page = client.get(f"/builder/{team_id}", params={"node": "agent:assistant"}).text
    assert 'name="config.system_message"' in agent_page


def test_library_search_is_a_partial(client: TestClient) -> None:
    team_id = _team(client)
    html = client.get(f"/builder/{team_id}/library", params={"q": "proxy"}, headers=HTMX).text
    assert 'aria-label="User proxy"' in html and 'aria-label="Assistant agent"' not in html
    assert "<html" not in html


def test_add_participant_changes_the_canvas_and_the_rest_out_of_band(client: TestClient) -> None:
    team_id = _team(client)
    html = _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    assert _agents(html) == ["assistant", "writer"]
    for part in ("builder-toolbar", "properties", "validation", "json-view"):
        assert f'id="{part}"' in html and "hx-swap-oob" in html
    assert 'data-unsaved="true"' in html
    assert "&#34;name&#34;: &#34;writer&#34;" in html  # the JSON view follows
    assert _agents(client.get(f"/builder/{team_id}").text) == ["assistant", "writer"]


def test_drop_and_keyboard_add_use_library_items(client: TestClient) -> None:
    team_id = _team(client)
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:agent:assistant", "target": "team"},
                       headers=HTMX).text
    assert _agents(html) == ["assistant", "assistant_2"]
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:tool:function", "target": "agent:assistant_2"},
                       headers=HTMX).text
    node = re.search(r'data-agent-name="assistant_2".*?</article>', html, re.DOTALL)
    assert node and 'class="tool-chip"' in node.group(0) and "Tools</span> none" not in node.group(0)


def test_refusal_shows_its_reason_and_changes_nothing(client: TestClient) -> None:
    team_id = _team(client)
    before = client.get(f"/builder/{team_id}/export").json()
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:tool:function", "target": "team"},
                       headers=HTMX).text
    assert "Drop a tool on an agent" in html and 'class="flash flash-error"' in html
    html = _act(client, team_id, {"type": "delete_node", "node": "agent:nobody"})
    assert "flash-error" in html
    assert client.get(f"/builder/{team_id}/export").json() == before
    assert 'data-unsaved="false"' in client.get(f"/builder/{team_id}").text


def test_undo_and_redo(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    html = client.post(f"/builder/{team_id}/undo", headers=HTMX).text
    assert _agents(html) == ["assistant"]
    assert re.search(r'id="redo-button"[^>]*>Redo', html) and "disabled>Undo" in html
    html = client.post(f"/builder/{team_id}/redo", headers=HTMX).text
    assert _agents(html) == ["assistant", "writer"]
    # the history lives on the server: a reload keeps it
    assert _agents(client.post(f"/builder/{team_id}/undo", headers=HTMX).text) == ["assistant"]


def test_save_makes_a_new_version(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    html = client.post(f"/builder/{team_id}/save", headers=HTMX).text
    assert "as version 2" in html and 'data-unsaved="false"' in html
    with app_db(client) as db:
        team = team_service.get_team(db, team_id)
        assert len(team_service.list_versions(db, team)) == 1  # the earlier version
        assert [p["config"]["name"] for p in team.component["config"]["participants"]] == ["assistant", "writer"]


def test_properties_form_sets_fields_and_renames(client: TestClient) -> None:
    team_id = _team(client)
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX, data={
        "_node": "agent:assistant", "config.name": "poet", "config.system_message": "Write poems."}).text
    assert _agents(html) == ["poet"]
    component = client.get(f"/builder/{team_id}/export").json()
    assert component["config"]["participants"][0]["config"]["system_message"] == "Write poems."
    # a value that does not parse: an inline error, nothing applied
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX, data={
        "_node": "agent:poet", "config.max_tool_iterations": "many"}).text
    assert 'aria-invalid="true"' in html and 'class="error field-error"' in html
    assert client.get(f"/builder/{team_id}/export").json() == component


def test_invalid_json_lists_problems_with_paths_and_applies_nothing(client: TestClient) -> None:
    team_id = _team(client)
    before = client.get(f"/builder/{team_id}/export").json()
    broken = json.loads(json.dumps(before))
    del broken["config"]["participants"][0]["config"]["model_client"]
    html = client.post(f"/builder/{team_id}/json", data={"component_json": json.dumps(broken)}, headers=HTMX).text
    assert 'data-path="config.participants[0].config.model_client"' in html
    assert "Nothing was applied" in html
    html = client.post(f"/builder/{team_id}/json", data={"component_json": "{nope"}, headers=HTMX).text
    assert "invalid JSON at line 1, column 2" in html
    assert client.get(f"/builder/{team_id}/export").json() == before
    renamed = before | {"label": "Renamed in JSON"}
    html = client.post(f"/builder/{team_id}/json", data={"component_json": json.dumps(renamed)}, headers=HTMX).text
    assert "Renamed in JSON" in html


def test_validation_region_lists_paths_that_select_nodes(client: TestClient) -> None:
    team_id = _team(client)
    html = _act(client, team_id, {"type": "set_field", "node": "agent:assistant", "path": "config.model_client"})
    section = html[html.index('id="validation"'):]
    assert 'data-path="config.participants[0].config.model_client"' in section
    assert f'/builder/{team_id}/select?node=agent%3Aassistant' in section
    selected = client.get(f"/builder/{team_id}/select", params={"node": "agent:assistant"}, headers=HTMX).text
    assert 'name="config.system_message"' in selected


def test_graph_team_draws_edges_and_the_start_node(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    _act(client, team_id, {"type": "add_participant", "component": assistant("reviewer")})
    _act(client, team_id, {"type": "add_edge", "source": "assistant", "target": "reviewer"})
    html = _act(client, team_id, {"type": "add_edge", "source": "reviewer", "target": "assistant", "condition": "REJECT"})
    assert 'data-edge-source="assistant" data-edge-target="reviewer"' in html
    assert 'data-edge-source="reviewer" data-edge-target="assistant"' in html
    assert ">REJECT</text>" in html and "Start</span>" in html
    assert re.search(r'data-agent-name="reviewer"[^>]*style="left: \d+px; top: \d+px"', html, re.DOTALL)


def test_edge_properties_set_a_condition(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    _act(client, team_id, {"type": "add_participant", "component": assistant("reviewer")})
    _act(client, team_id, {"type": "add_edge", "source": "assistant", "target": "reviewer"})
    form = client.get(f"/builder/{team_id}/select", params={"node": "edge:assistant->reviewer"}, headers=HTMX).text
    assert 'name="condition"' in form
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX,
                       data={"_node": "edge:assistant->reviewer", "condition": "APPROVE"}).text
    assert ">APPROVE</text>" in html


def test_keyboard_edge_and_auto_layout(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    _act(client, team_id, {"type": "add_participant", "component": assistant("reviewer")})
    panel = client.get(f"/builder/{team_id}/select", params={"node": "agent:assistant"}, headers=HTMX).text
    assert "Add edge to" in panel
    html = client.post(f"/builder/{team_id}/edges", data={"source": "assistant", "target": "reviewer"}, headers=HTMX).text
    assert 'data-edge-source="assistant" data-edge-target="reviewer"' in html
    page = client.get(f"/builder/{team_id}").text
    auto = re.search(r"hx-vals='([^']+)'[^>]*>Auto layout", page)
    assert auto
    html = _act(client, team_id, json.loads(json.loads(auto.group(1))["action"]))
    assert "flash-error" not in html


def test_a_lossy_switch_asks_first(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    _act(client, team_id, {"type": "add_participant", "component": assistant("reviewer")})
    _act(client, team_id, {"type": "add_edge", "source": "assistant", "target": "reviewer", "condition": "OK"})
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:team:round-robin", "target": "team"},
                       headers=HTMX).text
    assert "Switch and drop" in html and "This would drop" in html and ">Cancel<" in html
    assert 'role="alertdialog"' in html and 'aria-describedby="confirm-body"' in html
    assert "GraphFlow" in client.get(f"/builder/{team_id}/export").json()["provider"]
    confirmed = re.search(r"hx-vals='([^']+)'>Switch and drop", html)
    assert confirmed
    action = json.loads(json.loads(confirmed.group(1).replace("&#34;", '"').replace("&#39;", "'"))["action"])
    assert action["confirm"] is True
    _act(client, team_id, action)
    assert client.get(f"/builder/{team_id}/export").json()["provider"].endswith("RoundRobinGroupChat")


def test_unknown_team_is_404(client: TestClient) -> None:
    assert client.get("/builder/999").status_code == 404


def _hx_action(html: str, label: str) -> dict:
    """The action a canvas button (by its accessible name) posts, from its `hx-vals`."""
    found = re.search(rf'aria-label="{re.escape(label)}"[^>]*?hx-vals=\'([^\']+)\'', html, re.DOTALL)
    assert found, label
    return json.loads(json.loads(found.group(1))["action"])


def test_move_participant_buttons_reorder_the_team(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    html = _act(client, team_id, {"type": "add_participant", "component": assistant("critic")})
    assert _agents(html) == ["assistant", "writer", "critic"]
    assert re.search(r'aria-label="Move assistant up"[^>]*disabled', html)
    assert re.search(r'aria-label="Move critic down"[^>]*disabled', html)
    up = _hx_action(html, "Move critic up")
    assert up == {"type": "move_participant", "name": "critic", "index": 1}
    html = _act(client, team_id, up)
    assert _agents(html) == ["assistant", "critic", "writer"]
    html = _act(client, team_id, _hx_action(html, "Move assistant down"))
    assert _agents(html) == ["critic", "assistant", "writer"]
    names = [p["config"]["name"] for p in client.get(f"/builder/{team_id}/export").json()["config"]["participants"]]
    assert names == ["critic", "assistant", "writer"]
    # a drag onto a participant's place posts the same action with that participant's index
    assert 'data-agent-name="writer"' in html and 'data-index="2"' in html and 'draggable="true"' in html
    html = _act(client, team_id, {"type": "move_participant", "name": "writer", "index": 0})
    assert _agents(html) == ["writer", "critic", "assistant"]
    html = _act(client, team_id, {"type": "move_participant", "name": "writer", "index": 5})
    assert "outside the team" in html and _agents(html) == ["writer", "critic", "assistant"]


def test_one_participant_has_no_order_buttons(client: TestClient) -> None:
    html = client.get(f"/builder/{_team(client)}").text
    assert "Move assistant up" not in html


def test_remove_tool_button_on_an_agent_node(client: TestClient) -> None:
    team_id = _team(client)
    for _ in range(2):
        html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:tool:function", "target": "agent:assistant"},
                           headers=HTMX).text
    tools = re.findall(r'aria-label="Remove tool ([^"]+)"', html)
    assert len(tools) == 2 and len(set(tools)) == 2
    action = _hx_action(html, f"Remove tool {tools[0]}")
    assert action == {"type": "remove_tool", "target": "agent:assistant", "name": tools[0]}
    html = _act(client, team_id, action)
    assert re.findall(r'aria-label="Remove tool ([^"]+)"', html) == [tools[1]]
    html = _act(client, team_id, _hx_action(html, f"Remove tool {tools[1]}"))
    node = re.search(r'data-agent-name="assistant".*?</article>', html, re.DOTALL)
    assert node and "Tools</span> none" in node.group(0)
    html = _act(client, team_id, action)
    assert "has no tool named" in html


def _export(client: TestClient, team_id: int) -> dict:
    return client.get(f"/builder/{team_id}/export").json()


def test_an_agents_model_and_tools_are_selectable_nodes(client: TestClient) -> None:
    team_id = _team(client)
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:tool:function", "target": "agent:assistant"},
                       headers=HTMX).text
    tool = re.findall(r'aria-label="Tool ([^"]+) of assistant"', html)
    assert len(tool) == 1 and "Model of assistant:" in html
    html = client.get(f"/builder/{team_id}/select", params={"node": "agent:assistant/model"}, headers=HTMX).text
    assert 'name="config.model"' in html and ">Remove model<" in html and 'name="config.system_message"' not in html
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX,
                       data={"_node": "agent:assistant/model", "config.model": "gpt-4.1-mini"}).text
    assert _export(client, team_id)["config"]["participants"][0]["config"]["model_client"]["config"]["model"] == "gpt-4.1-mini"
    assert 'id="selected-node" name="node" value="agent:assistant/model"' in html
    # a model dropped on the selected model node replaces it
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:model:ollama", "target": "agent:assistant/model"},
                       headers=HTMX).text
    assert "llama3.2" in html and "flash-error" not in html
    # a tool: its form, a rename (the selection follows), a refused duplicate name, Remove tool
    node = f"agent:assistant/tool:{tool[0]}"
    html = client.get(f"/builder/{team_id}/select", params={"node": node}, headers=HTMX).text
    assert 'name="config.source_code"' in html and ">Remove tool<" in html
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX, data={"_node": node, "config.name": "lookup"}).text
    assert 'value="agent:assistant/tool:lookup"' in html
    client.post(f"/builder/{team_id}/drop", data={"item": "builtin:tool:function", "target": "agent:assistant"}, headers=HTMX)
    html = client.post(f"/builder/{team_id}/properties", headers=HTMX,
                       data={"_node": "agent:assistant/tool:lookup", "config.name": tool[0]}).text
    assert f"already has a tool named &#39;{tool[0]}&#39;" in html
    html = _act(client, team_id, _hx_action_text(html, "Remove tool"))
    assert "Tool lookup of assistant" not in html and f"Tool {tool[0]} of assistant" in html


def _hx_action_text(html: str, text: str) -> dict:
    """The action a properties button (by its text) posts."""
    found = re.search(rf'hx-vals=\'([^\']+)\'>{re.escape(text)}<', html)
    assert found, text
    return json.loads(json.loads(found.group(1))["action"])


def test_a_selector_teams_model_is_a_node_and_problems_select_nested_nodes(client: TestClient) -> None:
    team_id = _team(client)
    html = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:team:selector", "target": "team"},
                       headers=HTMX).text
    assert 'data-node="team/model"' in html and "Selector model" in html
    html = client.get(f"/builder/{team_id}/select", params={"node": "team/model"}, headers=HTMX).text
    assert 'name="config.model"' in html and ">Remove model<" in html
    html = _act(client, team_id, {"type": "set_field", "node": "agent:assistant/model", "path": "config.model", "value": None})
    assert "node=agent%3Aassistant/model" in html  # the problem's button selects the model node
    html = _act(client, team_id, {"type": "delete_node", "node": "team/model"})
    assert 'data-node="team/model"' not in html and "model_client" not in _export(client, team_id)["config"]


def test_team_node_duplicate_and_rename(client: TestClient) -> None:
    team_id = _team(client, "Crew")
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})  # unsaved
    html = client.get(f"/builder/{team_id}").text
    assert ">Duplicate team<" in html and 'name="label"' in html and 'name="config.name"' in html
    response = client.post(f"/builder/{team_id}/duplicate", headers=HTMX)
    assert response.status_code == 204
    copy_id = int(response.headers["HX-Redirect"].rsplit("/", 1)[1])
    assert copy_id != team_id
    page = client.get(f"/builder/{copy_id}").text
    assert "Crew (copy)" in page and _agents(page) == ["assistant", "writer"]
    assert "Duplicated as" in page
    client.post(f"/builder/{team_id}/properties", headers=HTMX, data={"_node": "team", "label": "Planners",
                                                                      "config.name": "planners"})
    exported = _export(client, team_id)
    assert exported["label"] == "Planners" and exported["config"]["name"] == "planners"


def test_termination_node_lists_its_parts_and_removes_one_or_all(client: TestClient) -> None:
    team_id = _team(client)
    client.post(f"/builder/{team_id}/drop", data={"item": "builtin:termination:or", "target": "team"}, headers=HTMX)
    html = client.get(f"/builder/{team_id}/select", params={"node": "termination"}, headers=HTMX).text
    assert "Stops when any of these hold (OR)" in html and ">Remove termination<" in html
    parts = re.findall(r'aria-label="Remove part (\d): ([^"]+)"', html)
    assert [n for n, _ in parts] == ["1", "2"]
    html = _act(client, team_id, _hx_action(html, f"Remove part 1: {parts[0][1]}"), node="termination")
    assert "Stops when" not in html and ">Remove termination<" in html  # one condition left, still selected
    condition = _export(client, team_id)["config"]["termination_condition"]
    assert condition["provider"].endswith("MaxMessageTermination")
    html = _act(client, team_id, _hx_action_text(html, "Remove termination"))
    assert "termination_condition" not in _export(client, team_id)["config"]


def test_library_switch_buttons_and_the_combine_choice(client: TestClient) -> None:
    team_id = _team(client)
    page = client.get(f"/builder/{team_id}").text
    assert 'aria-label="Switch team to: Selector team"' in page
    assert "<legend>When adding a termination</legend>" in page
    for label in ("Replace", "Combine with OR", "Combine with AND"):
        assert f"> {label}</label>" in page
    client.post(f"/builder/{team_id}/drop", data={"item": "builtin:termination:text-mention", "target": "team"}, headers=HTMX)
    client.post(f"/builder/{team_id}/drop", headers=HTMX,
                data={"item": "builtin:termination:max-message", "target": "team", "combine": "and"})
    assert _export(client, team_id)["config"]["termination_condition"]["provider"].endswith("AndTerminationCondition")


def test_graph_agents_move_earlier_and_later_from_properties(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    _act(client, team_id, {"type": "add_participant", "component": assistant("reviewer")})
    html = client.get(f"/builder/{team_id}/select", params={"node": "agent:reviewer"}, headers=HTMX).text
    assert "Position 2 of 2" in html and re.search(r'id="move-later" disabled', html)
    html = _act(client, team_id, _hx_action_text(html, "Move earlier"), node="agent:reviewer")
    names = [p["config"]["name"] for p in _export(client, team_id)["config"]["participants"]]
    assert names == ["reviewer", "assistant"] and "Position 1 of 2" in html


def test_export_as_json_or_scripts_masks_keys(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "set_field", "node": "agent:assistant/model", "path": "config.api_key",
                           "value": "sk-typed-into-a-form"})
    as_json = client.get(f"/builder/{team_id}/export")
    assert as_json.headers["content-type"].startswith("application/json")
    assert "sk-typed-into-a-form" not in as_json.text and "**********" in as_json.text
    for format, marker in (("python", "from studio import TaskResult, load_team"),
                           ("autogen", "Team.load_component(unmasked(TEAM))")):
        script = client.get(f"/builder/{team_id}/export", params={"format": format})
        assert script.status_code == 200 and marker in script.text
        assert script.headers["content-disposition"].endswith('.py"')
        assert "sk-typed-into-a-form" not in script.text
    assert client.get(f"/builder/{team_id}/export", params={"format": "exe"}).status_code == 422


def test_add_edge_to_offers_other_agents_first_and_itself_last(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow", "confirm": True})
    for name in ("reviewer", "editor"):
        _act(client, team_id, {"type": "add_participant", "component": assistant(name)})
    _act(client, team_id, {"type": "add_edge", "source": "assistant", "target": "editor"})
    panel = client.get(f"/builder/{team_id}/select", params={"node": "agent:assistant"}, headers=HTMX).text
    select = re.search(r'<select id="edge-target"[^>]*>(.*?)</select>', panel, re.DOTALL)
    assert select
    options = re.findall(r'<option value="([^"]+)">([^<]+)</option>', select.group(1))
    assert options == [("reviewer", "reviewer"), ("assistant", "assistant (itself: a loop)")]  # editor has its edge


def test_the_toolbar_holds_both_save_states_so_its_width_stays(client: TestClient) -> None:
    team_id = _team(client)
    page = client.get(f"/builder/{team_id}").text
    assert re.search(r'class="if-unsaved" hidden>Unsaved changes<', page)
    assert re.search(r'class="if-saved">All changes saved<', page)
    html = _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    assert re.search(r'class="if-unsaved">Unsaved changes<', html)
    assert re.search(r'class="if-saved" hidden>All changes saved<', html)


def test_graph_canvas_has_zoom_controls_and_a_focusable_viewport(client: TestClient) -> None:
    team_id = _team(client)
    assert 'id="zoom-in"' not in client.get(f"/builder/{team_id}").text  # a row of participants: nothing to zoom
    html = _act(client, team_id, {"type": "switch_team_type", "provider": "autogen_agentchat.teams.GraphFlow",
                                  "confirm": True})
    for label in ("Zoom in", "Zoom out"):
        assert f'aria-label="{label}"' in html
    assert ">Fit</button>" in html and ">Reset zoom</button>" in html
    assert re.search(r'id="graph-viewport" tabindex="0"[^>]*aria-describedby="zoom-hint"', html)


def test_library_groups_fold_the_gallery_and_name_every_button_once(make_app) -> None:
    from pathlib import Path

    gallery = Path(__file__).parents[3] / "gallery"
    with TestClient(make_app(gallery_dir=gallery)) as client:
        team_id = _team(client)
        page = client.get(f"/builder/{team_id}").text
        searched = client.get(f"/builder/{team_id}/library", params={"q": "travel"}, headers=HTMX).text
    library = page[page.index('id="library-list"'):page.index('id="canvas-heading"')]
    assert library.count('<details class="library-group" open') == 6
    assert library.count('<details class="library-more">') >= 3  # the gallery's parts start folded
    names = re.findall(r'class="lib-add"[^>]*aria-label="([^"]+)"', library, re.DOTALL)
    assert len(names) == len(set(names)) and "Add to team: Assistant agent" in names
    assert "Add to team: assistant" not in names  # the gallery's assistants say where they come from
    assert any(n.startswith("Add to team: assistant (from ") for n in names)
    assert "Also in " in library  # a built-in the gallery uses, folded into it
    assert '<details class="library-more" open>' in searched and "triage_agent" in searched


def test_the_answer_names_where_keyboard_focus_goes(client: TestClient) -> None:
    """X-Builder-Focus: the node added or selected, the neighbour of what was removed, else the canvas;
    no header when the nodes stay the same (focus stays on the control it was on)."""
    team_id = _team(client)

    def focus(response) -> str | None:
        assert response.status_code == 200
        return response.headers.get("X-Builder-Focus")

    def drop(item: str, target: str):
        return client.post(f"/builder/{team_id}/drop", data={"item": item, "target": target}, headers=HTMX)

    assert focus(client.get(f"/builder/{team_id}/select?node=agent:assistant", headers=HTMX)) == "agent:assistant"
    assert focus(drop("builtin:agent:assistant", "team")) == "agent:assistant_2"  # the agent, not its model
    assert focus(drop("builtin:tool:function", "agent:assistant")).startswith("agent:assistant/tool:")
    move = {"type": "move_participant", "name": "assistant_2", "index": 0}
    assert focus(client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(move)}, headers=HTMX)) is None
    assert focus(client.post(f"/builder/{team_id}/undo", data={"node": "team"}, headers=HTMX)) is None  # the move
    assert focus(client.post(f"/builder/{team_id}/undo", data={"node": "team"}, headers=HTMX)) == "agent:assistant"
    deleted = {"type": "delete_node", "node": "agent:assistant_2"}
    assert focus(client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(deleted)},
                             headers=HTMX)) == "agent:assistant"  # the neighbour
    drop("builtin:agent:assistant", "team")
    assert drop("builtin:team:graph", "team").status_code == 200
    edges = re.findall(r'data-node="(edge:[^"]+)"', client.get(f"/builder/{team_id}", headers={}).text)
    assert len(edges) == 1
    gone = {"type": "delete_edge", "edge": edges[0]}
    gone_response = client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(gone)}, headers=HTMX)
    assert focus(gone_response) == "canvas"
