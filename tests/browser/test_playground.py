"""The Playground in a real browser: a run's trace arriving live, stop, a user proxy's question answered,
a reload mid-run that carries on, replay and compare, and model output that stays inert (XSS)."""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

from playwright.sync_api import Browser, Page, expect

from studio import store
from studio.settings import Settings
from studio.store import make_engine, session
from studio.store.models import RunStatus
from tests.playground import replay_teams
from tests.services.helpers import writer_critic
from tests.support.openai_server import OpenAIServer
from tests.support.playground_teams import (
    asking_team,
    assistant,
    loopback_team,
    openai_model,
    replay_team,
    round_robin,
)

from .conftest import StudioServer
from .shots import shoot

RUN_TIMEOUT_MS = 15_000


def _team(page: Page, document: dict[str, Any]) -> int:
    """Create the team through the JSON API (a unique label each time) and return its id."""
    document = {**document, "label": f"{document.get('label', 'Team')} {uuid.uuid4().hex[:6]}"}
    response = page.request.post("/api/teams", data={"component": document})
    assert response.status == 201, response.text()
    return int(response.json()["id"])


def _open_session(page: Page, team_id: int) -> None:
    """A new team's `Open in Playground`: the New session form with the team chosen, its button focused."""
    page.goto(f"/playground?team={team_id}")
    expect(page.get_by_role("button", name="New session")).to_be_focused()
    shoot(page, "playground-open-team-without-session")
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="Task")).to_be_visible()


def _run(page: Page, task: str) -> None:
    page.get_by_role("textbox", name="Task").fill(task)
    page.get_by_role("button", name="Run", exact=True).click()


def _last_run(page: Page):
    return page.get_by_role("region", name="Trace").locator(".run").last


def _status(page: Page, status: str) -> None:
    expect(_last_run(page).locator("[data-run-status]")).to_have_attribute("data-run-status", status,
                                                                          timeout=RUN_TIMEOUT_MS)


# Marks the document once a run's trace follows the run live: the browser has the event stream's headers,
# and the server subscribes the stream to the run before it sends them.
FOLLOWING = "document.addEventListener('htmx:sseOpen', () => document.documentElement.dataset.following = '')"


def _following(page: Page) -> None:
    """Wait until this document's run trace follows its run (`page.add_init_script(FOLLOWING)` first)."""
    expect(page.locator("html")).to_have_attribute("data-following", "", timeout=RUN_TIMEOUT_MS)


def _seqs(run) -> list[int]:
    return [int(s) for s in run.locator(".run-events > article.event").evaluate_all("els => els.map(e => e.dataset.seq)")]


