"""Hostile values on every JSON entry point of the studio, on SQLite and PostgreSQL: a 422 naming the JSON
path (never a 500, never a stored value): NaN/Infinity, integers over 4,300 digits, nesting ~1000 deep,
lone surrogates, NUL characters, version and row numbers past the database's integers."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.services.helpers import writer_critic

from .teams_support import HTMX

NESTED = "[" * 1500 + "]" * 1500


def _team_json(**top: str) -> str:
    """The writer-critic team's JSON with top-level values given as raw JSON text (`label='"a\\ud800"'`)."""
    text = json.dumps(writer_critic() | {key: f"@{key}@" for key in top})
    for key, raw in top.items():
        text = text.replace(f'"@{key}@"', raw)
    return text


HOSTILE = {  # name: (the team JSON, the JSON path the 422 names, inside the team: a prefix for deep nesting)
    "NaN": (_team_json(description="NaN"), "description"),
    "Infinity": (_team_json(description="-Infinity"), "description"),
    "huge integer": (_team_json(version="1" + "0" * 5000), "version"),
    "deep nesting": (_team_json(extra=NESTED), "extra[0][0]"),  # where it passes the limit, deeper
    "lone surrogate": (_team_json(label='"a\\ud800b"'), "label"),
}
STORED_HOSTILE = {  # valid JSON the database cannot keep
    "NUL in the label": (_team_json(label='"a\\u0000b"'), "label"),
    "NUL in a system message": (
        json.dumps(writer_critic()).replace('"system_message": "', '"system_message": "\\u0000', 1),
        "config.participants[0].config.system_message"),
}

ENTRY_POINTS: dict[str, Callable[[TestClient, int, str], tuple[object, str]]] = {
    # name: send(client, team id, team JSON) -> (the response, the JSON path prefix of the team in the request)
    "POST /api/teams": lambda c, _, team: (c.post("/api/teams", content='{"component": ' + team + "}",
                                                  headers={"content-type": "application/json"}), "component"),
    "PATCH /api/teams/ID": lambda c, i, team: (c.patch(f"/api/teams/{i}", content='{"component": ' + team + "}",
                                                       headers={"content-type": "application/json"}), "component"),
    "POST /api/teams/import": lambda c, _, team: (c.post("/api/teams/import", content=team,
                                                         headers={"content-type": "application/json"}), ""),
    "POST /api/teams/import (file)": lambda c, _, team: (c.post("/api/teams/import",
                                                                files={"file": ("t.json", team.encode())}), ""),
    "POST /api/validate": lambda c, _, team: (c.post("/api/validate", content=team,
                                                     headers={"content-type": "application/json"}), ""),
    "POST /api/galleries/import": lambda c, _, team: (c.post(
        "/api/galleries/import", content='{"components": {"teams": [' + team + "]}}",
        headers={"content-type": "application/json"}), "components.teams[0]"),
}


def _problem_paths(response: object) -> list[str]:
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    return [p["path"] for p in detail["problems"]]


def _with(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_hostile_json_is_a_422_naming_its_path(any_client: TestClient, entry: str, hostile: str) -> None:
    team_id = any_client.post("/api/teams", json={"component": writer_critic()}).json()["id"]
    text, path = HOSTILE[hostile]
    response, prefix = ENTRY_POINTS[entry](any_client, team_id, text)
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    assert any(p.startswith(_with(prefix, path)) for p in _problem_paths(response)), _problem_paths(response)
    assert [t["label"] for t in any_client.get("/api/teams").json()] == ["Writer and critic"]


@pytest.mark.parametrize("entry", [e for e in ENTRY_POINTS if "validate" not in e])
@pytest.mark.parametrize("hostile", list(STORED_HOSTILE))
def test_text_the_database_cannot_keep_is_a_422_naming_its_field(any_client: TestClient, entry: str,
                                                                  hostile: str) -> None:
    team_id = any_client.post("/api/teams", json={"component": writer_critic()}).json()["id"]
    text, path = STORED_HOSTILE[hostile]
    response, _ = ENTRY_POINTS[entry](any_client, team_id, text)
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    paths = _problem_paths(response)
    assert any(p in (path, f"component.{path}") for p in paths), paths
    assert [t["label"] for t in any_client.get("/api/teams").json()] == ["Writer and critic"]


def test_nul_in_a_label_from_a_form(any_client: TestClient) -> None:
    team_id = any_client.post("/api/teams", json={"component": writer_critic()}).json()["id"]
    response = any_client.post(f"/teams/{team_id}/rename", data={"label": "a\x00b"})
    assert response.status_code == 422 and "label: the text holds a NUL character" in response.text
    assert any_client.get(f"/api/teams/{team_id}").json()["label"] == "Writer and critic"


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_the_builder_json_view_names_the_path(any_client: TestClient, hostile: str) -> None:
    team_id = any_client.post("/api/teams", json={"component": writer_critic()}).json()["id"]
    text, path = HOSTILE[hostile]
    response = any_client.post(f"/builder/{team_id}/json", data={"component_json": text}, headers=HTMX)
    assert response.status_code == 200  # the JSON view, listing the problem under the editor
    assert f'data-path="{path}' in response.text
    assert any_client.get(f"/builder/{team_id}/export").json()["label"] == "Writer and critic"


def test_the_settings_api_refuses_hostile_json(any_client: TestClient) -> None:
    response = any_client.put("/api/settings/default-model", content='{"default_model": "a\\ud800"}',
                              headers={"content-type": "application/json"})
    assert response.status_code == 422 and _problem_paths(response) == ["default_model"]
    response = any_client.put("/api/settings/default-model", json={"default_model": "gpt\x00"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("number", [2**31, 2**63, -(2**63) - 1, 10**30])
def test_version_and_team_numbers_past_the_database_integers_are_not_found(any_client: TestClient,
                                                                            number: int) -> None:
    team_id = any_client.post("/api/teams", json={"component": writer_critic()}).json()["id"]
    for method, path in [("get", f"/api/teams/{team_id}/versions/{number}"),
                         ("get", f"/api/teams/{team_id}/versions/{number}/diff"),
                         ("post", f"/api/teams/{team_id}/versions/{number}/restore"),
                         ("get", f"/api/teams/{number}"), ("get", f"/teams/{team_id}/versions/{number}")]:
        response = any_client.request(method, path)
        assert response.status_code in (404, 422), (path, response.status_code)
