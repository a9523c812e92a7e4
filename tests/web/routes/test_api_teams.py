"""The teams JSON API: CRUD, duplicate, versions, import (JSON and multipart), export, validate, errors."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.services.helpers import canonical, invalid_team, writer_critic


def _create(client: TestClient, document: dict | None = None) -> dict:
    response = client.post("/api/teams", json={"component": document or writer_critic()})
    assert response.status_code == 201, response.text
    return response.json()


def test_crud(client: TestClient) -> None:
    team = _create(client)
    assert team["label"] == "Writer and critic"
    assert team["component"] == canonical(writer_critic())
    assert set(team) >= {"id", "label", "description", "component", "layout", "created_at", "updated_at"}

    listed = client.get("/api/teams").json()
    assert [t["label"] for t in listed] == ["Writer and critic"]
    assert listed[0]["provider"] == "autogen_agentchat.teams.RoundRobinGroupChat"
    assert "component" not in listed[0]
    assert client.get("/api/teams", params={"search": "nothing"}).json() == []

    got = client.get(f"/api/teams/{team['id']}").json()
    assert got == team

    patched = client.patch(f"/api/teams/{team['id']}", json={"label": "Poets", "layout": {"writer": [1, 2]}})
    assert patched.status_code == 200
    assert patched.json()["label"] == "Poets" and patched.json()["component"]["label"] == "Poets"
    assert patched.json()["layout"] == {"writer": [1, 2]}

    assert client.delete(f"/api/teams/{team['id']}").status_code == 204
    missing = client.get(f"/api/teams/{team['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"No team with id {team['id']}."}


def test_create_empty_team(client: TestClient) -> None:
    response = client.post("/api/teams", json={"label": "Blank"})
    assert response.status_code == 201
    body = response.json()
    assert body["label"] == "Blank"
    assert body["component"]["provider"] == "autogen_agentchat.teams.RoundRobinGroupChat"
    assert client.post("/api/teams", json={}).status_code == 422


def test_create_invalid_component_is_422_with_every_problem(client: TestClient) -> None:
    response = client.post("/api/teams", json={"component": invalid_team()})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["message"].startswith("Nothing was imported")
    errors = [p for p in detail["problems"] if p["severity"] == "error"]
    assert errors == [
        {"path": "config.participants[1].config.model_client", "message": "field required", "severity": "error", "kind": "", "action": None},
        {"path": "config.termination_condition.config.conditions[1].config.max_messages",
         "message": "input should be a valid integer, unable to parse string as an integer", "severity": "error", "kind": "",
         "action": None},
    ]
    assert client.get("/api/teams").json() == []


def test_patch_component_validates_and_keeps_versions(client: TestClient) -> None:
    team = _create(client)
    bad = client.patch(f"/api/teams/{team['id']}", json={"component": invalid_team()})
    assert bad.status_code == 422 and len(bad.json()["detail"]["problems"]) >= 2
    assert client.get(f"/api/teams/{team['id']}/versions").json() == []

    changed = writer_critic()
    changed["config"]["participants"][0]["config"]["system_message"] = "Limericks only."
    ok = client.patch(f"/api/teams/{team['id']}", json={"component": changed, "note": "limericks"})
    assert ok.status_code == 200

    versions = client.get(f"/api/teams/{team['id']}/versions").json()
    assert [(v["number"], v["note"]) for v in versions] == [(1, "limericks")]
    one = client.get(f"/api/teams/{team['id']}/versions/1").json()
    assert one["component"] == team["component"]
    diff = client.get(f"/api/teams/{team['id']}/versions/1/diff").json()["diff"]
    assert '+          "system_message": "Limericks only.",' in diff
    assert client.get(f"/api/teams/{team['id']}/versions/5").status_code == 404

    restored = client.post(f"/api/teams/{team['id']}/versions/1/restore")
    assert restored.status_code == 200 and restored.json()["component"] == team["component"]
    assert len(client.get(f"/api/teams/{team['id']}/versions").json()) == 2


def test_duplicate(client: TestClient) -> None:
    team = _create(client)
    copy = client.post(f"/api/teams/{team['id']}/duplicate")
    assert copy.status_code == 201 and copy.json()["label"] == "Writer and critic (copy)"
    named = client.post(f"/api/teams/{team['id']}/duplicate", json={"label": "Twin"}).json()
    assert named["label"] == "Twin" and named["component"]["label"] == "Twin"


def test_import_json_body_and_multipart(client: TestClient) -> None:
    body = client.post("/api/teams/import", content=json.dumps({"component": writer_critic()}),
                       headers={"Content-Type": "application/json"})
    assert body.status_code == 201
    assert [t["label"] for t in body.json()["teams"]] == ["Writer and critic"]
    upload = client.post("/api/teams/import",
                         files={"file": ("g.json", json.dumps({"components": {"teams": [writer_critic()]}}))})
    assert upload.status_code == 201 and len(upload.json()["teams"]) == 1
    no_file = client.post("/api/teams/import", files={"other": ("x.json", b"{}")})
    assert no_file.status_code == 422


def test_import_invalid_lists_problems_with_file_paths(client: TestClient) -> None:
    response = client.post("/api/teams/import", json={"components": {"teams": [invalid_team()]}})
    assert response.status_code == 422
    paths = [p["path"] for p in response.json()["detail"]["problems"]]
    assert "components.teams[0].config.participants[1].config.model_client" in paths
    bad_json = client.post("/api/teams/import", content=b"{nope", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 422
    assert bad_json.json()["detail"]["problems"][0]["message"].startswith("invalid JSON")


def test_export_equals_canonical_json(client: TestClient) -> None:
    document = canonical(writer_critic())
    team = _create(client, document)
    response = client.get(f"/api/teams/{team['id']}/export")
    assert response.headers["content-disposition"] == 'attachment; filename="writer-and-critic.json"'
    assert response.json() == document


def test_validate(client: TestClient) -> None:
    ok = client.post("/api/validate", json=writer_critic()).json()
    assert ok == {"valid": True, "problems": []}
    bad = client.post("/api/validate", json=invalid_team()).json()
    assert bad["valid"] is False
    assert bad["problems"][0] == {"path": "config.participants[1].config.model_client",
                                  "message": "field required", "severity": "error", "kind": "", "action": None}
    warning_only = writer_critic()
    del warning_only["config"]["termination_condition"]
    warned = client.post("/api/validate", json=warning_only).json()
    assert warned["valid"] is True and warned["problems"][0]["severity"] == "warning"
    agent = client.post("/api/validate", json=writer_critic()["config"]["participants"][0]).json()
    assert agent["valid"] is False


def test_oversized_import_is_413_with_a_clear_message(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(max_body_bytes=2048)
    with TestClient(app) as client:
        big = json.dumps(writer_critic() | {"description": "x" * 5000})
        for response in (client.post("/api/teams/import", content=big, headers={"Content-Type": "application/json"}),
                         client.post("/api/teams/import", files={"file": ("big.json", big)})):
            assert response.status_code == 413
            assert "too large" in response.json()["detail"]
        assert client.get("/api/teams").json() == []


def test_openapi_documents_the_teams_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/teams", "/api/teams/{team_id}", "/api/teams/{team_id}/duplicate",
                 "/api/teams/{team_id}/versions", "/api/teams/{team_id}/versions/{number}",
                 "/api/teams/{team_id}/versions/{number}/restore", "/api/teams/import",
                 "/api/teams/{team_id}/export", "/api/validate", "/api/settings/credentials"):
        assert path in spec["paths"], path
    assert "TeamPublic" in spec["components"]["schemas"]
    assert spec["paths"]["/api/teams"]["get"]["tags"] == ["teams"]


def test_create_takes_a_component_and_points_files_to_import(client: TestClient) -> None:
    response = client.post("/api/teams", json={"component": {"components": {"teams": [writer_critic()]}}})
    assert response.status_code == 422
    assert "/api/teams/import" in response.json()["detail"]["problems"][0]["message"]
    assert client.get("/api/teams").json() == []
