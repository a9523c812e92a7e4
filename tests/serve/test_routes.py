"""The served-team HTTP API through FastAPI's test client: runs as JSON and as SSE, teams, health,
errors that name what is wrong, the bearer key and the size limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from studio.serve import RunLimits, TeamCatalog, create_serve_app

from .conftest import TEST_HOSTS, replay_team


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


def test_a_bearer_key_guards_everything_but_health(teams_dir: Path) -> None:
    client = TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), api_key="s3cret"))
    assert client.get("/health").status_code == 200
    refused = client.get("/teams")
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert client.get("/teams", headers={"Authorization": "Bearer wrong"}).status_code == 401
    openai_shape = client.get("/v1/models")
    assert openai_shape.json()["error"]["type"] == "authentication_error"
    assert client.get("/teams", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_bodies_over_the_limit_are_refused(teams_dir: Path) -> None:
    client = TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), extra_hosts=TEST_HOSTS,
                                         max_body_bytes=100))
    response = client.post("/teams/echo/runs", json={"task": "x" * 200})
    assert response.status_code == 413 and "limit is 100 bytes" in response.json()["detail"]


def test_a_run_over_the_time_limit_is_cancelled_with_that_reason(tmp_path: Path) -> None:
    from .conftest import write_team

    slow = {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "config": {
        "participants": [{"provider": "autogen_agentchat.agents.CodeExecutorAgent", "component_type": "agent",
                          "config": {"name": "coder", "code_executor": {
                              "provider": "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
                              "component_type": "code_executor", "config": {"timeout": 30}}}}],
        "termination_condition": {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                                  "component_type": "termination", "config": {"max_messages": 2}}}}
    write_team(tmp_path, "slow", slow)
    app = create_serve_app(TeamCatalog.from_path(tmp_path), extra_hosts=TEST_HOSTS,
                           limits=RunLimits(timeout_seconds=0.5))
    body = TestClient(app).post("/teams/slow/runs", json={"task": "```python\nimport time\ntime.sleep(20)\n```"}).json()
    assert body["stop_reason"] == "Timeout: the run took longer than 0.5 seconds."


def test_a_team_that_asks_a_human_ends_with_an_error_saying_so(tmp_path: Path) -> None:
    from .conftest import write_team

    team = replay_team("Hi TERMINATE")
    team["config"]["participants"].insert(0, {"provider": "autogen_agentchat.agents.UserProxyAgent",
                                              "component_type": "agent", "config": {"name": "human"}})
    write_team(tmp_path, "asks", team)
    client = TestClient(create_serve_app(TeamCatalog.from_path(tmp_path), extra_hosts=TEST_HOSTS))
    body = client.post("/teams/asks/runs", json={"task": "x"}).json()
    assert body["stop_reason"].startswith("Error:")
    assert "asks a human for input, which a served team cannot do" in body["stop_reason"]


def test_without_a_key_only_loopback_hosts_are_answered(teams_dir: Path) -> None:
    """DNS rebinding: a foreign name resolved to 127.0.0.1 must not run a team (as `studio ui`)."""
    client = TestClient(create_serve_app(TeamCatalog.from_path(teams_dir)))  # as `studio serve` builds it
    for path, method in [("/teams/echo/runs", "post"), ("/v1/chat/completions", "post"), ("/teams", "get")]:
        body = {"task": "hi"} if "runs" in path else {"model": "echo", "messages": [{"role": "user", "content": "hi"}]}
        for host in ("attacker.example", "testserver", "127.0.0.1.attacker.example:8000"):
            response = client.request(method, path, json=body, headers={"Host": host})
            assert response.status_code == 400, (path, host)
            assert "No API key is set" in response.text
    here = {"Host": "127.0.0.1:8000"}
    assert client.post("/teams/echo/runs", json={"task": "hi"}, headers=here).status_code == 200
    assert client.post("/teams/echo/runs", json={"task": "hi"}, headers=here | {"Origin": "https://attacker.example"}
                       ).status_code == 403
    keyed = TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), api_key="k"))
    assert keyed.get("/teams", headers={"Host": "studio.example", "Authorization": "Bearer k"}).status_code == 200


def test_hostile_json_is_a_422_naming_its_place(client: TestClient) -> None:
    for raw, param in [('{"task": "a\\ud800"}', "task"), ('{"task": "x", "n": NaN}', "n"),
                       ('{"task": ' + "[" * 1200 + "]" * 1200 + "}", "task")]:
        response = client.post("/teams/echo/runs", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422 and response.json()["detail"].startswith(param), raw[:40]
    response = client.post("/v1/chat/completions", content='{"model": "echo", "messages": [{"content": "\\udfff"}]}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["param"] == "messages[0].content"
