"""Keyboard focus in the Builder never drops to the page body: after selecting a node, adding a component,
selecting or deleting an edge, undo/redo, applying a property and closing the switch question with Escape,
it is on the thing acted on. Driven with page.keyboard; each check waits on document.activeElement."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from .shots import shoot
from .test_builder import _new_team

SETTLED = "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
ACTIVE_NODE = "() => document.activeElement?.closest('[data-node]')?.dataset.node ?? document.activeElement?.id ?? ''"


def _focused_node(page: Page, node: str) -> None:
    """Wait until focus is on canvas node `node` (or in it), never on the body."""
    try:
        page.wait_for_function(f"n => ({ACTIVE_NODE})() === n", arg=node, timeout=5000)
    except Exception:
        found = page.evaluate("document.activeElement.outerHTML")[:200]
        raise AssertionError(f"focus is not on {node} but on {found}") from None


def _library_button(page: Page, provider_end: str):
    """A library item's keyboard button, by its provider (its names belong to the library's own tests)."""
    return page.locator(f'#library-list .lib-item[data-provider$="{provider_end}"] [data-add]').first


def _press(page: Page, locator, key: str = "Enter") -> None:
    """Once the last answer has settled (its focus moved), focus `locator` and press `key`."""
    page.wait_for_function(SETTLED)
    locator.focus()
    page.keyboard.press(key)


def test_focus_follows_what_was_acted_on(page: Page) -> None:
    _new_team(page, f"Focus {uuid.uuid4().hex[:6]}")
    canvas = page.locator("#canvas")
    # selecting a node with the keyboard keeps focus on it (its control is re-rendered)
    _press(page, canvas.locator('[data-node="agent:assistant"] .node-select'))
    expect(page.locator("#selected-node")).to_have_value("agent:assistant")
    _focused_node(page, "agent:assistant")

    # a tool added to the selected agent: focus on the new tool chip
    _press(page, _library_button(page, "FunctionTool"))
    expect(canvas.locator(".chip-select")).to_have_count(1)
    _focused_node(page, canvas.locator(".chip-select").get_attribute("data-node"))

    # an agent added to the team: focus on the new agent
    _press(page, _library_button(page, "AssistantAgent"))
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    _focused_node(page, "agent:assistant_2")

    # undo removes it: focus on its neighbour, never the body; redo brings it back and focuses it
    page.keyboard.press("Control+z")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_have_count(0)
    _focused_node(page, "agent:assistant")
    page.keyboard.press("Control+Shift+z")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    _focused_node(page, "agent:assistant_2")

    # Undo from the toolbar: the button is re-rendered and focus comes back to it
    _press(page, page.get_by_role("button", name="Undo"))
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_have_count(0)
    page.wait_for_function(
        "() => document.activeElement?.id === 'undo-button' || document.activeElement?.closest('[data-node]')")
    assert page.evaluate("document.activeElement !== document.body")
    page.keyboard.press("Control+Shift+z")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()

    # the properties form: a changed field applies on Tab, focus is on the next field, not the body
    _press(page, canvas.locator('[data-node="agent:assistant"] .node-select'))
    _focused_node(page, "agent:assistant")
    page.wait_for_function(SETTLED)
    description = page.locator("#f-config-description")
    description.focus()
    description.fill("Answers questions.")
    page.keyboard.press("Tab")
    next_id = page.evaluate("document.activeElement.id")
    assert next_id and next_id != description.get_attribute("id")
    expect(page.locator("#validation")).to_be_attached()
    page.wait_for_function("() => document.querySelector('#team-json').value.includes('Answers questions.')")
    page.wait_for_function(SETTLED)
    expect(page.locator(f"#{next_id}")).to_be_focused()

    # a graph: select an edge with Enter, delete it with the Delete key: focus on the other edge, then the canvas
    _press(page, _library_button(page, "GraphFlow"))
    expect(canvas.locator("[data-team-provider]")).to_have_attribute("data-team-provider", re.compile("GraphFlow$"))
    _press(page, canvas.locator('[data-node="agent:assistant_2"] .node-select'))
    page.get_by_label("Add edge to").select_option("assistant")
    _press(page, page.get_by_role("button", name="Add edge"))
    expect(canvas.locator("g.edge")).to_have_count(2)
    _focused_node(page, "edge:assistant_2->assistant")
    first = canvas.locator('g.edge[data-edge-source="assistant"]')
    _press(page, first)
    expect(page.locator("#selected-node")).to_have_value("edge:assistant->assistant_2")
    _focused_node(page, "edge:assistant->assistant_2")
    shoot(page, "focus-edge-selected", dark=True)
    page.keyboard.press("Delete")
    expect(canvas.locator("g.edge")).to_have_count(1)
    _focused_node(page, "edge:assistant_2->assistant")
    page.keyboard.press("Delete")
    expect(canvas.locator("g.edge")).to_have_count(0)
    expect(canvas).to_be_focused()

    # the switch question: Escape closes it and focus goes back to the button that asked
    _press(page, page.locator('#canvas [data-node="agent:assistant"] .node-select'))
    page.get_by_label("Add edge to").select_option("assistant_2")
    _press(page, page.get_by_role("button", name="Add edge"))
    expect(canvas.locator("g.edge")).to_have_count(1)
    switch = _library_button(page, "RoundRobinGroupChat")
    _press(page, switch)
    dialog = page.get_by_role("alertdialog", name="Switch the team type?")
    expect(dialog.get_by_role("button", name="Switch and drop")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(switch).to_be_focused()


def test_skip_links_get_past_the_library(page: Page) -> None:
    _new_team(page, f"Skips {uuid.uuid4().hex[:6]}")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").focus()
    skips = page.get_by_role("navigation", name="Builder shortcuts")
    for _ in range(40):  # Tab from the nav: the skip links come before the library's items
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.builder-skips') !== null"):
            break
    assert not page.evaluate("document.activeElement.closest('#library-list')"), "reached a library item first"
    expect(skips.get_by_role("link", name="Skip to canvas")).to_be_focused()
    expect(skips.get_by_role("link", name="Skip to canvas")).to_be_in_viewport()
    shoot(page, "focus-skip-link", dark=True)
    page.keyboard.press("Enter")
    expect(page.locator("#canvas")).to_be_focused()
    page.keyboard.press("Tab")  # on into the canvas: the team node
    _focused_node(page, "team")

    page.keyboard.press("Shift+Tab")
    skips.get_by_role("link", name="Skip to toolbar").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#builder-toolbar")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#builder-toolbar') !== null")
