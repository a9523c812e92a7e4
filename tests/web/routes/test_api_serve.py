"""Saved teams served under /api/serve like `studio serve` serves files: the stored API key reaches the
model (the real `openai` client path, over loopback), and never the answer."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services import credentials, teams
from tests.serve.conftest import replay_team
from tests.support.openai_server import OpenAIServer


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
