"""Teams: import, export, create, rename, duplicate, delete, save, versions. Shared by the HTML pages
and the JSON API, so both behave the same; routes stay thin.

Every component written to the database goes through `team_files.canonical_component`: validated
first (nothing is saved from an invalid team), stored in AutoGen's canonical form, keys masked.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from studio import store
from studio.components import Problem, canonical_form, validate_component
from studio.http.names import slug
from studio.store.models import Team, TeamVersion
from studio.store.types import id_of

from . import credentials, trust
from .errors import (
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    StaleTeamError,
    TeamImportError,
    find_row,
)
from .team_files import (
    canonical_component,
    mask_secrets,
    parse_json,
    read_team_file,
    secret_notices,
)

DEFAULT_MODEL = "gpt-4o-mini"


@dataclass
class ImportResult:
    """The teams an import created, and the warnings worth showing (keys not stored, may never stop)."""

    teams: list[Team]
    notices: list[Problem] = field(default_factory=list)


def max_body_bytes() -> int:
    """The largest upload or body accepted (`STUDIO_MAX_BODY_BYTES`)."""
    from studio.settings import get_settings

    return get_settings().max_body_bytes


def validate(data: bytes | str | dict[str, Any]) -> list[Problem]:
    """Every problem of a team component (errors and warnings), each with its JSON path."""
    if isinstance(data, (bytes, bytearray, str)):
        try:
            data = parse_json(data)
        except TeamImportError as exc:
            return exc.problems
    return validate_component(data, kind="team")


def validate_team(session: Session, data: bytes | str | dict[str, Any]) -> list[Problem]:
    """Every reason a run of this team would be refused here: its problems as a file (`validate`), then its
    imported code that is not trusted yet (`trust.trust_problems`)."""
    if isinstance(data, (bytes, bytearray, str)):
        try:
            data = parse_json(data)
        except TeamImportError as exc:
            return exc.problems
    return validate(data) + trust.trust_problems(session, data)


def import_teams(session: Session, raw: bytes | str | dict[str, Any] | list[Any], *,
                 max_bytes: int | None = None, from_outside: bool = True) -> ImportResult:
    """Import every team in a file (see `team_files` for the shapes); all or nothing, except that teams with
    components the studio cannot run are kept (opaque nodes, named in the notices).

    What the teams execute is noted as imported (`trust.note_imported`): it runs once the user trusted it.
    `from_outside=False` is for what the user writes (`POST /api/teams` with a component, like a paste in the
    Builder's JSON view) and for copies of what is in the studio already (a gallery item: its code was noted
    when its gallery was imported, or it is the user's own).

    Raises `PayloadTooLargeError` over `max_bytes` (default: the settings' limit) and
    `TeamImportError` listing every problem, saving nothing, when any team is invalid.
    """
    documents = read_team_file(raw, max_bytes=max_body_bytes() if max_bytes is None else max_bytes)
    for doc in documents if from_outside else ():
        trust.note_imported(session, doc.component)
    teams = [store.create_team(session, component=doc.component, label=doc.label, description=doc.description)
             for doc in documents]
    return ImportResult(teams, [n for doc in documents for n in doc.notices])


def import_team(session: Session, raw: bytes | str | dict[str, Any] | list[Any], *,
                max_bytes: int | None = None, from_outside: bool = True) -> Team:
    """Import a team file and return its (first) team; a gallery file imports all of its teams."""
    return import_teams(session, raw, max_bytes=max_bytes, from_outside=from_outside).teams[0]


def export_team(team: Team) -> dict[str, Any]:
    """The team's component as it leaves the studio (`export_component`)."""
    return export_component(team.component)


def export_component(component: dict[str, Any]) -> dict[str, Any]:
    """A component as it leaves the studio, whichever way (a download, a script, the CLI, the gallery, a
    replay test): in canonical form (`studio.components.canonical_form`: every field AutoGen's loader
    requires filled in; what it cannot read kept as written), keys masked."""
    exported: dict[str, Any] = mask_secrets(canonical_form(component))
    return exported


def export_filename(team: Team) -> str:
    """`writer-and-critic.json`: the label as a file name."""
    return f"{slug(team.label, f'team-{team.id}')}.json"


def empty_team_component(label: str, model: str | None = None) -> dict[str, Any]:
    """A new team that is valid and runnable once a key is set: one assistant in a round robin.

    AutoGen refuses a group chat without participants, so "empty" means the smallest useful team:
    an `AssistantAgent` on an OpenAI client for the default model (its key is injected at run time),
    stopping when it says TERMINATE or after 10 messages.
    """
    return {
        "provider": "autogen_agentchat.teams.RoundRobinGroupChat",
        "component_type": "team", "version": 1, "component_version": 1,
        "label": label,
        "description": "A new team: add agents in the Builder.",
        "config": {
            "participants": [{
                "provider": "autogen_agentchat.agents.AssistantAgent",
                "component_type": "agent", "version": 2, "component_version": 2,
                "label": "Assistant",
                "config": {
                    "name": "assistant",
                    "description": "A helpful assistant.",
                    "system_message": "You are a helpful assistant. Reply TERMINATE when the task is done.",
                    "model_client": {
                        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
                        "component_type": "model", "version": 1, "component_version": 1,
                        "label": "OpenAI model",
                        "config": {"model": model or DEFAULT_MODEL},
                    },
                },
            }],
            "termination_condition": {
                "provider": "autogen_agentchat.base.OrTerminationCondition",
                "component_type": "termination", "version": 1, "component_version": 1,
                "label": "Done or 10 messages",
                "config": {"conditions": [
                    {"provider": "autogen_agentchat.conditions.TextMentionTermination",
                     "component_type": "termination", "version": 1, "component_version": 1,
                     "label": "TERMINATE mentioned", "config": {"text": "TERMINATE"}},
                    {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                     "component_type": "termination", "version": 1, "component_version": 1,
                     "label": "10 messages", "config": {"max_messages": 10}},
                ]},
            },
        },
    }


def create_empty_team(session: Session, *, label: str) -> Team:
    """A new team named `label` (see `empty_team_component`), on the default model from Settings."""
    label = _clean_label(label)
    model = credentials.load_credentials(session).default_model.value
    component = _canonical_or_raise(empty_team_component(label, model))
    return store.create_team(session, component=component, label=label, description=component.get("description", ""))


def get_team(session: Session, team_id: Any) -> Team:
    """The team, or `NotFoundError`."""
    return find_row(store.get_team, session, team_id, f"No team with id {team_id}.")


def list_teams(session: Session, *, search: str | None = None) -> list[Team]:
    """Teams, optionally those whose label or description contains `search`."""
    return list(store.list_teams(session, search=(search or "").strip() or None))


def rename_team(session: Session, team: Team, *, label: str, description: str | None = None,
                base_revision: int | None = None) -> Team:
    """A new label (and description), written into the component too so exports carry it."""
    label = _clean_label(label)
    component = copy.deepcopy(team.component)
    component["label"] = label
    if description is not None:
        component["description"] = description
    with _revision_checked(team):
        return store.update_team(session, team, component=component, label=label, description=description,
                                 note=f"Renamed to {label}", base_revision=base_revision)


def duplicate_team(session: Session, team: Team, *, label: str | None = None) -> Team:
    """A copy of the team (its current component and layout) under a new label."""
    label = _clean_label(label or f"{team.label} (copy)")
    copy_ = store.duplicate_team(session, team, label=label)
    if copy_.component.get("label") != label:
        component = copy.deepcopy(copy_.component)
        component["label"] = label
        copy_.component = component
        session.add(copy_)
        session.flush()
    return copy_


def delete_team(session: Session, team: Team) -> None:
    """Delete the team and its versions."""
    store.delete_team(session, team)


def save_team_component(session: Session, team: Team, component: dict[str, Any], *, note: str = "",
                        base_revision: int | None = None) -> Team:
    """Validate, then store a new component (the previous one becomes a version).

    Raises `InvalidTeamError` with every problem, saving nothing, when the component has errors, and
    `StaleTeamError` when the team is no longer at `base_revision` (see `store.update_team`). The
    team's label and description follow the component's.
    """
    canonical = _canonical_or_raise(component)
    label = (str(component.get("label") or team.label)).strip() or team.label
    canonical["label"] = label
    with _revision_checked(team):
        return store.update_team(session, team, component=canonical, label=label,
                                 description=component.get("description", team.description), note=note,
                                 base_revision=base_revision)


def save_layout(session: Session, team: Team, layout: dict[str, Any], *, base_revision: int | None = None) -> Team:
    """The builder's node positions; not versioned (they do not change what the team does)."""
    with _revision_checked(team):
        return store.update_team(session, team, layout=layout, base_revision=base_revision)


def list_versions(session: Session, team: Team) -> list[TeamVersion]:
    """The team's earlier components, newest first."""
    return sorted(store.list_versions(session, id_of(team)), key=lambda v: v.number, reverse=True)


def get_version(session: Session, team: Team, number: int) -> TeamVersion:
    """One earlier component, or `NotFoundError` (also for numbers no version can have)."""
    return find_row(lambda db, n: store.get_version(db, id_of(team), n), session, number,
                    f"Team {team.label!r} has no version {number}.")


def diff_versions(session: Session, team: Team, number: int) -> str:
    """A unified diff of version `number` against the current component, as pretty JSON."""
    version = get_version(session, team, number)
    before = pretty_json(mask_secrets(version.component)).splitlines(keepends=True)
    after = pretty_json(mask_secrets(team.component)).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"version {number}", "current"))


