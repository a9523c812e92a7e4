"""An imported team pointing at a "foreign" OpenAI-compatible server (a loopback one that records every
Authorization header) receives no key, saved or from the environment, on every path that runs a model: the
playground, `/api/serve` (runs and chat completions) and the Builder's Test model. A credential saved for
that server is received. A team pointing at an endpoint with no credential stops with an error naming it and
a link to add one."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from studio.services import credentials
from tests.services.helpers import assistant, openai_client, round_robin
from tests.support.openai_server import OpenAIServer

from .routes.test_playground import _finished, _session, _start
from .teams_support import HTMX, app_db

SAVED_KEY = "sk-saved-for-openai-only-1111aaaa"
ENV_KEY = "sk-environment-for-openai-2222bbbb"
SERVER_KEY = "sk-saved-for-this-server-3333cccc"


def _import(client: TestClient, base_url: str) -> int:
    team = round_robin(assistant("writer", openai_client(base_url=base_url, max_retries=0)), label="Imported")
    team["config"]["termination_condition"]["config"]["max_messages"] = 2
    return client.post("/api/teams/import", json=team).json()["teams"][0]["id"]


def _run_everywhere(client: TestClient, server: OpenAIServer, team_id: int) -> None:
    """One model call through each path; each gets a reply."""
    for _ in range(5):
        server.reply("Hello from the server.")
    run_id = _start(client, _session(client, team_id), "Say hello")
    assert any("Hello from the server." in m.data for m in _finished(client, run_id))
    assert client.post(f"/api/serve/teams/{team_id}/runs", json={"task": "go"}).json()["answer"] == \
        "Hello from the server."
    chat = {"model": str(team_id), "messages": [{"role": "user", "content": "go"}]}
    assert client.post("/api/serve/v1/chat/completions", json=chat).status_code == 200
    probe = client.post(f"/builder/{team_id}/probe", data={"node": "agent:writer/model", "prompt": "hi"},
                        headers=HTMX)
    assert "Hello from the server." in probe.text
    assert len(server.chat_requests) == 4


def test_a_foreign_server_receives_no_key(client: TestClient, openai_server: OpenAIServer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    with app_db(client) as db:
        credentials.save_credential(db, "openai", None, SAVED_KEY)
        credentials.save_credential(db, "openai_compatible", f"http://127.0.0.1:{openai_server.port}/v2", SERVER_KEY)
    _run_everywhere(client, openai_server, _import(client, openai_server.base_url))
    sent = json.dumps([r.headers for r in openai_server.requests])
    assert SAVED_KEY not in sent and ENV_KEY not in sent and SERVER_KEY not in sent  # /v2 does not cover /v1


def test_a_credential_bound_to_the_server_is_received(client: TestClient, openai_server: OpenAIServer) -> None:
    with app_db(client) as db:
        credentials.save_credential(db, "openai_compatible", openai_server.base_url + "/", SERVER_KEY)
        credentials.save_credential(db, "openai", None, SAVED_KEY)
    _run_everywhere(client, openai_server, _import(client, openai_server.base_url))
    assert {r.headers["authorization"] for r in openai_server.chat_requests} == {f"Bearer {SERVER_KEY}"}


def test_an_endpoint_without_a_credential_stops_with_an_error_naming_it_and_a_link(client: TestClient) -> None:
    with app_db(client) as db:
        credentials.save_credential(db, "openai", None, SAVED_KEY)
    team_id = _import(client, "https://models.foreign.example/v1")
    conversation_id = _session(client, team_id)
    _finished(client, _start(client, conversation_id, "Say hello"))
    page = client.get(f"/playground/sessions/{conversation_id}").text
    assert "No credential for endpoint https://models.foreign.example/v1 (OpenAI model" in page
    link = ('href="/settings?kind=openai_compatible&amp;endpoint=https%3A//models.foreign.example/v1#add-credential"'
            '>Add a credential for https://models.foreign.example/v1 in Settings</a>')
    assert link in page and SAVED_KEY not in page
    probe = client.post(f"/builder/{team_id}/probe", data={"node": "agent:writer/model", "prompt": "hi"},
                        headers=HTMX).text
    assert "No credential for endpoint https://models.foreign.example/v1" in probe and link in probe
    served = client.post(f"/api/serve/teams/{team_id}/runs", json={"task": "go"})
    assert served.status_code < 500 and "No credential for endpoint https://models.foreign.example/v1" in served.text
    assert SAVED_KEY not in served.text
