"""The builder's history: push drops the redo tail and is capped; undo, redo, saved marks; cascades."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from studio.store import BuilderDraftStep, create_team, delete_team, drafts, session


def snap(n: int) -> dict:
    return {"component": {"label": f"v{n}", "config": {"z": 1, "a": 2}}, "layout": {"nodes": {}}}


def test_a_new_draft_starts_from_the_team_and_is_saved(db: Session) -> None:
    team = create_team(db, component={"label": "T"}, layout={"nodes": {"team": {"x": 1, "y": 2}}})
    draft = drafts.get_or_create_draft(db, team)
    assert drafts.history(db, draft) == [{"component": {"label": "T"}, "layout": {"nodes": {"team": {"x": 1, "y": 2}}}}]
    assert (draft.position, draft.saved_position) == (0, 0) and drafts.is_saved(draft)
    assert drafts.get_or_create_draft(db, team) is draft
    assert not drafts.can_undo(draft) and not drafts.can_redo(draft)


def test_push_undo_redo_and_the_redo_tail(engine: Engine) -> None:
    with session(engine) as db:
        team = create_team(db, component={"label": "T"})
        draft = drafts.get_or_create_draft(db, team)
        drafts.push(db, draft, snap(1))
        drafts.push(db, draft, snap(2))
        team_id = team.id
    with session(engine) as db:  # survives a new session
        draft = drafts.get_draft(db, team_id)
        assert draft is not None and draft.position == 2 and not drafts.is_saved(draft)
        assert drafts.current(db, draft) == snap(2)
        assert list(drafts.current(db, draft)["component"]["config"]) == ["z", "a"]  # key order kept
        assert drafts.undo(db, draft) and drafts.undo(db, draft)
        assert not drafts.undo(db, draft)
        assert drafts.current(db, draft)["component"] == {"label": "T"} and drafts.is_saved(draft)
        assert drafts.redo(db, draft)
    with session(engine) as db:
        draft = drafts.get_draft(db, team_id)
        assert draft is not None and draft.position == 1
        drafts.push(db, draft, snap(3))  # v2 is gone
        assert [s["component"].get("label") for s in drafts.history(db, draft)] == ["T", "v1", "v3"]
        assert not drafts.redo(db, draft)


def test_saved_position_follows_and_is_lost_with_the_tail(db: Session) -> None:
    team = create_team(db, component={"label": "T"})
    draft = drafts.get_or_create_draft(db, team)
    drafts.push(db, draft, snap(1))
    drafts.mark_saved(db, draft)
    assert drafts.is_saved(draft) and draft.saved_position == 1
    drafts.undo(db, draft)
    assert not drafts.is_saved(draft)
    drafts.push(db, draft, snap(2))  # the saved snapshot was in the redo tail
    assert draft.saved_position == -1
    drafts.undo(db, draft)
    assert not drafts.is_saved(draft)


def test_history_is_capped(db: Session) -> None:
    team = create_team(db, component={"label": "T"})
    draft = drafts.get_or_create_draft(db, team)
    for n in range(1, 8):
        drafts.push(db, draft, snap(n), limit=5)
    assert [s["component"]["label"] for s in drafts.history(db, draft)] == ["v3", "v4", "v5", "v6", "v7"]
    assert (draft.first_position, draft.position) == (3, 7) and draft.saved_position == -1
    assert drafts.undo(db, draft) and drafts.undo(db, draft) and drafts.undo(db, draft) and drafts.undo(db, draft)
    assert not drafts.undo(db, draft) and drafts.current(db, draft)["component"]["label"] == "v3"


def test_deleting_the_team_deletes_its_draft(db: Session) -> None:
    team = create_team(db, component={"label": "T"})
    drafts.get_or_create_draft(db, team)
    team_id = team.id
    delete_team(db, team)
    db.commit()
    assert drafts.get_draft(db, team_id) is None
    assert db.exec(select(func.count()).select_from(BuilderDraftStep)).one() == 0


def test_discard(db: Session) -> None:
    team = create_team(db, component={"label": "T"})
    draft = drafts.get_or_create_draft(db, team)
    drafts.push(db, draft, snap(1))
    drafts.discard(db, draft)
    assert drafts.get_draft(db, team.id) is None
    assert db.exec(select(func.count()).select_from(BuilderDraftStep)).one() == 0
