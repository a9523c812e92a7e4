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
    assert team.status_code == 200 and "Only models, tools, agents and MCP workbenches have a Test button." in team.text


# ---- MCP workbenches: the server params form, Connect, Run tool --------------------------------------------

MCP_NODE = "at:config.participants[0].config.workbench[0]"


def mcp_team(server_params: dict) -> dict:
    bench = {"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench", "label": "Test server",
             "config": {"server_params": server_params}}
    team = team_json("hi")
    agent = team["config"]["participants"][0]["config"]
    del agent["tools"]
    agent["workbench"] = [bench]
    return team


def test_the_server_params_form_switches_kind_keeping_what_carries_over(client: TestClient) -> None:
    from tests.support.mcp_servers import stdio_params

    team_id = make_team(client, mcp_team(stdio_params()))
    page = client.get(f"/builder/{team_id}", params={"node": MCP_NODE}).text
    assert '<label for="f-config-server_params-type">Server kind' in page
    assert 'name="config.server_params.command"' in page and 'name="config.server_params.read_timeout_seconds"' in page
    assert "The program that starts the server" in page  # help from the params' field descriptions
    prefix = "config.server_params."
    sse = {"_node": MCP_NODE, prefix + "type": "SseServerParams"}
    answer = client.post(f"/builder/{team_id}/properties", data=sse, headers=HTMX).text
    assert 'name="config.server_params.url"' in answer and 'name="config.server_params.command"' not in answer
    assert "field required" in answer  # the URL, until one is entered
    filled = {"_node": MCP_NODE, prefix + "type": "SseServerParams", prefix + "url": "http://127.0.0.1:9/sse",
              prefix + "headers": '{"X-Team": "blue"}', prefix + "timeout": "7"}
    client.post(f"/builder/{team_id}/properties", data=filled, headers=HTMX)
    http = {**filled, prefix + "type": "StreamableHttpServerParams"}
    answer = client.post(f"/builder/{team_id}/properties", data=http, headers=HTMX).text
    assert 'name="config.server_params.terminate_on_close"' in answer
    bench = json.loads(client.get(f"/builder/{team_id}/export").text)["config"]["participants"][0]["config"][
        "workbench"][0]
    assert bench["config"]["server_params"] == {"type": "StreamableHttpServerParams", "url": "http://127.0.0.1:9/sse",
                                                "headers": {"X-Team": "blue"}, "timeout": 7.0, "sse_read_timeout": 300,
                                                "terminate_on_close": True}


def test_an_mcp_workbench_from_the_library_goes_on_an_assistant(client: TestClient) -> None:
    team_id = make_team(client, team_json("hi"))
    page = client.get(f"/builder/{team_id}", params={"node": "agent:helper"}).text
    assert 'data-add="builtin:workbench:mcp"' in page and 'aria-label="Add to selected: MCP workbench"' in page
    answer = client.post(f"/builder/{team_id}/drop", data={"item": "builtin:workbench:mcp", "target": "agent:helper"},
                         headers=HTMX).text
    assert 'aria-label="MCP workbench MCP workbench of helper: python server.py"' in answer
    assert "not connected" in answer


def _connect(client: TestClient, params: dict) -> tuple[int, str]:
    team_id = make_team(client, mcp_team(params))
    section = client.get(f"/builder/{team_id}/probe", params={"node": MCP_NODE}, headers=HTMX).text
    assert re.search(r">\s*Connect\s*<", section) and 'data-probe-kind="mcp"' in section
    return team_id, probe(client, team_id, MCP_NODE).text


def test_connect_lists_the_tools_resources_and_prompts_over_stdio(client: TestClient) -> None:
    from tests.support.mcp_servers import stdio_params

    team_id, listed = _connect(client, stdio_params())
    assert 'data-probe-status="ok"' in listed and "Connected to studio-test-server" in listed
    assert 'data-mcp-tool="convert"' in listed
    assert "&#34;required&#34;" in listed or "&quot;required&quot;" in listed  # the input schema, escaped
    assert "notes://greeting" in listed and "summarise" in listed  # a resource and a prompt
    assert 'hx-swap-oob="innerHTML"' in listed and 'class="tool-chip mcp-tool">convert<' in listed  # on the canvas
    page = client.get(f"/builder/{team_id}").text
    assert 'class="tool-chip mcp-tool">add<' in page  # remembered for the page, not in the team
    assert "studio-test-server" not in client.get(f"/builder/{team_id}/export").text
    section = client.get(f"/builder/{team_id}/probe", params={"node": MCP_NODE}, headers=HTMX).text
    assert 'data-mcp-tool="add"' in section


def test_connect_over_streamable_http(client: TestClient) -> None:
    from tests.support.mcp_servers import http_server

    with http_server("http") as server:
        _, listed = _connect(client, server.params())
    assert 'data-probe-status="ok"' in listed and 'data-mcp-tool="echo"' in listed


def test_a_server_that_cannot_start_shows_its_error_escaped(client: TestClient) -> None:
    _, listed = _connect(client, {"type": "StdioServerParams", "command": "no-such-<server>"})
    assert 'data-probe-status="error"' in listed
    assert "no-such-&lt;server&gt;" in listed and "<server>" not in listed


def test_run_tool_calls_one_tool_with_its_schema_form(client: TestClient) -> None:
    from tests.support.mcp_servers import stdio_params

    team_id, listed = _connect(client, stdio_params())
    assert 'name="arg.a"' in listed and 'type="number" step="1"' in listed
    assert 'aria-label="Run tool add"' in listed

    def run(**form: str) -> str:
        return probe(client, team_id, MCP_NODE, **form).text

    added = run(mcp_tool="add", **{"arg.a": "2", "arg.b": "3"})
    assert 'data-probe-status="ok"' in added and ">5</pre>" in added
    echoed = run(mcp_tool="echo", **{"arg.text": "<b>bold</b>"})
    assert "&lt;b&gt;bold&lt;/b&gt;" in echoed and "<b>bold</b>" not in echoed
    failed = run(mcp_tool="fail", **{"arg.reason": "on purpose"})
    assert 'data-probe-status="error"' in failed and "on purpose" in failed
    missing = run(mcp_tool="add", **{"arg.a": "x"})
    assert "a: &#39;x&#39; is not a whole number" in missing and "b: a value is required" in missing
    unknown = run(mcp_tool="nope")
    assert 'data-probe-status="error"' in unknown and "Connect again" in unknown
