"""Every page in a real browser: no console errors nor uncaught exceptions anywhere, and the header's Theme
control (light, dark, system) kept per browser and applied before the first paint."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, expect

from tests.services.helpers import writer_critic

from .shots import shoot
from .test_playground import _status, _team

LIGHT_BG, DARK_BG = "rgb(246, 247, 249)", "rgb(15, 18, 23)"  # studio.css --bg

# What <html> said about the theme when <body> first appeared (before anything could be painted).
THEME_AT_BODY = """
new MutationObserver((_, observer) => {
  if (!document.body) return;
  window.__themeAtBody = document.documentElement.dataset.theme || "system";
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


def _background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_no_page_logs_a_console_error_or_throws(page: Page) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The 404 page's own document answers 404 on purpose; Chromium logs that load as an error.
        if message.type == "error" and not (message.location.get("url", "").endswith("/no-such-page")
                                            and "404" in message.text):
            problems.append(f"{page.url}: console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: pageerror: {error}"))

    team_id = _team(page, writer_critic())
    page.goto("/gallery")
    page.get_by_role("article", name="Assistant with tools").get_by_role("button", name="Try demo").click()
    expect(page).to_have_url(re.compile(r"/playground/sessions/\d+"))
    _status(page, "complete")  # a session with a run, its trace streamed live
    session_page = page.url
    preview = page.request.get("/gallery").text()
    item = re.search(r'href="(/gallery/items/\d+)"', preview)
    assert item, "no gallery preview link"
    visited = ["/teams", f"/teams/{team_id}", "/builder", f"/builder/{team_id}", "/playground", session_page,
               "/gallery", item.group(1), "/settings", "/no-such-page"]
    for url in visited:
        answer = page.goto(url)
        assert answer is not None
        page.wait_for_load_state("load")
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()  # the 404 page is a page too
    assert problems == [], "\n".join(problems)


def test_the_theme_can_be_chosen_by_hand_on_every_page_and_is_kept(page: Page) -> None:
    page.add_init_script(THEME_AT_BODY)
    page.emulate_media(color_scheme="light")
    page.goto("/teams")
    theme = page.get_by_role("combobox", name="Theme")
    expect(theme).to_have_value("system")
    assert _background(page) == LIGHT_BG
    theme.select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert _background(page) == DARK_BG  # dark by hand on a light system
    shoot(page, "theme-dark-by-hand")

    for url in ("/settings", "/gallery", "/playground", "/builder"):  # kept in this browser, on every page
        page.goto(url)
        expect(page.get_by_role("combobox", name="Theme")).to_have_value("dark")
        assert page.evaluate("window.__themeAtBody") == "dark"  # set before the body existed: no flash
        assert _background(page) == DARK_BG

    page.get_by_role("combobox", name="Theme").select_option("light")
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert page.evaluate("window.__themeAtBody") == "light" and _background(page) == LIGHT_BG  # light on a dark system
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "theme-light-by-hand-phone")
    page.set_viewport_size({"width": 1400, "height": 900})

    page.get_by_role("combobox", name="Theme").select_option("system")
    expect(page.locator("html")).not_to_have_attribute("data-theme", re.compile("."))
    assert page.evaluate("localStorage.getItem('studio.theme')") is None
    assert _background(page) == DARK_BG  # the system's again
    page.emulate_media(color_scheme="light")
    assert _background(page) == LIGHT_BG
