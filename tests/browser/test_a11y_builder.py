"""axe-core scans (tests/browser/axe.py) of the Builder's states, light and dark: a GraphFlow team with the
team, an agent, its model and tool, the termination and an edge selected (with their Test sections), the
switch question, the JSON view with a refused edit, problems in Validation, and the team chooser."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from .axe import AxeScan
from .shots import shoot
from .test_builder_focus import _library_button

REVIEW_LOOP = Path(__file__).parents[2] / "gallery" / "teams" / "review-loop.json"


def _settled(page: Page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def _select(page: Page, node: str) -> None:
    _settled(page)  # a click on a node the last answer is still swapping in is lost with the old node
    page.locator(f'#canvas [data-node="{node}"]').first.evaluate(
        "el => (el.matches('button, [tabindex]') ? el : el.querySelector('.node-select'))"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    expect(page.locator("#selected-node")).to_have_value(node)
    _settled(page)


def test_builder_states(page: Page, axe: AxeScan) -> None:
    document = json.loads(REVIEW_LOOP.read_text()) | {"label": f"Scanned loop {uuid.uuid4().hex[:6]}"}
    response = page.request.post("/api/teams", data={"component": document})
    assert response.status == 201, response.text()
    team_id = response.json()["id"]
    page.goto("/builder")
    axe.check(page, "builder: choose a team")

    page.goto(f"/builder/{team_id}")
    expect(page.locator("#canvas g.edge").first).to_be_attached()
    axe.check(page, "builder: team selected")
    _select(page, "agent:writer")
    expect(page.locator("#probe-section form")).to_be_visible()
    axe.check(page, "builder: agent selected, its Test section")
    _select(page, "agent:writer/model")
    expect(page.get_by_role("button", name="Test model")).to_be_visible()
    axe.check(page, "builder: model selected, its Test section")
    _select(page, "agent:writer")
    _library_button(page, "FunctionTool").click()
    tool = page.locator("#canvas .chip-select").first
    expect(tool).to_be_visible()
    _select(page, tool.get_attribute("data-node"))
    expect(page.get_by_role("button", name="Run tool")).to_be_visible()
    axe.check(page, "builder: tool selected, its Test section")
    _select(page, "termination")
    axe.check(page, "builder: termination selected")
    _select(page, "edge:reviewer->writer")
    axe.check(page, "builder: edge selected")
    shoot(page, "a11y-builder-edge", dark=True)

    _library_button(page, "RoundRobinGroupChat").click()
    expect(page.get_by_role("alertdialog", name="Switch the team type?")).to_be_visible()
    axe.check(page, "builder: switch question")
    page.keyboard.press("Escape")
    expect(page.get_by_role("alertdialog")).to_have_count(0)

    page.get_by_role("button", name="JSON view").click()
    editor = page.get_by_role("textbox", name="Team JSON")
    expect(editor).to_be_visible()
    axe.check(page, "builder: JSON view")
    editor.fill('{"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "config": {"participants": 3}}')
    page.get_by_role("button", name="Apply JSON").click()
    expect(page.locator("#json-view")).to_have_attribute("data-edits", "unapplied")
    axe.check(page, "builder: JSON view with a refused edit")
    page.get_by_role("button", name="JSON view").click()

    _select(page, "termination")
    page.get_by_role("button", name="Remove termination").click()
    # its answer (the team selected) first: a select sent before it arrives can be overtaken by it (under load)
    expect(page.locator('#canvas [data-node="termination"]')).to_have_count(0)
    _select(page, "agent:writer")
    page.locator('#properties [name="config.name"]').fill("not a name")
    page.locator('#properties [name="config.name"]').blur()
    expect(page.locator("#flash").get_by_role("alert")).to_be_visible()
    expect(page.locator("#validation li.problem").first).to_be_visible()
    axe.check(page, "builder: problems in Validation and the form")
    shoot(page, "a11y-builder-problems", dark=True)
    axe.assert_clean()
