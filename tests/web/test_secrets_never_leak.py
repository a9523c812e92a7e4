"""A planted key never leaks: not in exports, pages, API answers, cookies, logs, run events, recordings, or the
database (where even the credential and secret tables hold it only encrypted).

Keys are planted in Settings (a credential per endpoint, a variable for tools) and inside an imported team's
model client. Then every page, API answer and export is fetched and scanned, runs go through every error path
(the model's 401 echoing the key, an endpoint with no credential, no key at all) and a tool echoing its
variable, with every logger at DEBUG.
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

from studio.services import credentials
from studio.services.credentials import inject_credentials, load_credentials
from studio.services.trust import trust_all
from tests.services.helpers import (
    PLANTED_KEY,
    assistant,
    azure_client,
    openai_client,
    round_robin,
)
from tests.support.openai_server import OpenAIServer

from .teams_support import HTMX, app_db

AZURE_KEY = "azure-planted-QQQ777-never-show-me"
SETTINGS_KEY = "sk-planted-settings-XYZ123-9999wxyz"
VARIABLE_VALUE = "serp-planted-variable-QWE456-7777"
SECRETS = (PLANTED_KEY, AZURE_KEY, SETTINGS_KEY, VARIABLE_VALUE)
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


def _assert_database_clean(app: FastAPI) -> None:
    engine = app.state.engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).fetchall()
            dump = json.dumps([list(map(str, row)) for row in rows])
            _assert_clean(f"table {table}", dump)
            if table in ("credential", "secret"):
                assert rows and all(str(row.value).startswith("fernet:") for row in rows), table


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


def _get_urls(app: FastAPI, team_id: int, **ids: int) -> list[str]:
    """Every GET page and API route, with the team's id, version 1 and any other `ids` (run_id, ...) filled in."""
    urls = []
    values = {"team_id": team_id, "id": team_id, "number": 1, **ids}
    for route in _routes(app.routes):
        if not isinstance(route, APIRoute) or "GET" not in route.methods or STREAMING.search(route.path):
            continue
        params = set(re.findall(r"{(\w+)}", route.path))
        if params - set(values):
            continue
        url = route.path
        for name in params:
            url = url.replace(f"{{{name}}}", str(values[name]))
        urls.append(url)
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
    responses.append(("settings form", client.post("/settings/credentials", data={
        "kind": "openai", "endpoint": "", "api_key": SETTINGS_KEY})))
    responses.append(("settings form (Azure)", client.post("/settings/credentials", data={
        "kind": "azure", "endpoint": "https://team.example/", "api_key": AZURE_KEY})))
    responses.append(("settings form (bad)", client.post("/settings/credentials", data={
        "kind": "azure", "endpoint": "not a url", "api_key": AZURE_KEY})))
    responses.append(("settings API", client.post("/api/settings/credentials", json={
        "kind": "openai", "api_key": SETTINGS_KEY})))
    responses.append(("settings API (bad)", client.post("/api/settings/credentials", json={
        "kind": "openai_compatible", "endpoint": "ftp://x", "api_key": SETTINGS_KEY})))
    responses.append(("variable form", client.post("/settings/variables", data={
        "name": "SERPAPI_KEY", "value": VARIABLE_VALUE})))
    responses.append(("variable form (bad)", client.post("/settings/variables", data={
        "name": "PATH", "value": VARIABLE_VALUE})))
    responses.append(("variable API", client.put("/api/settings/variables/SERPAPI_KEY", json={
        "value": VARIABLE_VALUE})))
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

    # The database: no table holds them as written, the credential and secret tables hold them encrypted.
    _assert_database_clean(app)
    with app_db(client) as db:
        assert load_credentials(db, environ={}).variable_values() == {"SERPAPI_KEY": VARIABLE_VALUE}

    # Logs, every logger at DEBUG.
    _assert_clean("log output", caplog.text)
    _assert_clean("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records))


def test_the_run_elsewhere_surfaces_never_show_a_planted_key(client: TestClient, openai_server: OpenAIServer,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """Builder script exports, probes, `/api/serve` runs (JSON, SSE, OpenAI-shaped, MCP tools) and the galleries a
    keyed team is added to stay clean, even when the model server echoes the key back in its error."""
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
    openai_server.fail(401, echo, retry_after_ms=None)
    call = {"name": str(team_id), "arguments": {"task": "go"}, "_meta": {"progressToken": "p"}}  # progress too
    for method, params in (("tools/list", {}), ("tools/call", call)):
        message = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        responses.append((f"serve MCP {method}", client.post(
            "/api/serve/mcp", json=message, headers={"Accept": "application/json, text/event-stream"})))
    assert '"isError":true' in responses[-1][1].text
    for node in ("team", "agent:writer/model"):
        responses.append((f"add {node} to gallery", client.post("/gallery/add", data={"team_id": team_id, "node": node})))
    for gallery in client.get("/api/galleries").json():
        responses.append(("gallery export", client.get(f"/gallery/{gallery['id']}/export")))
        responses.append(("gallery API", client.get(f"/api/galleries/{gallery['id']}")))
        responses.append(("gallery page", client.get("/gallery", params={"gallery": gallery["id"], "kind": "all"})))
    items = re.findall(r'href="/gallery/items/(\d+)"', client.get("/gallery", params={"kind": "all"}).text)
    assert items, "the keyed team and model are in the gallery"
    responses += [(f"gallery item {i}", client.get(f"/gallery/items/{i}")) for i in set(items)]

    assert len(openai_server.chat_requests) == 7  # every probe and run reached the (echoing) server
    for where, response in responses:
        assert response.status_code < 500, where
        _assert_response_clean(where, response)
    _assert_clean("log output", caplog.text)
    _assert_clean("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records))


def test_runs_recordings_and_every_error_path_never_show_a_planted_key(
        client: TestClient, openai_server: OpenAIServer, caplog: pytest.LogCaptureFixture) -> None:
    """Playground runs through each error path (401 echoing the key, an endpoint with no credential, no key),
    and a run whose tool echoes its variable: events, pages, SSE, recordings, exports and logs stay clean."""
    from .routes.test_playground import _messages, _session, _start

    with app_db(client) as db:
        credentials.save_credential(db, "openai_compatible", openai_server.base_url, SETTINGS_KEY)
        credentials.save_variable(db, "SERPAPI_KEY", VARIABLE_VALUE)
    echo_tool = {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool", "config": {
        "name": "echo", "description": "Echoes its key.", "global_imports": [], "has_cancellation_support": False,
        "variables": ["SERPAPI_KEY"],
        "source_code": "import os\n\ndef echo() -> str:\n    return 'my key: ' + os.environ['SERPAPI_KEY']\n"}}
    writer = assistant("writer", openai_client(base_url=openai_server.base_url, max_retries=0))
    writer["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticWorkbench", "config": {
        "tools": [echo_tool]}}]
    teams = {
        "server": round_robin(writer, label="Server"),
        "foreign": round_robin(assistant("writer", openai_client(base_url="https://foreign.example/v1")),
                               label="Foreign"),
        "keyless": round_robin(assistant("writer", openai_client()), label="Keyless"),
    }
    ids = {name: client.post("/api/teams/import", json=team).json()["teams"][0]["id"] for name, team in teams.items()}
    with app_db(client) as db:
        trust_all(db, teams["server"])

    echo = f"Incorrect API key provided: {SETTINGS_KEY} (and {VARIABLE_VALUE})"
    openai_server.fail(401, echo, retry_after_ms=None)  # run 1: the model's 401 echoes the keys
    openai_server.reply_tool_calls([("echo", "{}")])  # run 2: the tool echoes its variable
    openai_server.reply(f"The tool said {VARIABLE_VALUE[:4]}… TERMINATE")
    responses, runs = [], []
    server_session = _session(client, ids["server"])
    for task in ("first", "second"):
        run_id = _start(client, server_session, task)
        responses.append((f"events of run {run_id}", "\n".join(m.data for m in _messages(client, run_id))))
        runs.append(run_id)
    for name in ("foreign", "keyless"):
        conversation_id = _session(client, ids[name])
        run_id = _start(client, conversation_id, "go")
        responses.append((f"events of the {name} run", "\n".join(m.data for m in _messages(client, run_id))))
        page = client.get(f"/playground/sessions/{conversation_id}").text
        assert "No credential for endpoint" in page, name
        responses.append((f"{name} session page", page))
    tool_results = [r for r in openai_server.chat_requests[-1].body["messages"] if r["role"] == "tool"]
    assert tool_results and "my key: **********" in tool_results[0]["content"]  # the tool ran with its variable
    assert openai_server.chat_requests[0].headers["authorization"] == f"Bearer {SETTINGS_KEY}"  # its endpoint's key

    replayed = client.post(f"/playground/runs/{runs[1]}/replay", headers=HTMX)
    responses.append(("replay", replayed.text))
    app: FastAPI = client.app  # type: ignore[assignment]
    for url in _get_urls(app, ids["server"], run_id=runs[1], conversation_id=server_session):
        response = client.get(url)
        assert response.status_code < 500, url
        responses.append((url, response.content.decode()))
    responses.append(("run export", client.get(f"/playground/runs/{runs[0]}/export").text))
    for where, body in responses:
        _assert_clean(where, body)
    _assert_database_clean(app)
    _assert_clean("log output", caplog.text)
    _assert_clean("log records", "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records))
