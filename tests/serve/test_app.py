"""The `studio serve` application (serve/app.py): a bearer key guards everything but `/health`; without one only
loopback hosts are answered and cross-site writes refused; bodies over the limit get a 413."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from studio.serve import TeamCatalog, create_serve_app

from .conftest import TEST_HOSTS


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
