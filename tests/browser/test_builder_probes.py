"""The Builder's Test buttons in a real browser: one turn of an agent with a replay model, and a tool
run in the sandbox with the form generated from its schema."""

from __future__ import annotations

import json
import uuid

from playwright.sync_api import Page, expect

from .shots import shoot

INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
        "structured_output": False}
ADD_SOURCE = ('from typing import Annotated\n\n'
              'def add(a: Annotated[int, "The first number"], b: int = 2, loud: bool = False) -> str:\n'
              '    total = a + b\n'
              '    return f"{total}!" if loud else str(total)\n')
TEAM = {
    "provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
    "config": {"max_turns": 1, "participants": [{
        "provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
        "config": {
            "name": "helper", "system_message": "Be brief.",
            "model_client": {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient",
                             "component_type": "model",
                             "config": {"chat_completions": ["Hello, <i>I am</i> the helper."], "model_info": INFO}},
            "tools": [{"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
                       "config": {"name": "add", "description": "Add two numbers.", "global_imports": [],
                                  "has_cancellation_support": False, "source_code": ADD_SOURCE}}],
        },
    }]},
}


def _team_with_a_helper(page: Page) -> None:
    page.goto("/teams/new")
    page.get_by_label("Name").fill(f"Probes {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Create team").click()
    team_id = page.url.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"/builder/{team_id}")
    page.get_by_role("button", name="JSON view").click()
    page.get_by_role("textbox", name="Team JSON").fill(json.dumps(TEAM, indent=2))
    page.get_by_role("button", name="Apply JSON").click()
    expect(page.get_by_role("region", name="Team canvas").locator('[data-agent-name="helper"]')).to_be_visible()


def test_run_one_turn_of_an_agent_then_a_tool(page: Page) -> None:
    _team_with_a_helper(page)
    canvas = page.get_by_role("region", name="Team canvas")
    canvas.locator('[data-agent-name="helper"] .node-select').click()
    task = page.get_by_role("textbox", name="Test task")
    expect(task).to_be_visible()
    task.fill("Who are you?")
    page.get_by_role("button", name="Run one turn").click()
    result = page.get_by_role("status").filter(has=page.locator(".probe-messages"))
    expect(result.locator('[data-type="TextMessage"][data-source="helper"]')).to_contain_text(
        "Hello, <i>I am</i> the helper.")  # shown as text: the model's markup is escaped
    expect(result.locator('[data-source="user"]')).to_contain_text("Who are you?")
    shoot(page, "probe-agent-turn", dark=True, element="#properties")

    canvas.get_by_role("button", name="Tool add of helper").click()
    a = page.get_by_role("spinbutton", name="a")
    expect(a).to_be_visible()
    expect(page.get_by_role("spinbutton", name="b")).to_have_value("2")
    shoot(page, "probe-tool-form", dark=True, element="#properties")
    page.get_by_role("button", name="Run tool").click()
    expect(page.locator("#probe-result")).to_contain_text("a: a value is required")
    shoot(page, "probe-tool-bad-args", dark=True, element="#properties")
    a.fill("40")
    page.get_by_role("checkbox", name="loud").check()
    page.get_by_role("button", name="Run tool").click()
    expect(page.locator("#probe-result .probe-output")).to_have_text("42!")
    expect(page.locator("#probe-result")).to_have_attribute("data-probe-status", "ok")
    shoot(page, "probe-tool-result", dark=True, element="#properties")


def test_a_model_without_a_credential_links_to_adding_one_for_its_endpoint(page: Page) -> None:
    """The imported model names an endpoint no credential is saved for: Run one turn says so, and its link
    opens Settings' Add credential filled in for that endpoint."""
    endpoint = f"https://models-{uuid.uuid4().hex[:6]}.foreign.example/v1"
    team = json.loads(json.dumps(TEAM))
    helper = team["config"]["participants"][0]["config"]
    helper["model_client"] = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
                              "component_type": "model", "config": {"model": "gpt-4o-mini", "base_url": endpoint}}
    helper.pop("tools")
    page.goto("/teams/new")
    page.get_by_label("Name").fill(f"Foreign {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Create team").click()
    page.goto(f"/builder/{page.url.rstrip('/').rsplit('/', 1)[1]}")
    page.get_by_role("button", name="JSON view").click()
    page.get_by_role("textbox", name="Team JSON").fill(json.dumps(team, indent=2))
    page.get_by_role("button", name="Apply JSON").click()
    page.get_by_role("region", name="Team canvas").locator('[data-agent-name="helper"] .node-select').click()
    page.get_by_role("textbox", name="Test task").fill("Hello?")
    page.get_by_role("button", name="Run one turn").click()
    expect(page.locator(".probe-error")).to_contain_text(f"No credential for endpoint {endpoint}")
    link = page.get_by_role("link", name=f"Add a credential for {endpoint} in Settings")
    expect(link).to_be_visible()
    shoot(page, "probe-missing-credential", dark=True, element="#properties")
    link.click()
    expect(page.get_by_label("Endpoint URL")).to_have_value(endpoint)
    expect(page.get_by_label("Kind of endpoint")).to_have_value("openai_compatible")
    page.get_by_label("API key").fill("sk-browser-foreign-key-0000abcd")
    page.get_by_role("button", name="Add credential").click()
    expect(page.get_by_role("row").filter(has_text=endpoint)).to_contain_text("sk-…abcd")
