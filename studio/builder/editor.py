"""`DraftEditor`: the team being edited in the builder, its history on the server (undo and redo
survive a reload), validation after every change, and saving as a new team version.

    builder = DraftEditor.open(db, team_id)
    draft, problems = builder.apply(AddParticipant(component=assistant("writer")))
    builder.undo(); builder.redo()
    builder.save()        # a new team version; the layout is stored on the team
    builder.duplicate()   # a new team from the draft
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from studio.components import Problem, validate_component
from studio.services import teams as team_service
from studio.services.errors import InvalidTeamError
from studio.store import drafts
from studio.store.models import BuilderDraft, Team

from .actions import Action, ReplaceComponent, SetField
from .draft import Draft, agent_names, component_at
from .forms import parse_edge_form, parse_form
from .node_id import NodeId
from .opaque import EditOpaque, check_kept, opaque_problems


class DraftEditor:
    """One team's draft and history; every method flushes (the caller's session block commits)."""

    def __init__(self, db: Session, team: Team, row: BuilderDraft) -> None:
        self.db, self.team, self.row = db, team, row
        self._draft = Draft.from_snapshot(drafts.current(db, row))

    @classmethod
    def open(cls, db: Session, team_id: int) -> DraftEditor:
        """Resume the team's draft (or start one from its current component and layout).

        When the team was changed elsewhere (an import, a restored version) and the draft has no
        unsaved changes, the team's current component becomes the draft's next step; with unsaved
        changes the draft is kept and `changed_elsewhere` is True. Raises
        `studio.services.errors.NotFoundError` when there is no such team.
        """
        team = team_service.get_team(db, team_id)
        row = drafts.get_or_create_draft(db, team)
        drafts.follow_team(db, row, team)
        return cls(db, team, row)

    @property
    def draft(self) -> Draft:
        return self._draft

    def problems(self) -> list[Problem]:
        """Every problem of the current component (errors and warnings), each with its JSON path, untrusted
        tool code included: what a run would refuse."""
        return team_service.validate_team(self.db, self._draft.component)

    def apply(self, action: Action) -> tuple[Draft, list[Problem]]:
        """Apply an action (raises `ActionRefused`, changing nothing); the result joins the history. Only the
        JSON editors (`EditOpaque`, `ReplaceComponent`) may change an opaque node: another action that would
        is refused.

        An action that changes nothing (e.g. a rename to the same name) adds no history entry.
        """
        before = self._draft.component
        opaque = opaque_problems(validate_component(before, kind="team"))
        new = action.apply(self._draft)
        if opaque and not isinstance(action, (ReplaceComponent, EditOpaque)):
            check_kept(before, opaque, new.component)
        if (new.component, new.layout) != (self._draft.component, self._draft.layout):
            drafts.push(self.db, self.row, new.snapshot())
        self._draft = new
        return new, self.problems()

    def apply_form(self, node: NodeId, submitted: Mapping[str, Any]) -> tuple[NodeId, list[Problem], bool]:
        """The properties form of `node` as submitted: one `SetField` per changed field (raises `ActionRefused`
        like any action). Returns the node (renamed if its name changed), the form's problems, and whether it
        was applied: a form with errors that changes nothing is not."""
        current = component_at(self._draft.component, node)
        if current is None:
            return node, [], False
        if node.kind == "edge":
            new, problems = parse_edge_form(current, submitted, agent_names(self._draft.component))
            keys = sorted(set(new) | set(current))
        else:
            new, problems = parse_form(current, submitted)
            keys = ["label", "description", *(f"config.{k}" for k in sorted(
                set(new.get("config") or {}) | set(current.get("config") or {})))]
        if any(p.severity == "error" for p in problems) and new == current:
            return node, problems, False
        for key in keys:
            if _get(current, key) != _get(new, key):
                self.apply(SetField(node=node, path=key, value=_get(new, key)))
                if key == "config.name":
                    node = node.renamed(str(_get(new, key)))
        return node, problems, True

    def undo(self) -> tuple[Draft, list[Problem]] | None:
        """Step back in the history; None when there is nothing to undo."""
        return self._step(drafts.undo)

    def redo(self) -> tuple[Draft, list[Problem]] | None:
        """Step forward again; None when there is nothing to redo."""
        return self._step(drafts.redo)

    def _step(self, move: Any) -> tuple[Draft, list[Problem]] | None:
        if not move(self.db, self.row):
            return None
        self._draft = Draft.from_snapshot(drafts.current(self.db, self.row))
        return self._draft, self.problems()

    @property
    def can_undo(self) -> bool:
        return drafts.can_undo(self.row)

    @property
    def can_redo(self) -> bool:
        return drafts.can_redo(self.row)

    @property
    def has_unsaved_changes(self) -> bool:
        return not drafts.is_saved(self.row)

    @property
    def base_revision(self) -> int:
        """The team revision the draft is based on (0, matching none, for a draft from before revisions
        were kept that no longer matched its team)."""
        return self.row.team_revision if self.row.team_revision is not None else 0

    @property
    def changed_elsewhere(self) -> bool:
        """The team was changed outside the builder while this draft had unsaved changes."""
        return drafts.changed_elsewhere(self.row, self.team)

    def save(self, *, note: str = "Saved in the builder") -> Team:
        """Store the component as the team's new version and the layout on the team.

        Raises `studio.services.errors.InvalidTeamError` (listing every problem; nothing saved)
        when the component has errors, and `StaleTeamError` (nothing saved) when the team was saved
        elsewhere since the draft's base revision (another tab, the API, a restore): the user then keeps
        the draft (`keep_draft`, which rebases it) or loads the saved team (`discard`).
        """
        base = self.base_revision
        team = team_service.save_team_component(self.db, self.team, self._draft.component, note=note,
                                                base_revision=base)
        team = team_service.save_layout(self.db, team, self._draft.layout, base_revision=team.revision)
        drafts.mark_saved(self.db, self.row, team)
        self.team = team
        return team

    def duplicate(self) -> tuple[Team, bool]:
        """A new team, "<label> (copy)", made from the draft with its layout; `(copy, True)`. When the draft
        has unsaved changes with errors the copy has the last saved version instead: `(copy, False)`."""
        label = str(self._draft.component.get("label") or self.team.label)
        copy = team_service.duplicate_team(self.db, self.team, label=f"{label} (copy)")
        if not self.has_unsaved_changes:
            return copy, True
        component = {**self._draft.component, "label": copy.label}
        try:
            saved = team_service.save_team_component(self.db, copy, component, note="Copied from the builder")
        except InvalidTeamError:
            return copy, False
        return team_service.save_layout(self.db, saved, self._draft.layout), True

    def keep_draft(self) -> None:
        """Acknowledge a change made elsewhere: the draft stays as it is, based on the team's current
        version (no-op when nothing changed elsewhere)."""
        if self.changed_elsewhere:
            drafts.rebase(self.db, self.row, self.team)

    def discard(self) -> Draft:
        """Drop the history and start again from the team as last saved."""
        drafts.discard(self.db, self.row)
        self.row = drafts.get_or_create_draft(self.db, self.team)
        self._draft = Draft.from_snapshot(drafts.current(self.db, self.row))
        return self._draft


def _get(component: Mapping[str, Any], key: str) -> Any:
    """`label` / `description` of the envelope, or `config.<name>`."""
    if key.startswith("config."):
        return (component.get("config") or {}).get(key.removeprefix("config."))
    return component.get(key)


__all__ = ["DraftEditor"]
