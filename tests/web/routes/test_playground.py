"""The Playground over HTTP: sessions (list, create, open from the Builder, rename, delete), starting runs
(refusals with their reasons), the live trace over SSE (resumable), stop, reply, replay, export, compare,
paging of long traces and the flow filter."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from studio import store
from studio.services import teams as service
from studio.store.models import Run, RunStatus
from tests.services.helpers import invalid_team, writer_critic
from tests.support.playground_teams import asking_team

from ..teams_support import HTMX, app_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@dataclass
class Message:
    event: str
    data: str
    id: int | None


def _team(client: TestClient, document: dict[str, Any] | None = None) -> int:
    with app_db(client) as db:
        return service.import_team(db, document or writer_critic()).id


def _session(client: TestClient, team_id: int) -> int:
    """The team's latest session or a new one, as the Builder's `Run in playground` opens it."""
    response = client.post(f"/playground/teams/{team_id}/session", follow_redirects=False)
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def _start(client: TestClient, conversation_id: int, task: str = "Write a haiku", **kwargs: Any) -> int:
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": task}, headers=HTMX, **kwargs)
    assert response.status_code == 200, response.text
    return int(re.findall(r'data-run-id="(\d+)"', response.text)[0])


def _messages(client: TestClient, run_id: int, *, headers: dict[str, str] | None = None,
              until: str = "end") -> list[Message]:
    """The SSE messages of a run's event stream, read until one named `until`."""
    messages: list[Message] = []
    with client.stream("GET", f"/playground/runs/{run_id}/events", headers=headers or {}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        buffer = ""
        for text in response.iter_text():
            buffer += text
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                message = _parse(block)
                if message is not None:
                    messages.append(message)
                    if message.event == until:
                        return messages
    raise AssertionError(f"the stream ended without an {until!r} message: {messages}")


def _parse(block: str) -> Message | None:
    fields: dict[str, list[str]] = {}
    for line in block.split("\n"):
        if line.startswith(":"):
            continue
        name, _, value = line.partition(": ")
        fields.setdefault(name, []).append(value)
    if "data" not in fields:
        return None
    seq = fields.get("id", [None])[0]
    return Message(fields.get("event", ["message"])[0], "\n".join(fields["data"]), int(seq) if seq else None)


def _finished(client: TestClient, run_id: int) -> list[Message]:
    return _messages(client, run_id)


# --- sessions --------------------------------------------------------------------------------------


def test_index_without_sessions_offers_a_new_session_for_each_team(client: TestClient) -> None:
    team_id = _team(client)
    html = client.get("/playground").text
    assert "No sessions yet" in html
    assert f'<option value="{team_id}">Writer and critic</option>' in html
    assert ">New session</button>" in html and '<label for="new-session-team">Team</label>' in html


def test_create_a_session_then_the_list_shows_it_with_its_last_run(client: TestClient) -> None:
    team_id = _team(client)
    response = client.post("/playground/sessions", data={"team_id": str(team_id), "name": "  Haiku   work "},
                           follow_redirects=False)
    assert response.status_code == 303
    conversation_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert "no runs yet" in client.get("/playground").text
    run_id = _start(client, conversation_id, "Write a haiku about the sea")
    _finished(client, run_id)
    html = client.get("/playground").text
    card = html[html.index(f'id="session-{conversation_id}"'):]
    assert f'href="/playground/sessions/{conversation_id}">Haiku work</a>' in card
    assert 'data-status="complete"' in card and "Write a haiku about the sea" in card


def test_create_without_a_team_says_so_and_creates_nothing(client: TestClient, db: Session) -> None:
    response = client.post("/playground/sessions", data={"team_id": "999"})
    assert response.status_code == 200 and "Choose a team" in response.text
    assert store.list_conversations(db) == []


def test_run_in_playground_opens_the_teams_latest_session_or_creates_one(client: TestClient) -> None:
    team_id = _team(client)
    first = _session(client, team_id)
    assert _session(client, team_id) == first  # the same session, not a new one each time
    page = client.get(f"/playground/sessions/{first}").text
    assert "<h1>Session" in page and f'href="/builder/{team_id}">Writer and critic</a>' in page
    assert client.post("/playground/teams/4242/session").status_code == 404


def test_the_open_in_playground_link_goes_to_the_latest_session_and_never_creates_one(
    client: TestClient, db: Session
) -> None:
    team_id = _team(client)
    page = client.get(f"/playground?team={team_id}", follow_redirects=False)
    assert page.status_code == 200 and "has no session yet" in page.text
    assert re.search(rf'<option value="{team_id}" selected>Writer and critic</option>', page.text)
    assert store.list_conversations(db, team_id=team_id) == []  # a GET wrote nothing
    conversation_id = _session(client, team_id)
    again = client.get(f"/playground?team={team_id}", follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, f"/playground/sessions/{conversation_id}")
    assert client.get("/playground?team=4242").status_code == 404


def test_rename_and_delete_a_session(client: TestClient, db: Session) -> None:
    conversation_id = _session(client, _team(client))
    form = client.get(f"/playground/sessions/{conversation_id}/rename").text
    assert '<label for="session-name">Session name</label>' in form
    client.post(f"/playground/sessions/{conversation_id}/rename", data={"name": "Sea <poems>"})
    assert "Sea &lt;poems&gt;" in client.get("/playground").text
    _finished(client, _start(client, conversation_id))
    asked = client.get(f"/playground/sessions/{conversation_id}/delete")  # without JavaScript: a page asks first
    assert "Delete “Sea &lt;poems&gt;”?" in asked.text
    assert f'<form method="post" action="/playground/sessions/{conversation_id}/delete"' in asked.text
    assert store.get_conversation(db, conversation_id) is not None
    response = client.post(f"/playground/sessions/{conversation_id}/delete", headers=HTMX)
    assert response.headers["HX-Redirect"] == "/playground"
    assert store.get_conversation(db, conversation_id) is None
    assert client.get(f"/playground/sessions/{conversation_id}").status_code == 404


# --- starting runs ---------------------------------------------------------------------------------


def test_empty_task_is_refused_with_a_message_and_no_run(client: TestClient, db: Session) -> None:
    conversation_id = _session(client, _team(client))
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "   "}, headers=HTMX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#task-problems"
    assert 'role="alert"' in response.text and "task" in response.text.lower()
    assert store.list_runs(db, conversation_id) == []


