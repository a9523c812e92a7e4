from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.serve import CatalogError, TeamCatalog

from .conftest import replay_team, write_team


def test_a_folder_serves_each_team_by_its_file_name(teams_dir: Path) -> None:
    catalog = TeamCatalog.from_path(teams_dir)
    assert sorted(t.name for t in catalog) == ["echo", "two-step"]
    assert catalog.get("two-step").label == "Two steps"  # type: ignore[union-attr]
    assert catalog.get("missing") is None


def test_one_file(teams_dir: Path) -> None:
    catalog = TeamCatalog.from_path(teams_dir / "echo.json")
    assert [t.name for t in catalog] == ["echo"]


def test_an_invalid_team_refuses_the_catalog_naming_file_and_path(tmp_path: Path) -> None:
    team = replay_team("hi")
    team["config"]["participants"][0]["config"]["model_client"]["provider"] = "no.such.Client"
    path = write_team(tmp_path, "broken", team)
    with pytest.raises(CatalogError) as caught:
        TeamCatalog.from_path(tmp_path)
    (problem,) = caught.value.problems
    assert str(path) in problem and "config.participants[0].config.model_client" in problem


def test_not_json_a_model_and_an_empty_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text("{nope", encoding="utf-8")
    model = replay_team("x")["config"]["participants"][0]["config"]["model_client"]
    (tmp_path / "model.json").write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        TeamCatalog.from_path(tmp_path)
    text = str(caught.value)
    assert "bad.json: cannot read" in text and "model.json: a model is not a team or an agent" in text
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CatalogError, match="no \\*.json team files"):
        TeamCatalog.from_path(empty)


def test_two_files_with_the_same_name_are_refused(tmp_path: Path) -> None:
    write_team(tmp_path, "My team", replay_team("a TERMINATE"))
    write_team(tmp_path, "my-team", replay_team("b TERMINATE"))
    with pytest.raises(CatalogError, match="two files are served as 'my-team'"):
        TeamCatalog.from_path(tmp_path)
