"""The Builder's JSON view and notices, server side: the JSON view says which answers replace the
editor's text (the rest keep unapplied edits, builder.js), `Discard my edits`, and the banner shown when
the team was changed outside the builder while the draft had unsaved changes (keep or load)."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from studio.builder.library import assistant
from studio.services import teams as team_service

from .teams_support import HTMX, app_db


def _team(client: TestClient, label: str = "Crew") -> int:
    response = client.post("/teams", data={"label": label}, follow_redirects=False)
    return int(response.headers["location"].rsplit("/", 1)[1])


def _act(client: TestClient, team_id: int, action: dict) -> str:
    response = client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(action)}, headers=HTMX)
    assert response.status_code == 200
    return response.text


def _json_view(html: str) -> str:
    found = re.search(r'<section id="json-view"[^>]*>', html)
    assert found, "no JSON view"
    return found.group(0)


def _version(html: str) -> str:
    found = re.search(r'data-json-version="([0-9a-f]+)"', _json_view(html))
    assert found
    return found.group(1)


def _agents(html: str) -> list[str]:
    return re.findall(r'data-agent-name="([^"]+)"', html)


def test_edits_keep_the_editor_text_and_the_version_tells_whether_the_team_changed(client: TestClient) -> None:
    team_id = _team(client)
    page = client.get(f"/builder/{team_id}").text
    assert 'data-edits="none"' in _json_view(page) and "data-json-reset" not in _json_view(page)
    assert "Discard my edits" in page and 'id="json-notice" role="status"' in page
    selected = client.get(f"/builder/{team_id}/select", params={"node": "agent:assistant"}, headers=HTMX).text
    assert "data-json-reset" not in _json_view(selected)  # an edit elsewhere: the editor's text is kept
    assert _version(selected) == _version(page)  # ... and the team has not changed
    added = _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    assert "data-json-reset" not in _json_view(added) and 'hx-swap-oob="true"' in _json_view(added)
    assert _version(added) != _version(page)  # the team changed: kept edits are now stale


def test_applying_or_refusing_json_replaces_the_editor_text(client: TestClient) -> None:
    team_id = _team(client)
    component = client.get(f"/builder/{team_id}/export").json()
    component["config"]["participants"][0]["config"]["name"] = "poet"
    applied = client.post(f"/builder/{team_id}/json", data={"component_json": json.dumps(component)}, headers=HTMX).text
    assert "data-json-reset" in _json_view(applied) and 'data-edits="none"' in _json_view(applied)
    assert _agents(applied) == ["poet"]
    refused = client.post(f"/builder/{team_id}/json", data={"component_json": "{nope"}, headers=HTMX).text
    view = _json_view(refused)
    assert "data-json-reset" in view and 'data-edits="unapplied"' in view
    assert "{nope</textarea>" in refused  # the refused text stays in the editor, marked unapplied


def test_discard_my_edits_renders_the_current_json(client: TestClient) -> None:
    team_id = _team(client)
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    html = client.get(f"/builder/{team_id}/json", headers=HTMX).text
    assert "<html" not in html and "hx-swap-oob" not in html
    assert "data-json-reset" in _json_view(html) and 'data-edits="none"' in _json_view(html)
    shown = json.loads(re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1).replace("&#34;", '"'))
    assert shown == client.get(f"/builder/{team_id}/export").json()
    assert client.get("/builder/999/json").status_code == 404


def _change_elsewhere(client: TestClient, team_id: int) -> None:
    """A draft edit in the builder, then a change to the team through the teams service (as an import would)."""
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    with app_db(client) as db:
        team = team_service.get_team(db, team_id)
        component = json.loads(json.dumps(team.component))
        component["config"]["participants"][0]["config"]["system_message"] = "Changed elsewhere."
        team_service.save_team_component(db, team, component, note="imported")


def test_no_banner_without_a_change_elsewhere(client: TestClient) -> None:
    team_id = _team(client)
    kept = client.post(f"/builder/{team_id}/keep-draft", headers=HTMX).text
    assert 'data-unsaved="false"' in kept  # nothing to acknowledge: a saved draft stays saved
    _act(client, team_id, {"type": "add_participant", "component": assistant("writer")})
    page = client.get(f"/builder/{team_id}").text
    assert "changed outside the builder" not in page and 'id="changed-elsewhere"' in page


def test_banner_when_changed_elsewhere_and_keep_my_draft(client: TestClient) -> None:
    team_id = _team(client)
    _change_elsewhere(client, team_id)
    page = client.get(f"/builder/{team_id}").text
    banner = re.search(r'<div id="changed-elsewhere".*?</div>\s*</div>', page, re.S)
    assert banner and 'role="alert"' in banner.group(0) and "changed outside the builder" in banner.group(0)
    assert "Keep my draft" in banner.group(0) and "Load the saved team" in banner.group(0)
    assert _agents(page) == ["assistant", "writer"]  # the canvas shows the draft

    kept = client.post(f"/builder/{team_id}/keep-draft", headers=HTMX).text
    assert "changed outside the builder" not in kept and 'id="changed-elsewhere" class="changed-elsewhere" hx-swap-oob="true"' in kept
    assert _agents(kept) == ["assistant", "writer"] and 'data-unsaved="true"' in kept
    page = client.get(f"/builder/{team_id}").text
    assert "changed outside the builder" not in page
    assert _agents(page) == ["assistant", "writer"]
    draft = client.get(f"/builder/{team_id}/export").json()
    assert draft["config"]["participants"][0]["config"].get("system_message") != "Changed elsewhere."
    # undoing back to the first snapshot does not claim it is saved: the team holds the other change now
    client.post(f"/builder/{team_id}/undo", headers=HTMX)
    assert 'data-unsaved="true"' in client.get(f"/builder/{team_id}").text
    # saving the kept draft makes a version after the other change
    client.post(f"/builder/{team_id}/redo", headers=HTMX)
    saved = client.post(f"/builder/{team_id}/save", headers=HTMX).text
    assert 'data-unsaved="false"' in saved
    with app_db(client) as db:
        team = team_service.get_team(db, team_id)
        assert [p["config"]["name"] for p in team.component["config"]["participants"]] == ["assistant", "writer"]
        assert len(team_service.list_versions(db, team)) == 2


def test_load_the_saved_team_discards_the_draft(client: TestClient) -> None:
    team_id = _team(client)
    _change_elsewhere(client, team_id)
    loaded = client.post(f"/builder/{team_id}/discard", headers=HTMX).text
    assert "changed outside the builder" not in loaded and _agents(loaded) == ["assistant"]
    assert "data-json-reset" in _json_view(loaded) and "Changed elsewhere." in loaded
    assert 'data-unsaved="false"' in loaded
    page = client.get(f"/builder/{team_id}").text
    assert "changed outside the builder" not in page and _agents(page) == ["assistant"]
    assert client.get(f"/builder/{team_id}/export").json()["config"]["participants"][0]["config"]["system_message"] \
        == "Changed elsewhere."
    assert re.search(r'id="undo-button"[^>]*disabled', page)  # the draft's history went with it
