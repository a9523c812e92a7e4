"""The shipped gallery's files, and a helper that runs a template's demo with Studio's runtime."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from studio.components import load_component
from studio.playground.recording import replay_component, replay_inputs
from studio.playground.replay import scripted_input
from studio.runtime.agents.user_proxy import UserProxyAgent
from studio.runtime.messages import TaskResult
from studio.services.gallery import without_tags
from studio.store import make_engine, migrate, session

GALLERY = Path(__file__).resolve().parents[2] / "gallery"
TEMPLATE_FILES = sorted((GALLERY / "teams").glob("*.json"))
KEYS = [path.stem for path in TEMPLATE_FILES]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Session]:
    """A session on a migrated SQLite database in a temporary directory."""
    engine = make_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    migrate(engine)
    with session(engine) as db:
        yield db
    engine.dispose()


def template(key: str) -> dict[str, Any]:
    return json.loads((GALLERY / "teams" / f"{key}.json").read_text(encoding="utf-8"))


def demo(key: str) -> dict[str, Any]:
    return json.loads((GALLERY / "demos" / f"{key}.json").read_text(encoding="utf-8"))


async def run_demo(key: str) -> tuple[Any, list[Any], TaskResult]:
    """Run template `key` on its demo recording: (the loaded team, every streamed item, the result)."""
    recording = demo(key)
    team = load_component(replay_component(without_tags(template(key)), recording), kind="team")
    inputs = replay_inputs(recording)
    for participant in team.participants:
        if isinstance(participant, UserProxyAgent):
            participant.input_func = scripted_input(inputs.get(participant.name, []))
    items = [item async for item in team.run_stream(task=recording["task"])]
    result = items.pop()
    assert isinstance(result, TaskResult)
    return team, items, result
