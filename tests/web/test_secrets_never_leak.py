"""A planted key never leaks: not in exports, pages, API answers, cookies, logs or the database (outside the
secrets table).

The key is planted twice: saved on the Settings page, and written inside an imported team's model client.
Then every page, API answer and export is fetched and scanned, with every logger at DEBUG.
"""

from __future__ import annotations

import base64
import json
import logging
import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from studio.services.credentials import inject_credentials, load_credentials
from tests.services.helpers import (
    PLANTED_KEY,
    assistant,
    azure_client,
    openai_client,
    round_robin,
)
from tests.support.openai_server import OpenAIServer

from .teams_support import app_db

AZURE_KEY = "azure-planted-QQQ777-never-show-me"
SETTINGS_KEY = "sk-planted-settings-XYZ123-9999wxyz"
SECRETS = (PLANTED_KEY, AZURE_KEY, SETTINGS_KEY)
# Pages that stream (server-sent events) would never end here; they are scanned by the run tests.
STREAMING = re.compile(r"stream|events|sse", re.IGNORECASE)


def _assert_clean(where: str, body: str | bytes) -> None:
    data = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    for secret in SECRETS:
        assert secret not in data, f"{secret[:12]}… leaked in {where}"
        assert secret[-12:] not in data, f"the end of {secret[:12]}… leaked in {where}"


def _assert_response_clean(where: str, response) -> None:
    _assert_clean(where, response.content)
    _assert_clean(f"{where} headers", json.dumps(dict(response.headers)))
    for cookie in response.cookies.values():
        payload = cookie.split(".", 1)[0]
        _assert_clean(f"{where} cookie", base64.b64decode(payload + "=" * (-len(payload) % 4)))


def _keyed_team() -> dict:
    team = round_robin(assistant("writer", openai_client(api_key=PLANTED_KEY)),
                       assistant("reviewer", azure_client(api_key=AZURE_KEY)), label="Keyed team")
    team["config"]["participants"][0]["config"]["model_client"]["config"]["default_headers"] = {
        "Authorization": f"Bearer {PLANTED_KEY}"}
    return team


def _routes(routes: list) -> list:
    """Every route, inside included routers too."""
    found = []
    for route in routes:
        nested = getattr(route, "original_router", None)
        found += _routes(nested.routes) if nested is not None else [route]
    return found


def _get_urls(app: FastAPI, team_id: int) -> list[str]:
    """Every GET page and API route, with the team's id and version 1 filled in."""
    urls = []
    for route in _routes(app.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods or STREAMING.search(route.path):
            continue
        params = set(re.findall(r"{(\w+)}", route.path))
        if params - {"team_id", "number", "id"}:
            continue
        url = route.path.replace("{team_id}", str(team_id)).replace("{id}", str(team_id))
        urls.append(url.replace("{number}", "1"))
    return urls + [f"/playground?team={team_id}", "/teams?q=keyed", "/api/openapi.json"]


@pytest.fixture(autouse=True)
def _all_loggers_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    """Root and every named logger (SQLAlchemy sets its own to WARNING) at DEBUG, restored afterwards."""
    import sqlalchemy  # noqa: F401  (creates its loggers, so they are set here too)

    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.pool", "alembic", "uvicorn", "fastapi",
                 "httpx", "openai", *logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)


