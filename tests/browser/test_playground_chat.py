"""The Playground as a chat, in a real browser: the task box held at the bottom of the viewport while a long
trace scrolls above it, Run unavailable while a run is going (and refused by the server), the
human-in-the-loop demo asking `Your reply`, and demos with distinct names, one demo team and no invented
token counts."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from studio import store
from studio.settings import Settings
from studio.store import make_engine, session
from studio.store.models import RunStatus
from tests.services.helpers import writer_critic
from tests.support.openai_server import OpenAIServer
from tests.support.playground_teams import loopback_team

from .conftest import StudioServer
from .shots import shoot
from .test_playground import RUN_TIMEOUT_MS, _last_run, _open_session, _run, _status, _team

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


def _task_box_at_bottom(page: Page) -> None:
    """The task box's bottom edge sits at the bottom of the viewport (within its margin)."""
    box = page.locator("#task-form").bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and height - 40 <= box["y"] + box["height"] <= height, (box, height)


def _try_demo(page: Page, template: str) -> None:
    page.goto("/gallery")
    page.get_by_role("article", name=template).get_by_role("button", name="Try demo").click()
    expect(page).to_have_url(re.compile(r"/playground/sessions/\d+"))


def test_the_task_box_stays_at_the_bottom_while_a_long_trace_scrolls(page: Page, studio_server: StudioServer) -> None:
    _open_session(page, _team(page, writer_critic()))
    conversation_id = int(page.url.rsplit("/", 1)[1])
    engine = make_engine(Settings(home=studio_server.home, database_url=None).resolved_database_url)
    with session(engine) as db:  # a finished run far longer than the viewport, written into the server's database
        run = store.create_run(db, conversation_id=conversation_id, task="Talk for a while")
        for seq in range(1, 61):
            source = "writer" if seq % 2 else "critic"
            store.add_event(db, run.id, seq, {"type": "TextMessage", "source": source, "content": f"Line **{seq}**."})
        store.finish_run(db, run, status=RunStatus.COMPLETE, stop_reason="Maximum number of messages reached")
    engine.dispose()
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.reload()
        expect(_last_run(page).locator("[data-run-status]")).to_be_attached()
        page.wait_for_function("() => { const d = document.scrollingElement;"
                               " return d.scrollHeight - d.scrollTop - d.clientHeight < 2; }")  # opens at the end
        expect(page.locator("#task-form")).to_be_in_viewport(ratio=1)  # above the footer, at the trace's end
        shoot(page, f"playground-chat-long-trace-end-{name}", dark=True)
        page.mouse.wheel(0, -3000)
        page.wait_for_function("() => document.scrollingElement.scrollTop < document.scrollingElement.scrollHeight / 2")
        _task_box_at_bottom(page)  # still there while the reader scrolls back up the trace
        expect(page.get_by_role("textbox", name="Task")).to_be_in_viewport()
        expect(page.get_by_role("button", name="Run", exact=True)).to_be_in_viewport()
        shoot(page, f"playground-chat-long-trace-up-{name}")
    page.set_viewport_size(DESKTOP)


def test_run_is_unavailable_while_a_run_is_going_and_the_server_refuses_a_second(
    page: Page, openai_server: OpenAIServer
) -> None:
    openai_server.delay(30.0, "too late", forever=True)
    _open_session(page, _team(page, loopback_team(openai_server.base_url, label="Slow")))
    run_button = page.get_by_role("button", name="Run", exact=True)
    expect(run_button).not_to_have_attribute("aria-disabled", "true")
    _run(page, "Take your time")
    run = _last_run(page)
    expect(run.get_by_role("button", name="Stop")).to_be_visible()
    expect(run_button).to_have_attribute("aria-disabled", "true")
    expect(run_button).to_have_accessible_description(re.compile("available again when it ends"))
    expect(page.locator("#task-busy")).to_be_visible()
    shoot(page, "playground-chat-running-run-unavailable", dark=True)
    page.set_viewport_size(PHONE)
    shoot(page, "playground-chat-running-run-unavailable-phone", dark=True)
    page.set_viewport_size(DESKTOP)

    page.get_by_role("textbox", name="Task").fill("A second task")
    expect(run_button).to_be_disabled()  # aria-disabled: Playwright, like assistive technology, sees it unavailable
    run_button.click(force=True)  # clicked anyway
    page.get_by_role("textbox", name="Task").press("Control+Enter")
    expect(page.locator("#runs > .run")).to_have_count(1)  # nothing was sent
    refused = page.evaluate("""async (url) => {
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const body = new FormData(); body.append("task", "Sent anyway");
        const answer = await fetch(url, {method: "POST", body, headers: {"X-CSRF-Token": token, "HX-Request": "true"}});
        return {status: answer.status, text: await answer.text()};
    }""", page.url + "/runs")
    assert refused["status"] == 422 and "already active" in refused["text"], refused

    run.get_by_role("button", name="Stop").click()
    _status(page, "stopped")
    expect(run_button).not_to_have_attribute("aria-disabled", "true")  # the end event gave Run back
    expect(page.locator("#task-busy")).to_be_hidden()
    expect(run_button).to_have_accessible_description("")


def test_the_human_in_the_loop_demo_asks_you_and_goes_on_with_your_reply(page: Page) -> None:
    _try_demo(page, "Assistant and you (human in the loop)")
    reply = page.get_by_role("textbox", name="Your reply")
    expect(reply).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(_last_run(page).locator('[data-source="assistant"]').first).to_contain_text("One question first")
    shoot(page, "playground-chat-human-input", dark=True)
    page.set_viewport_size(PHONE)
    shoot(page, "playground-chat-human-input-phone", dark=True)
    page.set_viewport_size(DESKTOP)
    reply.fill("Museums, and a long lunch")
    page.get_by_role("button", name="Send").click()
    _status(page, "complete")
    run = _last_run(page)
    expect(run.locator('.run-events > [data-type="TextMessage"][data-source="user"]').last).to_contain_text(
        "Museums, and a long lunch")  # the person's reply, not the recorded one
    expect(run.locator('[data-source="assistant"]').last).to_contain_text("TERMINATE")


def test_demos_get_distinct_names_one_demo_team_and_no_invented_token_counts(page: Page) -> None:
    _try_demo(page, "Travel desk (swarm)")
    _status(page, "complete")
    expect(page.get_by_role("heading", level=1)).to_have_text("Travel desk (swarm) demo")
    summary = _last_run(page).get_by_role("region", name=re.compile(r"^Summary of run \d+$"))
    expect(summary.locator('[data-tokens="none"]')).to_have_text("none reported")  # its recording has no usage
    expect(_last_run(page).locator(".event__tokens")).to_have_count(0)
    shoot(page, "playground-chat-swarm-demo")
    first_team = page.get_by_role("link", name="Travel desk (swarm) (demo)").get_attribute("href")

    _try_demo(page, "Travel desk (swarm)")
    _status(page, "complete")
    expect(page.get_by_role("heading", level=1)).to_have_text("Travel desk (swarm) demo 2")
    assert page.get_by_role("link", name="Travel desk (swarm) (demo)").get_attribute("href") == first_team
    page.goto("/teams")
    expect(page.get_by_role("main").get_by_text("Travel desk (swarm) (demo)", exact=True)).to_have_count(1)
