"""Through the web app, as a browser drives the Builder: every library item dropped onto a team, every
team-type switch and back, and each `Export JSON` loads in autogen-agentchat 0.7.5; once saved, the JSON
API's export is the same file. (The same below the web layer: tests/compat/test_builder_library.py.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("autogen_agentchat", reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio.builder.library import LibraryItem, builtin_items, library
from tests.compat.marks import AUTOGEN_LOADS

from .teams_support import HTMX, app_db

ROOT = Path(__file__).resolve().parents[2]
TEAM_TYPES = [i for i in builtin_items() if i.component_type == "team"]
AZURE = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"

pytestmark = AUTOGEN_LOADS


@pytest.fixture
def gallery_client(make_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
                   ) -> Iterator[TestClient]:
    """The app with the shipped gallery (its components are in the library); AutoGen's OpenAI clients want a
    key to be built (none is called) and code executors make their work dir."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-used")
    monkeypatch.chdir(tmp_path)
    with TestClient(make_app(gallery_dir=ROOT / "gallery")) as client:
        yield client


def new_team(client: TestClient, item_id: str = "builtin:team:round-robin") -> int:
    start = next(i for i in builtin_items() if i.id == item_id)
    response = client.post("/api/teams", json={"component": start.component_copy()})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def drop(client: TestClient, team_id: int, item: LibraryItem, target: str = "team") -> None:
    response = client.post(f"/builder/{team_id}/drop", data={"item": item.id, "target": target}, headers=HTMX)
    assert response.status_code == 200 and 'flash-error' not in response.text, response.text[:500]
    if item.component_type == "team":  # a switch that would drop something asks first: confirm it
        action = {"type": "switch_team_type", "provider": item.provider, "confirm": True}
        confirmed = client.post(f"/builder/{team_id}/actions", data={"action": json.dumps(action)}, headers=HTMX)
        assert confirmed.status_code == 200


def exported(client: TestClient, team_id: int) -> dict[str, Any]:
    """The Builder's Export JSON, checked to load in AutoGen 0.7.5."""
    from autogen_agentchat.base import Team

    response = client.get(f"/builder/{team_id}/export")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    component = response.json()
    if AZURE not in response.text:  # AutoGen builds Azure clients only with autogen-ext[azure]
        Team.load_component(component)
    return component


def items(client: TestClient, kind: str) -> list[LibraryItem]:
    with app_db(client) as db:
        found = [i for i in library(db) if i.component_type == kind]
    assert any(i.id.startswith("gallery:") for i in found)
    return found


@pytest.mark.parametrize(("kind", "target"), [("agent", "team"), ("model", "agent:writer"), ("tool", "agent:writer"),
                                            ("termination", "team")])
def test_every_library_item_dropped_in_the_builder_exports_a_team_autogen_loads(
        gallery_client: TestClient, kind: str, target: str) -> None:
    client = gallery_client
    for item in items(client, kind):
        team_id = new_team(client)
        drop(client, team_id, item, target)
        builder_export = exported(client, team_id)
        assert client.post(f"/builder/{team_id}/save", headers=HTMX).status_code == 200
        assert client.get(f"/api/teams/{team_id}/export").json() == builder_export


@pytest.mark.parametrize("start", TEAM_TYPES, ids=lambda i: i.id)
def test_every_team_type_switch_and_back_through_the_builder(gallery_client: TestClient, start: LibraryItem) -> None:
    client = gallery_client
    team_id = new_team(client, start.id)
    before = exported(client, team_id)
    for team_type in TEAM_TYPES:
        drop(client, team_id, team_type)
        assert exported(client, team_id)["provider"] == team_type.provider
        drop(client, team_id, start)
        assert exported(client, team_id) == before
