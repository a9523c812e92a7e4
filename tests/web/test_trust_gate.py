"""One gate, every execution path: an imported team whose code (tool source, its global imports, a code
executor, a code execution tool's executor, an MCP stdio server's command) or a server sent variables (an
HttpTool's) is not trusted is refused by the Playground, `/api/serve` (runs, chat completions and MCP tool calls)
and the Builder's Test buttons alike, and nothing of it starts in the sandbox; once trusted on its review page,
it runs on each of them."""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from studio.runtime import isolation
from studio.services import galleries
from studio.services.credentials import save_variable
from studio.store import get_run
from tests.components.builders import CODE_AGENT, env
from tests.support.mcp_servers import http_server, stdio_params

from .teams_support import HTMX, app_db

INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
        "structured_output": False}
CALL_ADD = {"finish_reason": "function_calls", "content": [{"id": "c1", "name": "add", "arguments": '{"a": 1, "b": 2}'}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1}, "cached": False}
CODE_REPLY = "```python\nprint(1 + 2)\n```"


def _model(*replies: Any) -> dict[str, Any]:
    return {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
            "config": {"chat_completions": list(replies) * 4, "model_info": INFO}}


def tool_team(global_imports: list[Any] | None = None) -> dict[str, Any]:
    tool = {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
            "config": {"name": "add", "description": "Add two numbers.", "global_imports": global_imports or [],
                       "has_cancellation_support": False,
                       "source_code": "def add(a: int, b: int) -> int:\n    return a + b\n"}}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "helper", "model_client": _model(CALL_ADD, "3."), "tools": [tool]}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": "Adds",
            "config": {"participants": [agent], "max_turns": 1}}


def executor_team() -> dict[str, Any]:
    coder = env(CODE_AGENT, name="helper", model_client=_model(CODE_REPLY),
                code_executor=env("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", timeout=30))
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
            "label": "Runs code", "config": {"participants": [coder], "max_turns": 1}}


def code_tool_team() -> dict[str, Any]:
    tool = {"provider": "autogen_ext.tools.code_execution.PythonCodeExecutionTool", "component_type": "tool",
            "config": {"executor": env("autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", timeout=30)}}
    call = {**CALL_ADD, "content": [{"id": "c1", "name": "CodeExecutor", "arguments": '{"code": "print(1 + 2)"}'}]}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "helper", "model_client": _model(call), "tools": [tool]}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
            "label": "Runs code as a tool", "config": {"participants": [agent], "max_turns": 1}}


