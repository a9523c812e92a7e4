"""Served teams for the `studio serve` tests: replay-client teams written to files, and the app on a
real loopback port (uvicorn in a thread) so the real `openai` client can call it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from tests.support.waits import wait_until

REPLAY = "autogen_ext.models.replay.ReplayChatCompletionClient"
TEST_HOSTS = {"testserver"}
"""The host Starlette's TestClient sends: accepted only because the tests say so (`extra_hosts`)."""


def replay_team(*replies: str, label: str = "Echo team", max_messages: int = 10) -> dict[str, Any]:
    """A one-assistant round robin whose model replies are `replies`, stopping on TERMINATE or max messages."""
    model = {"provider": REPLAY, "component_type": "model", "config": {"chat_completions": list(replies)}}
    agent = {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
             "config": {"name": "assistant", "model_client": model, "system_message": "Be brief."}}
    stop = {"provider": "autogen_agentchat.base.OrTerminationCondition", "component_type": "termination",
            "config": {"conditions": [
                {"provider": "autogen_agentchat.conditions.TextMentionTermination",
                 "component_type": "termination", "config": {"text": "TERMINATE"}},
                {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                 "component_type": "termination", "config": {"max_messages": max_messages}}]}}
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "label": label,
            "description": f"{label} for tests.", "config": {"participants": [agent], "termination_condition": stop}}


def write_team(folder: Path, name: str, component: dict[str, Any]) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(component), encoding="utf-8")
    return path


@pytest.fixture
def teams_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "teams"
    folder.mkdir()
    write_team(folder, "echo", replay_team("Hello there. TERMINATE"))
    write_team(folder, "Two Step", replay_team("Step one.", "Step two. TERMINATE", label="Two steps"))
    return folder


class LiveServer:
    """An ASGI app on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()

        def started() -> bool:
            assert self.thread.is_alive(), "the test server stopped before it started"
            return self.server.started

        wait_until(started, message="the test server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"


@pytest.fixture
def live() -> Iterator[type[LiveServer]]:
    yield LiveServer
