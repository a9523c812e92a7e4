"""An MCP workbench in the Builder, by keyboard in a real browser: added to an agent from the library, its stdio
server set in the params form (a kind switch and back), Connect listing the test server's tools on the agent's
node, and Run tool calling one of them with the form generated from its input schema."""

from __future__ import annotations

import json
import uuid

from playwright.sync_api import Page, expect

from tests.support.mcp_servers import stdio_params

from .shots import shoot
from .test_a11y_builder import _settled
from .test_builder_focus import _library_button, _press

HELPER = {
    "provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team",
    "config": {"max_turns": 1, "participants": [{
        "provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
        "config": {"name": "helper", "system_message": "Be brief.",
                   "model_client": {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient",
                                    "component_type": "model", "config": {"chat_completions": ["hi"]}}},
    }]},
}


def _type(page: Page, name: str, text: str, role: str = "textbox") -> None:
    """Type into the properties field `name` and leave it (its change posts the form), once it has settled."""
    _settled(page)
    field = page.locator("#properties").get_by_role(role, name=name, exact=True)  # type: ignore[arg-type]
    field.fill(text)
    field.press("Tab")
    _settled(page)


def test_add_an_mcp_workbench_connect_and_run_a_tool_by_keyboard(page: Page) -> None:
    response = page.request.post("/api/teams", data={"component": HELPER | {"label": f"MCP {uuid.uuid4().hex[:6]}"}})
    assert response.status == 201, response.text()
    page.goto(f"/builder/{response.json()['id']}?node=agent:helper")
    _press(page, _library_button(page, "McpWorkbench"))
    canvas = page.get_by_role("region", name="Team canvas")
    bench = canvas.get_by_role("button", name="MCP workbench MCP workbench of helper: python server.py")
    expect(bench).to_be_visible()
    expect(canvas.locator(".mcp-bench")).to_contain_text("not connected")
    _press(page, bench)
    kind = page.get_by_role("combobox", name="Server kind")
    expect(kind).to_have_value("StdioServerParams")

    _settled(page)
    kind.select_option("StreamableHttpServerParams")  # a switch shows the other kind's fields...
    expect(page.locator("#properties").get_by_role("textbox", name="URL", exact=True)).to_be_visible()
    shoot(page, "mcp-params-http", dark=True, element="#properties")
    _settled(page)
    page.get_by_role("combobox", name="Server kind").select_option("StdioServerParams")  # ...and back
    params = stdio_params()
    _type(page, "Command", params["command"])
    _type(page, "Arguments", "\n".join(params["args"]))
    _type(page, "Working directory", params["cwd"])
    _type(page, "Read timeout (seconds)", str(params["read_timeout_seconds"]), "spinbutton")
    shoot(page, "mcp-params-stdio", dark=True, element="#properties")

    _press(page, page.get_by_role("button", name="Connect"))
    result = page.locator("#probe-result")
    expect(result).to_have_attribute("data-probe-status", "ok", timeout=60_000)
    expect(result).to_contain_text("Connected to studio-test-server")
    expect(result.locator('[data-mcp-tool="add"]')).to_contain_text("Add two integers.")
    expect(result).to_contain_text("notes://greeting")
    node_tools = page.locator("#canvas .mcp-bench .mcp-tool")
    expect(node_tools.filter(has_text="convert")).to_be_visible()  # the listing shows on the agent's node
    shoot(page, "mcp-connected", dark=True, element="#properties")
    shoot(page, "mcp-canvas", element="#canvas")

    add = result.locator('[data-mcp-tool="add"]')
    _press(page, add.locator("summary").filter(has_text="Run add"))
    add.get_by_role("spinbutton", name="a").fill("40")
    add.get_by_role("spinbutton", name="b").fill("2")
    _press(page, add.get_by_role("button", name="Run tool add"))
    answer = add.locator(".mcp-run-result")
    expect(answer.locator(".probe-output")).to_have_text("42")
    expect(answer.locator("[data-probe-status]")).to_have_attribute("data-probe-status", "ok")
    shoot(page, "mcp-run-tool", dark=True, element="#properties")

    saved = page.request.get(page.url.split("?")[0] + "/export").text()
    bench_json = json.loads(saved)["config"]["participants"][0]["config"]["workbench"][-1]
    assert bench_json["config"]["server_params"]["args"] == params["args"]
    assert "studio-test-server" not in saved  # the listing is the page's, not the team's
