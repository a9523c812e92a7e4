"""axe-core scans (tests/browser/axe.py) of the Playground's and the Gallery's states, light and dark, and
the live region that announces how a run ended (not only "Running…")."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.services.helpers import writer_critic
from tests.support.openai_server import OpenAIServer
from tests.support.playground_teams import asking_team, loopback_team

from .axe import AxeScan
from .shots import shoot
from .test_playground import RUN_TIMEOUT_MS, _last_run, _open_session, _run, _status, _team


def _announced(page: Page, text: str | re.Pattern[str]) -> None:
    """The last run's live region (role=status) says `text`."""
    expect(_last_run(page).get_by_role("status").filter(has_text=re.compile("Run|Running"))).to_have_text(
        text, timeout=RUN_TIMEOUT_MS)


def test_playground_states_and_the_end_of_a_run_announced(page: Page, axe: AxeScan,
                                                           openai_server: OpenAIServer) -> None:
    team_id = _team(page, writer_critic())
    page.goto(f"/playground?team={team_id}")
    axe.check(page, "playground: a team without a session")
    _open_session(page, team_id)
    axe.check(page, "playground: new session, idle")

    _run(page, "Write a haiku about the sea")
    _status(page, "complete")
    run_id = _last_run(page).get_attribute("data-run-id")
    _announced(page, re.compile(rf"^Run {run_id} complete: .+"))
    axe.check(page, "playground: a finished run")
    shoot(page, "a11y-run-announced", dark=True, element=f"#run-{run_id}")
    _last_run(page).get_by_role("button", name="Replay").click()
    expect(page.locator(".run")).to_have_count(2)
    _status(page, "complete")
    page.reload()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator('[data-compare="same"]')).to_be_visible()
    axe.check(page, "playground: compare two runs")

    openai_server.delay(30.0, "too late", forever=True)
    _open_session(page, _team(page, loopback_team(openai_server.base_url, label="Slow")))
    _run(page, "Take your time")
    stop = _last_run(page).get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    _announced(page, "Running…")
    axe.check(page, "playground: running")
    shoot(page, "a11y-running", dark=True, element=".run")
    stop.click()
    _status(page, "stopped")
    _announced(page, re.compile(r"^Run \d+ stopped"))
    axe.check(page, "playground: stopped")

    _open_session(page, _team(page, asking_team()))
    _run(page, "A poem, please")
    expect(page.get_by_role("textbox", name="Your reply")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    axe.check(page, "playground: human input asked")

    page.goto("/playground")
    expect(page.locator("main")).to_contain_text("Slow")
    axe.check(page, "playground: sessions list")
    axe.assert_clean()


def test_gallery_states(page: Page, axe: AxeScan, tmp_path: Path) -> None:
    page.goto("/gallery")
    expect(page.get_by_role("article", name="Writer and critic")).to_be_visible()
    axe.check(page, "gallery: cards")
    page.get_by_label("Team type").select_option("GraphFlow")
    expect(page.locator("#gallery-cards").get_by_role("article")).to_have_count(3)
    axe.check(page, "gallery: filtered")
    page.get_by_role("article", name="Review loop (conditional graph)").get_by_role("link", name="Preview").click()
    expect(page.get_by_role("region", name="Team graph (read-only)")).to_be_visible()
    axe.check(page, "gallery: preview of a graph")

    page.goto("/gallery/import")
    axe.check(page, "gallery: import form")
    broken = tmp_path / "gallery.json"
    broken.write_text(json.dumps({"name": "Broken", "components": {"teams": [{"provider": 3}]}}))
    page.locator('input[type="file"]').set_input_files(broken)
    page.locator('main form button[type="submit"]').first.click()
    expect(page.locator("main")).to_contain_text(re.compile("[Pp]roblem|not"))
    axe.check(page, "gallery: import with problems")

    page.goto("/gallery")
    page.get_by_role("article", name="Assistant with tools").get_by_role("button", name="Try demo").click()
    expect(page.locator("[data-run-status]")).to_have_attribute("data-run-status", "complete", timeout=RUN_TIMEOUT_MS)
    axe.check(page, "gallery: a demo's session")
    axe.assert_clean()
