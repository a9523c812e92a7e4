"""The Builder's Test buttons over HTTP: the Test section of a model, tool or agent, and the probe
results (escaped model output, argument errors naming the field, unknown nodes), never a 500."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from ..teams_support import HTMX

INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
        "structured_output": False}
ADD_SOURCE = ('from typing import Annotated\n\n'
              'def add(a: Annotated[int, "The first number"], b: int = 2, loud: bool = False,\n'
              '        tags: list[str] = []) -> str:\n'
              '    total = a + b\n'
              '    return f"{total}!" if loud else str(total)\n')


def team_json(*replies: object, model: dict | None = None) -> dict:
    model = model or {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
                      "config": {"chat_completions": list(replies), "model_info": INFO}}
    tool = {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
            "config": {"name": "add", "description": "Add two numbers.", "global_imports": [],
                       "has_cancellation_support": False, "source_code": ADD_SOURCE}}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "helper", "model_client": model, "tools": [tool], "system_message": "Be brief."}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
            "config": {"participants": [agent], "max_turns": 1}}


def make_team(client: TestClient, component: dict) -> int:
    response = client.post("/teams", data={"label": "Probed"}, follow_redirects=False)
    team_id = int(response.headers["location"].rsplit("/", 1)[1])
    applied = client.post(f"/builder/{team_id}/json", data={"component_json": json.dumps(component)}, headers=HTMX)
    assert "Applied the JSON." in applied.text
    return team_id


def probe(client: TestClient, team_id: int, node: str, **form: str):
    return client.post(f"/builder/{team_id}/probe", data={"node": node, **form}, headers=HTMX)


def test_the_properties_of_an_agent_load_its_test_section(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    page = client.get(f"/builder/{team_id}", params={"node": "agent:helper"}).text
    assert f'hx-get="/builder/{team_id}/probe?node=agent%3Ahelper"' in page
    section = client.get(f"/builder/{team_id}/probe", params={"node": "agent:helper"}, headers=HTMX).text
    assert '<label for="probe-task">Test task</label>' in section
    assert re.search(r">\s*Run one turn\s*<", section)
    assert 'role="status"' in section and 'aria-live="polite"' in section


def test_the_team_and_unknown_nodes_have_no_test_section(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    assert 'id="probe-section"' not in client.get(f"/builder/{team_id}").text
    for node in ("team", "termination", "agent:nobody", "nonsense"):
        response = client.get(f"/builder/{team_id}/probe", params={"node": node}, headers=HTMX)
        assert (response.status_code, response.text) == (200, ""), node


def test_a_model_section_and_its_reply_escaped(client: TestClient) -> None:
    team_id = make_team(client, team_json("<script>alert(1)</script> hello"))
    section = client.get(f"/builder/{team_id}/probe", params={"node": "agent:helper/model"}, headers=HTMX).text
    assert '<label for="probe-prompt">Test prompt</label>' in section and re.search(r">\s*Test model\s*<", section)
    response = probe(client, team_id, "agent:helper/model", prompt="hi")
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hello" in response.text
    assert "<script>alert" not in response.text
    assert 'data-probe-status="ok"' in response.text and "Replied in" in response.text


def test_a_missing_key_is_a_clear_error(client: TestClient) -> None:
    model = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {"model": "gpt-4o"}}
    team_id = make_team(client, team_json(model=model))
    response = probe(client, team_id, "agent:helper/model", prompt="hi")
    assert response.status_code == 200
    assert 'data-probe-status="error"' in response.text
    assert "No credential for endpoint https://api.openai.com/v1 (OpenAI model &#39;gpt-4o&#39;)" in response.text
    assert ">Add a credential for https://api.openai.com/v1 in Settings</a>" in response.text


def test_the_tool_form_comes_from_its_schema(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    html = client.get(f"/builder/{team_id}/probe", params={"node": "agent:helper/tool:add"}, headers=HTMX).text
    assert re.search(r'<input id="probe-arg-1" name="arg.a" value=""\s+type="number" step="1"\s+aria-required="true"', html)
    assert "The first number" in html  # the description is the help
    assert re.search(r'name="arg.b" value="2"\s+type="number"', html)  # the default, prefilled
    assert 'type="checkbox" id="probe-arg-3" name="arg.loud"' in html
    assert re.search(r'<textarea id="probe-arg-4" name="arg.tags"[^>]*>\[\]</textarea>', html)
    assert re.search(r">\s*Run tool\s*<", html)


def test_a_tool_runs_with_the_submitted_arguments(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    response = probe(client, team_id, "agent:helper/tool:add", **{"arg.a": "40", "arg.b": "2", "arg.loud": "on"})
    assert response.status_code == 200
    assert re.search(r'<pre class="probe-output">42!</pre>', response.text)


def test_bad_arguments_name_the_field(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    response = probe(client, team_id, "agent:helper/tool:add", **{"arg.a": "", "arg.tags": "[1,"})
    assert response.status_code == 200
    assert "<li>a: a value is required</li>" in response.text
    assert "<li>tags: not valid JSON" in response.text
    assert 'data-probe-status="error"' in response.text


def test_an_agent_turn_shows_each_message(client: TestClient) -> None:
    team_id = make_team(client, team_json("<b>Hello</b> from helper"))
    response = probe(client, team_id, "agent:helper", task="say hi")
    assert response.status_code == 200
    assert '<li data-type="TextMessage" data-source="helper">' in response.text
    assert "&lt;b&gt;Hello&lt;/b&gt; from helper" in response.text


def test_probing_an_unknown_node_or_team_is_a_404_message(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    gone = probe(client, team_id, "agent:nobody", task="x")
    assert gone.status_code == 404 and "No node" in gone.text and "agent:nobody" in gone.text
    assert probe(client, 9999, "agent:helper", task="x").status_code == 404
    team = probe(client, team_id, "team", task="x")
    assert team.status_code == 200 and "Only models, tools and agents have a Test button." in team.text
