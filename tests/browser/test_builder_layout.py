"""The Builder's layout in a real browser: the library's groups, zoom and pan of a graph (buttons and keys,
node moves in graph coordinates), a toolbar that stays put when "Unsaved changes" appears, the properties
in view at 800 px, and no page of the studio scrolling sideways at 390 px."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import running_studio
from .shots import shoot
from .test_builder import _new_team

PHONE = {"width": 390, "height": 844}
GRAPH = "autogen_agentchat.teams.GraphFlow"


def _library(page: Page) -> Locator:
    return page.get_by_role("region", name="Component library")


def _graph_team(page: Page, agents: int = 3) -> str:
    """A GraphFlow team with `agents` assistants."""
    team_id = _new_team(page, f"Graph {uuid.uuid4().hex[:6]}")
    library = _library(page)
    canvas = page.get_by_role("region", name="Team canvas")
    for count in range(2, agents + 1):
        library.get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
        expect(canvas.locator("[data-agent-name]")).to_have_count(count)
    library.get_by_role("button", name="Switch team to: GraphFlow team", exact=True).click()
    expect(canvas.locator(f'[data-team-provider="{GRAPH}"]')).to_be_visible()
    return team_id


def _zoom(page: Page) -> str:
    return page.locator("#zoom-level").inner_text()


def test_library_groups_fold_and_search_opens_what_it_finds(page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    _new_team(page, f"Library {uuid.uuid4().hex[:6]}")
    library = _library(page)
    agents = library.locator("details.library-group[data-group=agent]")
    summary = agents.locator("summary").first
    expect(library.get_by_role("listitem", name="Assistant agent")).to_be_visible()  # built-ins show first
    gallery_part = agents.locator("details.library-more")
    expect(gallery_part).not_to_have_attribute("open", "")
    expect(gallery_part.get_by_role("listitem").first).to_be_hidden()
    shoot(page, "builder-library-1400", dark=True)

    summary.focus()
    page.keyboard.press("Enter")  # the keyboard folds a group
    expect(library.get_by_role("listitem", name="Assistant agent")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(library.get_by_role("listitem", name="Assistant agent")).to_be_visible()

    page.get_by_role("searchbox", name="Search components").fill("travel")
    found = library.get_by_role("button", name=re.compile(r"^Add to team: triage_agent"))
    expect(found).to_be_visible()  # the search opened the gallery part that holds it
    expect(library.get_by_role("listitem", name="Assistant agent")).to_have_count(0)
    shoot(page, "builder-library-search", dark=True)
    names = library.locator(".lib-add").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(names) == len(set(names))


def test_every_library_button_has_its_own_name(page: Page) -> None:
    _new_team(page, f"Names {uuid.uuid4().hex[:6]}")
    names = _library(page).locator(".lib-add").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(names) > 30  # the gallery's components are there too
    assert len(names) == len({n.casefold() for n in names})


def test_zoom_and_pan_by_buttons_and_keys_keep_graph_coordinates(page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    _graph_team(page)
    canvas = page.get_by_role("region", name="Team canvas")
    graph = canvas.locator(".graph")
    viewport = page.get_by_role("group", name="Graph view", exact=True)
    expect(page.locator("#zoom-level")).to_have_text("100%")
    width = graph.bounding_box()["width"]

    canvas.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#zoom-level")).to_have_text("125%")
    assert graph.bounding_box()["width"] == pytest.approx(width * 1.25, abs=2)
    canvas.get_by_role("button", name="Zoom out").click()
    canvas.get_by_role("button", name="Zoom out").click()
    expect(page.locator("#zoom-level")).to_have_text("80%")
    canvas.get_by_role("button", name="Reset zoom").click()
    expect(page.locator("#zoom-level")).to_have_text("100%")

    viewport.focus()
    for _ in range(3):
        page.keyboard.press("+")
    expect(page.locator("#zoom-level")).to_have_text("195%")
    shoot(page, "builder-zoomed-1400", dark=True)
    assert viewport.evaluate("v => v.scrollWidth > v.clientWidth")  # room to pan
    viewport.evaluate("v => { v.scrollLeft = 0; v.scrollTop = 0; }")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(viewport).to_have_js_property("scrollLeft", 40)
    expect(viewport).to_have_js_property("scrollTop", 40)
    page.keyboard.press("ArrowLeft")
    expect(viewport).to_have_js_property("scrollLeft", 0)

    # a node dragged at 195% moves by the distance over the scale, in the graph's coordinates
    node = canvas.locator('[data-agent-name="assistant_2"]')
    graph_x = "n => n.offsetLeft + Number(n.closest('.graph').dataset.ox)"  # what the server stores
    left = node.evaluate(graph_x)
    style = node.get_attribute("style")
    node.scroll_into_view_if_needed()
    box = node.bounding_box()
    x, y = box["x"] + 40, box["y"] + box["height"] - 12
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y, steps=4)
    page.mouse.move(x + 117, y, steps=4)
    page.mouse.up()
    expect(node).not_to_have_attribute("style", style or "")
    expect(node).not_to_have_class(re.compile("moving"))  # the canvas came back from the server
    moved = node.evaluate(graph_x) - left
    assert moved == pytest.approx(117 / 1.953125, abs=3)
    expect(page.locator("#zoom-level")).to_have_text("195%")  # the re-rendered canvas keeps the zoom
    assert graph.evaluate("g => g.style.transform").startswith("scale(1.953")

    viewport.focus()
    page.keyboard.press("f")  # fits: the whole graph is in the viewport
    expect(page.locator("#zoom-level")).not_to_have_text("195%")
    assert viewport.evaluate("v => v.scrollWidth <= v.clientWidth + 1 && v.scrollHeight <= v.clientHeight + 1")
    page.reload()
    expect(page.locator("#zoom-level")).to_have_text("100%")  # a zoom level lasts for the page view only


@pytest.mark.parametrize("width", [1400, 800])
def test_the_toolbar_stays_put_when_unsaved_changes_appears(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _new_team(page, f"Toolbar {uuid.uuid4().hex[:6]}")
    boxes = "() => [...document.querySelectorAll('#builder-toolbar > *, .builder-head, .builder-columns')]" \
            ".map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width]; })"  # the canvas grows
    before = page.evaluate(boxes)
    _library(page).get_by_role("button", name="Add to team: Assistant agent", exact=True).click()
    expect(page.get_by_text("Unsaved changes")).to_be_visible()
    shoot(page, f"builder-unsaved-{width}", dark=True)
    assert page.evaluate(boxes) == before
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("All changes saved")).to_be_visible()
    # "Saved ... as version N" arrives above the page (messages sit in the flow, so they cover nothing): the
    # whole page may move down by its height, but nothing in it moves against the rest.
    after = page.evaluate(boxes)
    shift = after[0][1] - before[0][1]
    assert [[x, y - shift, w] for x, y, w in after] == before


def test_at_800_px_selecting_a_node_brings_its_properties_into_view(page: Page) -> None:
    page.set_viewport_size({"width": 800, "height": 600})
    _graph_team(page)
    properties = page.get_by_role("region", name="Properties")
    title = properties.locator(".properties-title")
    page.evaluate("window.scrollTo(0, 0)")
    expect(title).not_to_be_in_viewport()
    page.locator('[data-agent-name="assistant_3"] .node-select').click()
    name = properties.locator('[name="config.name"]')
    expect(name).to_have_value("assistant_3")
    expect(title).to_be_in_viewport()
    expect(name).to_be_in_viewport()
    shoot(page, "builder-selected-800", dark=True)


def test_add_edge_to_does_not_offer_a_loop_first(page: Page) -> None:
    _graph_team(page)
    page.locator('[data-agent-name="assistant"] .node-select').click()
    choice = page.get_by_label("Add edge to")
    expect(choice.locator("option").first).not_to_have_attribute("value", "assistant")
    expect(choice.locator("option").last).to_have_text("assistant (itself: a loop)")


@pytest.fixture(scope="module")
def login_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second studio that asks for a token, for its login page."""
    with running_studio(tmp_path_factory.mktemp("token-home"), STUDIO_AUTH_TOKEN="t0ken") as server:
        yield server.url