def test_run_a_team_and_watch_its_trace_arrive_live(page: Page) -> None:
    team_id = _team(page, writer_critic())
    _open_session(page, team_id)
    page.evaluate("window.__samePage = true")
    shoot(page, "playground-1-empty-session")

    page.get_by_role("button", name="Run", exact=True).click()  # an empty task: a message, no run
    expect(page.get_by_role("alert")).to_contain_text("task")
    expect(page.locator(".run")).to_have_count(0)

    page.get_by_role("textbox", name="Task").fill("Write a haiku about the sea")
    page.get_by_role("textbox", name="Task").press("Control+Enter")  # the keyboard runs it too
    trace = page.get_by_role("region", name="Trace")
    expect(trace.locator('[data-type="TextMessage"][data-source="critic"]').last).to_contain_text("APPROVE",
                                                                                            timeout=RUN_TIMEOUT_MS)
    _status(page, "complete")
    assert page.evaluate("window.__samePage") is True  # it arrived over SSE, not by reloading
    run = _last_run(page)
    assert _seqs(run) == [1, 2, 3, 4, 5]
    assert run.locator("article.event").evaluate_all("els => els.map(e => e.dataset.source)") == [
        "user", "writer", "critic", "writer", "critic"]
    expect(page.get_by_role("textbox", name="Task")).to_have_value("")
    expect(run.get_by_role("button", name="Replay")).to_be_visible()
    shoot(page, "playground-2-run-complete")
    run.locator(".run-flow > summary").click()
    run.locator('a.flow__edge[data-flow-source="writer"][data-flow-target="critic"]').click()
    expect(run.locator(".run-events > article.event")).to_have_count(2)  # critic's two answers to writer
    assert _seqs(run) == [3, 5] and page.evaluate("window.__samePage") is True  # filtered in place
    shoot(page, "playground-2b-flow-filtered")
    active = run.locator("a.flow__edge.is-active")
    expect(active).to_have_count(1)
    expect(active).to_have_attribute("aria-current", "true")
    shoot(page, "flow-filtered", dark=True, element=f"#{run.get_attribute('id')}")
    run.get_by_role("button", name="Show all turns").click()
    expect(run.locator(".run-events > article.event")).to_have_count(5)
    expect(run.locator("a.flow__edge.is-active")).to_have_count(0)  # no arrow stays highlighted
    expect(run.locator("a.flow__edge[aria-current]")).to_have_count(0)
    shoot(page, "flow-all-turns", dark=True, element=f"#{run.get_attribute('id')}")
    page.emulate_media(color_scheme="dark")
    shoot(page, "playground-2-run-complete-dark")
    page.emulate_media(color_scheme="light")

    page.goto("/playground")
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    shoot(page, "playground-0-sessions")


def test_stop_a_long_run(page: Page, openai_server: OpenAIServer) -> None:
    openai_server.delay(30.0, "too late", forever=True)
    _open_session(page, _team(page, loopback_team(openai_server.base_url, label="Slow")))
    _run(page, "Take your time")
    run = _last_run(page)
    expect(run.locator('[data-source="user"]')).to_be_visible()
    stop = run.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    shoot(page, "playground-3-running")
    stop.click()
    _status(page, "stopped")
    expect(run.locator("[data-run-status]")).to_contain_text("Stopped")
    expect(run.get_by_role("button", name="Stop")).to_have_count(0)
    shoot(page, "playground-4-stopped")


def test_streamed_tokens_appear_live_then_settle_into_the_message(page: Page, openai_server: OpenAIServer) -> None:
    following, gate = threading.Event(), threading.Event()
    openai_server.reply("First, a plain answer.", hold=following)
    openai_server.stream(["Tides ", "turn <b>slowly</b>", " tonight."], gate=gate)
    model = openai_model(openai_server.base_url)
    team = round_robin(assistant("planner", model), assistant("poet", model, stream=True), label="Streaming",
                       max_turns=3)
    page.add_init_script(FOLLOWING)
    _open_session(page, _team(page, team))
    _run(page, "A line about tides")
    _following(page)
    following.set()  # the model answers only now: its tokens cannot stream before the page follows
    typing = _last_run(page).locator(".run-live .event--streaming")
    expect(typing).to_contain_text("Tides", timeout=RUN_TIMEOUT_MS)  # typed in while the model streams
    shoot(page, "playground-4b-streaming")
    gate.set()
    message = _last_run(page).locator('.run-events > article[data-source="poet"]')
    expect(message).to_contain_text("Tides turn <b>slowly</b> tonight.")  # settled: the final message, as text
    expect(typing).to_have_count(0)
    _status(page, "complete")