def test_invalid_team_is_refused_with_its_problems_and_their_json_paths(client: TestClient, db: Session) -> None:
    team_id = _team(client)
    with app_db(client) as writable:
        team = service.get_team(writable, team_id)
        team.component = invalid_team()
        writable.add(team)
    conversation_id = _session(client, team_id)
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "Go"}, headers=HTMX)
    assert response.status_code == 422
    paths = re.findall(r'data-path="([^"]*)"', response.text)
    assert "config.participants[1].config.model_client" in " ".join(paths)
    assert store.list_runs(db, conversation_id) == []


def test_a_non_text_attachment_is_refused_naming_the_field(client: TestClient, db: Session) -> None:
    conversation_id = _session(client, _team(client))
    files = {"attachments": ("blob.bin", b"\xff\xfe\x00\x81", "application/octet-stream")}
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "Read this"}, files=files,
                           headers=HTMX)
    assert response.status_code == 422 and "attachments: blob.bin" in response.text
    assert store.list_runs(db, conversation_id) == []


def test_text_and_image_attachments_reach_the_first_message_and_its_replay(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    files = [("attachments", ("notes.txt", b"Gulls and tides.", "text/plain")),
             ("attachments", ("sea.png", PNG, "image/png"))]
    run_id = _start(client, conversation_id, "Use these", files=files)
    first = next(m for m in _finished(client, run_id) if m.event == "event")
    assert 'data-type="MultiModalMessage"' in first.data
    assert "Gulls and tides." in first.data and "Use these" in first.data
    assert 'src="data:image/png;base64,' + base64.b64encode(PNG).decode()[:12] in first.data
    replayed = client.post(f"/playground/runs/{run_id}/replay", headers=HTMX)
    replay_id = int(re.findall(r'data-run-id="(\d+)"', replayed.text)[0])
    again = next(m for m in _finished(client, replay_id) if m.event == "event")
    assert 'data-type="MultiModalMessage"' in again.data and "Gulls and tides." in again.data  # attachments too


# --- the live trace --------------------------------------------------------------------------------


def test_run_partial_connects_to_the_event_stream(client: TestClient) -> None:
    conversation_id = _session(client, _team(client, asking_team()))  # waits for the user: still running below
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "Write"}, headers=HTMX)
    run_id = int(re.findall(r'data-run-id="(\d+)"', response.text)[0])
    assert 'hx-ext="sse"' in response.text
    after = int(re.findall(rf'sse-connect="/playground/runs/{run_id}/events\?after=(\d+)"', response.text)[0])
    rendered = [int(s) for s in re.findall(rf'id="event-{run_id}-(\d+)"', response.text)]
    assert rendered == list(range(1, after + 1))  # the stream starts after the last event rendered
    assert 'sse-close="end"' in response.text and 'sse-swap="event"' in response.text
    assert ">Stop</button>" in response.text
    client.post(f"/playground/runs/{run_id}/stop")
    _finished(client, run_id)


