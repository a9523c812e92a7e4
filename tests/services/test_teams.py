"""The teams service: every accepted import shape, validation first, export, versions, diff, restore."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from studio.components import MASK, load_component, validate_component
from studio.services import teams
from studio.services.errors import (
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    TeamImportError,
)
from studio.store.models import Team, TeamVersion

from .helpers import (
    AUTOGEN_FIXTURES,
    PLANTED_KEY,
    canonical,
    invalid_team,
    team_with_key,
    writer_critic,
)


def _count(db: Session, table: type) -> int:
    return len(db.exec(select(table)).all())


# --- import: the shapes ----------------------------------------------------------------------


def test_import_autogen_component_takes_label_and_description(db: Session) -> None:
    team = teams.import_team(db, json.dumps(writer_critic()))
    assert team.id is not None
    assert team.label == "Writer and critic"
    assert team.description.startswith("A writer drafts")
    assert team.component == canonical(writer_critic())


def test_import_accepts_bytes_with_a_bom_and_a_dict(db: Session) -> None:
    a = teams.import_team(db, b"\xef\xbb\xbf" + json.dumps(writer_critic()).encode())
    b = teams.import_team(db, writer_critic())
    assert a.component == b.component


def test_import_autogen_studio_team_row(db: Session) -> None:
    row = {"id": 7, "user_id": "guestuser@gmail.com", "version": "0.0.1", "created_at": "2025-03-01T10:00:00",
           "component": writer_critic()}
    team = teams.import_team(db, row)
    assert team.label == "Writer and critic"
    assert team.component == canonical(writer_critic())


def test_import_autogen_studio_api_answer(db: Session) -> None:
    team = teams.import_team(db, {"status": True, "data": {"id": 1, "component": writer_critic()}})
    assert team.label == "Writer and critic"


def test_import_gallery_file_imports_every_team(db: Session) -> None:
    second = writer_critic() | {"label": "Second"}
    gallery = {"id": "g", "name": "Gallery", "metadata": {"author": "me"},
               "components": {"agents": [], "models": [], "teams": [writer_critic(), second]}}
    result = teams.import_teams(db, gallery)
    assert [t.label for t in result.teams] == ["Writer and critic", "Second"]
    assert _count(db, Team) == 2


def test_import_gallery_under_config_components(db: Session) -> None:
    result = teams.import_teams(db, {"name": "Old", "config": {"components": {"teams": [writer_critic()]}}})
    assert len(result.teams) == 1


def test_import_autogen_dump_with_no_label_uses_config_name(db: Session) -> None:
    document = writer_critic()
    del document["label"], document["description"]
    document["config"]["name"] = "Poets"
    document["config"]["description"] = "They write."
    team = teams.import_team(db, document)
    assert (team.label, team.description) == ("Poets", "They write.")
    assert team.component["label"] == "Poets"


@pytest.mark.parametrize("name", ["RoundRobinGroupChat", "SelectorGroupChat", "Swarm", "GraphFlow",
                                  "MagenticOneGroupChat"])
def test_import_every_autogen_team_fixture(db: Session, name: str) -> None:
    document = json.loads((AUTOGEN_FIXTURES / f"autogen_agentchat.teams.{name}.json").read_text())
    team = teams.import_team(db, document)
    exported = teams.export_team(team)
    assert validate_component(exported, kind="team") == validate_component(document, kind="team")
    assert exported["provider"] == f"autogen_agentchat.teams.{name}"


# --- import: refusals ------------------------------------------------------------------------


def test_invalid_import_saves_nothing_and_reports_every_path(db: Session) -> None:
    with pytest.raises(TeamImportError) as caught:
        teams.import_team(db, json.dumps(invalid_team()))
    paths = [p.path for p in caught.value.errors]
    assert paths == ["config.participants[1].config.model_client",
                     "config.termination_condition.config.conditions[1].config.max_messages"]
    assert _count(db, Team) == 0


def test_invalid_team_in_a_gallery_saves_none_and_paths_start_at_the_file(db: Session) -> None:
    gallery = {"components": {"teams": [writer_critic(), invalid_team()]}}
    with pytest.raises(TeamImportError) as caught:
        teams.import_teams(db, gallery)
    assert caught.value.errors[0].path == "components.teams[1].config.participants[1].config.model_client"
    assert _count(db, Team) == 0


def test_row_problem_paths_start_with_component(db: Session) -> None:
    with pytest.raises(TeamImportError) as caught:
        teams.import_team(db, {"component": invalid_team()})
    assert caught.value.errors[0].path == "component.config.participants[1].config.model_client"


@pytest.mark.parametrize(("raw", "message"), [
    ("{not json", "invalid JSON at line 1"),
    ("", "the file is empty"),
    (b"\xff\xfe\x00", "not UTF-8"),
    ("[1, 2]", "expected an AutoGen team component"),
    ('{"hello": 1}', "AutoGen Studio gallery file"),
    ('{"components": {"teams": []}}', "has no teams"),
])
def test_not_a_team_file(db: Session, raw: str | bytes, message: str) -> None:
    with pytest.raises(TeamImportError) as caught:
        teams.import_team(db, raw)
    assert message in str(caught.value)
    assert _count(db, Team) == 0


def test_an_agent_is_not_a_team(db: Session) -> None:
    agent = writer_critic()["config"]["participants"][0]
    with pytest.raises(TeamImportError) as caught:
        teams.import_team(db, agent)
    assert "expected a team here" in str(caught.value)


def test_oversized_import_is_refused_before_parsing(db: Session) -> None:
    raw = json.dumps(writer_critic()).encode()
    with pytest.raises(PayloadTooLargeError) as caught:
        teams.import_team(db, raw + b" " * 2000, max_bytes=len(raw) + 100)
    assert "too large" in str(caught.value)
    assert caught.value.status_code == 413
    assert _count(db, Team) == 0


def test_default_limit_is_the_settings_limit(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(teams, "max_body_bytes", lambda: 10)
    with pytest.raises(PayloadTooLargeError):
        teams.import_team(db, json.dumps(writer_critic()))


def test_a_key_in_the_file_is_not_stored_and_is_reported(db: Session) -> None:
    result = teams.import_teams(db, team_with_key())
    stored = result.teams[0].component
    assert PLANTED_KEY not in json.dumps(stored)
    assert stored["config"]["participants"][0]["config"]["model_client"]["config"]["api_key"] == MASK
    assert any(n.path == "config.participants[0].config.model_client.config.api_key" for n in result.notices)


# --- export ----------------------------------------------------------------------------------


def test_export_of_a_canonical_file_is_equal(db: Session) -> None:
    document = canonical(writer_critic())
    team = teams.import_team(db, json.dumps(document))
    assert teams.export_team(team) == document
    assert list(teams.export_team(team)) == list(document)  # same key order too


def test_export_loads_back_and_masks_keys(db: Session) -> None:
    team = teams.import_team(db, team_with_key())
    exported = teams.export_team(team)
    assert PLANTED_KEY not in json.dumps(exported)
    load_component(exported)


def test_export_filename_is_a_slug(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    assert teams.export_filename(team) == "writer-and-critic.json"
    team.label = "¿¿??"
    assert teams.export_filename(team) == f"team-{team.id}.json"


# --- create, rename, duplicate, delete -------------------------------------------------------


def test_empty_team_is_valid_and_loads(db: Session) -> None:
    team = teams.create_empty_team(db, label="  My   team ")
    assert team.label == "My team"
    assert [p for p in validate_component(team.component) if p.severity == "error"] == []
    load_component(team.component)
    model = team.component["config"]["participants"][0]["config"]["model_client"]["config"]
    assert model["model"] == teams.DEFAULT_MODEL


def test_empty_team_needs_a_name(db: Session) -> None:
    with pytest.raises(InvalidTeamError):
        teams.create_empty_team(db, label="   ")


def test_rename_updates_the_component_label_and_keeps_a_version(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    team = teams.rename_team(db, team, label="Poets")
    assert team.label == "Poets" and team.component["label"] == "Poets"
    assert teams.export_team(team)["label"] == "Poets"
    assert [v.number for v in teams.list_versions(db, team)] == [1]


def test_duplicate_copies_under_a_new_label(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    copy = teams.duplicate_team(db, team)
    assert copy.id != team.id
    assert copy.label == "Writer and critic (copy)" == copy.component["label"]
    assert copy.component["config"] == team.component["config"]


def test_delete_and_not_found(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    teams.delete_team(db, team)
    with pytest.raises(NotFoundError):
        teams.get_team(db, team.id)


def test_search(db: Session) -> None:
    teams.import_team(db, writer_critic())
    teams.create_empty_team(db, label="Research crew")
    assert [t.label for t in teams.list_teams(db, search="research")] == ["Research crew"]
    assert len(teams.list_teams(db, search="  ")) == 2


# --- save, versions, diff, restore -----------------------------------------------------------


def test_save_invalid_component_saves_nothing(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    before = team.component
    with pytest.raises(InvalidTeamError) as caught:
        teams.save_team_component(db, team, invalid_team())
    assert len(caught.value.errors) == 2
    assert teams.get_team(db, team.id).component == before
    assert _count(db, TeamVersion) == 0


def test_versions_diff_and_restore(db: Session) -> None:
    team = teams.import_team(db, writer_critic())
    original = team.component
    changed = writer_critic()
    changed["config"]["participants"][0]["config"]["system_message"] = "You write limericks."
    team = teams.save_team_component(db, team, changed, note="limericks")
    assert [v.number for v in teams.list_versions(db, team)] == [1]
    assert teams.get_version(db, team, 1).component == original

    diff = teams.diff_versions(db, team, 1)
    assert diff.startswith("--- version 1\n+++ current\n")
    assert '+          "system_message": "You write limericks.",' in diff
    assert "-          \"system_message\": \"You are a writer." in diff

    team = teams.restore_version(db, team, 1)
    assert team.component == original
    assert [v.number for v in teams.list_versions(db, team)] == [2, 1]
    with pytest.raises(NotFoundError):
        teams.diff_versions(db, team, 9)


def test_validate_returns_problems_with_paths() -> None:
    assert teams.validate(writer_critic()) == []
    assert [p.path for p in teams.validate(json.dumps(invalid_team()))][:1] == [
        "config.participants[1].config.model_client"]
    assert teams.validate("{")[0].message.startswith("invalid JSON")
