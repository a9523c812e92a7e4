"""Teams: CRUD, search, a version on every component change, restore, duplicate, cascades."""

from __future__ import annotations

import copy
import json
from datetime import UTC

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from studio.store import (
    Conversation,
    Run,
    RunEvent,
    TeamPublic,
    TeamVersion,
    add_event,
    create_conversation,
    create_run,
    create_team,
    delete_team,
    duplicate_team,
    get_team,
    get_version,
    list_teams,
    list_versions,
    restore_version,
    session,
    update_team,
)


def _component(name: str) -> dict:
    return {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "label": name, "config": {}}


def test_create_and_get_a_team(db: Session) -> None:
    team = create_team(db, component=_component("A"), label="Alpha", description="first")
    db.commit()
    db.expire_all()
    loaded = get_team(db, team.id)
    assert loaded is not None
    assert (loaded.label, loaded.description, loaded.component, loaded.layout) == (
        "Alpha", "first", _component("A"), {}
    )
    assert loaded.created_at.tzinfo == UTC and loaded.updated_at.tzinfo == UTC
    assert get_team(db, 999_999) is None
    assert TeamPublic.model_validate(loaded).id == team.id


def test_label_and_description_default_to_the_components(db: Session, writer_critic: dict) -> None:
    team = create_team(db, component=writer_critic)
    assert team.label == "Writer and critic"
    assert team.description.startswith("A writer drafts")
    assert create_team(db, component={}).label == "Untitled team"


def test_a_real_component_round_trips_with_its_key_order(engine: Engine, writer_critic: dict) -> None:
    with session(engine) as db:
        team_id = create_team(db, component=writer_critic).id
    with session(engine) as db:
        stored = get_team(db, team_id).component
    assert stored == writer_critic
    assert json.dumps(stored) == json.dumps(writer_critic)  # same order, all the way down


def test_list_teams_searches_label_and_description_ignoring_case(db: Session) -> None:
    create_team(db, component={}, label="Writer and critic", description="drafts TEXT")
    create_team(db, component={}, label="Research crew", description="finds sources")
    create_team(db, component={}, label="100% coverage", description="")
    assert {t.label for t in list_teams(db)} == {"Writer and critic", "Research crew", "100% coverage"}
    assert [t.label for t in list_teams(db, search="WRITER")] == ["Writer and critic"]
    assert [t.label for t in list_teams(db, search="text")] == ["Writer and critic"]
    assert [t.label for t in list_teams(db, search="% cov")] == ["100% coverage"]  # % is literal
    assert list_teams(db, search="_") == []
    assert len(list_teams(db, search="  ")) == 3


def test_every_component_change_keeps_the_previous_one(db: Session) -> None:
    team = create_team(db, component=_component("v1"), label="T")
    update_team(db, team, label="Renamed", layout={"a": {"x": 0, "y": 0}})
    assert list_versions(db, team.id) == []  # no component change, no version
    update_team(db, team, component=_component("v2"), note="tweak")
    update_team(db, team, component=_component("v2"))  # unchanged: nothing kept
    update_team(db, team, component=_component("v3"))
    db.commit()
    versions = list_versions(db, team.id)
    assert [(v.number, v.component["label"]) for v in versions] == [(2, "v2"), (1, "v1")]
    assert (versions[1].note, versions[1].label) == ("tweak", "Renamed")
    assert get_team(db, team.id).component == _component("v3")
    assert get_version(db, team.id, 1).component == _component("v1")
    assert get_version(db, team.id, 9) is None


def test_a_component_changed_in_place_still_keeps_the_stored_one(db: Session) -> None:
    team = create_team(db, component=_component("v1"), label="T")
    db.commit()
    edited = team.component
    edited["label"] = "v2"  # the caller mutated the loaded dict
    update_team(db, team, component=edited)
    db.commit()
    db.expire_all()
    assert get_version(db, team.id, 1).component == _component("v1")
    assert get_team(db, team.id).component == _component("v2")


def test_restore_keeps_the_current_component_as_a_version(db: Session) -> None:
    team = create_team(db, component=_component("v1"), label="T")
    update_team(db, team, component=_component("v2"))
    restore_version(db, team, 1)
    db.commit()
    assert team.component == _component("v1")
    assert [v.component["label"] for v in list_versions(db, team.id)] == ["v2", "v1"]
    assert list_versions(db, team.id)[0].note == "Before restoring version 1"
    with pytest.raises(LookupError):
        restore_version(db, team, 42)


def test_duplicate_copies_the_team_but_not_its_history(db: Session) -> None:
    team = create_team(db, component=_component("v1"), label="T", layout={"n": {"x": 1}})
    update_team(db, team, component=_component("v2"))
    copy_ = duplicate_team(db, team, label="T (copy)")
    db.commit()
    assert copy_.id != team.id
    assert (copy_.label, copy_.component, copy_.layout) == ("T (copy)", team.component, team.layout)
    assert list_versions(db, copy_.id) == []
    copy_.component["config"]["x"] = 1  # no shared dicts between the two
    assert "x" not in team.component["config"]


def test_stored_component_is_not_the_callers_dict(db: Session) -> None:
    component = _component("v1")
    team = create_team(db, component=component, label="T")
    component["label"] = "changed by caller"
    assert team.component == _component("v1")
    assert copy.deepcopy(team.component) == _component("v1")


def test_deleting_a_team_cascades_to_everything_under_it(db: Session) -> None:
    team = create_team(db, component=_component("v1"), label="T")
    other = create_team(db, component=_component("o"), label="Other")
    update_team(db, team, component=_component("v2"))
    conversation = create_conversation(db, team_id=team.id)
    run = create_run(db, conversation_id=conversation.id, task="go")
    add_event(db, run.id, 1, {"type": "TextMessage", "source": "user", "content": "go"})
    other_run = create_run(db, conversation_id=create_conversation(db, team_id=other.id).id, task="x")
    add_event(db, other_run.id, 1, {"type": "TextMessage", "source": "user", "content": "x"})
    db.commit()
    version_id, run_id = list_versions(db, team.id)[0].id, run.id

    delete_team(db, team)
    db.commit()

    assert get_team(db, team.id) is None
    assert db.get(TeamVersion, version_id) is None  # not a stale object from the session
    assert db.get(Run, run_id) is None
    counts = {m.__name__: db.exec(select(func.count()).select_from(m)).one() for m in
              (TeamVersion, Conversation, Run, RunEvent)}
    assert counts == {"TeamVersion": 0, "Conversation": 1, "Run": 1, "RunEvent": 1}