def _pages(page: Page) -> list[str]:
    """One URL of each page of the studio, made as a user would: a team, a session, a gallery item."""
    team_id = _new_team(page, f"Phone {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Run in playground").click()
    page.wait_for_url(re.compile(r"/playground/sessions/\d+"))
    session = page.url
    page.goto("/gallery")
    preview = page.get_by_role("link", name="Preview").first.get_attribute("href")
    return ["/teams", f"/teams/{team_id}", f"/builder/{team_id}", "/playground", session, "/gallery", str(preview),
            "/settings", "/teams/import", "/no/such/page"]


def test_at_390_px_no_page_scrolls_sideways(page: Page, browser: Browser, login_url: str) -> None:
    urls = _pages(page)
    page.set_viewport_size(PHONE)
    wide = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"\W+", "-", url.split("//")[-1].split("/", 1)[-1]).strip("-") or "home"
            shoot(page, f"phone-{name}-{scheme}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide[url] = width
    assert wide == {}
    context = browser.new_context(viewport=PHONE)
    try:
        login = context.new_page()
        login.goto(login_url.rstrip("/") + "/login")
        expect(login.get_by_role("button", name=re.compile("Sign in", re.I))).to_be_visible()
        shoot(login, "phone-login")
        assert login.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_builder_at_390_px_with_a_zoomed_graph(page: Page) -> None:
    _graph_team(page, agents=4)
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Zoom in").click()
    expect(page.locator("#zoom-level")).to_have_text("125%")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "phone-builder-zoomed", dark=True)

