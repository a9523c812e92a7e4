"""Served teams as MCP tools (serve/mcp_server.py), through the `mcp` SDK's own client against
`studio serve --mcp` on a loopback port: the tools, a run with a progress notification per message, the
service's key, run slots and time limit, and failures as tool errors."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from studio.serve import RunLimits, TeamCatalog, create_serve_app
from studio.serve.mcp_server import INPUT_SCHEMA, OUTPUT_SCHEMA
from tests.support.mcp_client import connected, outcome, text_of
from tests.support.openai_server import OpenAIServer
from tests.support.waits import until
from tests.web.teams_support import clear_credentials_env

from .conftest import LiveServer, replay_team, write_team

KEY = "mcp-test-key"
MODEL_KEY = "sk-planted-model-key-MCP0042"


def openai_team(label: str, **config: str) -> dict[str, Any]:
    """`replay_team` with a real OpenAI client configured with `config` (`base_url`, `api_key`)."""
    team = replay_team("unused", label=label)
    team["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
        "config": {"model": "gpt-4o-mini", **config}}
    return team


@pytest.fixture
def serve(teams_dir: Path, openai_server: OpenAIServer) -> Iterator[Any]:
    """`serve(limits)`: `studio serve --mcp --api-key KEY` of `teams_dir` on 127.0.0.1, plus `remote`, whose
    model is `openai_server`, and `keyless`, OpenAI's own endpoint without a key."""
    write_team(teams_dir, "remote", openai_team("Remote", base_url=openai_server.base_url, api_key=MODEL_KEY))
    write_team(teams_dir, "keyless", openai_team("No key"))
    servers: list[LiveServer] = []

    def start(limits: RunLimits | None = None) -> LiveServer:
        app = create_serve_app(TeamCatalog.from_path(teams_dir), api_key=KEY, limits=limits, mcp=True)
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


def mcp_url(server: LiveServer) -> str:
    return f"{server.url}/mcp"


async def test_each_team_is_a_tool_named_and_described_by_the_team(serve: Any) -> None:
    async with connected(mcp_url(serve()), KEY) as mcp:
        tools = (await mcp.session.list_tools()).tools
    assert [(t.name, t.title, t.description) for t in tools] == [
        ("echo", "Echo team", "Echo team for tests."), ("keyless", "No key", "No key for tests."),
        ("remote", "Remote", "Remote for tests."),
        ("two-step", "Two steps", "Two steps for tests.")]
    assert all(t.inputSchema == INPUT_SCHEMA and t.outputSchema == OUTPUT_SCHEMA for t in tools)
    assert INPUT_SCHEMA["required"] == ["task"] and INPUT_SCHEMA["properties"]["task"]["type"] == "string"


async def test_a_call_answers_with_the_answer_and_stop_reason_and_reports_each_message(serve: Any) -> None:
    seen: list[tuple[float, str | None]] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, message))

    async with connected(mcp_url(serve()), KEY) as mcp:
        result = await mcp.session.call_tool("two-step", {"task": "Do it"}, progress_callback=progress)
    assert not result.isError
    assert outcome(result) == {"answer": "Step two. TERMINATE", "stop_reason": "Text 'TERMINATE' mentioned"}
    assert '"answer": "Step two. TERMINATE"' in text_of(result)  # the structured content, as text too
    assert seen == [(1, "user: Do it"), (2, "assistant: Step one."), (3, "assistant: Step two. TERMINATE")]


async def test_streamed_replies_are_reported_whole(serve: Any, teams_dir: Path) -> None:
    streaming = replay_team("Streamed reply. TERMINATE", label="Streams")
    streaming["config"]["participants"][0]["config"]["model_client_stream"] = True
    write_team(teams_dir, "streams", streaming)
    async with connected(mcp_url(serve()), KEY) as mcp:
        result = await mcp.session.call_tool("streams", {"task": "Go"}, progress_callback=_ignore)
        assert outcome(result)["answer"] == "Streamed reply. TERMINATE"
        assert [p.message for p in mcp.progress] == ["user: Go", "assistant: Streamed reply. TERMINATE"]