def restore_version(session: Session, team: Team, number: int, *, base_revision: int | None = None) -> Team:
    """Make version `number` current again (the current component is kept as a new version)."""
    get_version(session, team, number)
    with _revision_checked(team):
        return store.restore_version(session, team, number, base_revision=base_revision)


@contextmanager
def _revision_checked(team: Team) -> Iterator[None]:
    """A write of `team`: `StaleTeamError` (or `NotFoundError` once deleted) when it was based on an old revision."""
    try:
        yield
    except store.RevisionConflict as exc:
        if exc.current is None:
            raise NotFoundError(f"No team with id {team.id}: it was deleted.") from None
        raise StaleTeamError(team.label, exc.base, exc.current) from None


def pretty_json(data: Any) -> str:
    """JSON as shown and diffed: two-space indent, keys in document order, non-ASCII kept."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _canonical_or_raise(component: Any) -> dict[str, Any]:
    if not isinstance(component, dict):
        raise InvalidTeamError([Problem("", "expected a team component object ({provider, config})")])
    canonical, problems = canonical_component(component)
    if canonical is None:
        raise InvalidTeamError(problems)
    return canonical


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())[:200]
    if not label:
        raise InvalidTeamError([Problem("label", "a team needs a name")], "A team needs a name.")
    return label


__all__ = [
    "DEFAULT_MODEL",
    "ImportResult",
    "InvalidTeamError",
    "NotFoundError",
    "PayloadTooLargeError",
    "StaleTeamError",
    "TeamImportError",
    "create_empty_team",
    "delete_team",
    "diff_versions",
    "duplicate_team",
    "empty_team_component",
    "export_component",
    "export_filename",
    "export_team",
    "get_team",
    "get_version",
    "import_team",
    "import_teams",
    "list_teams",
    "list_versions",
    "max_body_bytes",
    "pretty_json",
    "rename_team",
    "restore_version",
    "save_layout",
    "save_team_component",
    "secret_notices",
    "validate",
    "validate_team",
]
