"""Every library item, put into a team the way the Builder does (a `DraftEditor` applying the action the
drop means), gives an `Export JSON` that autogen-agentchat 0.7.5 loads; so does every team-type switch, and
the switch back, which gives the team it started from. The same through the web app is
tests/web/test_builder_compat.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("autogen_agentchat", reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'")

from sqlalchemy import Engine
from sqlmodel import Session

from studio.builder import DraftEditor, NodeId, SwitchTeamType
from studio.builder.library import LibraryItem, builtin_items, library
from studio.services import team_scripts
from studio.services import teams as team_service
from studio.services.gallery import seed_gallery_once
from studio.settings import Settings
from studio.store import session
from studio.web.builder_view import drop_action
from tests.compat.marks import AUTOGEN_LOADS

ROOT = Path(__file__).resolve().parents[2]
TEAM_TYPES = [i for i in builtin_items() if i.component_type == "team"]

pytestmark = AUTOGEN_LOADS


@pytest.fixture(autouse=True)
def offline_clients(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """AutoGen's OpenAI clients want a key to be built (none is called); code executors make their work dir."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-used")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "not-used")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Iterator[Session]:
    """A database with the shipped gallery installed, so the library holds its components too."""
    seed_gallery_once(engine, Settings(home=tmp_path / "home", gallery_dir=ROOT / "gallery", database_url=None))
    with session(engine) as db:
        yield db


def autogen_loads(builder: DraftEditor) -> dict[str, Any]:
    """The Builder's Export JSON of the draft, after checking that AutoGen 0.7.5 loads it and that Studio
    finds nothing wrong with it (no error, and no field AutoGen needs left for the export to fill in)."""
    from autogen_agentchat.base import Team

    exported = json.loads(team_scripts.export_team_file(builder.team, component=builder.draft.component).body)
    Team.load_component(exported)
    assert [str(p) for p in builder.problems() if p.severity == "error" or "AutoGen 0.7.5 requires" in p.message] == []
    return exported


def open_team(db: Session, item_id: str = "builtin:team:round-robin") -> DraftEditor:
    start = next(i for i in builtin_items() if i.id == item_id)
    return DraftEditor.open(db, team_service.import_team(db, start.component_copy()).id)


def drop(builder: DraftEditor, item: LibraryItem, target: str = "team", combine: str = "replace") -> None:
    action = drop_action(item.component_type, item.component_copy(), NodeId.parse(target), combine)
    builder.apply(action.model_copy(update={"confirm": True}) if isinstance(action, SwitchTeamType) else action)


def items_of(db: Session, kind: str) -> list[LibraryItem]:
    found = [i for i in library(db) if i.component_type == kind]
    assert any(i.id.startswith("gallery:") for i in found) or kind == "team"
    return found


def test_every_agent_joins_every_team_type_and_back(db: Session) -> None:
    builder = open_team(db)
    for item in items_of(db, "agent"):
        drop(builder, item)
        autogen_loads(builder)
    with_all_agents = builder.draft.component
    for team_type in TEAM_TYPES[1:]:
        drop(builder, team_type)
        assert builder.draft.component["provider"] == team_type.provider
        autogen_loads(builder)
        drop(builder, TEAM_TYPES[0])
        assert autogen_loads(builder) == team_service.export_component(with_all_agents)  # back where it was


@pytest.mark.parametrize("start", TEAM_TYPES, ids=lambda i: i.id)
@pytest.mark.parametrize("switch_to", TEAM_TYPES, ids=lambda i: i.id)
def test_every_team_type_switch_and_back(db: Session, start: LibraryItem, switch_to: LibraryItem) -> None:
    builder = open_team(db, start.id)
    before = autogen_loads(builder)
    drop(builder, switch_to)
    assert autogen_loads(builder)["provider"] == switch_to.provider
    drop(builder, start)
    assert autogen_loads(builder) == before


AZURE = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"


def test_every_model_on_an_agent_and_on_a_selector(db: Session) -> None:
    for item in items_of(db, "model"):
        builder = open_team(db, "builtin:team:selector")
        for target in ("agent:writer", "team"):
            drop(builder, item, target)
            if item.provider == AZURE and not _has_azure_identity():
                _autogen_accepts_azure_config(builder, target)
            else:
                autogen_loads(builder)


def _has_azure_identity() -> bool:
    try:
        import azure.identity  # noqa: F401
    except ImportError:
        return False
    return True


def _autogen_accepts_azure_config(builder: DraftEditor, target: str) -> None:
    """AutoGen builds an Azure client only with `autogen-ext[azure]` (azure-identity), which the compat extra
    does not install: the exported client is checked against the config class AutoGen's loader reads."""
    from autogen_ext.models.openai import AzureOpenAIChatCompletionClient

    exported = json.loads(team_scripts.export_team_file(builder.team, component=builder.draft.component).body)
    config = exported["config"]
    model = config["model_client"] if target == "team" else config["participants"][0]["config"]["model_client"]
    assert model["provider"] == AZURE
    AzureOpenAIChatCompletionClient.component_config_schema.model_validate(model["config"])


def test_every_tool_on_an_agent(db: Session) -> None:
    builder = open_team(db)
    for item in items_of(db, "tool"):
        drop(builder, item, "agent:writer")
        exported = autogen_loads(builder)
    tools = exported["config"]["participants"][0]["config"]["workbench"][0]["config"]["tools"]
    assert len(tools) == len(items_of(db, "tool"))


@pytest.mark.parametrize("combine", ["replace", "or", "and"])
def test_every_termination_replacing_or_combined(db: Session, combine: str) -> None:
    builder = open_team(db)
    for item in items_of(db, "termination"):
        drop(builder, item, combine=combine)
        autogen_loads(builder)
