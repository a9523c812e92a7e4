"""The builder's editing history per team: numbered snapshots with a cursor, so undo and redo survive
a reload. One row per snapshot: an edit reads and writes one snapshot, however long the history.
Functions flush but never commit."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import delete, true
from sqlmodel import Session, col, select

from .models import BuilderDraft, BuilderDraftStep, Team
from .types import utcnow

MAX_HISTORY = 200
"""Snapshots kept per team; the oldest go first."""


def get_draft(session: Session, team_id: int) -> BuilderDraft | None:
    return session.exec(select(BuilderDraft).where(BuilderDraft.team_id == team_id)).first()


def get_or_create_draft(session: Session, team: Team) -> BuilderDraft:
    """The team's draft; a new one starts from the team's component and layout, marked saved."""
    draft = get_draft(session, team.id)  # type: ignore[arg-type]
    if draft is None:
        draft = BuilderDraft(team_id=team.id, team_updated_at=team.updated_at,  # type: ignore[arg-type]
                             team_revision=team.revision)
        session.add(draft)
        session.flush()
        snapshot = {"component": copy.deepcopy(team.component), "layout": copy.deepcopy(team.layout or {})}
        session.add(BuilderDraftStep(draft_id=draft.id, position=0, snapshot=snapshot))  # type: ignore[arg-type]
        session.flush()
    return draft


def current(session: Session, draft: BuilderDraft) -> dict[str, Any]:
    """The snapshot at the cursor (a copy)."""
    step = session.exec(select(BuilderDraftStep).where(
        BuilderDraftStep.draft_id == draft.id, BuilderDraftStep.position == draft.position)).one()
    return copy.deepcopy(step.snapshot)


def history(session: Session, draft: BuilderDraft) -> list[dict[str, Any]]:
    """Every kept snapshot, oldest first (for tests and debugging: it reads them all)."""
    steps = session.exec(select(BuilderDraftStep).where(BuilderDraftStep.draft_id == draft.id)
                         .order_by(col(BuilderDraftStep.position)))
    return [copy.deepcopy(step.snapshot) for step in steps]


def push(session: Session, draft: BuilderDraft, snapshot: dict[str, Any], *, limit: int = MAX_HISTORY) -> BuilderDraft:
    """Make `snapshot` current: drop the redo tail, append, and keep at most `limit` snapshots."""
    _delete_steps(session, draft, col(BuilderDraftStep.position) > draft.position)
    draft.position = draft.last_position = draft.position + 1
    session.add(BuilderDraftStep(draft_id=draft.id, position=draft.position,  # type: ignore[arg-type]
                                 snapshot=copy.deepcopy(snapshot)))
    if draft.last_position - draft.first_position + 1 > limit:
        draft.first_position = draft.last_position - limit + 1
        _delete_steps(session, draft, col(BuilderDraftStep.position) < draft.first_position)
    if not draft.first_position <= draft.saved_position < draft.position:
        draft.saved_position = -1  # the saved snapshot was in the redo tail, or too old
    return _touch(session, draft)


def can_undo(draft: BuilderDraft) -> bool:
    return draft.position > draft.first_position


def can_redo(draft: BuilderDraft) -> bool:
    return draft.position < draft.last_position


def undo(session: Session, draft: BuilderDraft) -> bool:
    """Step back; False when there is nothing to undo."""
    if not can_undo(draft):
        return False
    draft.position -= 1
    _touch(session, draft)
    return True


def redo(session: Session, draft: BuilderDraft) -> bool:
    """Step forward again; False when there is nothing to redo."""
    if not can_redo(draft):
        return False
    draft.position += 1
    _touch(session, draft)
    return True


def mark_saved(session: Session, draft: BuilderDraft, team: Team | None = None) -> BuilderDraft:
    """Remember that the current snapshot is what the team now holds (`team`: as just saved)."""
    draft.saved_position = draft.position
    if team is not None:
        draft.team_updated_at, draft.team_revision = team.updated_at, team.revision
    return _touch(session, draft)


def changed_elsewhere(draft: BuilderDraft, team: Team) -> bool:
    """True when the team was changed outside this draft since it last matched it."""
    return draft.team_updated_at != team.updated_at


def follow_team(session: Session, draft: BuilderDraft, team: Team) -> bool:
    """If the team changed elsewhere and the draft has no unsaved changes, make the team's component
    and layout the current snapshot (undoable, like any step) and return True. A draft with unsaved
    changes is left alone: the caller decides (see `changed_elsewhere`)."""
    if not changed_elsewhere(draft, team) or not is_saved(draft):
        return False
    push(session, draft, {"component": copy.deepcopy(team.component), "layout": copy.deepcopy(team.layout or {})})
    mark_saved(session, draft, team)
    return True


def rebase(session: Session, draft: BuilderDraft, team: Team) -> BuilderDraft:
    """Keep the draft's content but treat the team's current version as its base: `changed_elsewhere`
    turns False, and no snapshot counts as saved any more (none holds what the team now holds)."""
    draft.team_updated_at, draft.team_revision = team.updated_at, team.revision
    draft.saved_position = -1
    return _touch(session, draft)


def is_saved(draft: BuilderDraft) -> bool:
    return draft.saved_position == draft.position


def discard(session: Session, draft: BuilderDraft) -> None:
    """Forget the history (the next `get_or_create_draft` starts again from the team)."""
    _delete_steps(session, draft, true())
    session.delete(draft)
    session.flush()


def _delete_steps(session: Session, draft: BuilderDraft, where: Any) -> None:
    session.flush()
    session.execute(delete(BuilderDraftStep).where(col(BuilderDraftStep.draft_id) == draft.id, where)
                    .execution_options(synchronize_session="fetch"))


def _touch(session: Session, draft: BuilderDraft) -> BuilderDraft:
    draft.updated_at = utcnow()
    session.add(draft)
    session.flush()
    return draft


__all__ = ["MAX_HISTORY", "can_redo", "can_undo", "changed_elsewhere", "current", "discard", "follow_team",
           "get_draft", "get_or_create_draft", "history", "is_saved", "mark_saved", "push", "rebase", "redo",
           "undo"]
