"""DraftEditor: history on the server (undo/redo survive a reload: a new database session), validation, saving."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from studio.builder import (
    ActionRefused,
    AddParticipant,
    DraftEditor,
    MoveNode,
    NodeId,
    Rename,
    SetField,
)
from studio.builder.draft import agent_names
from studio.services import teams as team_service
from studio.services.errors import InvalidTeamError, NotFoundError, StaleTeamError
from studio.store import session

from .conftest import agent, template


def make_team(engine: Engine) -> int:
    with session(engine) as db:
        team = team_service.import_team(db, template("builtin:team:round-robin"))
        return team.id


def test_undo_and_redo_survive_a_new_session(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        assert not builder.has_unsaved_changes and not builder.can_undo
        draft, problems = builder.apply(AddParticipant(component=agent("editor")))
        assert agent_names(draft.component) == ["writer", "critic", "editor"] and problems == []
        builder.apply(Rename(node="agent:editor", new_name="proof"))
        assert builder.has_unsaved_changes
    with session(engine) as db:  # a reload
        builder = DraftEditor.open(db, team_id)
        assert agent_names(builder.draft.component) == ["writer", "critic", "proof"]
        undone = builder.undo()
        assert undone is not None and agent_names(undone[0].component) == ["writer", "critic", "editor"]
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        assert agent_names(builder.draft.component) == ["writer", "critic", "editor"]
        assert builder.can_redo
        redone = builder.redo()
        assert redone is not None and agent_names(redone[0].component) == ["writer", "critic", "proof"]
        assert builder.redo() is None
        builder.undo(), builder.undo()
        assert builder.undo() is None and not builder.has_unsaved_changes


def test_apply_reports_problems_and_refusals_change_nothing(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        _, problems = builder.apply(SetField(node="team", path="config.max_turns", value=0))
        assert [p.path for p in problems] == ["config.max_turns"]
        position = builder.row.position
        with pytest.raises(ActionRefused):
            builder.apply(Rename(node="agent:writer", new_name="critic"))
        builder.apply(Rename(node="agent:writer", new_name="writer"))  # no change: no history entry
        assert builder.row.position == position


def test_save_makes_a_new_version_and_keeps_the_layout(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        builder.apply(SetField(node="agent:writer", path="config.system_message", value="Write well."))
        builder.apply(MoveNode(node="agent:writer", x=120, y=80))
        team = builder.save()
        assert not builder.has_unsaved_changes
        assert team.layout == {"nodes": {"agent:writer": {"x": 120, "y": 80}}}
    with session(engine) as db:
        team = team_service.get_team(db, team_id)
        assert team.component["config"]["participants"][0]["config"]["system_message"] == "Write well."
        assert [v.number for v in team_service.list_versions(db, team)] == [1]
        assert "layout" not in team.component and "nodes" not in str(team.component.keys())
        builder = DraftEditor.open(db, team_id)
        assert not builder.has_unsaved_changes and builder.can_undo
        builder.undo()
        assert builder.has_unsaved_changes


def test_an_invalid_draft_saves_nothing(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        builder.apply(SetField(node="team", path="config.max_turns", value=0))
        with pytest.raises(InvalidTeamError):
            builder.save()
        assert builder.has_unsaved_changes
        assert team_service.list_versions(db, builder.team) == []


def test_discard_starts_again_from_the_team(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        builder.apply(AddParticipant(component=agent("editor")))
        draft = builder.discard()
        assert agent_names(draft.component) == ["writer", "critic"] and not builder.can_undo


def test_open_a_missing_team(engine: Engine) -> None:
    with session(engine) as db, pytest.raises(NotFoundError):
        DraftEditor.open(db, 999)


def test_a_change_made_elsewhere_is_followed_when_nothing_is_unsaved(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        DraftEditor.open(db, team_id)  # the draft starts
        team = team_service.get_team(db, team_id)
        team_service.rename_team(db, team, label="Renamed on the Teams page")
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        assert builder.draft.component["label"] == "Renamed on the Teams page"
        assert not builder.has_unsaved_changes and not builder.changed_elsewhere
        assert builder.can_undo  # the outside change is a step like any other


def test_a_change_made_elsewhere_keeps_unsaved_work(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        DraftEditor.open(db, team_id).apply(AddParticipant(component=agent("editor")))
        team_service.rename_team(db, team_service.get_team(db, team_id), label="Elsewhere")
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        assert agent_names(builder.draft.component) == ["writer", "critic", "editor"]
        assert builder.changed_elsewhere and builder.has_unsaved_changes
        with pytest.raises(StaleTeamError):  # based on the revision before the rename: nothing written
            builder.save()
        assert team_service.get_team(db, team_id).label == "Elsewhere"
        builder.keep_draft()  # the user chose to keep it: now based on the saved revision
        builder.save()
        assert not builder.changed_elsewhere
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        assert not builder.changed_elsewhere and not builder.has_unsaved_changes


def test_duplicate_copies_the_draft_or_else_the_saved_team(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        builder.apply(AddParticipant(component=agent("editor")))
        copy, from_draft = builder.duplicate()
        assert from_draft and copy.id != team_id and copy.label.endswith(" (copy)")
        assert agent_names(copy.component) == ["writer", "critic", "editor"]
        builder.apply(SetField(node="team", path="config.max_turns", value=0))  # an error: not copied
        copy, from_draft = builder.duplicate()
        assert not from_draft and agent_names(copy.component) == ["writer", "critic"]
        assert builder.has_unsaved_changes  # the original draft goes on


def test_apply_form_sets_changed_fields_follows_a_rename_and_keeps_a_bad_form_out(engine: Engine) -> None:
    team_id = make_team(engine)
    with session(engine) as db:
        builder = DraftEditor.open(db, team_id)
        node, problems, applied = builder.apply_form(
            NodeId.agent("writer"), {"config.name": "author", "config.system_message": "You write."})
        assert (node, problems, applied) == (NodeId.agent("author"), [], True)
        assert agent_names(builder.draft.component) == ["author", "critic"]
        steps = builder.can_undo
        node, problems, applied = builder.apply_form(NodeId.agent("author"), {"config.max_tool_iterations": "lots"})
        assert node == NodeId.agent("author") and not applied
        assert [p.path for p in problems] == ["config.max_tool_iterations"]
        assert builder.can_undo == steps and agent_names(builder.draft.component) == ["author", "critic"]
        nobody = NodeId.agent("nobody")
        assert builder.apply_form(nobody, {"config.name": "x"}) == (nobody, [], False)
