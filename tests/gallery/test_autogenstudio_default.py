"""AutoGen Studio's default gallery (fixture: tests/fixtures/autogenstudio_default_gallery.json) imports here
with the expected counts, and ours is a gallery file AutoGen Studio's format accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session

from studio.components import validate_component
from studio.services import galleries, teams
from studio.services.team_files import read_team_file

from .conftest import GALLERY as OURS
from .conftest import KEYS

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "autogenstudio_default_gallery.json"
GALLERY = json.loads(FIXTURE.read_text(encoding="utf-8"))
COUNTS = {"teams": 4, "agents": 4, "models": 4, "tools": 6, "terminations": 3}
UNSUPPORTED = {  # (group, label) -> the provider the engine cannot run
    ("teams", "Web Agent Team (Operator)"): "MultimodalWebSurfer",
    ("agents", "Web Surfer Agent"): "MultimodalWebSurfer",
    ("models", "Anthropic Claude-3-7"): "AnthropicChatCompletionClient",
}


def test_fixture_has_the_expected_counts() -> None:
    assert {group: len(GALLERY["components"][group]) for group in COUNTS} == COUNTS


@pytest.mark.parametrize("group", sorted(COUNTS))
def test_every_component_validates_or_names_what_is_unsupported(group: str) -> None:
    for component in GALLERY["components"][group]:
        errors = [p for p in validate_component(component, kind=component["component_type"]) if p.severity == "error"]
        unsupported = UNSUPPORTED.get((group, component["label"]))
        if unsupported is None:
            assert [str(e) for e in errors] == [], component["label"]
        else:
            assert [e.unsupported for e in errors] == [True] and unsupported in errors[0].message


def test_each_runnable_team_imports(db: Session) -> None:
    runnable = [t for t in GALLERY["components"]["teams"] if ("teams", t["label"]) not in UNSUPPORTED]
    imported = [teams.import_teams(db, team).teams[0] for team in runnable]
    assert [t.label for t in imported] == ["RoundRobin Team", "Selector Team", "Deep Research Team"]
    assert [t.component["provider"].rsplit(".", 1)[-1] for t in imported] == [
        "RoundRobinGroupChat", "SelectorGroupChat", "SelectorGroupChat"]


def test_the_whole_gallery_imports_with_the_web_surfer_team_marked_unsupported(db: Session) -> None:
    imported = galleries.import_gallery(db, FIXTURE.read_bytes())
    counts = {group: sum(i.component_type + "s" == group for i in imported.items) for group in COUNTS}
    assert counts == COUNTS
    marked = {(i.component_type + "s", i.label): i.unsupported for i in imported.unsupported}
    assert sorted(marked) == sorted(UNSUPPORTED)
    assert all(provider in marked[key] for key, provider in UNSUPPORTED.items())


def test_importing_it_as_teams_keeps_every_team_and_names_the_web_surfer(db: Session) -> None:
    result = teams.import_teams(db, FIXTURE.read_bytes(), max_bytes=10_000_000)
    assert [t.label for t in result.teams] == [t["label"] for t in GALLERY["components"]["teams"]]
    assert [(p.path, p.unsupported) for p in result.notices if p.severity == "error"] == [
        ("components.teams[2].config.participants[0]", True)]
    assert "MultimodalWebSurfer" in next(p.message for p in result.notices if p.unsupported)


def test_our_gallery_file_imports_here_with_every_team() -> None:
    documents = read_team_file((OURS / "index.json").read_bytes())
    assert len(documents) == len(KEYS)
