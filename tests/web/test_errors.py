"""The one error handler (web/errors.py): a page for browsers, a fragment in the flash area for htmx, JSON under
`/api`; an unexpected error is logged and never shows its traceback."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from .teams_support import HTMX

SECTIONS = ("Teams", "Builder", "Playground", "Gallery", "Settings")


def test_404_is_a_page_for_browsers(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "<!doctype html>" in response.text and "Not Found" in response.text
    assert all(f">{name}</a>" in response.text for name in SECTIONS)  # the page keeps the layout


def test_404_is_a_fragment_retargeted_to_the_flash_area_for_htmx(client: TestClient) -> None:
    response = client.get("/no/such/page", headers=HTMX)
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flash" and response.headers["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.text and 'role="alert"' in response.text and "Not Found" in response.text


def test_404_is_json_under_api(client: TestClient) -> None:
    response = client.get("/api/no/such/thing", headers=HTMX)
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_unexpected_error_is_logged_and_never_shows_a_traceback(
    shell: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="studio.web"):
        page = shell.get("/test/boom")
        fragment = shell.get("/test/boom", headers=HTMX)
        api = shell.get("/api/test/boom")
    assert page.status_code == fragment.status_code == api.status_code == 500
    assert "<!doctype html>" in page.text and "Internal Server Error" in page.text
    assert fragment.headers["HX-Retarget"] == "#flash" and "<html" not in fragment.text
    assert api.json() == {"detail": "Something went wrong on our side. The error has been logged; please try again."}
    for response in (page, fragment, api):
        assert "Traceback" not in response.text and "hunter2" not in response.text
    records = [r for r in caplog.records if r.name == "studio.web" and r.exc_info]
    assert len(records) == 3 and "GET /test/boom" in records[0].getMessage()
    assert "hunter2" in str(records[0].exc_info[1])


def test_validation_errors_in_each_format(shell: TestClient) -> None:
    api = shell.get("/api/test/number", params={"n": "many"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["query", "n"]
    page = shell.get("/test/number", params={"n": "many"})
    assert page.status_code == 422 and "n: Input should be a valid integer" in page.text
