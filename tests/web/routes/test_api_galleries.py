"""The galleries JSON API: list, get as an AutoGen Studio gallery file, import (body, upload, URL), delete."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from studio import store
from tests.support.file_server import file_server

from ..teams_support import app_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "autogenstudio_default_gallery.json"
AGS = json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_import_body_then_list_and_get_as_autogen_studio_json(client: TestClient) -> None:
    given = copy.deepcopy(AGS)
    given["components"]["models"][0]["config"]["api_key"] = "sk-live-secret"
    response = client.post("/api/galleries/import", json=given)
    assert response.status_code == 201
    body = response.json()
    assert body["gallery"]["name"] == AGS["name"] and body["gallery"]["items"] == 21
    assert sorted(i["label"] for i in body["items"] if i["unsupported"]) == [
        "Anthropic Claude-3-7", "Web Agent Team (Operator)", "Web Surfer Agent"]
    assert [n["path"] for n in body["notices"]] == ["components.models[0].config.api_key"]
    listed = client.get("/api/galleries").json()
    assert [(g["name"], g["kind"], g["items"]) for g in listed] == [(AGS["name"], "imported", 21)]
    exported = client.get(f"/api/galleries/{listed[0]['id']}")
    assert exported.status_code == 200 and "sk-live-secret" not in exported.text
    document = exported.json()
    assert set(document) == {"id", "name", "url", "metadata", "components"}
    assert document["components"]["teams"] == AGS["components"]["teams"]
    assert client.get("/api/galleries/999").status_code == 404


def test_import_upload_and_problems_with_paths(client: TestClient) -> None:
    upload = client.post("/api/galleries/import", files={"file": ("g.json", json.dumps(AGS))})
    assert upload.status_code == 201 and len(upload.json()["items"]) == 21
    assert client.post("/api/galleries/import", files={"other": ("x.json", b"{}")}).status_code == 422
    broken = copy.deepcopy(AGS)
    del broken["components"]["teams"][1]["config"]["participants"]
    response = client.post("/api/galleries/import", json=broken)
    assert response.status_code == 422
    assert [p["path"] for p in response.json()["detail"]["problems"]] == ["components.teams[1].config.participants"]
    bad = client.post("/api/galleries/import", content=b"{nope", headers={"Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["detail"]["problems"][0]["message"].startswith("invalid JSON")
    assert len(client.get("/api/galleries").json()) == 1  # nothing saved by the failures


@pytest.fixture
def http_server() -> Iterator[str]:
    with file_server({"/gallery.json": (200, json.dumps(AGS).encode())}) as url:
        yield url


def test_import_from_a_url(make_app: Callable[..., FastAPI], http_server: str) -> None:
    with TestClient(make_app()) as client:  # by default a URL may not reach this machine
        before = client.get("/api/galleries").json()
        refused = client.post("/api/galleries/import", json={"url": f"{http_server}/gallery.json"})
        assert refused.status_code == 400 and "STUDIO_GALLERY_ALLOW_PRIVATE_URLS" in refused.json()["detail"]
        assert client.get("/api/galleries").json() == before  # nothing imported
    with TestClient(make_app(gallery_allow_private_urls=True)) as client:
        _import_from(client, http_server)


def _import_from(client: TestClient, http_server: str) -> None:
    response = client.post("/api/galleries/import", json={"url": f"{http_server}/gallery.json"})
    assert response.status_code == 201
    assert response.json()["gallery"]["source"] == f"{http_server}/gallery.json"
    missing = client.post("/api/galleries/import", json={"url": f"{http_server}/nope.json"})
    assert missing.status_code == 400 and "No gallery file could be fetched" in missing.json()["detail"]
    scheme = client.post("/api/galleries/import", json={"url": "file:///etc/passwd"})
    assert scheme.status_code == 400 and "Only http://" in scheme.json()["detail"]


def test_delete_an_imported_gallery_but_not_the_built_in_one(client: TestClient) -> None:
    imported = client.post("/api/galleries/import", json=AGS).json()["gallery"]
    with app_db(client) as db:
        built_in = store.upsert_gallery(db, name="Built-in", kind="built-in").id
    assert client.delete(f"/api/galleries/{imported['id']}").status_code == 204
    assert client.delete(f"/api/galleries/{imported['id']}").status_code == 404
    refused = client.delete(f"/api/galleries/{built_in}")
    assert refused.status_code == 409 and "cannot be deleted" in refused.json()["detail"]
    assert [g["name"] for g in client.get("/api/galleries").json()] == ["Built-in"]
