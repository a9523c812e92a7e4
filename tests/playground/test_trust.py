"""A run refuses a team holding tool code from an imported gallery until the user trusts it; code the user
wrote, and built-in code, always runs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from studio.playground import RunManager, RunRefused
from studio.services import galleries, trust
from studio.services.gallery import read_demo, without_tags
from studio.settings import Settings
from studio.store import create_conversation, create_team, session

GALLERY = Path(__file__).resolve().parents[2] / "gallery"
TEMPLATE = json.loads((GALLERY / "teams" / "tool-assistant.json").read_text(encoding="utf-8"))


@pytest.fixture
async def manager(engine: Engine, tmp_path: Path) -> AsyncIterator[RunManager]:
    manager = RunManager(engine, Settings(home=tmp_path / "home", gallery_dir=GALLERY))
    yield manager
    await manager.aclose()


def imported_template(engine: Engine) -> tuple[int, int]:
    """(gallery item id, conversation id) of the tool template imported from a gallery file and used."""
    with session(engine) as db:
        imported = galleries.import_gallery(db, {"name": "Elsewhere", "components": {"teams": [TEMPLATE]}})
        team = galleries.use_template(db, imported.items[0].id)
        return imported.items[0].id, create_conversation(db, team_id=team.id).id


async def run_demo(manager: RunManager, conversation_id: int) -> Any:
    demo = read_demo(manager._settings, "tool-assistant")
    assert demo is not None
    run_id = await manager.start(conversation_id, demo["task"], recording=demo)
    return [u async for u in manager.follow(run_id)][-1].run


async def test_a_team_with_imported_tool_code_is_refused_with_the_tools_path(
        engine: Engine, manager: RunManager) -> None:
    _, conversation_id = imported_template(engine)
    with pytest.raises(RunRefused) as refused:
        await manager.start(conversation_id, "What is 2 + 2?")
    message = refused.value.message
    assert message.startswith("This team runs imported code that you have not reviewed and trusted yet")
    paths = [p.path for p in refused.value.problems]
    assert paths and all(".tools[" in p or ".workbench" in p for p in paths)
    assert paths[0] in message


async def test_once_trusted_the_same_team_runs_its_demo(engine: Engine, manager: RunManager) -> None:
    item_id, conversation_id = imported_template(engine)
    with session(engine) as db:
        galleries.trust_item(db, item_id, trust.digests(galleries.get_item(db, item_id).component))
    run = await run_demo(manager, conversation_id)
    assert run.status == "complete"


async def test_tool_code_the_user_wrote_is_never_blocked(engine: Engine, manager: RunManager) -> None:
    imported_template(engine)  # the same code, imported elsewhere and not trusted, is edited by the user:
    component = json.loads(json.dumps(without_tags(TEMPLATE)).replace("def ", "def  "))
    with session(engine) as db:
        team = create_team(db, component=component, label="Mine")
        conversation_id = create_conversation(db, team_id=team.id).id
    run = await run_demo(manager, conversation_id)
    assert run.status == "complete"