def test_a_tool_result_arrives_live_beside_its_call(page: Page, openai_server: OpenAIServer) -> None:
    following = threading.Event()
    openai_server.reply("Let me add them.", hold=following)
    openai_server.reply_tool_calls([("add", '{"a": 1, "b": 2}')])
    model = replay_teams.openai_model(openai_server.base_url)
    team = replay_teams.team("RoundRobinGroupChat", [assistant("planner", model), replay_teams.assistant(
        "calculator", model, tools=True)], termination_condition=replay_teams.max_messages(3))
    page.add_init_script(FOLLOWING)
    _open_session(page, _team(page, team))
    _run(page, "Add 1 and 2")
    _following(page)
    following.set()  # the call and its result arrive live
    _status(page, "complete")
    run = _last_run(page)
    call = run.locator('.run-events > article[data-type="ToolCallRequestEvent"]')
    expect(call).to_have_count(1)
    expect(call.locator(".tool-result")).to_contain_text("3")  # the result joined its call in place
    assert run.locator('.run-events > article[data-type="ToolCallExecutionEvent"]').count() == 0
    shoot(page, "playground-4c-tool-call")


# Counts, in every page the test opens, the most elements ever shown at once for one seq (a duplicate that
# came and went would be missed by looking only at the end).
MOST_PER_SEQ = """
window.__mostPerSeq = 0;
new MutationObserver(() => {
  const counts = {};
  for (const el of document.querySelectorAll(".run-events article[data-seq]")) {
    const key = el.closest(".run").id + ":" + el.dataset.seq;
    counts[key] = (counts[key] || 0) + 1;
  }
  window.__mostPerSeq = Math.max(window.__mostPerSeq, ...Object.values(counts), 0);
}).observe(document, { subtree: true, childList: true });
"""


def _each_seq_once(run) -> None:
    seqs = _seqs(run)
    assert seqs == sorted(set(seqs)), seqs
    assert run.page.evaluate("window.__mostPerSeq") == 1


def test_a_tool_demo_shows_each_call_once_with_its_results_live(page: Page) -> None:
    page.add_init_script(MOST_PER_SEQ)
    page.goto("/gallery")
    page.get_by_role("article", name="Assistant with tools").get_by_role("button", name="Try demo").click()
    expect(page).to_have_url(re.compile(r"/playground/sessions/\d+"))
    _status(page, "complete")
    run = _last_run(page)
    call = run.locator('[data-seq="3"]')
    expect(call).to_have_count(1)
    expect(call).to_have_attribute("data-type", "ToolCallRequestEvent")
    for result in ("350 F = 176.67 C", "45 days", "100.0"):
        expect(call.locator(".tool-result", has_text=result)).to_be_visible()
    expect(run.locator(".tool-result--pending")).to_have_count(0)
    _each_seq_once(run)
    shoot(page, "tool-demo", dark=True, element=f"#{run.get_attribute('id')}")


def test_parallel_tool_calls_of_a_streaming_agent_join_their_call_in_place(page: Page) -> None:
    page.add_init_script(MOST_PER_SEQ)
    calls = {"finish_reason": "function_calls", "cached": False, "usage": {"prompt_tokens": 5, "completion_tokens": 3},
             "content": [{"id": "call_1", "name": "add", "arguments": '{"a": 1, "b": 2}'},
                         {"id": "call_2", "name": "add", "arguments": '{"a": 30, "b": 40}'}]}
    model = {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
             "config": {"chat_completions": [calls, "That makes 3 and 70."]}}
    team = replay_teams.team("RoundRobinGroupChat", [replay_teams.assistant("calculator", model, tools=True,
                             stream=True)], termination_condition=replay_teams.max_messages(3), label="Parallel")
    _open_session(page, _team(page, team))
    _run(page, "Add 1 and 2, and 30 and 40")
    _status(page, "complete")
    run = _last_run(page)
    call = run.locator('[data-seq="2"]')
    expect(call).to_have_count(1)
    expect(call.locator(".tool-result")).to_have_text([re.compile(r"Result.*\b3\b", re.S),
                                                       re.compile(r"Result.*\b70\b", re.S)])
    _each_seq_once(run)


