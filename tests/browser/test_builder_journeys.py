"""Builder journeys in a real browser: a GraphFlow review loop drawn with the mouse, exported, validated
and run with replay clients by the `studio` CLI; a keyboard-only build; the JSON view keeping text the
user has not applied; the notice when the team was changed outside the builder."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from .shots import shoot
from .test_builder import _mouse_drag, _names, _new_team

STUDIO = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "studio"
REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"


def _canvas(page: Page) -> Locator:
    return page.get_by_role("region", name="Team canvas")


def _library(page: Page) -> Locator:
    return page.get_by_role("region", name="Component library")


def _rename(page: Page, agent: str, new_name: str) -> None:
    """Select the agent's node with the mouse and change its name in the properties form."""
    _canvas(page).locator(f'[data-agent-name="{agent}"] .node-select').click()
    name = page.locator("#properties [name=\"config.name\"]")
    expect(name).to_have_value(agent)
    name.fill(new_name)
    name.blur()
    expect(_canvas(page).locator(f'[data-agent-name="{new_name}"]')).to_be_visible()


def _drag(page: Page, source: Locator, target: Locator) -> None:
    """`_mouse_drag`, with the target scrolled into view first (the library is sticky, so it stays in view
    when the long properties panel has scrolled the page)."""
    target.scroll_into_view_if_needed()
    _mouse_drag(page, source, target)


def _click_edge(page: Page, source: str, target: str) -> None:
    """A real click on a point in the middle of the edge's drawn path (its box's centre may be off the line)."""
    edge = _canvas(page).locator(f'[data-edge-source="{source}"][data-edge-target="{target}"]')
    edge.scroll_into_view_if_needed()
    point = edge.locator(".edge-line").evaluate("""path => {
        const p = path.getPointAtLength(path.getTotalLength() / 2);
        const m = path.getScreenCTM();
        return {x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f};
    }""")
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#selected-node")).to_have_value(f"edge:{source}->{target}")
    expect(page.locator("#canvas")).not_to_have_class(re.compile("htmx-(request|swapping|settling)"))


def _draw_edge(page: Page, source: str, target: str) -> None:
    canvas = _canvas(page)
    _drag(page, canvas.locator(f'[data-agent-name="{source}"] .edge-handle'),
                canvas.locator(f'[data-agent-name="{target}"]'))
    expect(canvas.locator(f'[data-edge-source="{source}"][data-edge-target="{target}"]')).to_have_count(1)


def _set_condition(page: Page, source: str, target: str, condition: str) -> None:
    _click_edge(page, source, target)
    field = page.locator("#properties").get_by_label("Condition", exact=True)
    field.fill(condition)
    field.blur()
    edge = _canvas(page).locator(f'[data-edge-source="{source}"][data-edge-target="{target}"]')
    expect(edge.locator(".edge-label")).to_have_text(condition)


def _replay(*replies: str) -> dict:
    return {"provider": REPLAY, "component_type": "model", "version": 1, "component_version": 1,
            "label": "Replay", "config": {"chat_completions": list(replies),
                                          "model_info": {"vision": False, "function_calling": True,
                                                         "json_output": False, "family": "unknown",
                                                         "structured_output": False}}}


