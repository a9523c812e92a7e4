"""The served-team HTTP API (serve/routes.py) through FastAPI's test client: runs as JSON and as SSE, teams,
health, errors that name what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from studio.serve import TeamCatalog, create_serve_app

from .conftest import TEST_HOSTS


@pytest.fixture
def client(teams_dir: Path) -> TestClient:
    return TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), extra_hosts=TEST_HOSTS))


def sse(text: str) -> list[tuple[str, str]]:
    """(event name, data) of each Server-Sent Event in a body."""
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields.get("event", ""), fields["data"]))
    return events


def test_teams_and_health(client: TestClient) -> None:
    teams = client.get("/teams").json()["teams"]
    assert [(t["name"], t["label"]) for t in teams] == [("echo", "Echo team"), ("two-step", "Two steps")]
    assert client.get("/health").json() == {"status": "ok", "teams": 2, "active_runs": 0}


def test_a_run_returns_messages_answer_and_stop_reason(client: TestClient) -> None:
    body = client.post("/teams/two-step/runs", json={"task": "Do it"}).json()
    assert [(m["type"], m["source"], m["content"]) for m in body["messages"]] == [
        ("TextMessage", "user", "Do it"), ("TextMessage", "assistant", "Step one."),
        ("TextMessage", "assistant", "Step two. TERMINATE")]
    assert body["answer"] == "Step two. TERMINATE"
    assert body["stop_reason"] == "Text 'TERMINATE' mentioned"
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + body["usage"]["completion_tokens"]


@pytest.mark.parametrize("how", [{"params": {"stream": "true"}}, {"body": {"stream": True}}])
def test_a_streamed_run_sends_each_message_then_the_result(client: TestClient, how: dict) -> None:
    payload = {"task": "Do it", **how.get("body", {})}
    response = client.post("/teams/two-step/runs", json=payload, params=how.get("params"))
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse(response.text)
    assert [name for name, _ in events] == ["message", "message", "message", "result"]
    assert [json.loads(data)["content"] for _, data in events[:3]] == ["Do it", "Step one.", "Step two. TERMINATE"]
    assert json.loads(events[-1][1])["stop_reason"] == "Text 'TERMINATE' mentioned"


def test_errors_name_what_is_wrong(client: TestClient) -> None:
    missing = client.post("/teams/nope/runs", json={"task": "x"})
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    empty = client.post("/teams/echo/runs", json={"task": ""})
    assert empty.status_code == 422 and empty.json()["detail"].startswith("task:")
    no_task = client.post("/teams/echo/runs", json={})
    assert no_task.status_code == 422 and no_task.json()["detail"].startswith("task:")
    model = client.post("/v1/chat/completions", json={"model": "nope", "messages": [{"role": "user", "content": "x"}]})
    assert model.status_code == 404
    assert model.json()["error"]["param"] == "model" and model.json()["error"]["code"] == "model_not_found"
    nothing = client.post("/v1/chat/completions", json={"model": "echo", "messages": [{"role": "system", "content": "x"}]})
    assert nothing.status_code == 400 and nothing.json()["error"]["param"] == "messages"
    shape = client.post("/v1/chat/completions", json={"model": "echo", "messages": []})
    assert shape.status_code == 422 and shape.json()["error"]["param"] == "messages"


def test_hostile_json_is_a_422_naming_its_place(client: TestClient) -> None:
    for raw, param in [('{"task": "a\\ud800"}', "task"), ('{"task": "x", "n": NaN}', "n"),
                       ('{"task": ' + "[" * 1200 + "]" * 1200 + "}", "task")]:
        response = client.post("/teams/echo/runs", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422 and response.json()["detail"].startswith(param), raw[:40]
    response = client.post("/v1/chat/completions", content='{"model": "echo", "messages": [{"content": "\\udfff"}]}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["param"] == "messages[0].content"
