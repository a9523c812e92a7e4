"""What counts as executable, and how its digest follows exactly what runs (`studio.services.trust`)."""

from __future__ import annotations

import copy
from typing import Any

from sqlmodel import Session

from studio.services import trust
from tests.components.builders import CODE_AGENT, env, team, tool

ROUND_ROBIN = "autogen_agentchat.teams.RoundRobinGroupChat"
MCP = "autogen_ext.tools.mcp.McpWorkbench"


def mcp_agent() -> dict[str, Any]:
    params = {"type": "StdioServerParams", "command": "uvx", "args": ["mcp-server-fetch"], "env": {"A": "1"}}
    workbench = env(MCP, server_params=params)
    return env("autogen_agentchat.agents.AssistantAgent", name="fetcher", workbench=[workbench],
               tools=[tool("add")])


def test_every_kind_is_found_once_at_its_path() -> None:
    coder = env(CODE_AGENT, name="coder", code_executor={
        "provider": "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor",  # opaque here: still runs code
        "component_type": "code_executor", "config": {"image": "python:3"}})
    found = trust.executables(team(ROUND_ROBIN, mcp_agent(), coder))
    assert [(e.path, e.kind) for e in found] == [
        ("config.participants[0].config.workbench[0].config.server_params", "command"),
        ("config.participants[0].config.tools[0]", "tool code"),
        ("config.participants[1].config.code_executor", "code executor"),
    ]
    assert found[0].details == {"command": "uvx", "args": ["mcp-server-fetch"], "env": {"A": "1"}, "cwd": None}


def test_mcp_servers_sent_variables_are_reviewed_with_them() -> None:
    stdio = {"type": "StdioServerParams", "command": "github-mcp", "env": {"TOKEN": "${GITHUB_TOKEN}"}}
    sent = {"type": "SseServerParams", "url": "https://mcp.example/sse", "headers": {"Authorization": "${API_TOKEN}"}}
    plain = {"type": "StreamableHttpServerParams", "url": "https://mcp.example/mcp", "headers": {"X-Team": "docs"}}
    agent = env("autogen_agentchat.agents.AssistantAgent", name="a", workbench=[
        env(MCP, server_params=params) for params in (stdio, sent, plain)])
    found = trust.executables(agent)
    assert [(e.path, e.kind, e.variables) for e in found] == [
        ("config.workbench[0].config.server_params", "command", ["GITHUB_TOKEN"]),
        ("config.workbench[1].config.server_params", "server", ["API_TOKEN"]),
    ]  # a server sent nothing from Settings runs nothing of the team's
    assert found[1].details == {"url": "https://mcp.example/sse", "headers": {"Authorization": "${API_TOKEN}"}}


def test_the_digest_covers_imports_variables_and_arguments_but_not_surrounding_blank_space() -> None:
    base = tool("add")

    def digest(change: Any) -> str:
        changed = copy.deepcopy(base)
        change(changed["config"])
        return trust.executables(changed)[0].digest

    same = trust.executables(base)[0].digest
    assert digest(lambda c: c.update(source_code="\n" + c["source_code"] + "\n\n")) == same
    assert digest(lambda c: c.update(name="other name")) == same  # what runs is unchanged
    assert digest(lambda c: c.update(global_imports=["os"])) != same
    assert digest(lambda c: c.update(variables=["SERPAPI_KEY"])) != same
    command = trust.executables(mcp_agent())[0]
    other = mcp_agent()
    other["config"]["workbench"][0]["config"]["server_params"]["args"].append("--evil")
    assert trust.executables(other)[0].digest != command.digest


def test_a_code_execution_tools_executor_and_an_http_tool_sending_variables_are_found() -> None:
    code_tool = env("autogen_ext.tools.code_execution.PythonCodeExecutionTool", executor=env(
        "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", timeout=5))
    http = env("autogen_ext.tools.http.HttpTool", name="get", host="api.example.com", port=443, scheme="https",
               path="/v1/{q}", headers={"Authorization": "Bearer ${TOKEN}"}, json_schema={"type": "object"},
               variables=["TOKEN"])
    quiet = env("autogen_ext.tools.http.HttpTool", name="ping", host="h", port=80, json_schema={"type": "object"})
    agent = env("autogen_agentchat.agents.AssistantAgent", name="a", tools=[code_tool, http, quiet])
    found = trust.executables(agent)
    assert [(e.path, e.kind) for e in found] == [("config.tools[0].config.executor", "code executor"),
                                                 ("config.tools[1]", "server")]
    assert found[1].runs == {"method": "POST", "url": "https://api.example.com:443/v1/{q}", "variables": ["TOKEN"],
                             "headers": {"Authorization": "Bearer ${TOKEN}"}}
    moved = copy.deepcopy(http)
    moved["config"]["host"] = "evil.example"
    assert trust.executables(moved)[0].digest != found[1].digest  # the secret would go elsewhere: new to review


def test_only_imported_untrusted_code_is_blocked_and_trusting_takes_only_what_was_shown(db: Session) -> None:
    typed = team(ROUND_ROBIN, env("autogen_agentchat.agents.AssistantAgent", name="a", tools=[tool("mine")]))
    arrived = team(ROUND_ROBIN, mcp_agent())
    trust.note_imported(db, arrived)
    assert trust.blocked(db, typed) == []
    blocked = trust.blocked(db, arrived)
    assert [e.kind for e in blocked] == ["command", "tool code"]
    assert trust.trust_reviewed(db, arrived, [blocked[0].digest, "never shown"]) == 1
    assert [e.kind for e in trust.blocked(db, arrived)] == ["tool code"]
    trust.note_imported(db, arrived)  # imported again: what is trusted stays trusted
    assert [e.kind for e in trust.blocked(db, arrived)] == ["tool code"]
