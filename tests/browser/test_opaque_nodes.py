"""An opaque node in a real browser: a team with unsupported components imports on the Teams page (which says what
it kept), the Builder shows the web surfer marked "unsupported" with its reason; selecting it shows its JSON in a
labelled editor, which refuses bad JSON (nothing applied) and applies good JSON. Also the tool-code review page."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.test_opaque_nodes import SURFER, unsupported_team

from .shots import shoot

WIDTHS = (1400, 800, 390)


def _import(page: Page, tmp_path: Path) -> str:
    label = f"Mixed {uuid.uuid4().hex[:6]}"
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(unsupported_team() | {"label": label}))
    page.goto("/teams")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Team file").set_input_files(path)
    page.get_by_role("button", name="Import team").click()
    expect(page.locator("#flash")).to_contain_text("config.participants[2] (MultimodalWebSurfer)")
    shoot(page, "opaque-teams-import", dark=True)
    card = page.get_by_role("article", name=label)
    return card.get_attribute("id").split("-")[1]


def test_select_the_opaque_node_see_its_reason_and_edit_its_json(page: Page, tmp_path: Path) -> None:
    team_id = _import(page, tmp_path)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"/builder/{team_id}")
    surfer = page.locator('[data-agent-name="websurfer_agent"]')
    expect(surfer.locator(".badge")).to_have_text("unsupported")
    expect(surfer).to_contain_text("unknown provider")
    surfer.locator(".node-select").click()
    editor = page.get_by_label("JSON of config.participants[2]")
    expect(editor).to_be_visible()
    expect(page.locator("#properties .opaque-reason")).to_contain_text("unknown provider")
    assert json.loads(editor.input_value())["provider"] == SURFER
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        shoot(page, f"opaque-builder-{width}", dark=True)

    page.set_viewport_size({"width": 1400, "height": 1000})
    before = editor.input_value()
    editor.fill("{ not json")
    page.get_by_role("button", name="Apply JSON", exact=True).first.click()
    expect(page.locator("#opaque-errors")).to_contain_text("invalid JSON")
    expect(page.get_by_label("JSON of config.participants[2]")).to_have_value("{ not json")
    shoot(page, "opaque-builder-error", dark=True)

    edited = json.loads(before)
    edited["config"]["start_page"] = "https://example.org"
    page.get_by_label("JSON of config.participants[2]").fill(json.dumps(edited, indent=2))
    page.locator("#opaque-apply").click()
    expect(page.locator("#flash")).to_contain_text("Applied the JSON of config.participants[2]")
    expect(page.locator("#opaque-errors")).to_have_count(0)
    shown = json.loads(page.get_by_label("JSON of config.participants[2]").input_value())
    assert shown == edited
    exported = page.request.get(f"/builder/{team_id}/export").json()
    assert exported["config"]["participants"][2] == edited


def test_untrusted_code_links_from_the_builder_to_its_review_page(page: Page) -> None:
    template = json.loads((Path(__file__).resolve().parents[2] / "gallery" / "teams" / "tool-assistant.json")
                          .read_text(encoding="utf-8"))
    marker = f"\n# from elsewhere {uuid.uuid4().hex[:6]}\n"  # not the built-in code, which is trusted
    for bench in template["config"]["participants"][0]["config"]["workbench"]:
        for tool in bench["config"]["tools"]:
            tool["config"]["source_code"] += marker
    imported = page.request.post("/api/galleries/import", data=json.dumps(
        {"name": f"Elsewhere {uuid.uuid4().hex[:6]}", "components": {"teams": [template]}}),
        headers={"Content-Type": "application/json"}).json()
    page.goto(f"/gallery/items/{imported['items'][0]['id']}")
    page.get_by_role("button", name="Use template").click()
    page.wait_for_url("**/builder/*")
    team_id = page.url.rsplit("/", 1)[1]
    link = page.locator("#validation").get_by_role("link", name="Review and trust the code")
    expect(link.first).to_be_visible()
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review what")
    expect(page.locator("pre.code").first).to_contain_text("def ")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        shoot(page, f"trust-review-{width}", dark=True)
    page.get_by_role("button", name="Trust this code").click()
    page.wait_for_url(f"**/builder/{team_id}")
    expect(page.locator("#flash")).to_contain_text("You trusted the imported code")
    expect(page.locator("#validation").get_by_role("link", name="Review and trust the code")).to_have_count(0)
