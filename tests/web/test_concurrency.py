"""Stale saves of a team through the web app, on SQLite and PostgreSQL: the API answers 409 with the
current revision (`revision` in the body or `If-Match`), the Builder refuses a save based on an older
revision and offers "Load the saved team", and the Teams page's rename and restore carry their revision.
Real concurrent transactions are in tests/store/test_concurrency.py."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from studio.builder.library import assistant
from tests.services.helpers import writer_critic

from .teams_support import HTMX


def _create(client: TestClient) -> dict:
    response = client.post("/api/teams", json={"component": writer_critic()})
    assert response.status_code == 201, response.text
    return response.json()


def test_api_changes_carry_their_revision(any_client: TestClient) -> None:
    team = _create(any_client)
    assert team["revision"] == 1
    got = any_client.get(f"/api/teams/{team['id']}")
    assert got.headers["etag"] == '"1"'

    first = any_client.patch(f"/api/teams/{team['id']}", json={"description": "first", "revision": 1})
    assert first.status_code == 200 and first.json()["revision"] == 2 and first.headers["etag"] == '"2"'

    stale = any_client.patch(f"/api/teams/{team['id']}", json={"description": "lost?", "revision": 1})
    assert stale.status_code == 409
    assert stale.json()["detail"]["revision"] == 2 and stale.headers["etag"] == '"2"'
    assert "changed elsewhere" in stale.json()["detail"]["message"]
    assert any_client.get(f"/api/teams/{team['id']}").json()["description"] == "first"

    component = any_client.get(f"/api/teams/{team['id']}").json()["component"] | {"description": "via If-Match"}
    stale = any_client.patch(f"/api/teams/{team['id']}", json={"component": component}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    fresh = any_client.patch(f"/api/teams/{team['id']}", json={"component": component, "layout": {"a": [1, 2]}},
                             headers={"If-Match": '"2"'})
    assert fresh.status_code == 200 and fresh.json()["description"] == "via If-Match"
    assert fresh.json()["revision"] == 4  # the component and the layout: two writes, one request
    for tag in ("soon", '"0"', f'"{2**63}"'):  # not a revision, or none a team can have
        assert any_client.patch(f"/api/teams/{team['id']}", json={"label": "x"}, headers={"If-Match": tag}
                                ).status_code == 412, tag
    assert any_client.patch(f"/api/teams/{team['id']}", json={"label": "x", "revision": 2**63}).status_code == 422

    assert any_client.post(f"/api/teams/{team['id']}/versions/1/restore", params={"revision": 2**63}
                           ).status_code == 422
    restored = any_client.post(f"/api/teams/{team['id']}/versions/1/restore", params={"revision": 2})
    assert restored.status_code == 409 and restored.json()["detail"]["revision"] == 4
    restored = any_client.post(f"/api/teams/{team['id']}/versions/1/restore", params={"revision": 4})
    assert restored.status_code == 200
    assert restored.json()["component"]["description"] == writer_critic()["description"]


def _team_page_team(client: TestClient) -> int:
    response = client.post("/teams", data={"label": "Crew"}, follow_redirects=False)
    return int(response.headers["location"].rsplit("/", 1)[1])


def _agents(html: str) -> list[str]:
    return re.findall(r'data-agent-name="([^"]+)"', html)


def test_builder_save_based_on_an_old_revision_is_refused(any_client: TestClient) -> None:
    client = any_client
    team_id = _team_page_team(client)
    client.get(f"/builder/{team_id}")
    client.post(f"/builder/{team_id}/actions", headers=HTMX,
                data={"action": json.dumps({"type": "add_participant", "component": assistant("writer")})})
    # saved elsewhere (another tab, a script) while the draft has unsaved changes
    saved = client.get(f"/api/teams/{team_id}").json()
    changed = saved["component"] | {"description": "Changed elsewhere."}
    assert client.patch(f"/api/teams/{team_id}", json={"component": changed, "revision": saved["revision"]}
                        ).status_code == 200

    refused = client.post(f"/builder/{team_id}/save", headers=HTMX)
    assert refused.status_code == 409
    assert "was changed elsewhere" in refused.text and "Load the saved team" in refused.text
    assert _agents(refused.text) == ["assistant", "writer"]  # the draft is kept, not lost
    assert client.get(f"/api/teams/{team_id}").json()["description"] == "Changed elsewhere."

    loaded = client.post(f"/builder/{team_id}/discard", headers=HTMX)
    assert loaded.status_code == 200 and _agents(loaded.text) == ["assistant"]
    client.post(f"/builder/{team_id}/actions", headers=HTMX,
                data={"action": json.dumps({"type": "add_participant", "component": assistant("critic")})})
    assert client.post(f"/builder/{team_id}/save", headers=HTMX).status_code == 200
    team = client.get(f"/api/teams/{team_id}").json()
    assert team["description"] == "Changed elsewhere."
    assert [p["config"]["name"] for p in team["component"]["config"]["participants"]] == ["assistant", "critic"]


def test_rename_and_restore_forms_carry_their_revision(any_client: TestClient) -> None:
    client = any_client
    team = _create(client)
    form = client.get(f"/teams/{team['id']}/rename").text
    assert 'name="revision" value="1"' in form
    assert client.patch(f"/api/teams/{team['id']}", json={"description": "meanwhile"}).status_code == 200

    stale = client.post(f"/teams/{team['id']}/rename", data={"label": "Stale name", "revision": "1"})
    assert stale.status_code == 409 and "changed elsewhere" in stale.text
    assert 'name="revision" value="2"' in stale.text  # the form again, on the saved revision
    assert client.get(f"/api/teams/{team['id']}").json()["label"] == "Writer and critic"
    assert client.post(f"/teams/{team['id']}/rename", data={"label": "x", "revision": str(2**63)}).status_code == 422
    renamed = client.post(f"/teams/{team['id']}/rename", data={"label": "Fresh name", "revision": "2"},
                          follow_redirects=False)
    assert renamed.status_code == 303

    detail = client.get(f"/teams/{team['id']}").text
    assert 'name="revision" value="3"' in detail
    stale = client.post(f"/teams/{team['id']}/versions/1/restore", data={"revision": "2"})
    assert "changed elsewhere" in stale.text
    assert client.get(f"/api/teams/{team['id']}").json()["label"] == "Fresh name"
