"""Teams and their versions: every change of a team's component keeps the previous one.

Functions flush but never commit: the caller's `session(engine)` block decides.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.orm.attributes import flag_modified, set_committed_value
from sqlmodel import Session, col, select

from .db import forget_cascaded
from .models import Team, TeamVersion
from .types import id_of, utcnow

UNTITLED = "Untitled team"


def create_team(
    session: Session,
    *,
    component: dict[str, Any],
    label: str | None = None,
    description: str | None = None,
    layout: dict[str, Any] | None = None,
) -> Team:
    """Add a team; label and description default to the component's own."""
    team = Team(
        label=label if label is not None else str(component.get("label") or UNTITLED),
        description=description if description is not None else str(component.get("description") or ""),
        component=copy.deepcopy(component),
        layout=copy.deepcopy(layout or {}),
    )
    session.add(team)
    session.flush()
    return team


def get_team(session: Session, team_id: int) -> Team | None:
    return session.get(Team, team_id)


def list_teams(session: Session, *, search: str | None = None) -> list[Team]:
    """Teams, most recently updated first; `search` matches label or description, any case."""
    query = select(Team)
    if search and search.strip():
        needle = search.strip()
        query = query.where(
            or_(
                col(Team.label).icontains(needle, autoescape=True),
                col(Team.description).icontains(needle, autoescape=True),
            )
        )
    query = query.order_by(col(Team.updated_at).desc(), col(Team.id).desc())
    return list(session.exec(query))


def update_team(
    session: Session,
    team: Team,
    *,
    component: dict[str, Any] | None = None,
    label: str | None = None,
    description: str | None = None,
    layout: dict[str, Any] | None = None,
    note: str = "",
    base_revision: int | None = None,
) -> Team:
    """Change a team. A new component first keeps the stored one as the next `TeamVersion`.

    Every change counts one `revision`, claimed first with one conditional UPDATE: `base_revision` (the
    revision the change was based on) must still be current, else `RevisionConflict` and nothing is
    written. Concurrent writers queue on the team's row, so two saves never take the same version number.
    """
    _claim_revision(session, team, base_revision)
    if component is not None:
        stored = _stored_component(session, team)
        if component != stored:
            _keep_version(session, team, stored, note=note)
            team.component = copy.deepcopy(component)
            flag_modified(team, "component")  # the old value may be this dict, mutated in place
    if label is not None:
        team.label = label
    if description is not None:
        team.description = description
    if layout is not None:
        team.layout = copy.deepcopy(layout)
        flag_modified(team, "layout")
    team.updated_at = utcnow()
    session.add(team)
    session.flush()
    return team


class RevisionConflict(Exception):
    """A change based on `base` while the team is at `current` (None: the team was deleted)."""

    def __init__(self, team_id: int | None, base: int | None, current: int | None) -> None:
        self.team_id, self.base, self.current = team_id, base, current
        super().__init__(f"team {team_id} is at revision {current}, not {base}")


def _claim_revision(session: Session, team: Team, base: int | None) -> None:
    """Count one more revision of `team`, if it is still at `base` (any revision when None)."""
    query = update(Team).where(col(Team.id) == team.id)
    if base is not None:
        query = query.where(col(Team.revision) == base)
    query = query.values(revision=col(Team.revision) + 1).returning(col(Team.revision))
    claimed = session.execute(query.execution_options(synchronize_session=False)).first()
    if claimed is None:
        current = session.exec(select(Team.revision).where(Team.id == team.id)).first()
        raise RevisionConflict(team.id, base, current)
    set_committed_value(team, "revision", claimed[0])


def _stored_component(session: Session, team: Team) -> dict[str, Any]:
    """The component as saved, even if the caller changed `team.component` in place."""
    if team.id is None:
        return team.component
    session.flush()
    return dict(session.exec(select(Team.component).where(Team.id == team.id)).one())


def _keep_version(session: Session, team: Team, component: dict[str, Any], *, note: str) -> TeamVersion:
    last = session.exec(
        select(func.max(TeamVersion.number)).where(TeamVersion.team_id == team.id)
    ).one()
    version = TeamVersion(
        team_id=id_of(team), number=(last or 0) + 1, label=team.label, note=note, component=component
    )
    session.add(version)
    return version


def delete_team(session: Session, team: Team) -> None:
    """Delete a team; the database cascades to its versions, sessions, runs and events."""
    session.delete(team)
    session.flush()
    forget_cascaded(session)


def list_versions(session: Session, team_id: int) -> list[TeamVersion]:
    """A team's kept versions, newest first."""
    query = (
        select(TeamVersion)
        .where(TeamVersion.team_id == team_id)
        .order_by(col(TeamVersion.number).desc())
    )
    return list(session.exec(query))


def get_version(session: Session, team_id: int, number: int) -> TeamVersion | None:
    query = select(TeamVersion).where(TeamVersion.team_id == team_id, TeamVersion.number == number)
    return session.exec(query).first()


def restore_version(session: Session, team: Team, number: int, *, note: str = "",
                    base_revision: int | None = None) -> Team:
    """Make version `number` current again; the current component is kept as a version first."""
    assert team.id is not None
    version = get_version(session, team.id, number)
    if version is None:
        raise LookupError(f"team {team.id} has no version {number}")
    return update_team(
        session, team, component=version.component, note=note or f"Before restoring version {number}",
        base_revision=base_revision,
    )


def duplicate_team(session: Session, team: Team, *, label: str) -> Team:
    """A new team with the same component, description and layout (and no versions)."""
    return create_team(
        session,
        component=team.component,
        label=label,
        description=team.description,
        layout=team.layout,
    )


__all__ = [
    "RevisionConflict",
    "create_team",
    "delete_team",
    "duplicate_team",
    "get_team",
    "get_version",
    "list_teams",
    "list_versions",
    "restore_version",
    "update_team",
]
