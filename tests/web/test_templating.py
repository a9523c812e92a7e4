"""Rendering (web/templating.py): the whole page, or only the partial for htmx with the flash out of band; flash
messages shown once; the template filters."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from studio.web import templating
from studio.web.templating import flash

from .teams_support import HTMX


@pytest.mark.parametrize(("word", "plural"), [("team", "teams"), ("workbench", "workbenches"),
                                              ("termination", "terminations"), ("box", "boxes"),
                                              ("policy", "policies"), ("key", "keys")])
def test_the_plural_filter(word: str, plural: str) -> None:
    assert templating.plural(word) == plural


def test_htmx_gets_the_partial_and_flash_out_of_band(shell: TestClient) -> None:
    fragment = shell.get("/test/flash", headers=HTMX)
    assert "<html" not in fragment.text and 'class="flash flash-error"' in fragment.text
    assert '<div id="flash" hx-swap-oob="innerHTML">' in fragment.text
    assert "Saved &lt;everything&gt;" in fragment.text  # escaped
    assert "HX-Request" in fragment.headers["vary"]
    # Shown once: the next page has no flash left.
    assert "Saved &lt;everything&gt;" not in shell.get("/builder").text


def test_full_page_shows_flash_in_the_layout_and_boosted_requests_get_the_page(shell: TestClient) -> None:
    page = shell.get("/test/flash", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<!doctype html>" in page.text and "hx-swap-oob" not in page.text
    flash_area = page.text[page.text.index('id="flash"'):page.text.index("<main")]
    assert "Saved &lt;everything&gt;" in flash_area


def test_flash_refuses_unknown_categories() -> None:
    with pytest.raises(ValueError, match="unknown flash category"):
        flash(None, "x", "shiny")  # type: ignore[arg-type]
