"""Saved teams served under /api/serve like `studio serve` serves files: the stored API key reaches the
model (the real `openai` client path, over loopback), and never the answer; the same teams as MCP tools at
/api/serve/mcp, through the `mcp` SDK's own client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services import credentials, teams
from studio.store import session
from tests.serve.conftest import LiveServer, replay_team
from tests.support.mcp_client import connected, outcome, text_of
from tests.support.openai_server import OpenAIServer

from ..auth_support import TOKEN, sign_in
from ..teams_support import clear_credentials_env


def test_saved_teams_are_listed_by_id_and_run(client: TestClient, db: Session) -> None:
    team = teams.import_team(db, replay_team("Step one.", "Step two. TERMINATE", label="Two steps"))
    teams.rename_team(db, team, label="My two steps", description="Saved here.")
    db.commit()
    listed = client.get("/api/serve/teams").json()["teams"]
    assert listed == [{"name": str(team.id), "label": "My two steps", "description": "Saved here."}]
    body = client.post(f"/api/serve/teams/{team.id}/runs", json={"task": "Go"}).json()
    assert body["answer"] == "Step two. TERMINATE" and body["stop_reason"] == "Text 'TERMINATE' mentioned"
    missing = client.post("/api/serve/teams/999/runs", json={"task": "Go"})
    assert missing.status_code == 404


def test_the_openai_endpoint_uses_the_key_saved_in_settings_for_its_endpoint(client: TestClient, db: Session,
                                                           openai_server: OpenAIServer) -> None:
    openai_server.reply("Hello from the model. TERMINATE")
    component = replay_team("unused")
    component["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
        "config": {"model": "gpt-4o-mini", "base_url": openai_server.base_url}}
    team = teams.import_team(db, component)
    credentials.save_credential(db, "openai_compatible", openai_server.base_url, "sk-saved-in-settings")
    db.commit()
    reply = client.post("/api/serve/v1/chat/completions",
                        json={"model": str(team.id), "messages": [{"role": "user", "content": "Hi"}]})
    assert reply.status_code == 200
    assert reply.json()["choices"][0]["message"]["content"] == "Hello from the model. TERMINATE"
    assert openai_server.chat_requests[0].headers["authorization"] == "Bearer sk-saved-in-settings"
    assert "sk-saved-in-settings" not in reply.text


def test_ids_too_large_for_the_database_are_not_found(client: TestClient) -> None:
    """An id past 64 bits is a 404 naming it, not a database overflow (a 500)."""
    huge = "9" * 30
    for method, url in (("post", f"/api/serve/teams/{huge}/runs"), ("get", f"/api/teams/{huge}"),
                        ("get", f"/builder/{huge}"), ("get", f"/gallery/items/{huge}"),
                        ("get", f"/api/galleries/{huge}")):
        response = client.request(method, url, json={"task": "Go"} if method == "post" else None)
        assert response.status_code == 404, url
        assert huge in response.text or "No team called" in response.text, url


# --- /api/serve/mcp: the saved teams as MCP tools, through the `mcp` SDK's client on a loopback port ----------


@pytest.fixture
def live_studio(make_app: Callable[..., FastAPI],
                monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., LiveServer]]:
    """`live_studio(auth_token=...)`: a studio on 127.0.0.1 (uvicorn in a thread, its lifespan running)."""
    clear_credentials_env(monkeypatch)
    servers: list[LiveServer] = []

    def start(**settings: Any) -> LiveServer:
        servers.append(LiveServer(make_app(**settings)).__enter__())
        return servers[-1]

    yield start
    for server in servers:
        server.__exit__()


def saved(server: LiveServer, component: dict[str, Any]) -> str:
    """Save a team in the live studio's database; its id, its served name."""
    with session(server.app.state.engine) as db:
        return str(teams.import_team(db, component).id)


async def test_saved_teams_are_mcp_tools_named_by_id(live_studio: Callable[..., LiveServer]) -> None:
    server = live_studio()
    team = saved(server, replay_team("Step one.", "Step two. TERMINATE", label="My two steps"))
    seen: list[str | None] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(message)

    async with connected(f"{server.url}/api/serve/mcp") as mcp:
        tools = (await mcp.session.list_tools()).tools
        result = await mcp.session.call_tool(team, {"task": "Go"}, progress_callback=progress)
        missing = await mcp.session.call_tool("999", {"task": "Go"})
    assert [(t.name, t.title, t.description) for t in tools] == [(team, "My two steps", "My two steps for tests.")]
    assert outcome(result) == {"answer": "Step two. TERMINATE", "stop_reason": "Text 'TERMINATE' mentioned"}
    assert seen == ["user: Go", "assistant: Step one.", "assistant: Step two. TERMINATE"]
    assert missing.isError and text_of(missing) == "No team called '999'; tools/list lists them."


async def test_an_mcp_run_uses_the_saved_key_and_never_shows_it(live_studio: Callable[..., LiveServer],
                                                                 openai_server: OpenAIServer) -> None:
    server = live_studio()
    openai_server.reply("Hello from the model. TERMINATE")
    component = replay_team("unused")
    component["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
        "config": {"model": "gpt-4o-mini", "base_url": openai_server.base_url}}
    team = saved(server, component)
    with session(server.app.state.engine) as db:
        credentials.save_credential(db, "openai_compatible", openai_server.base_url, "sk-saved-in-settings")
    async with connected(f"{server.url}/api/serve/mcp") as mcp:
        result = await mcp.session.call_tool(team, {"task": "Hi"})
    assert outcome(result)["answer"] == "Hello from the model. TERMINATE"
    assert openai_server.chat_requests[0].headers["authorization"] == "Bearer sk-saved-in-settings"
    assert "sk-saved-in-settings" not in result.model_dump_json()


async def test_a_team_without_a_model_key_is_a_tool_error(live_studio: Callable[..., LiveServer]) -> None:
    server = live_studio()
    component = replay_team("unused")
    component["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
        "config": {"model": "gpt-4o-mini"}}
    team = saved(server, component)
    async with connected(f"{server.url}/api/serve/mcp") as mcp:
        result = await mcp.session.call_tool(team, {"task": "Hi"})
    assert result.isError and text_of(result).startswith("Error:") and "credential" in text_of(result)


async def test_with_a_token_only_the_bearer_token_opens_it(live_studio: Callable[..., LiveServer]) -> None:
    server = live_studio(auth_token=TOKEN)
    team = saved(server, replay_team("Hello. TERMINATE"))
    async with connected(f"{server.url}/api/serve/mcp", TOKEN) as mcp:
        assert outcome(await mcp.session.call_tool(team, {"task": "Go"}))["answer"] == "Hello. TERMINATE"
    for key in (None, "wrong"):
        with pytest.RaisesGroup(pytest.RaisesExc(httpx.HTTPStatusError, match="401 Unauthorized"),
                                flatten_subgroups=True):
            async with connected(f"{server.url}/api/serve/mcp", key):
                pass


def test_a_signed_in_session_does_not_open_it(token_client: TestClient) -> None:
    """The MCP path takes no CSRF token, so a session cookie alone (what another site's page could ride on)
    does not open it: MCP clients send the bearer token."""
    sign_in(token_client)
    assert token_client.get("/api/serve/teams").status_code == 200  # signed in
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    refused = token_client.post("/api/serve/mcp", json=call, headers={"Accept": "application/json, text/event-stream"})
    assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["detail"]
