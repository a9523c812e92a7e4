"""Screenshots the browser tests take of each state, to look at: saved under $STUDIO_SCREENSHOTS
(`STUDIO_SCREENSHOTS=/tmp/shots pytest tests/browser`), and not taken at all when it is unset."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page


def shoot(page: Page, name: str, *, dark: bool = False, element: str | None = None) -> None:
    """`name.png` of the whole page (or of `element`, a CSS selector), and `name-dark.png` when `dark`."""
    folder = os.environ.get("STUDIO_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    target = page.locator(element) if element else page
    options = {} if element else {"full_page": True}
    target.screenshot(path=Path(folder) / f"{name}.png", **options)
    if dark:
        page.emulate_media(color_scheme="dark")
        target.screenshot(path=Path(folder) / f"{name}-dark.png", **options)
        page.emulate_media(color_scheme="light")