async def test_no_progress_is_sent_without_a_progress_token(serve: Any) -> None:
    async with connected(mcp_url(serve()), KEY) as mcp:
        result = await mcp.session.call_tool("two-step", {"task": "Do it"})
        assert outcome(result)["answer"] == "Step two. TERMINATE"
        assert mcp.progress == []


async def test_a_missing_or_wrong_key_is_refused(serve: Any) -> None:
    server = serve()
    for key in (None, "wrong"):
        with pytest.RaisesGroup(pytest.RaisesExc(httpx.HTTPStatusError, match="401 Unauthorized"),
                                flatten_subgroups=True):
            async with connected(mcp_url(server), key):
                pass
    raw = httpx.post(mcp_url(server), json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert raw.status_code == 401 and raw.headers["www-authenticate"] == "Bearer"


def test_without_a_key_only_loopback_hosts_reach_it(teams_dir: Path) -> None:
    """As every other path of `studio serve` without a key (DNS rebinding, cross-site pages)."""
    with TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), mcp=True)) as client:
        call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
        accept = {"Accept": "application/json, text/event-stream"}
        assert client.post("/mcp", json=call, headers=accept | {"Host": "attacker.example"}).status_code == 400
        cross_site = accept | {"Host": "127.0.0.1:8084", "Origin": "https://attacker.example"}
        assert client.post("/mcp", json=call, headers=cross_site).status_code == 403
        listed = client.post("/mcp", json=call, headers=accept | {"Host": "127.0.0.1:8084"})
        assert listed.status_code == 200 and '"name":"echo"' in listed.text


async def test_run_slots_are_the_services_own(serve: Any, openai_server: OpenAIServer) -> None:
    """A run holds its slot until it ends; with every slot taken a call is a tool error, as a run over HTTP
    is a 429, whichever way the slot was taken."""
    release = threading.Event()
    openai_server.reply("Remote answer. TERMINATE", hold=release)
    server = serve(RunLimits(max_concurrent=1))
    runner = server.app.state.runner
    try:
        async with connected(mcp_url(server), KEY) as mcp:
            first = asyncio.create_task(mcp.session.call_tool("remote", {"task": "Go"}))
            await until(lambda: runner.active == 1, message="the first run never took its slot")
            busy = await mcp.session.call_tool("echo", {"task": "Go"})
            assert busy.isError and text_of(busy) == "All 1 run slots are busy; try again shortly."
            over_http = await asyncio.to_thread(httpx.post, f"{server.url}/teams/echo/runs", json={"task": "Go"},
                                                headers={"Authorization": f"Bearer {KEY}"})
            assert over_http.status_code == 429
            release.set()
            assert outcome(await first)["answer"] == "Remote answer. TERMINATE"
            assert runner.active == 0
            assert outcome(await mcp.session.call_tool("echo", {"task": "Go"}))["answer"] == "Hello there. TERMINATE"
    finally:
        release.set()


async def test_a_client_that_hangs_up_frees_its_slot(serve: Any, openai_server: OpenAIServer) -> None:
    release = threading.Event()
    openai_server.reply("Never read. TERMINATE", hold=release)
    server = serve(RunLimits(max_concurrent=1))
    runner = server.app.state.runner

    async def call() -> None:
        async with connected(mcp_url(server), KEY) as mcp:
            await mcp.session.call_tool("remote", {"task": "Go"})

    try:
        caller = asyncio.create_task(call())
        await until(lambda: runner.active == 1, message="the run never took its slot")
        caller.cancel()
        await until(lambda: runner.active == 0, message="the run kept its slot after its client left")
    finally:
        release.set()


async def test_a_run_over_the_time_limit_is_a_tool_error_saying_so(serve: Any, openai_server: OpenAIServer) -> None:
    openai_server.delay(60)  # answers when the server stops: long after the run's time limit
    server = serve(RunLimits(timeout_seconds=0.5))
    async with connected(mcp_url(server), KEY) as mcp:
        result = await mcp.session.call_tool("remote", {"task": "Go"})
    assert result.isError and text_of(result) == "Timeout: the run took longer than 0.5 seconds."
    assert outcome(result)["stop_reason"] == "Timeout: the run took longer than 0.5 seconds."
    assert server.app.state.runner.active == 0