def test_the_session_page_renders_stored_events_and_the_summary(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    run_id = _start(client, conversation_id)
    _finished(client, run_id)
    html = client.get(f"/playground/sessions/{conversation_id}").text
    assert 'role="region" aria-label="Trace"' in html
    assert re.findall(rf'id="event-{run_id}-(\d+)"', html) == ["1", "2", "3", "4", "5"]
    assert 'data-run-status="complete"' in html and "sse-connect" not in html  # ended: no stream
    assert '<label for="task">Task</label>' in html and ">Run</button>" in html


def test_a_user_proxy_question_gets_a_reply_box_and_the_reply_continues_the_run(client: TestClient) -> None:
    conversation_id = _session(client, _team(client, asking_team()))
    run_id = _start(client, conversation_id, "A poem")
    question = _messages(client, run_id, until="question")[-1]
    assert '<label for="reply-' in question.data and ">Your reply</label>" in question.data
    assert ">Send</button>" in question.data
    page = client.get(f"/playground/sessions/{conversation_id}").text
    assert ">Your reply</label>" in page  # a reload shows the open question too
    answered = client.post(f"/playground/runs/{run_id}/reply", data={"text": "Blue, please"}, headers=HTMX)
    assert answered.status_code == 200 and "not waiting" not in answered.text
    messages = _finished(client, run_id)
    assert any('data-source="user"' in m.data and "Blue, please" in m.data for m in messages)
    assert 'data-run-status="complete"' in messages[-1].data
    again = client.post(f"/playground/runs/{run_id}/reply", data={"text": "late"}, headers=HTMX)
    assert "not waiting for a reply" in again.text


def test_stop_ends_a_waiting_run_as_stopped(client: TestClient) -> None:
    conversation_id = _session(client, _team(client, asking_team()))
    run_id = _start(client, conversation_id, "A poem")
    _messages(client, run_id, until="question")
    response = client.post(f"/playground/runs/{run_id}/stop", headers=HTMX)
    assert response.status_code == 200 and "Stopping" in response.text
    assert 'data-run-status="stopped"' in _finished(client, run_id)[-1].data


def test_reset_says_the_next_task_starts_afresh(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    response = client.post(f"/playground/sessions/{conversation_id}/reset", headers=HTMX)
    assert response.status_code == 200 and "new conversation starts here" in response.text


# --- replay, export, compare -----------------------------------------------------------------------


def test_replay_gives_the_same_trace_and_compare_says_so(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    first = _start(client, conversation_id)
    _finished(client, first)
    response = client.post(f"/playground/runs/{first}/replay", headers=HTMX)
    second = int(re.findall(r'data-run-id="(\d+)"', response.text)[0])
    assert second != first
    _finished(client, second)
    html = client.get(f"/playground/sessions/{conversation_id}").text
    assert f"replay of run {first}" in html and '<label for="compare-a">First run</label>' in html
    compare = client.get(f"/playground/sessions/{conversation_id}/compare?a={first}&b={second}", headers=HTMX).text
    assert 'data-compare="same"' in compare


def test_export_as_test_downloads_the_team_with_replay_clients(client: TestClient) -> None:
    run_id = _start(client, _session(client, _team(client)))
    _finished(client, run_id)
    response = client.get(f"/playground/runs/{run_id}/export")
    assert response.status_code == 200 and "attachment;" in response.headers["content-disposition"]
    document = json.loads(response.text)
    assert document["label"].endswith(f"(run {run_id} recording)")
    clients = [p["config"]["model_client"]["provider"] for p in document["config"]["participants"]]
    assert clients == ["autogen_ext.models.replay.ReplayChatCompletionClient"] * 2


def test_compare_needs_two_runs(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    assert client.get(f"/playground/sessions/{conversation_id}/compare?a=1").status_code == 422


# --- long traces and the flow ----------------------------------------------------------------------


def _stored_run(client: TestClient, events: int) -> tuple[int, int]:
    conversation_id = _session(client, _team(client))
    with app_db(client) as db:
        run = store.create_run(db, conversation_id=conversation_id, task="Long")
        for seq in range(1, events + 1):
            source = "writer" if seq % 2 else "critic"
            store.add_event(db, run.id, seq, {"type": "TextMessage", "source": source, "content": f"message {seq}"})
        store.finish_run(db, run, status=RunStatus.COMPLETE, stop_reason="Maximum number of messages reached")
        return conversation_id, run.id


def test_a_long_run_renders_its_last_page_and_loads_earlier_ones(client: TestClient) -> None:
    conversation_id, run_id = _stored_run(client, 450)
    html = client.get(f"/playground/sessions/{conversation_id}").text
    seqs = [int(s) for s in re.findall(rf'id="event-{run_id}-(\d+)"', html)]
    assert seqs == list(range(251, 451))
    assert f'hx-get="/playground/runs/{run_id}/trace?before=251"' in html and "Show earlier events" in html
    earlier = client.get(f"/playground/runs/{run_id}/trace?before=251", headers=HTMX).text
    assert [int(s) for s in re.findall(rf'id="event-{run_id}-(\d+)"', earlier)] == list(range(51, 251))
    assert "trace?before=51" in earlier
    first = client.get(f"/playground/runs/{run_id}/trace?before=51", headers=HTMX).text
    assert re.findall(rf'id="event-{run_id}-(\d+)"', first)[0] == "1" and "Show earlier" not in first


def test_a_flow_arrow_filters_the_trace_to_its_turns(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    run_id = _start(client, conversation_id)
    _finished(client, run_id)
    page = client.get(f"/playground/sessions/{conversation_id}").text
    assert f'href="/playground/runs/{run_id}/flow?from=writer&amp;to=critic"' in page
    turns = client.get(f"/playground/runs/{run_id}/flow?from=writer&to=critic", headers=HTMX).text
    sources = re.findall(r'<article [^>]*data-source="(\w+)"', turns)
    assert sources and set(sources) == {"critic"}  # the turns writer → critic: what critic said next
    whole = client.get(f"/playground/runs/{run_id}/flow?from=writer&to=critic").text
    assert "<html" in whole and 'aria-current="true"' in whole


@pytest.mark.parametrize("url", ["/playground/sessions/999", "/playground/runs/999/export",
                                 "/playground/runs/999/trace", "/playground/sessions/999/rename"])
def test_unknown_ids_are_404_not_500(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_ids_too_large_for_the_database_are_404_not_500(client) -> None:
    huge = 2**70
    for path in (f"/playground/sessions/{huge}", f"/playground/runs/{huge}/events"):
        response = client.get(path)
        assert response.status_code == 404, path


@pytest.mark.parametrize("conversation_id", [999, 2**70])
def test_a_task_for_an_unknown_session_is_404_and_starts_nothing(client, db, conversation_id: int) -> None:
    response = client.post(f"/playground/sessions/{conversation_id}/runs", data={"task": "Go"}, headers=HTMX)
    assert response.status_code == 404 and "no playground session" in response.text
    assert db.exec(select(func.count()).select_from(Run)).one() == 0