def test_a_haiku_keeps_its_lines_and_the_token_table_lines_up(page: Page) -> None:
    _open_session(page, _team(page, replay_team("Grey waves fold in\nsalt wind carries the gull's cry\nthe tide keeps its time",
                                                label="Haiku")))
    _run(page, "A haiku about the sea")
    _status(page, "complete")
    run = _last_run(page)
    haiku = run.locator('article[data-source="assistant"] .markdown')
    expect(haiku.locator("br")).to_have_count(2)
    assert haiku.inner_text().splitlines() == ["Grey waves fold in", "salt wind carries the gull's cry",
                                               "the tide keeps its time"]
    table = run.locator(".run-summary__agents")
    for column in range(2, 6):  # each number's right edge is its header's
        header = table.locator(f"thead th:nth-child({column})")
        cell = table.locator(f"tbody tr:first-child td:nth-child({column})")
        assert header.evaluate("el => getComputedStyle(el).textAlign") == "right"
        edges = [el.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                             " return r.getBoundingClientRect().right; }") for el in (header, cell)]
        assert abs(edges[0] - edges[1]) < 1.5, (column, edges)
    shoot(page, "haiku-and-summary", dark=True, element=f"#{run.get_attribute('id')}")


def test_answer_a_user_proxy(page: Page) -> None:
    _open_session(page, _team(page, asking_team()))
    _run(page, "A poem, please")
    reply = page.get_by_role("textbox", name="Your reply")
    expect(reply).to_be_visible(timeout=RUN_TIMEOUT_MS)
    shoot(page, "playground-5-question")
    reply.fill("Blue, like the sea")
    page.get_by_role("button", name="Send").click()
    run = _last_run(page)
    expect(run.locator('article[data-source="user"]').last).to_contain_text("Blue, like the sea")
    _status(page, "complete")
    expect(page.get_by_role("textbox", name="Your reply")).to_have_count(0)


