"""The layout in a real browser: navigation by accessible names, the skip link, errors from htmx
requests landing in the flash area, and how it looks in light and dark."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .shots import shoot

SECTIONS = {"Teams": "/teams", "Builder": "/builder", "Playground": "/playground", "Gallery": "/gallery",
            "Settings": "/settings"}


def test_nav_links_work_by_their_names(page: Page, base_url: str) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{base_url}/teams")  # home opens the team list
    nav = page.get_by_role("navigation", name="Main")
    for name, path in SECTIONS.items():
        nav.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(f"{base_url}{path}")
        expect(page).to_have_title(re.compile(f"{name}.* · Studio"))
        expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        expect(nav.locator("[aria-current=page]")).to_have_count(1)


def test_tab_reaches_the_skip_link_first(page: Page) -> None:
    page.goto("/playground")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown while focused
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_htmx_errors_land_in_the_flash_area_and_leave_the_page_alone(page: Page) -> None:
    page.goto("/builder")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Builder")
    page.evaluate("htmx.ajax('GET', '/no/such/page', {target: 'main', swap: 'innerHTML'})")
    alert = page.locator("#flash").get_by_role("alert")
    expect(alert).to_contain_text("Not Found")
    expect(heading).to_have_text("Builder")  # the target was not replaced
    alert.get_by_role("button", name="Dismiss message").click()
    expect(alert).to_have_count(0)


def test_screenshots_light_and_dark(page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name in ("teams", "builder"):
            page.goto(f"/{name}")
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert (background == "rgb(246, 247, 249)") == (scheme == "light"), background
            shoot(page, f"{name}-{scheme}")
        page.goto("/no/such/page")
        shoot(page, f"error-{scheme}")
