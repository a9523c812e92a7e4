"""Every way a saved team leaves the studio writes the same bytes: the Teams page's and the JSON API's export,
the Builder's Export JSON and both scripts (the JSON they carry), `studio export`, `Add to gallery` (and the
gallery file it then exports). The team is imported from a file in no canonical form (short provider names,
fields AutoGen requires left out, handoffs as bare strings, a key), so each path has something to fix."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from studio.components import MASK, validate_component
from studio.services import galleries
from studio.services.teams import export_component, pretty_json
from tests.services.helpers import PLANTED_KEY

from .teams_support import HTMX, app_db

ROOT = Path(__file__).resolve().parents[2]


def loose_swarm() -> dict:
    model = {"provider": "OpenAIChatCompletionClient", "config": {"model": "gpt-4o-mini", "api_key": PLANTED_KEY}}
    return {"provider": "Swarm", "label": "Loose swarm", "config": {
        "participants": [
            {"provider": "AssistantAgent", "config": {"name": "planner", "model_client": model,
                                                      "handoffs": ["booker"]}},
            {"provider": "AssistantAgent", "config": {"name": "booker", "model_client": model,
                                                      "handoffs": ["planner"]}}],
        "termination_condition": {"provider": "MaxMessageTermination", "config": {"max_messages": 6}}}}


def embedded_json(script: str) -> str:
    """The team JSON a script carries, in the export's format."""
    tree = ast.parse(script)
    assigned = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "TEAM")  # type: ignore[attr-defined]
    return pretty_json(json.loads(assigned.value.args[0].value))  # type: ignore[attr-defined]


def test_every_export_of_a_saved_team_is_byte_identical(client: TestClient, tmp_path: Path) -> None:
    assert [p for p in validate_component(loose_swarm()) if "AutoGen 0.7.5 requires" in p.message]  # not canonical
    response = client.post("/api/teams/import", json=loose_swarm())
    assert response.status_code == 201, response.text
    team_id = response.json()["teams"][0]["id"]

    body = client.get(f"/teams/{team_id}/export").text
    assert PLANTED_KEY not in body and MASK in body
    assert json.loads(body) == export_component(json.loads(body))  # canonical: exporting it again changes nothing
    assert body == pretty_json(export_component(loose_swarm()))  # import stored what an export writes
    assert client.get(f"/api/teams/{team_id}/export").text == body
    assert client.get(f"/builder/{team_id}/export").text == body
    for format in ("python", "autogen"):
        assert embedded_json(client.get(f"/builder/{team_id}/export", params={"format": format}).text) == body

    cli = subprocess.run([sys.executable, "-m", "studio.cli", "export", str(team_id), "--home", str(tmp_path / "home")],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == body

    assert client.post("/gallery/add", data={"team_id": team_id}, headers=HTMX).status_code == 200
    with app_db(client) as db:
        gallery = next(g for g in galleries.list_galleries(db) if g.name == galleries.USER_GALLERY)
        [item] = galleries.gallery_items(db, gallery_id=gallery.id)
        assert pretty_json(item.component) == body
        gallery_id = gallery.id
    gallery_file = client.get(f"/gallery/{gallery_id}/export").json()
    assert pretty_json(gallery_file["components"]["teams"][0]) == body


def test_the_builder_exports_its_draft_in_the_same_form(client: TestClient) -> None:
    """Unsaved changes are exported too, in the form a save would store (and then export)."""
    team_id = client.post("/api/teams/import", json=loose_swarm()).json()["teams"][0]["id"]
    action = {"type": "switch_team_type", "provider": "RoundRobinGroupChat", "confirm": True}
    assert client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(action)}, headers=HTMX).status_code == 200
    draft_export = client.get(f"/builder/{team_id}/export").text
    assert json.loads(draft_export)["provider"] == "autogen_agentchat.teams.RoundRobinGroupChat"
    assert client.post(f"/builder/{team_id}/save", headers=HTMX).status_code == 200
    assert client.get(f"/teams/{team_id}/export").text == draft_export