def http_tool_team(variables: list[str]) -> dict[str, Any]:
    headers = {"Authorization": "Bearer ${API_TOKEN}"} if variables else {}
    tool = {"provider": "autogen_ext.tools.http.HttpTool", "component_type": "tool", "config": {
        "name": "lookup", "description": "Looks up.", "host": "127.0.0.1", "port": 9, "path": "/x", "method": "GET",
        "headers": headers, "json_schema": {"type": "object", "properties": {}}, "variables": variables}}
    call = {**CALL_ADD, "content": [{"id": "c1", "name": "lookup", "arguments": "{}"}]}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "helper", "model_client": _model(call), "tools": [tool]}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
            "label": "Calls a server", "config": {"participants": [agent], "max_turns": 1}}


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the sandbox was asked to start (every tool worker and code block starts through `isolation`)."""
    calls: list[str] = []
    for name in ("start", "run"):
        real = getattr(isolation, name)

        def record(*args: Any, _real: Callable[..., Any] = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(isolation, name, record)
    return calls


def imported(client: TestClient, component: dict[str, Any]) -> int:
    answer = client.post("/api/teams/import", json=component)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["teams"][0]["id"])


def trust_on_review_page(client: TestClient, team_id: int) -> None:
    page = client.get(f"/teams/{team_id}/trust").text
    digests = re.findall(r'name="digest" value="(\w+)"', page)
    assert digests
    client.post(f"/teams/{team_id}/trust", data={"digest": digests})
    assert "nothing-to-trust" in client.get(f"/teams/{team_id}/trust").text


# Each path: (run it, did it refuse as untrusted?, did it run?)
def playground(client: TestClient, team_id: int) -> tuple[bool, bool]:
    opened = client.post(f"/playground/teams/{team_id}/session", follow_redirects=False)
    conversation_id = int(opened.headers["location"].rsplit("/", 1)[1])
    answer = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "Go"}, headers=HTMX)
    if answer.status_code != 200:
        return "not reviewed and trusted yet" in answer.text, False
    run_id = int(re.findall(r'data-run-id="(\d+)"', answer.text)[0])
    with client.stream("GET", f"/playground/runs/{run_id}/events") as events:
        assert "event: end" in "".join(events.iter_text())
    with app_db(client) as db:
        run = get_run(db, run_id)
        return False, run is not None and run.status == "complete"


def serve_run(client: TestClient, team_id: int) -> tuple[bool, bool]:
    answer = client.post(f"/api/serve/teams/{team_id}/runs", json={"task": "Go"})
    if answer.status_code == 403:
        return {p["kind"] for p in answer.json()["detail"]["problems"]} == {"untrusted"}, False
    return False, answer.status_code == 200


def chat_completion(client: TestClient, team_id: int) -> tuple[bool, bool]:
    answer = client.post("/api/serve/v1/chat/completions",
                         json={"model": str(team_id), "messages": [{"role": "user", "content": "Go"}]})
    if answer.status_code == 403:
        return answer.json()["error"]["code"] == "team_not_trusted", False
    return False, answer.status_code == 200


def mcp_tool(client: TestClient, team_id: int) -> tuple[bool, bool]:
    """A `tools/call` posted as an MCP client would (the SDK's client itself: routes/test_api_serve.py)."""
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": str(team_id), "arguments": {"task": "Go"}}}
    answer = client.post("/api/serve/mcp", json=call, headers={"Accept": "application/json, text/event-stream"})
    result = json.loads(answer.text.rsplit("data: ", 1)[1])["result"]
    if result["isError"]:
        return "not reviewed and trusted yet" in result["content"][0]["text"], False
    return False, result["structuredContent"]["stop_reason"] != ""


def agent_probe(client: TestClient, team_id: int) -> tuple[bool, bool]:
    client.get(f"/builder/{team_id}")
    answer = client.post(f"/builder/{team_id}/probe", data={"node": "agent:helper", "task": "Go"}, headers=HTMX).text
    refused = "not reviewed and trusted yet" in answer and f'href="/teams/{team_id}/trust?next=/builder/{team_id}"' in answer
    return refused, 'data-probe-status="ok"' in answer


def tool_probe(client: TestClient, team_id: int) -> tuple[bool, bool]:
    client.get(f"/builder/{team_id}")
    answer = client.post(f"/builder/{team_id}/probe", data={"node": "agent:helper/tool:add", "arg.a": "1", "arg.b": "2"},
                         headers=HTMX).text
    return "not reviewed and trusted yet" in answer, 'data-probe-status="ok"' in answer


MCP_NODE = "at:config.participants[0].config.workbench[0]"


def mcp_connect(client: TestClient, team_id: int) -> tuple[bool, bool]:
    """The Builder's Connect on an MCP workbench, then Run tool on what it listed."""
    client.get(f"/builder/{team_id}")
    answer = client.post(f"/builder/{team_id}/probe", data={"node": MCP_NODE}, headers=HTMX).text
    refused = "not reviewed and trusted yet" in answer and f'href="/teams/{team_id}/trust?next=/builder/{team_id}"' in answer
    ran = client.post(f"/builder/{team_id}/probe", data={"node": MCP_NODE, "mcp_tool": "add", "arg.a": "1", "arg.b": "2"},
                      headers=HTMX).text
    assert refused == ("not reviewed and trusted yet" in ran)
    return refused, 'data-probe-status="ok"' in answer and 'data-probe-status="ok"' in ran


PATHS = {"playground": playground, "serve run": serve_run, "chat completion": chat_completion, "mcp tool": mcp_tool,
         "agent probe": agent_probe, "tool probe": tool_probe, "mcp connect": mcp_connect}


@pytest.mark.parametrize("path", [p for p in PATHS if p != "mcp connect"])
def test_imported_tool_code_is_refused_on_every_path_until_trusted(client: TestClient, started: list[str],
                                                                   path: str) -> None:
    team_id = imported(client, tool_team())
    assert PATHS[path](client, team_id) == (True, False)
    assert started == []  # nothing of it started in the sandbox
    trust_on_review_page(client, team_id)
    assert PATHS[path](client, team_id) == (False, True)
    if isolation.status().available:
        assert started  # its tool ran, in the sandbox


@pytest.mark.parametrize("path", ["playground", "serve run", "mcp tool", "agent probe"])
def test_a_code_executor_of_an_imported_team_is_refused_until_trusted(client: TestClient, started: list[str],
                                                                      path: str) -> None:
    team_id = imported(client, executor_team())
    assert PATHS[path](client, team_id) == (True, False)
    assert started == []
    trust_on_review_page(client, team_id)
    refused, _ = PATHS[path](client, team_id)
    assert not refused


@pytest.mark.parametrize("path", ["playground", "serve run", "mcp tool", "agent probe"])
def test_a_python_code_tool_of_an_imported_team_is_refused_until_trusted(client: TestClient, started: list[str],
                                                                         path: str) -> None:
    team_id = imported(client, code_tool_team())
    assert PATHS[path](client, team_id) == (True, False)
    assert started == []
    page = client.get(f"/teams/{team_id}/trust").text
    assert "Code executor</strong> at <code>config.participants[0].config.workbench[0].config.tools[0]" in page
    trust_on_review_page(client, team_id)
    assert PATHS[path](client, team_id) == (False, True)
    if isolation.status().available:
        assert "run" in started  # its code ran, in the sandbox


def test_an_http_tool_that_sends_variables_is_refused_until_trusted(client: TestClient) -> None:
    team_id = imported(client, http_tool_team(["API_TOKEN"]))
    assert serve_run(client, team_id) == (True, False)
    page = client.get(f"/teams/{team_id}/trust").text
    assert "Connects to this server and sends it the variables below, in these headers" in page
    assert "http://127.0.0.1:9/x" in page and "<code>API_TOKEN</code>" in page
    trust_on_review_page(client, team_id)
    assert serve_run(client, team_id) == (False, True)  # it runs (its call fails: nothing listens on port 9)
    assert serve_run(client, imported(client, http_tool_team([]))) == (False, True)  # sends no secret: not gated


def test_a_global_import_added_to_trusted_code_makes_it_new_code(client: TestClient, started: list[str]) -> None:
    trusted = imported(client, tool_team())
    trust_on_review_page(client, trusted)
    same_source = imported(client, tool_team(global_imports=["os"]))
    assert serve_run(client, same_source) == (True, False)
    page = client.get(f"/teams/{same_source}/trust").text
    assert "Imported before the code runs" in page and '"os"' in page
    assert serve_run(client, trusted) == (False, True)


def test_code_typed_in_the_builder_is_the_users_and_runs(client: TestClient, started: list[str]) -> None:
    answer = client.post("/teams", data={"label": "Mine"}, follow_redirects=False)
    team_id = int(answer.headers["location"].rsplit("/", 1)[1])
    component = copy.deepcopy(tool_team())
    applied = client.post(f"/builder/{team_id}/json", data={"component_json": json.dumps(component)}, headers=HTMX)
    assert "Applied the JSON." in applied.text
    assert tool_probe(client, team_id) == (False, True)


def test_only_the_gate_hands_out_keys_for_a_run() -> None:
    """The saved keys reach a run only through `admission.admit`: no other module of the studio loads them,
    except the Settings pages that list them and the default model's name."""
    root = Path(__file__).resolve().parents[2] / "studio"
    callers = {str(p.relative_to(root)) for p in root.rglob("*.py") if "load_credentials(" in p.read_text()}
    assert callers == {"services/credentials.py", "services/admission.py", "services/teams.py",
                       "web/routes/settings.py", "web/routes/api_settings.py"}


def mcp_team(server_params: dict[str, Any] | None = None) -> dict[str, Any]:
    """A team whose agent's tools come from an MCP server, by default one the studio starts (stdio): a command."""
    workbench = {"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench",
                 "config": {"server_params": server_params or stdio_params()}}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "helper", "model_client": _model(CALL_ADD, "3."), "workbench": [workbench]}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
            "label": "Adds over MCP", "config": {"participants": [agent], "max_turns": 1}}


