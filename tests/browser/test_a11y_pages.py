"""axe-core scans (tests/browser/axe.py) of the Teams, Settings, sign-in and error pages, light and dark.

/api/docs is Swagger UI, a third party's page: it is not scanned."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.services.helpers import invalid_team, writer_critic

from .axe import AxeScan
from .conftest import running_studio
from .shots import shoot


def _team(page: Page, label: str) -> int:
    response = page.request.post("/api/teams", data={"component": writer_critic() | {"label": label}})
    assert response.status == 201, response.text()
    return int(response.json()["id"])


def test_teams_pages(page: Page, axe: AxeScan, tmp_path: Path) -> None:
    label = f"Scanned {uuid.uuid4().hex[:6]}"
    team_id = _team(page, label)
    _team(page, f"Second {uuid.uuid4().hex[:6]}")  # a list of two: each row's buttons say which team
    changed = writer_critic() | {"label": label, "description": "Changed once, so it has a version."}
    assert page.request.patch(f"/api/teams/{team_id}", data={"component": changed}).ok

    page.goto("/teams")
    expect(page.get_by_role("article", name=label)).to_be_visible()
    axe.check(page, "teams list")
    page.get_by_role("article", name=label).get_by_role("button", name="Rename").click()
    expect(page.get_by_label("New name")).to_be_focused()
    axe.check(page, "teams list, renaming a row")

    page.goto(f"/teams/{team_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    axe.check(page, "team detail with versions")
    page.goto(f"/teams/{team_id}/versions/1")
    axe.check(page, "team version")
    page.goto(f"/teams/{team_id}/versions/1/diff")
    expect(page.locator("pre.diff .diff-add").first).to_be_visible()
    axe.check(page, "team version diff")
    page.goto(f"/teams/{team_id}/delete")
    axe.check(page, "delete confirmation")

    page.goto("/teams/new")
    axe.check(page, "new team")
    page.goto("/teams/import")
    axe.check(page, "import form")
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(invalid_team() | {"label": f"Broken {uuid.uuid4().hex[:6]}"}))
    page.get_by_label("Team file").set_input_files(broken)
    page.get_by_role("button", name="Import team").click()
    expect(page.get_by_role("region", name="Problems in the file")).to_be_visible()
    axe.check(page, "import with problems")
    axe.assert_clean()


def test_settings_and_error_pages(page: Page, axe: AxeScan) -> None:
    page.goto("/settings")
    axe.check(page, "settings")
    page.get_by_label("Default model").fill("gpt-4o-mini")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#flash")).to_contain_text("Saved")
    axe.check(page, "settings saved")

    page.goto("/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check(page, "404 page")
    page.goto("/teams/987654321")
    axe.check(page, "404 of a missing team")
    axe.assert_clean()


@pytest.fixture(scope="module")
def signed_studio(tmp_path_factory: pytest.TempPathFactory):
    with running_studio(tmp_path_factory.mktemp("studio-token-home"), STUDIO_AUTH_TOKEN="a11y-token") as server:
        yield server


def test_sign_in_page(browser: Browser, signed_studio, axe: AxeScan) -> None:
    page = browser.new_page(base_url=signed_studio.url.rstrip("/"))
    try:
        page.goto("/teams")
        expect(page.get_by_label("Access token")).to_be_visible()
        axe.check(page, "sign-in page")
        page.get_by_label("Access token").fill("not the token")
        page.get_by_label("Access token").press("Enter")
        expect(page.get_by_text("That access token is not right.")).to_be_visible()
        axe.check(page, "sign-in page, wrong token")
        shoot(page, "a11y-login-wrong-token", dark=True)
    finally:
        page.close()
    axe.assert_clean()