def test_a_planted_key_never_leaks(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    responses = []
    # Plant: on the Settings page (form) and the API, and inside teams imported through the page and the API.
    responses.append(("settings form", client.post("/settings", data={"openai_api_key": SETTINGS_KEY,
                                                                      "azure_api_key": AZURE_KEY})))
    responses.append(("settings API", client.put("/api/settings/credentials", json={"openai_api_key": SETTINGS_KEY})))
    raw = json.dumps(_keyed_team())
    responses.append(("import page", client.post("/teams/import", files={"file": ("k.json", raw.encode())})))
    imported = client.post("/api/teams/import", content=raw, headers={"Content-Type": "application/json"})
    responses.append(("import API", imported))
    team_id = imported.json()["teams"][0]["id"]
    bad = _keyed_team()
    bad["config"]["participants"][1]["config"]["model_client"]["config"].pop("model")
    responses.append(("invalid paste", client.post("/teams/import", data={"text": json.dumps(bad, indent=2)})))
    responses.append(("invalid API import", client.post("/api/teams/import", json=bad)))
    responses.append(("validate API", client.post("/api/validate", json=bad)))
    responses.append(("broken paste", client.post("/teams/import", data={"text": raw[:-40]})))

    # A saved change and a rename make versions and a diff to look at.
    changed = _keyed_team()
    changed["config"]["participants"][0]["config"]["name"] = "author"
    responses.append(("patch", client.patch(f"/api/teams/{team_id}", json={"component": changed})))
    responses.append(("rename", client.post(f"/teams/{team_id}/rename", data={"label": "Still keyed"})))
    responses.append(("duplicate", client.post(f"/api/teams/{team_id}/duplicate")))

    for url in _get_urls(app, team_id):
        responses.append((url, client.get(url)))
        responses.append((f"{url} (htmx)", client.get(url, headers={"HX-Request": "true"})))
    responses.append(("export page", client.get(f"/teams/{team_id}/export")))
    responses.append(("export API", client.get(f"/api/teams/{team_id}/export")))

    for where, response in responses:
        assert response.status_code < 500, where
        _assert_response_clean(where, response)

    exported = client.get(f"/api/teams/{team_id}/export").json()
    client_config = exported["config"]["participants"][0]["config"]["model_client"]["config"]
    assert client_config["api_key"] == "**********"
    assert client_config["default_headers"]["Authorization"] == "**********"

    # The keys are usable at run time: injected into a copy, never stored back.
    with app_db(client) as db:
        creds = load_credentials(db, environ={})
        injected = inject_credentials(exported, creds)
    assert injected["config"]["participants"][0]["config"]["model_client"]["config"]["api_key"] == SETTINGS_KEY
    assert injected["config"]["participants"][1]["config"]["model_client"]["config"]["api_key"] == AZURE_KEY

    # The database: only the secrets table holds them.
    engine = app.state.engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).fetchall()
            dump = json.dumps([list(map(str, row)) for row in rows])
            if table == "secret":
                assert SETTINGS_KEY in dump and AZURE_KEY in dump and PLANTED_KEY not in dump
            else:
                _assert_clean(f"table {table}", dump)

    # Logs, every logger at DEBUG.
    _assert_clean("log output", caplog.text)
    _assert_clean("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records))


def test_the_run_elsewhere_surfaces_never_show_a_planted_key(client: TestClient, openai_server: OpenAIServer,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """Builder script exports, probes, `/api/serve` runs (JSON, SSE, OpenAI-shaped) and the galleries a keyed
    team is added to stay clean, even when the model server echoes the key back in its error."""
    echo = f"Incorrect API key provided: {PLANTED_KEY}"
    team = round_robin(assistant("writer", openai_client(api_key=PLANTED_KEY, base_url=openai_server.base_url)),
                       label="Keyed team")
    team_id = client.post("/api/teams/import", json=team).json()["teams"][0]["id"]
    responses = [(f"builder export {f}", client.get(f"/builder/{team_id}/export", params={"format": f}))
                 for f in ("json", "python", "autogen")]
    for node, field in (("agent:writer/model", "prompt"), ("agent:writer", "task")):
        openai_server.fail(401, echo, retry_after_ms=None)
        responses.append((f"probe {node}", client.post(f"/builder/{team_id}/probe", data={"node": node, field: "hi"},
                                                        headers={"HX-Request": "true"})))
    runs = {"serve run": {"task": "go"}, "serve run (SSE)": {"task": "go", "stream": True}}
    for where, body in runs.items():
        openai_server.fail(401, echo, retry_after_ms=None)
        responses.append((where, client.post(f"/api/serve/teams/{team_id}/runs", json=body)))
    for stream in (False, True):
        openai_server.fail(401, echo, retry_after_ms=None)
        chat = {"model": str(team_id), "messages": [{"role": "user", "content": "go"}], "stream": stream}
        responses.append((f"serve chat (stream={stream})", client.post("/api/serve/v1/chat/completions", json=chat)))
    responses.append(("serve teams", client.get("/api/serve/teams")))
    for node in ("team", "agent:writer/model"):
        responses.append((f"add {node} to gallery", client.post("/gallery/add", data={"team_id": team_id, "node": node})))
    for gallery in client.get("/api/galleries").json():
        responses.append(("gallery export", client.get(f"/gallery/{gallery['id']}/export")))
        responses.append(("gallery API", client.get(f"/api/galleries/{gallery['id']}")))
        responses.append(("gallery page", client.get("/gallery", params={"gallery": gallery["id"], "kind": "all"})))
    items = re.findall(r'href="/gallery/items/(\d+)"', client.get("/gallery", params={"kind": "all"}).text)
    assert items, "the keyed team and model are in the gallery"
    responses += [(f"gallery item {i}", client.get(f"/gallery/items/{i}")) for i in set(items)]

    assert len(openai_server.chat_requests) == 6  # every probe and run reached the (echoing) server
    for where, response in responses:
        assert response.status_code < 500, where
        _assert_response_clean(where, response)
    _assert_clean("log output", caplog.text)
    _assert_clean("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records))