def test_graphflow_review_loop_drawn_with_the_mouse_exported_and_run(page: Page, tmp_path: Path) -> None:
    _new_team(page, f"Review loop {uuid.uuid4().hex[:6]}")
    canvas, library = _canvas(page), _library(page)
    team = canvas.locator("[data-team-provider]")
    _mouse_drag(page, library.get_by_role("listitem", name="GraphFlow team", exact=True), team)
    expect(team).to_have_attribute("data-team-provider", "autogen_agentchat.teams.GraphFlow")
    _rename(page, "assistant", "writer")
    for name in ("reviewer", "publisher"):
        _drag(page, library.get_by_role("listitem", name="Assistant agent", exact=True), team)
        expect(canvas.locator('[data-agent-name="assistant"]')).to_be_visible()
        _rename(page, "assistant", name)
    assert sorted(_names(page)) == ["publisher", "reviewer", "writer"]
    shoot(page, "journey-loop-1-agents")

    _draw_edge(page, "writer", "reviewer")
    _draw_edge(page, "reviewer", "writer")
    _draw_edge(page, "reviewer", "publisher")
    _set_condition(page, "reviewer", "writer", "REJECT")
    _set_condition(page, "reviewer", "publisher", "APPROVE")
    edges = canvas.locator("[data-edge-source]")
    assert sorted(edges.evaluate_all("els => els.map(e => `${e.dataset.edgeSource}->${e.dataset.edgeTarget}`)")) == [
        "reviewer->publisher", "reviewer->writer", "writer->reviewer"]
    expect(canvas.locator(".edge-label")).to_have_text(["REJECT", "APPROVE"])
    # the loop is drawn: both directions between writer and reviewer, as two distinct paths
    there = canvas.locator('[data-edge-source="writer"][data-edge-target="reviewer"] .edge-line').get_attribute("d")
    back = canvas.locator('[data-edge-source="reviewer"][data-edge-target="writer"] .edge-line').get_attribute("d")
    assert there and back and there != back
    expect(canvas.locator('[data-agent-name="writer"] .start-badge')).to_be_visible()
    page.locator("#canvas").evaluate("el => { el.scrollLeft = 0; }")  # selecting edges scrolled it sideways
    shoot(page, "journey-loop-2-edges")
    page.get_by_role("button", name="Auto layout").click()
    expect(canvas.locator("[data-edge-source]")).to_have_count(3)
    shoot(page, "journey-loop-3-auto-layout")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("All changes saved")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export JSON").click()
    exported = tmp_path / "review-loop.json"
    download.value.save_as(exported)
    checked = subprocess.run([str(STUDIO), "validate", str(exported)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    component = json.loads(exported.read_text())
    replies = {"writer": ("Draft one.", "Draft two, shorter."), "reviewer": ("REJECT: too long.", "APPROVE"),
               "publisher": ("Published.",)}
    for agent in component["config"]["participants"]:
        agent["config"]["model_client"] = _replay(*replies[agent["config"]["name"]])
    runnable = tmp_path / "review-loop-replay.json"
    runnable.write_text(json.dumps(component))
    ran = subprocess.run([str(STUDIO), "run", str(runnable), "--task", "Write a haiku about tea.", "--jsonl"],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    items = [json.loads(line) for line in ran.stdout.splitlines() if line.strip()]
    speakers = [i["source"] for i in items if i.get("type") == "TextMessage" and i.get("source") != "user"]
    assert speakers == ["writer", "reviewer", "writer", "reviewer", "publisher"]
    result = items[-1]
    assert "stop_reason" in result and result["stop_reason"], result
    assert [m["source"] for m in result["messages"] if m.get("type") == "TextMessage"][-1] == "publisher"


def _tab_to(page: Page, name: str, *, back: bool = False, limit: int = 250) -> None:
    """Press Tab (or Shift+Tab) until the focused control's accessible name is `name`."""
    script = r"""() => { const e = document.activeElement; if (!e) return "";
        if (e.getAttribute("aria-label")) return e.getAttribute("aria-label");
        if (e.labels && e.labels.length) return e.labels[0].textContent.trim();
        return (e.textContent || "").replace(/\s+/g, " ").trim(); }"""
    for _ in range(limit):
        if page.evaluate(script) == name:
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"no control named {name!r} reachable with {'Shift+' if back else ''}Tab")


def _settled(page: Page) -> None:
    """Wait until htmx has finished its requests and their swaps (a key pressed mid-swap can be lost)."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def test_keyboard_only_build_of_a_small_team(page: Page) -> None:
    page.goto("/teams/new")
    _tab_to(page, "Name")
    page.keyboard.type(f"Keys only {uuid.uuid4().hex[:6]}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/builder/\d+$"))  # New team opens the Builder
    page.goto(f"/builder/{page.url.rsplit('/', 1)[1]}")
    canvas = _canvas(page)
    for expected in ("assistant_2", "assistant_3"):
        _settled(page)
        _tab_to(page, "Add to team: Assistant agent")
        page.keyboard.press("Enter")
        expect(canvas.locator(f'[data-agent-name="{expected}"]')).to_be_visible()
        _settled(page)
    _tab_to(page, "AssistantAgent assistant_2", back=True)  # the node's select button
    page.keyboard.press("Enter")
    expect(page.locator("#selected-node")).to_have_value("agent:assistant_2")
    _settled(page)
    _tab_to(page, "Add to selected: OpenAI-compatible model (Ollama)")
    page.keyboard.press("Enter")
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_contain_text("llama3.2")
    _settled(page)
    _tab_to(page, "Add to selected: Function tool")
    page.keyboard.press("Space")
    expect(canvas.locator('[data-agent-name="assistant_2"] .tool-chip')).to_have_count(1)
    _settled(page)
    _tab_to(page, "Add to team: 10 messages")
    page.keyboard.press("Enter")
    expect(canvas.locator("[data-team-provider]")).to_contain_text("10 messages")
    _settled(page)
    expect(page.locator("#selected-node")).to_have_value("team")  # a termination selects the team
    _tab_to(page, "AssistantAgent assistant_2", back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_label("System message")).to_be_visible()
    _settled(page)
    _tab_to(page, "System message")
    page.keyboard.press("Control+A")
    page.keyboard.type("You check the facts, briefly.")
    page.keyboard.press("Tab")  # leaving the field sends the change
    expect(page.locator("#team-json")).to_have_value(re.compile("You check the facts, briefly."))
    _settled(page)
    shoot(page, "journey-keyboard-built")
    _tab_to(page, "Save", back=True)
    page.keyboard.press("Enter")
    expect(page.get_by_text("All changes saved")).to_be_visible()

    page.reload()
    canvas = _canvas(page)
    assert _names(page) == ["assistant", "assistant_2", "assistant_3"]
    second = canvas.locator('[data-agent-name="assistant_2"]')
    expect(second).to_contain_text("llama3.2")
    expect(second.locator(".tool-chip")).to_have_count(1)
    expect(canvas.locator("[data-team-provider]")).to_contain_text("10 messages")
    config = json.loads(page.locator("#team-json").input_value())["config"]
    assert config["participants"][1]["config"]["system_message"] == "You check the facts, briefly."
    shoot(page, "journey-keyboard-reloaded")


def test_json_view_keeps_unapplied_edits_through_other_edits(page: Page) -> None:
    _new_team(page, f"JSON edits {uuid.uuid4().hex[:6]}")
    canvas, library = _canvas(page), _library(page)
    page.get_by_role("button", name="JSON view").click()
    editor = page.get_by_role("textbox", name="Team JSON")
    notice = page.locator("#json-notice")
    expect(notice).to_be_hidden()
    mine = json.loads(editor.input_value())
    mine["config"]["participants"][0]["config"]["system_message"] = "Mine, not applied yet."
    editor.fill(json.dumps(mine, indent=2))
    expect(notice.get_by_text("Your edits are not applied yet")).to_be_visible()
    # selecting a node re-renders the JSON view out of band: the text stays
    canvas.locator('[data-agent-name="assistant"] .node-select').click()
    expect(page.locator("#selected-node")).to_have_value("agent:assistant")
    expect(editor).to_have_value(re.compile("Mine, not applied yet."))
    # a change to the team keeps the text too, and says the team changed since the editing began
    library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    expect(notice.get_by_text("The team changed since you began editing this JSON")).to_be_visible()
    expect(notice.get_by_text("Your edits are not applied yet")).to_be_hidden()
    expect(editor).to_have_value(re.compile("Mine, not applied yet."))
    assert "assistant_2" not in editor.input_value()
    shoot(page, "journey-json-stale-edits", dark=True)
    page.get_by_role("button", name="Discard my edits").click()
    expect(editor).to_have_value(re.compile('"name": "assistant_2"'))
    expect(editor).not_to_have_value(re.compile("Mine, not applied yet."))
    expect(notice).to_be_hidden()
    # an edit that is applied redraws the canvas and leaves no notice
    current = json.loads(editor.input_value())
    current["config"]["participants"][1]["config"]["name"] = "checker"
    editor.fill(json.dumps(current, indent=2))
    page.get_by_role("button", name="Apply JSON").click()
    expect(canvas.locator('[data-agent-name="checker"]')).to_be_visible()
    expect(notice).to_be_hidden()
    canvas.locator('[data-agent-name="checker"] .node-select').click()
    expect(editor).to_have_value(re.compile('"name": "checker"'))
    shoot(page, "journey-json-applied")


def _change_elsewhere(base_url: str, team_id: str, system_message: str) -> None:
    """Change the team through the JSON API, as another tab or a script would."""
    with urllib.request.urlopen(f"{base_url}/api/teams/{team_id}") as answer:
        component = json.load(answer)["component"]
    component["config"]["participants"][0]["config"]["system_message"] = system_message
    request = urllib.request.Request(f"{base_url}/api/teams/{team_id}", method="PATCH",
                                     data=json.dumps({"component": component}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200


def test_notice_when_the_team_changed_elsewhere_keep_or_load(page: Page, base_url: str) -> None:
    team_id = _new_team(page, f"Elsewhere {uuid.uuid4().hex[:6]}")
    canvas, library = _canvas(page), _library(page)
    library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    _change_elsewhere(base_url, team_id, "Changed in another tab.")
    page.reload()
    banner = page.get_by_role("alert").filter(has_text="was changed outside the builder")
    expect(banner).to_be_visible()
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()  # the draft is what you see
    shoot(page, "journey-changed-elsewhere", dark=True)
    banner.get_by_role("button", name="Keep my draft").click()
    expect(banner).to_have_count(0)
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    page.reload()
    expect(page.get_by_text("was changed outside the builder")).to_have_count(0)

    _change_elsewhere(base_url, team_id, "Changed again.")
    page.reload()
    banner = page.get_by_role("alert").filter(has_text="was changed outside the builder")
    banner.get_by_role("button", name="Load the saved team").click()
    expect(banner).to_have_count(0)
    expect(canvas.locator("[data-agent-name]")).to_have_count(1)
    expect(page.locator("#team-json")).to_have_value(re.compile("Changed again."))
    expect(page.get_by_text("All changes saved")).to_be_visible()
    shoot(page, "journey-changed-elsewhere-loaded")


def test_a_save_after_a_change_elsewhere_is_refused_and_offers_the_saved_team(page: Page, base_url: str) -> None:
    """Saving a draft based on an older revision (another tab saved meanwhile, this page not reloaded) writes
    nothing: the page says so and offers to keep the draft or load the saved team."""
    team_id = _new_team(page, f"Stale {uuid.uuid4().hex[:6]}")
    canvas, library = _canvas(page), _library(page)
    library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()
    _change_elsewhere(base_url, team_id, "Saved in another tab.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#flash")).to_contain_text("was changed elsewhere")
    banner = page.get_by_role("alert").filter(has_text="was changed outside the builder")
    expect(banner).to_be_visible()
    expect(canvas.locator('[data-agent-name="assistant_2"]')).to_be_visible()  # the draft is still there
    shoot(page, "journey-stale-save", dark=True)
    banner.get_by_role("button", name="Load the saved team").click()
    expect(canvas.locator("[data-agent-name]")).to_have_count(1)
    expect(page.locator("#team-json")).to_have_value(re.compile("Saved in another tab."))