async def test_a_failing_run_is_a_tool_error_and_no_secret_shows(serve: Any, openai_server: OpenAIServer,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """The model refuses the key, echoing it (as OpenAI does): the result says the run failed, and neither the
    result nor any log line at DEBUG carries the key."""
    caplog.set_level(logging.DEBUG)
    openai_server.fail(401, f"Incorrect API key provided: {MODEL_KEY}", forever=True, retry_after_ms=None)
    async with connected(mcp_url(serve()), KEY) as mcp:
        tools = await mcp.session.list_tools()
        result = await mcp.session.call_tool("remote", {"task": "Go"}, progress_callback=_ignore)
    assert result.isError and text_of(result).startswith("Error:")
    assert outcome(result)["stop_reason"] == text_of(result)
    everything = result.model_dump_json() + tools.model_dump_json() + caplog.text
    assert MODEL_KEY not in everything and MODEL_KEY[-8:] not in everything


async def test_a_team_without_a_model_key_is_a_tool_error_saying_so(serve: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    clear_credentials_env(monkeypatch)
    async with connected(mcp_url(serve()), KEY) as mcp:
        result = await mcp.session.call_tool("keyless", {"task": "Go"})
    message = text_of(result)
    assert result.isError and message.startswith("Error:") and "OPENAI_API_KEY" in message, message


async def test_unknown_teams_and_missing_tasks_are_tool_errors(serve: Any) -> None:
    async with connected(mcp_url(serve()), KEY) as mcp:
        unknown = await mcp.session.call_tool("nope", {"task": "Go"})
        assert unknown.isError and text_of(unknown) == "No team called 'nope'; tools/list lists them."
        for arguments in ({}, {"task": ""}, {"task": 3}):
            invalid = await mcp.session.call_tool("echo", arguments)
            assert invalid.isError and text_of(invalid).startswith("Input validation error"), arguments


def test_it_is_stateless_so_only_post_is_answered(teams_dir: Path) -> None:
    """No event stream to GET (the spec's 405, which clients expect), and no session to DELETE."""
    with TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), extra_hosts={"testserver"}, mcp=True)) as client:
        for method in ("GET", "DELETE"):
            refused = client.request(method, "/mcp", headers={"Accept": "text/event-stream"})
            assert refused.status_code == 405 and refused.headers["allow"] == "POST", method


def test_the_readmes_client_snippet_works(tmp_path: Path) -> None:
    """The README's "Teams over MCP" client, run as written against a served gallery team (replay clients)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Teams over MCP", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "teams"
    folder.mkdir()
    (folder / "writer-critic.json").write_text((Path(__file__).resolve().parents[1] / "fixtures" /
                                                "writer-critic.json").read_text(encoding="utf-8"))
    app = create_serve_app(TeamCatalog.from_path(folder), api_key="KEY", mcp=True)
    with LiveServer(app) as server:
        script = tmp_path / "client.py"
        script.write_text(snippet.replace("http://127.0.0.1:8084", server.url), encoding="utf-8")
        ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("['writer-critic']\n  user: A haiku\n  writer: ")
    last = ran.stdout.rstrip().splitlines()[-1]
    assert last == "False {'answer': 'Much better. APPROVE', 'stop_reason': \"Text 'APPROVE' mentioned\"}"


def test_it_answers_only_while_the_app_runs(teams_dir: Path) -> None:
    """The SDK's session manager runs in the app's lifespan: before it starts, a clear 503 rather than a crash."""
    app = create_serve_app(TeamCatalog.from_path(teams_dir), extra_hosts={"testserver"}, mcp=True)
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    accept = {"Accept": "application/json, text/event-stream"}
    not_started = TestClient(app).post("/mcp", json=call, headers=accept)  # no `with`: no lifespan
    assert not_started.status_code == 503 and "has not started" in not_started.json()["detail"]
    for _ in range(2):  # a fresh session manager each time the app starts
        with TestClient(app) as client:
            assert client.post("/mcp", json=call, headers=accept).status_code == 200


def test_the_endpoint_is_there_only_with_mcp(teams_dir: Path) -> None:
    with TestClient(create_serve_app(TeamCatalog.from_path(teams_dir), extra_hosts={"testserver"})) as client:
        assert client.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).status_code == 404


async def _ignore(progress: float, total: float | None, message: str | None) -> None:
    return None
