"""A run's live trace as Server-Sent Events (web/live_trace.py): each stored event with its seq, resumed after
the last one seen, then an end whose summary is the page's however the stream joined."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .routes.test_playground import _finished, _messages, _session, _start, _team


def test_event_stream_sends_each_event_with_its_seq_then_the_summary(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    messages = _finished(client, _start(client, conversation_id))
    events = [m for m in messages if m.event == "event"]
    assert [m.id for m in events] == list(range(1, len(events) + 1)) and len(events) == 5
    for message in events:
        assert f'data-seq="{message.id}"' in message.data and "\n" in message.data  # multi-line data, whole
    assert [m.data.split('data-source="')[1].split('"')[0] for m in events] == [
        "user", "writer", "critic", "writer", "critic"]
    end = messages[-1]
    assert end.event == "end" and 'data-run-status="complete"' in end.data
    assert ">Replay<span class=\"visually-hidden\"> run " in end.data and "Export as test" in end.data


def test_resuming_with_last_event_id_yields_only_later_events(client: TestClient) -> None:
    run_id = _start(client, _session(client, _team(client)))
    _finished(client, run_id)
    resumed = _messages(client, run_id, headers={"Last-Event-ID": "3"})
    assert [m.id for m in resumed if m.event == "event"] == [4, 5]
    assert resumed[-1].event == "end"
    query = client.get(f"/playground/runs/{run_id}/events?after=4")
    assert re.findall(r"^id: (\d+)$", query.text, re.MULTILINE) == ["5"]


def _summary_and_flow(html: str) -> str:
    """The run summary section and the flow drawing of a page or an `end` message."""
    summary = re.search(r'<section class="run-summary.*?</section>', html, re.DOTALL)
    flow = re.search(r"<svg.*?</svg>", html, re.DOTALL)
    assert summary and flow
    return summary.group(0) + flow.group(0)


def test_a_streams_end_summarises_the_same_events_as_the_page_however_it_joined(client: TestClient) -> None:
    conversation_id = _session(client, _team(client))
    run_id = _start(client, conversation_id)
    live_end = _finished(client, run_id)[-1].data  # streamed all five
    resumed_end = _messages(client, run_id, headers={"Last-Event-ID": "3"})[-1].data  # joined after three
    page = client.get(f"/playground/sessions/{conversation_id}").text
    assert "<dt>Tokens</dt>" in live_end
    assert _summary_and_flow(live_end) == _summary_and_flow(resumed_end) == _summary_and_flow(page)


def test_event_stream_of_an_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/playground/runs/999/events").status_code == 404