def test_reload_mid_run_and_see_it_continue(page: Page, openai_server: OpenAIServer) -> None:
    reloaded = threading.Event()
    openai_server.reply("First answer.")
    openai_server.reply("Second answer.", hold=reloaded)  # the run waits for the model while the page reloads
    openai_server.reply("Third answer.")
    page.add_init_script(FOLLOWING)
    _open_session(page, _team(page, loopback_team(openai_server.base_url, turns=4, label="Paced")))
    _run(page, "Count with me")
    expect(_last_run(page).locator("article.event", has_text="First answer.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.reload()
    _following(page)
    reloaded.set()
    run = _last_run(page)
    expect(run.locator("article.event", has_text="Third answer.")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    _status(page, "complete")
    assert _seqs(run) == [1, 2, 3, 4]  # nothing lost, nothing shown twice
    shoot(page, "playground-6-after-reload")


def test_replay_a_run_and_get_the_same_trace(page: Page) -> None:
    _open_session(page, _team(page, writer_critic()))
    _run(page, "Write a haiku about the sea")
    _status(page, "complete")
    _last_run(page).get_by_role("button", name="Replay").click()
    expect(page.locator(".run")).to_have_count(2)
    expect(_last_run(page)).to_contain_text("replay of run")
    _status(page, "complete")
    runs = page.locator(".run")

    def trace(index: int) -> list[list[str]]:
        return runs.nth(index).locator(".run-events > article.event").evaluate_all(
            "els => els.map(e => [e.dataset.type, e.dataset.source, e.querySelector('.event__body').innerText])")

    assert trace(0) == trace(1) and len(trace(0)) == 5
    page.reload()  # the compare picker appears once a session has two runs
    page.get_by_role("button", name="Compare").click()
    expect(page.locator('[data-compare="same"]')).to_be_visible()
    shoot(page, "playground-7-replay-compare")


def test_model_output_with_script_renders_inert(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = (
        "Here: <script>window.__xss = 'script'; alert('script')</script>"
        ' <img src="x" onerror="window.__xss = \'img\'; alert(\'img\')">'
        " [click me](javascript:window.__xss='link';alert('link'))"
        ' <a href="javascript:alert(1)">raw link</a>'
    )
    _open_session(page, _team(page, replay_team(hostile, label="Hostile")))
    _run(page, "<img src=y onerror=\"alert('task')\"> say something")
    _status(page, "complete")
    run = _last_run(page)
    answer = run.locator('article[data-source="assistant"]')
    expect(answer).to_contain_text("click me")
    for link in answer.get_by_text(re.compile("click me|raw link")).all():
        link.click()
    # Whatever the page or those clicks set off has had its chance once htmx has settled, every image has loaded
    # or failed (its error handler has run) and a link clicked after them has run (tasks run in order; an alert
    # would hold that link back until the dialog handler dismissed it).
    page.wait_for_function("""() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
        && [...document.images].every(image => image.complete)""")
    page.evaluate("""() => { const probe = document.createElement("a"); probe.hidden = true;
        probe.href = "javascript:void document.body.setAttribute('data-after-the-clicks', '')";
        document.body.append(probe); probe.click(); }""")
    expect(page.locator("body")).to_have_attribute("data-after-the-clicks", "")
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    assert run.locator("script").count() == 0
    assert run.locator("[onerror]").count() == 0
    assert run.locator('a[href^="javascript:"]').count() == 0
    shoot(page, "playground-8-xss-inert")


def test_a_2000_event_run_renders_its_last_page_and_loads_earlier_ones(page: Page, studio_server: StudioServer) -> None:
    team_id = _team(page, writer_critic())
    _open_session(page, team_id)
    conversation_id = int(page.url.rsplit("/", 1)[1])
    engine = make_engine(Settings(home=studio_server.home, database_url=None).resolved_database_url)
    with session(engine) as db:  # a long finished run, written straight into the server's database
        run = store.create_run(db, conversation_id=conversation_id, task="Talk for a long time")
        for seq in range(1, 2001):
            source = "writer" if seq % 2 else "critic"
            store.add_event(db, run.id, seq, {"type": "TextMessage", "source": source, "content": f"Line **{seq}**."})
        store.finish_run(db, run, status=RunStatus.COMPLETE, stop_reason="Maximum number of messages reached")
    engine.dispose()
    page.reload()
    run_element = _last_run(page)
    expect(run_element.locator("[data-run-status]")).to_have_attribute("data-run-status", "complete")
    assert _seqs(run_element)[0] == 1801 and len(_seqs(run_element)) == 200
    earlier = run_element.get_by_role("button", name=re.compile("Show earlier events"))
    earlier.focus()
    page.keyboard.press("Enter")
    expect(run_element.locator(".run-events > article.event")).to_have_count(400)
    assert _seqs(run_element)[:2] == [1601, 1602] and _seqs(run_element)[-1] == 2000
    shoot(page, "playground-9-long-trace")


def test_deleting_a_session_asks_first_with_and_without_javascript(
    page: Page, browser: Browser, base_url: str
) -> None:
    team_id = _team(page, writer_critic())
    titles = []
    for _ in range(2):
        page.goto("/playground")
        page.get_by_label("Team", exact=True).select_option(str(team_id))
        page.get_by_role("button", name="New session").click()
        expect(page.get_by_role("textbox", name="Task")).to_be_visible()
        titles.append(page.get_by_role("heading", level=1).inner_text())
    page.goto("/playground")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=f"Delete {titles[0]}").click()
    expect(page.get_by_role("button", name=f"Delete {titles[0]}")).to_have_count(0)
    assert asked and "cannot be undone" in asked[0]

    plain = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        no_js = plain.new_page()
        no_js.goto("/playground")
        no_js.get_by_role("button", name=f"Delete {titles[1]}").click()
        expect(no_js.get_by_role("heading", name=f"Delete “{titles[1]}”?")).to_be_visible()
        shoot(no_js, "playground-delete-without-javascript")
        no_js.get_by_role("button", name="Delete", exact=True).click()
        expect(no_js.get_by_role("button", name=f"Delete {titles[1]}")).to_have_count(0)
    finally:
        plain.close()
