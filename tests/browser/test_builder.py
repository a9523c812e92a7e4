"""The Builder in a real browser, with real mouse drags: add an agent by dragging it onto the team,
undo it with Ctrl+Z, redo, save, reload and find it; a graph team's edges; the JSON view."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from .shots import shoot

SETTLING = re.compile("htmx-(request|swapping|settling)")


def _new_team(page: Page, label: str) -> str:
    page.goto("/teams/new")
    page.get_by_label("Name").fill(label)
    page.get_by_role("button", name="Create team").click()
    team_id = page.url.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"/builder/{team_id}")
    expect(page.get_by_role("region", name="Team canvas")).to_be_visible()
    builder_ready(page)
    return team_id


def builder_ready(page: Page) -> None:
    """builder.js has run: drags and shortcuts work from now on."""
    expect(page.locator("#builder")).to_have_attribute("data-ready", "true")


def _mouse_drag(page: Page, source: Locator, target: Locator) -> None:
    """A real drag: press on the source, move in steps, release over the target. Both are scrolled into
    view, the target last (the library is sticky, so a library item stays in view)."""
    source.scroll_into_view_if_needed()
    target.scroll_into_view_if_needed()
    a, b = source.bounding_box(), target.bounding_box()
    assert a and b
    x, y = a["x"] + min(20, a["width"] / 2), a["y"] + a["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 10, steps=5)
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=10)
    page.mouse.up()


def test_drag_an_agent_onto_the_team_undo_redo_save_reload(page: Page) -> None:
    _new_team(page, f"Drag {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    item = library.get_by_role("listitem", name="Assistant agent")
    expect(item).to_have_attribute("data-component-type", "agent")
    expect(item).to_have_attribute("data-provider", "autogen_agentchat.agents.AssistantAgent")
    team = canvas.locator("[data-team-provider]")
    expect(canvas.locator("[data-agent-name]")).to_have_count(1)

    _mouse_drag(page, item, team)
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    shoot(page, "builder-added", dark=True)

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()

    page.get_by_role("button", name="Save").click()
    expect(page.locator("#flash")).to_contain_text("as version 2")
    expect(page.get_by_text("All changes saved")).to_be_visible()
    page.reload()
    expect(page.get_by_role("region", name="Team canvas").locator('[data-agent-name="assistant_2"]')).to_be_visible()


def test_keyboard_add_tool_to_selected_agent_and_refusal(page: Page) -> None:
    _new_team(page, f"Keys {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    # a tool with the team selected is refused with the server's reason, nothing changes
    library.get_by_role("listitem", name="Function tool").get_by_role("button", name="Add to selected").click()
    expect(page.locator("#flash")).to_contain_text("Drop a tool on an agent")
    expect(page.get_by_text("All changes saved")).to_be_visible()
    canvas = page.get_by_role("region", name="Team canvas")
    canvas.get_by_role("article", name="assistant").get_by_role("button").first.click()
    expect(page.get_by_label("System message")).to_be_visible()
    library.get_by_role("listitem", name="Function tool").get_by_role("button", name="Add to selected").focus()
    page.keyboard.press("Enter")
    expect(canvas.locator('[data-agent-name="assistant"]')).not_to_contain_text("Tools none")
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    # the properties form edits the selected agent
    page.get_by_label("System message").fill("You write short poems.")
    page.get_by_label("System message").blur()
    page.get_by_role("button", name="JSON view").click()
    expect(page.get_by_role("textbox", name="Team JSON")).to_contain_text("You write short poems.")
    shoot(page, "builder-agent-selected", dark=True)


def test_graph_team_draw_an_edge_and_apply_json(page: Page) -> None:
    _new_team(page, f"Graph {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    _mouse_drag(page, library.get_by_role("listitem", name="GraphFlow team"), canvas.locator("[data-team-provider]"))
    expect(canvas.locator("[data-team-provider]")).to_have_attribute("data-team-provider", "autogen_agentchat.teams.GraphFlow")
    _mouse_drag(page, library.get_by_role("listitem", name="Assistant agent"), canvas.locator("[data-team-provider]"))
    expect(canvas.locator("[data-agent-name]")).to_have_count(2)
    handle = canvas.locator('[data-agent-name="assistant"] .edge-handle')
    _mouse_drag(page, handle, canvas.locator('[data-agent-name="assistant_2"]'))
    expect(canvas.locator('[data-edge-source="assistant"][data-edge-target="assistant_2"]')).to_have_count(1)
    # move a node with the mouse
    node = canvas.locator('[data-agent-name="assistant_2"]')
    page.set_viewport_size({"width": 1280, "height": 1200})  # room below the second layer to drag into
    node.scroll_into_view_if_needed()
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)  # the edge's swap is in
    before = node.bounding_box()
    assert before
    top = node.evaluate("el => el.offsetTop")
    page.mouse.move(before["x"] + 40, before["y"] + 90)
    page.mouse.down()
    page.mouse.move(before["x"] + 60, before["y"] + 170, steps=5)
    page.mouse.move(before["x"] + 40, before["y"] + 250, steps=5)
    page.mouse.up()
    expect(page.get_by_role("button", name="Undo")).to_be_enabled()
    # In the graph's own coordinates: the move's swap may scroll the page to the moved (focused) node.
    page.wait_for_function("""top => document.querySelector('[data-agent-name="assistant_2"]').offsetTop > top + 100""",
                           arg=top)
    shoot(page, "builder-graph", dark=True)

    page.get_by_role("button", name="JSON view").click()
    editor = page.get_by_role("textbox", name="Team JSON")
    document = json.loads(editor.input_value())
    del document["config"]["participants"][0]["config"]["model_client"]
    editor.fill(json.dumps(document, indent=2))
    page.get_by_role("button", name="Apply JSON").click()
    expect(page.locator('.json-view [data-path="config.participants[0].config.model_client"]')).to_be_visible()
    shoot(page, "builder-json-invalid", dark=True)
    expect(canvas.locator("[data-edge-source]")).to_have_count(1)


def _names(page: Page) -> list[str]:
    return page.get_by_role("region", name="Team canvas").locator("[data-agent-name]").evaluate_all(
        "nodes => nodes.map(n => n.dataset.agentName)")


def test_reorder_participants_with_the_keyboard_and_a_drag(page: Page) -> None:
    _new_team(page, f"Order {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    for _ in range(2):
        library.get_by_role("listitem", name="Assistant agent").get_by_role("button", name="Add to team").click()
    expect(canvas.locator("[data-agent-name]")).to_have_count(3)
    assert _names(page) == ["assistant", "assistant_2", "assistant_3"]
    expect(canvas.get_by_role("button", name="Move assistant up")).to_be_disabled()
    canvas.get_by_role("button", name="Move assistant_3 up").focus()
    page.keyboard.press("Enter")
    expect(canvas.locator("[data-agent-name]").nth(1)).to_have_attribute("data-agent-name", "assistant_3")
    up = canvas.get_by_role("button", name="Move assistant_3 up")
    expect(up).to_be_focused()  # focus stays on the button
    expect(up).not_to_have_class(SETTLING)  # htmx has settled the new canvas
    page.keyboard.press("Enter")
    expect(canvas.locator("[data-agent-name]").first).to_have_attribute("data-agent-name", "assistant_3")
    assert _names(page) == ["assistant_3", "assistant", "assistant_2"]
    expect(page.locator("#canvas")).not_to_have_class(SETTLING)  # or the focus lands on a button being replaced
    canvas.get_by_role("button", name="Move assistant down").focus()
    page.keyboard.press("Enter")
    expect(canvas.locator("[data-agent-name]").last).to_have_attribute("data-agent-name", "assistant")
    expect(page.locator("#canvas")).not_to_have_class(SETTLING)
    shoot(page, "builder-reordered")
    # a real mouse drag of a participant onto another's place
    _mouse_drag(page, canvas.locator('[data-agent-name="assistant"] .node-select'), canvas.locator('[data-agent-name="assistant_3"]'))
    expect(canvas.locator("[data-agent-name]").first).to_have_attribute("data-agent-name", "assistant")
    assert _names(page) == ["assistant", "assistant_3", "assistant_2"]
    page.get_by_role("button", name="Undo").click()
    expect(canvas.locator("[data-agent-name]").last).to_have_attribute("data-agent-name", "assistant")


def test_journey_two_agent_round_robin_save_reload_export_validate(page: Page, tmp_path: Path) -> None:
    """The issue's journey: two agents, a model by drop, a tool, TERMINATE OR 10 messages, a system message."""
    _new_team(page, f"Journey {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    team = canvas.locator("[data-team-provider]")
    _mouse_drag(page, library.get_by_role("listitem", name="Assistant agent"), team)
    second = canvas.locator('[data-agent-name="assistant_2"]')
    expect(second).to_be_visible()
    _mouse_drag(page, library.get_by_role("listitem", name="OpenAI-compatible model (Ollama)"), second)
    expect(second).to_contain_text("llama3.2")
    _mouse_drag(page, library.get_by_role("listitem", name="Function tool"), second)
    expect(second.locator(".tool-chip")).to_have_count(1)
    _mouse_drag(page, library.get_by_role("listitem", name="TERMINATE mentioned", exact=True), team)
    expect(team).to_contain_text("TERMINATE mentioned")
    # the keyboard way to combine: Shift+Enter on "Add to team" of a termination is a Shift-drop (OR)
    library.get_by_role("button", name="Add to team: 10 messages", exact=True).first.focus()
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#team-json")).to_have_value(re.compile("OrTerminationCondition"))
    canvas.get_by_role("article", name="assistant", exact=True).get_by_role("button").first.click()
    page.get_by_label("System message").fill("You plan the trip in three steps.")
    page.get_by_label("System message").blur()
    expect(page.locator("#team-json")).to_have_value(re.compile("three steps"))
    shoot(page, "builder-journey-built")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("All changes saved")).to_be_visible()

    page.reload()
    canvas = page.get_by_role("region", name="Team canvas")
    assert _names(page) == ["assistant", "assistant_2"]
    expect(canvas.locator('[data-agent-name="assistant_2"] .tool-chip')).to_have_count(1)
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_contain_text("llama3.2")
    component = json.loads(page.locator("#team-json").input_value())
    config = component["config"]
    assert config["participants"][0]["config"]["system_message"] == "You plan the trip in three steps."
    assert config["termination_condition"]["provider"].endswith("OrTerminationCondition")
    parts = [c["provider"].rsplit(".", 1)[-1] for c in config["termination_condition"]["config"]["conditions"]]
    assert parts == ["TextMentionTermination", "MaxMessageTermination"]
    shoot(page, "builder-journey-reloaded")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = tmp_path / "team.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text()) == component
    result = subprocess.run([sys.executable, "-m", "studio.cli", "validate", str(exported)],
                            check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def _tab_until(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (a real keyboard walk)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_nested_model_and_tool_nodes_and_the_keyboard_switch_question(page: Page) -> None:
    _new_team(page, f"Nested {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    properties = page.get_by_role("region", name="Properties")
    canvas.get_by_role("button", name=re.compile("^Model of assistant")).click()
    expect(properties.get_by_role("button", name="Remove model")).to_be_visible()
    model = properties.locator("[name=\"config.model\"]")
    model.fill("gpt-4.1-mini")
    model.blur()
    expect(canvas.get_by_role("button", name="Model of assistant: gpt-4.1-mini")).to_be_visible()
    shoot(page, "builder-model-selected")
    # a tool, added from the keyboard to the selected agent, then selected on its chip and renamed
    canvas.get_by_role("article", name="assistant").get_by_role("button").first.click()
    expect(properties.get_by_label("System message")).to_be_visible()
    library.get_by_role("button", name="Add to selected: Function tool", exact=True).click()
    canvas.get_by_role("button", name=re.compile("^Tool .* of assistant")).click()
    expect(properties.get_by_role("button", name="Remove tool")).to_be_visible()
    name = properties.locator("[name=\"config.name\"]")
    name.fill("lookup")
    name.blur()
    expect(canvas.get_by_role("button", name="Tool lookup of assistant")).to_be_visible()
    shoot(page, "builder-tool-selected")
    properties.get_by_role("button", name="Remove tool").click()
    expect(canvas.get_by_role("button", name="Tool lookup of assistant")).to_have_count(0)

    # switching to a graph and back would drop its edge: the question takes the keyboard focus
    library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    library.get_by_role("button", name="Switch team to: GraphFlow team", exact=True).click()
    expect(canvas.locator("g.edge")).to_have_count(1)
    expect(page.locator("#canvas")).not_to_have_class(SETTLING)  # its focus has moved: ours comes after
    switch = library.get_by_role("button", name="Switch team to: Round robin team", exact=True)
    switch.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog", name="Switch the team type?")
    expect(dialog).to_contain_text("the graph and its 1 edge")
    expect(dialog.get_by_role("button", name="Switch and drop")).to_be_focused()
    shoot(page, "builder-switch-question")
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(switch).to_be_focused()
    expect(canvas.locator("[data-team-provider]")).to_have_attribute("data-team-provider", re.compile("GraphFlow$"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alertdialog").get_by_role("button", name="Switch and drop")).to_be_focused()
    page.keyboard.press("Enter")
    expect(canvas.locator("[data-team-provider]")).to_have_attribute("data-team-provider", re.compile("RoundRobinGroupChat$"))
    # a selector team's model is a node on the team
    library.get_by_role("button", name="Switch team to: Selector team", exact=True).click()
    canvas.get_by_role("button", name=re.compile("^Selector model")).click()
    expect(properties.get_by_role("button", name="Remove model")).to_be_visible()
    shoot(page, "builder-selector-model-selected")


def test_graph_edge_by_keyboard_order_and_termination_parts(page: Page) -> None:
    _new_team(page, f"Edges {uuid.uuid4().hex[:6]}")
    library = page.get_by_role("region", name="Component library")
    canvas = page.get_by_role("region", name="Team canvas")
    properties = page.get_by_role("region", name="Properties")
    library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    library.get_by_role("button", name="Switch team to: GraphFlow team", exact=True).click()
    expect(canvas.locator("g.edge")).to_have_count(1)
    expect(page.locator("#canvas")).not_to_have_class(SETTLING)  # its focus has moved: ours comes after
    # Tab to the edge, Enter selects it, its Delete button removes it
    canvas.get_by_role("button", name="Auto layout").focus()
    _tab_until(page, "g.edge")
    page.keyboard.press("Enter")
    expect(properties.get_by_label("Condition", exact=True)).to_be_visible()
    shoot(page, "builder-edge-selected")
    properties.get_by_role("button", name="Delete").click()
    expect(canvas.locator("g.edge")).to_have_count(0)
    # the Delete key on a focused edge
    canvas.get_by_role("article", name="assistant_2").get_by_role("button").first.click()
    properties.get_by_role("button", name="Add edge").click()
    expect(canvas.locator("g.edge")).to_have_count(1)
    expect(page.locator("#canvas")).not_to_have_class(SETTLING)
    canvas.locator("g.edge").focus()
    page.keyboard.press("Delete")
    expect(canvas.locator("g.edge")).to_have_count(0)
    # participants order from the agent's properties
    canvas.get_by_role("article", name="assistant_2").get_by_role("button").first.click()
    expect(properties).to_contain_text("Position 2 of 2")
    properties.get_by_role("button", name="Move earlier").click()
    expect(properties).to_contain_text("Position 1 of 2")
    assert _names(page) == ["assistant_2", "assistant"]
    # an OR termination, chosen with the library's keyboard control, shows its parts
    library.get_by_role("button", name="Add to team: TERMINATE mentioned", exact=True).click()  # Replace
    expect(canvas.locator('[data-node="termination"]')).to_have_text("TERMINATE mentioned")
    library.get_by_role("radio", name="Combine with OR").check()
    library.get_by_role("button", name="Add to team: 10 messages", exact=True).first.click()
    # the OR's answer first: a select sent before it arrives can be overtaken by it (under load)
    expect(canvas.locator('[data-node="termination"]')).to_have_text("TERMINATE mentioned or 10 messages")
    canvas.locator('[data-node="termination"]').click()
    parts = properties.get_by_role("region", name=re.compile("Stops when any"))
    expect(parts.get_by_role("listitem")).to_have_count(2)
    shoot(page, "builder-termination-parts")
    parts.get_by_role("button", name=re.compile("^Remove part 1")).click()
    expect(properties.get_by_role("button", name="Remove termination")).to_be_visible()
    expect(page.locator("#team-json")).not_to_have_value(re.compile("OrTerminationCondition"))
    shoot(page, "builder-team-selected-graph")
