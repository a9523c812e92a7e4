"""Teams in a real browser: import a file, see it listed by its label, export it and get equal JSON back;
invalid files show their problems; search, rename and delete work from the page (and the keyboard)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.services.helpers import canonical, invalid_team, writer_critic

from .shots import shoot


def _team_file(tmp_path: Path, label: str, document: dict | None = None) -> Path:
    document = document or writer_critic() | {"label": label}
    path = tmp_path / f"{label.lower().replace(' ', '-')}.json"
    path.write_text(json.dumps(document, indent=2))
    return path


def _import(page: Page, path: Path) -> None:
    page.goto("/teams")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Team file").set_input_files(path)
    page.get_by_role("button", name="Import team").click()


def test_import_then_export_gives_equal_json(page: Page, tmp_path: Path) -> None:
    label = f"Round trip {uuid.uuid4().hex[:6]}"
    path = _team_file(tmp_path, label)
    page.goto("/teams")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_label("Team JSON")).to_be_visible()
    shoot(page, "teams-import")
    page.get_by_label("Team file").set_input_files(path)
    page.get_by_role("button", name="Import team").click()

    expect(page.locator("#flash")).to_contain_text(f"Imported “{label}”.")
    card = page.get_by_role("article", name=label)
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="Open in Builder")).to_have_attribute("href", "/builder/" + card.get_attribute("id").split("-")[1])
    expect(card.get_by_role("link", name="Open in Playground")).to_be_visible()
    shoot(page, "teams-list")

    with page.expect_download() as info:
        card.get_by_role("link", name="Export JSON").click()
    download = info.value
    assert download.suggested_filename == f"{label.lower().replace(' ', '-')}.json"
    exported = json.loads(Path(download.path()).read_text())
    assert exported == canonical(json.loads(path.read_text()))


def test_a_canonical_file_comes_back_unchanged(page: Page, tmp_path: Path) -> None:
    label = f"Canonical {uuid.uuid4().hex[:6]}"
    document = canonical(writer_critic() | {"label": label})
    _import(page, _team_file(tmp_path, label, document))
    card = page.get_by_role("article", name=label)
    with page.expect_download() as info:
        card.get_by_role("link", name="Export JSON").click()
    assert json.loads(Path(info.value.path()).read_text()) == document


def test_invalid_file_shows_every_problem_and_saves_nothing(page: Page, tmp_path: Path) -> None:
    label = f"Broken {uuid.uuid4().hex[:6]}"
    _import(page, _team_file(tmp_path, label, invalid_team() | {"label": label}))
    problems = page.get_by_role("region", name="Problems in the file")
    expect(problems).to_be_visible()
    expect(problems.locator('[data-path="config.participants[1].config.model_client"]')).to_contain_text(
        "field required")
    expect(problems.locator("li.problem.error")).to_have_count(2)
    shoot(page, "teams-problems")
    page.goto("/teams")
    expect(page.get_by_role("article", name=label)).to_have_count(0)


def test_search_rename_and_delete(page: Page, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    label = f"Searchable {tag}"
    _import(page, _team_file(tmp_path, label))

    page.get_by_label("Search teams").fill(tag)
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_role("article", name=label)).to_be_visible()

    card = page.get_by_role("article", name=label)
    card.get_by_role("button", name="Rename").click()
    renamed = f"Renamed {tag}"
    field = page.get_by_label("New name")
    expect(field).to_be_focused()
    field.fill(renamed)
    shoot(page, "teams-rename")
    field.press("Enter")
    expect(page.get_by_role("article", name=renamed)).to_be_visible()
    expect(page.locator("#flash")).to_contain_text(f"Renamed “{label}” to “{renamed}”.")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("article", name=renamed).get_by_role("button", name="Delete").click()
    expect(page.locator("#flash")).to_contain_text(f"Deleted team “{renamed}”.")
    expect(page.get_by_role("article", name=renamed)).to_have_count(0)


def test_versions_and_settings_pages(page: Page, tmp_path: Path) -> None:
    label = f"Versioned {uuid.uuid4().hex[:6]}"
    _import(page, _team_file(tmp_path, label))
    page.get_by_role("article", name=label).get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)
    page.get_by_role("link", name="Rename").first.click()
    page.get_by_label("New name").fill(label + " v2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label + " v2")  # back on the team's page
    page.get_by_role("link", name="Compare version 1 with current").click()
    expect(page.locator("pre.diff .diff-add").first).to_be_visible()
    shoot(page, "teams-detail")

    page.goto("/settings")
    page.get_by_label("Kind of endpoint").select_option("openai_compatible")
    page.get_by_label("Endpoint URL").fill("http://LOCALHOST:11434/v1/")
    page.get_by_label("API key").fill("sk-browser-test-key-0000abcd")
    page.get_by_role("button", name="Add credential").click()
    saved = "Saved a key for http://localhost:11434/v1 (OpenAI-compatible server)."
    expect(page.locator("#flash")).to_contain_text(saved)
    row = page.get_by_role("row").filter(has_text="http://localhost:11434/v1")
    expect(row).to_contain_text("sk-…abcd")
    expect(page.get_by_label("API key")).to_have_value("")
    assert "sk-browser-test-key-0000abcd" not in page.content()
    page.get_by_label("Default model").fill(f"gpt-4o-{uuid.uuid4().hex[:6]}")  # the studio is shared: a new value
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("#flash")).to_contain_text("Saved: Default model.")
    page.get_by_label("Variable name").fill("SERPAPI_KEY")
    page.get_by_label("Value", exact=True).fill("serp-browser-value-0042")
    page.get_by_role("button", name="Add variable").click()
    expect(page.get_by_role("row").filter(has_text="SERPAPI_KEY")).to_contain_text("…0042")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shoot(page, f"settings-{width}", dark=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("button", name="Remove the credential for http://localhost:11434/v1").click()
    expect(page.locator("#flash")).to_contain_text("Removed the key for http://localhost:11434/v1.")
    expect(page.get_by_role("row").filter(has_text="http://localhost:11434/v1")).to_have_count(0)