@pytest.mark.parametrize("path", ["playground", "serve run", "chat completion", "mcp tool", "agent probe",
                                  "mcp connect"])
def test_an_imported_mcp_stdio_server_does_not_start_until_trusted(client: TestClient, started: list[str],
                                                                   path: str) -> None:
    team_id = imported(client, mcp_team())
    assert PATHS[path](client, team_id) == (True, False)
    assert started == []  # the server was not started, in the sandbox or anywhere
    review = client.get(f"/teams/{team_id}/trust").text
    assert "mcp_server.py" in review and json.dumps(sys.executable)[1:-1] in review  # the command, shown
    trust_on_review_page(client, team_id)
    assert PATHS[path](client, team_id) == (False, True)
    assert "start" in started  # it ran, through the sandbox


def test_an_mcp_command_changed_after_trust_is_new_code(client: TestClient, started: list[str]) -> None:
    trusted = imported(client, mcp_team())
    trust_on_review_page(client, trusted)
    changed = mcp_team()
    workbench = changed["config"]["participants"][0]["config"]["workbench"][0]
    workbench["config"]["server_params"]["env"] = {"EXTRA": "1"}
    assert serve_run(client, imported(client, changed)) == (True, False)
    assert started == []


def test_a_gallery_template_with_an_mcp_server_is_refused_until_trusted(client: TestClient,
                                                                         started: list[str]) -> None:
    gallery = {"name": "Shared", "components": {"teams": [mcp_team()]}}
    client.post("/gallery/import", files={"file": ("shared.json", json.dumps(gallery).encode(), "application/json")})
    with app_db(client) as db:
        shared = next(g for g in galleries.list_galleries(db) if g.name == "Shared")
        item = galleries.gallery_items(db, gallery_id=shared.id)[0]
    assert "not trusted yet" in client.get("/gallery", params={"gallery": shared.id}).text
    used = client.post(f"/gallery/items/{item.id}/use", follow_redirects=False)
    team_id = int(used.headers["location"].rsplit("/", 1)[1])
    assert playground(client, team_id) == (True, False)
    assert started == []


def test_an_http_mcp_server_sent_a_variable_runs_only_once_trusted(client: TestClient) -> None:
    """A header naming a variable from Settings sends it to the server's URL: an imported team's is reviewed."""
    with app_db(client) as db:
        save_variable(db, "TEAM_TOKEN", "team-secret-value-45")
    with http_server("http") as server:
        sent = mcp_team(server.params(headers={"Authorization": "Bearer ${TEAM_TOKEN}"}))
        team_id = imported(client, sent)
        assert serve_run(client, team_id) == (True, False)
        review = client.get(f"/teams/{team_id}/trust").text
        assert "Connects to this server" in review and server.url in review and "TEAM_TOKEN" in review
        trust_on_review_page(client, team_id)
        assert serve_run(client, team_id) == (False, True)
        plain = imported(client, mcp_team(server.params(headers={"X-Team": "docs"})))
        assert serve_run(client, plain) == (False, True)  # sent nothing from Settings: nothing to review
