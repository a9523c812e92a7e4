"""The Gallery in a real browser: filter by team type, preview a template (read-only graph, keyboard back),
use it and find it in the builder, then try a demo and watch its trace finish in the playground."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .shots import shoot


def test_filter_preview_use_a_template_and_try_its_demo(page: Page) -> None:
    page.goto("/gallery")
    cards = page.locator("#gallery-cards")
    expect(page.get_by_role("article", name="Writer and critic")).to_be_visible()
    expect(cards.get_by_role("article")).to_have_count(13)
    shoot(page, "gallery", dark=True)

    page.get_by_label("Team type").select_option("GraphFlow")
    expect(cards.get_by_role("article")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"team_type=GraphFlow"))
    review = page.get_by_role("article", name="Review loop (conditional graph)")
    expect(review).to_be_visible()
    page.get_by_label("Search the gallery").fill("fan-out")
    expect(cards.get_by_role("article")).to_have_count(1)
    page.get_by_label("Search the gallery").fill("")
    expect(cards.get_by_role("article")).to_have_count(3)
    shoot(page, "gallery-filtered")

    review.get_by_role("link", name="Preview").click()
    graph = page.get_by_role("region", name="Team graph (read-only)")
    expect(graph.locator('[data-team-provider="autogen_agentchat.teams.GraphFlow"]')).to_be_visible()
    expect(graph.locator("[data-edge-source]").first).to_be_attached()
    expect(graph.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("heading", name="Review loop (conditional graph)", level=1)).to_be_focused()
    expect(page.get_by_label("Team JSON")).to_contain_text('"provider"')
    shoot(page, "gallery-preview", dark=True)
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/gallery(\?.*)?$"))

    page.get_by_role("article", name="Writer and critic").get_by_role("button", name="Use template").click()
    expect(page).to_have_url(re.compile(r"/builder/\d+$"))
    canvas = page.get_by_role("region", name="Team canvas")
    expect(canvas.locator('[data-agent-name="writer"]')).to_be_visible()
    expect(canvas.locator('[data-agent-name="critic"]')).to_be_visible()
    expect(page.get_by_role("heading", name="Writer and critic", level=1)).to_be_visible()

    page.goto("/gallery")
    page.get_by_role("article", name="Assistant with tools").get_by_role("button", name="Try demo").click()
    expect(page).to_have_url(re.compile(r"/playground/sessions/\d+"))
    trace = page.get_by_role("region", name="Trace").first
    expect(page.locator("[data-run-status]")).to_have_attribute("data-run-status", "complete", timeout=15000)
    expect(trace.locator('[data-type="ToolCallRequestEvent"]').first).to_be_attached()
    shoot(page, "gallery-demo", dark=True)
