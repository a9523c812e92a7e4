"""The teams JSON API: CRUD, duplicate, versions, import, export and validate. Same service as the pages.

Errors are `{"detail": ...}`; an invalid component answers 422 with
`{"detail": {"message": ..., "problems": [{"path", "message", "severity"}, ...]}}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field

from studio.components import UNTRUSTED, Problem
from studio.services import teams as service
from studio.services import trust
from studio.services.errors import (
    MAX_ROW_ID,
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    StaleTeamError,
)
from studio.services.team_scripts import export_team_file
from studio.store.models import Team, TeamPublic, TeamVersionPublic
from studio.store.types import id_of

from ..deps import DbSession, EngineDep
from ..downloads import download
from ..file_upload import FILE_OR_JSON_BODY, file_or_body
from ..threads import in_db

router = APIRouter(prefix="/api", tags=["teams"])


class ProblemOut(BaseModel):
    """One problem of a component, at its JSON path (`""` is the whole document)."""

    path: str
    message: str
    severity: str
    kind: str = Field(default="", description='"unsupported": a component kept as written that cannot run here '
                      '(an opaque node; imports keep it); "untrusted": imported tool code not trusted yet.')
    action: str | None = Field(default=None, description="The page where the problem is resolved, if any "
                               "(an untrusted tool's review page).")

    @classmethod
    def of(cls, problem: Problem, team_id: int | None = None) -> ProblemOut:
        action = trust.review_url(team_id) if problem.kind == UNTRUSTED and team_id is not None else None
        return cls(path=problem.path, message=problem.message, severity=problem.severity, kind=problem.kind,
                   action=action)


class TeamSummary(BaseModel):
    """A team in a list: no component."""

    id: int
    label: str
    description: str
    provider: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, team: Team) -> TeamSummary:
        return cls(id=id_of(team), label=team.label, description=team.description,
                   provider=str(team.component.get("provider", "")),
                   created_at=team.created_at, updated_at=team.updated_at)


class TeamCreate(BaseModel):
    """A new team: from a component, or (without one) the starter team named `label`."""

    label: str | None = Field(default=None, description="Defaults to the component's label.")
    description: str | None = None
    component: dict[str, Any] | None = Field(default=None, description="An AutoGen team component.")


class TeamPatch(BaseModel):
    """Fields to change; a new component is validated first and keeps the previous one as a version."""

    label: str | None = None
    description: str | None = None
    component: dict[str, Any] | None = None
    layout: dict[str, Any] | None = None
    note: str = ""
    revision: int | None = Field(default=None, ge=1, le=MAX_ROW_ID, description=(
        "The team's `revision` this change is based on (or send it as `If-Match`): when the team has been "
        "changed since, nothing is written and the answer is a 409 with the current revision. Without it "
        "the change applies to whatever is saved."))


class DuplicateRequest(BaseModel):
    label: str | None = Field(default=None, description="Defaults to “<label> (copy)”.")


class ValidationResult(BaseModel):
    valid: bool
    problems: list[ProblemOut]


class ImportResult(BaseModel):
    """The teams created, and warnings (a key in the file that was not stored, a team that may not stop)."""

    teams: list[TeamPublic]
    notices: list[ProblemOut]


class DiffOut(BaseModel):
    number: int
    diff: str = Field(description="Unified diff of the version against the current component, as pretty JSON.")


def _invalid(exc: InvalidTeamError) -> HTTPException:
    problems = [ProblemOut.of(p).model_dump() for p in exc.problems]
    return HTTPException(exc.status_code, {"message": exc.message, "problems": problems})


def _team(db: DbSession, team_id: int) -> Team:
    try:
        return service.get_team(db, team_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


def _public(team: Team, response: Response | None = None) -> TeamPublic:
    """The team as answered; `response` gets its revision as the `ETag` (for `If-Match`)."""
    if response is not None:
        response.headers["ETag"] = etag(team.revision)
    return TeamPublic.model_validate(team, from_attributes=True)


def etag(revision: int) -> str:
    return f'"{revision}"'


IfMatch = Annotated[str | None, Header(description="The team's `ETag` (its revision) the change is based on.")]


def _base_revision(if_match: str | None, revision: int | None) -> int | None:
    """The revision a change is based on: `If-Match` (`"3"`, or `3`) or else the body's `revision`."""
    if if_match is None or if_match.strip() == "*":
        return revision
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not (tag.isascii() and tag.isdigit()) or not 0 < int(tag[:12]) <= MAX_ROW_ID:
        raise HTTPException(412, f"If-Match: expected the team's ETag (its revision, as in \"3\"), not {if_match!r}.")
    return int(tag)


def _stale(exc: StaleTeamError) -> HTTPException:
    """409: nothing written; the current revision in the body and as the `ETag`."""
    return HTTPException(409, {"message": exc.message, "revision": exc.current}, headers={"ETag": etag(exc.current)})


@router.get("/teams", response_model=list[TeamSummary], summary="List teams")
def list_teams(db: DbSession, search: str | None = None) -> list[TeamSummary]:
    return [TeamSummary.of(t) for t in service.list_teams(db, search=search)]


@router.post("/teams", response_model=TeamPublic, status_code=201, summary="Create a team")
def create_team(db: DbSession, body: TeamCreate) -> TeamPublic:
    try:
        if body.component is None:
            team = service.create_empty_team(db, label=body.label or "")
        elif "provider" not in body.component:
            raise InvalidTeamError([Problem("component", "expected a team component {provider, config}; send "
                                                         "AutoGen Studio exports and gallery files to /api/teams/import")])
        else:
            component = body.component | ({"label": body.label} if body.label else {})
            component |= {"description": body.description} if body.description is not None else {}
            team = service.import_team(db, component, from_outside=False)  # written by the user, as in the Builder
    except InvalidTeamError as exc:
        raise _invalid(exc) from None
    return _public(team)


@router.post("/teams/import", response_model=ImportResult, status_code=201, summary="Import a team file",
             openapi_extra=FILE_OR_JSON_BODY)
async def import_teams(request: Request, engine: EngineDep) -> ImportResult:
    """An AutoGen team, an AutoGen Studio team export or gallery file (every team in it): a JSON body,
    or a multipart upload in the field `file`. All or nothing; 422 lists every problem."""
    limit = request.app.state.settings.max_body_bytes
    raw = await file_or_body(request, limit, "team file")
    try:
        result = await in_db(engine, lambda db: service.import_teams(db, raw, max_bytes=limit))
    except PayloadTooLargeError as exc:
        raise HTTPException(413, str(exc)) from None
    except InvalidTeamError as exc:
        raise _invalid(exc) from None
    return ImportResult(teams=[_public(t) for t in result.teams],
                        notices=[ProblemOut.of(p) for p in result.notices])


@router.post("/validate", response_model=ValidationResult, summary="Validate a team component")
async def validate(request: Request, engine: EngineDep) -> ValidationResult:
    """Every problem of a team component (errors and warnings), each with its JSON path: everything a run or
    an import would refuse (an import keeps components that cannot run here, `kind: "unsupported"`)."""
    return _result(await in_db(engine, service.validate_team, await request.body()))


@router.get("/teams/{team_id}/validate", response_model=ValidationResult, summary="Validate a saved team")
def validate_saved(db: DbSession, team_id: int) -> ValidationResult:
    """What a run of the saved team would refuse, each at its JSON path; untrusted tool code comes with
    `action`, the page that shows it and trusts it."""
    team = _team(db, team_id)
    return _result(service.validate_team(db, team.component), team.id)


def _result(problems: list[Problem], team_id: int | None = None) -> ValidationResult:
    return ValidationResult(valid=not any(p.severity == "error" for p in problems),
                            problems=[ProblemOut.of(p, team_id) for p in problems])


@router.get("/teams/{team_id}", response_model=TeamPublic, summary="Get a team")
def get_team(db: DbSession, team_id: int, response: Response) -> TeamPublic:
    return _public(_team(db, team_id), response)


@router.patch("/teams/{team_id}", response_model=TeamPublic, summary="Change a team",
              responses={409: {"description": "The team was changed since `revision` (or `If-Match`)."}})
def update_team(db: DbSession, team_id: int, body: TeamPatch, response: Response,
                if_match: IfMatch = None) -> TeamPublic:
    team = _team(db, team_id)
    base = _base_revision(if_match, body.revision)
    try:
        if body.component is not None:
            component = body.component | ({"label": body.label} if body.label else {})
            component |= {"description": body.description} if body.description is not None else {}
            team = service.save_team_component(db, team, component, note=body.note, base_revision=base)
            base = None if base is None else team.revision
        elif body.label is not None or body.description is not None:
            team = service.rename_team(db, team, label=body.label or team.label, description=body.description,
                                       base_revision=base)
            base = None if base is None else team.revision
        if body.layout is not None:
            team = service.save_layout(db, team, body.layout, base_revision=base)
    except InvalidTeamError as exc:
        raise _invalid(exc) from None
    except StaleTeamError as exc:
        raise _stale(exc) from None
    return _public(team, response)


@router.delete("/teams/{team_id}", status_code=204, summary="Delete a team")
def delete_team(db: DbSession, team_id: int) -> Response:
    service.delete_team(db, _team(db, team_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/teams/{team_id}/duplicate", response_model=TeamPublic, status_code=201, summary="Duplicate a team")
def duplicate_team(db: DbSession, team_id: int, body: DuplicateRequest | None = None) -> TeamPublic:
    try:
        copy = service.duplicate_team(db, _team(db, team_id), label=body.label if body else None)
    except InvalidTeamError as exc:
        raise _invalid(exc) from None
    return _public(copy)


@router.get("/teams/{team_id}/export", summary="Export a team as AutoGen JSON")
def export_team(db: DbSession, team_id: int) -> Response:
    """The canonical AutoGen component (keys masked), as a download."""
    return download(export_team_file(_team(db, team_id)))


@router.get("/teams/{team_id}/versions", response_model=list[TeamVersionPublic], summary="List a team's versions")
def list_versions(db: DbSession, team_id: int) -> list[TeamVersionPublic]:
    return [TeamVersionPublic.model_validate(v, from_attributes=True)
            for v in service.list_versions(db, _team(db, team_id))]


@router.get("/teams/{team_id}/versions/{number}", response_model=TeamVersionPublic, summary="Get a version")
def get_version(db: DbSession, team_id: int, number: int) -> TeamVersionPublic:
    version = service.get_version(db, _team(db, team_id), number)
    return TeamVersionPublic.model_validate(version, from_attributes=True)


@router.get("/teams/{team_id}/versions/{number}/diff", response_model=DiffOut, summary="Diff a version")
def diff_version(db: DbSession, team_id: int, number: int) -> DiffOut:
    return DiffOut(number=number, diff=service.diff_versions(db, _team(db, team_id), number))


@router.post("/teams/{team_id}/versions/{number}/restore", response_model=TeamPublic, summary="Restore a version",
             responses={409: {"description": "The team was changed since `revision` (or `If-Match`)."}})
def restore_version(db: DbSession, team_id: int, number: int, response: Response,
                    revision: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
                    if_match: IfMatch = None) -> TeamPublic:
    """`revision` (or `If-Match`): the team's revision the restore is based on, as for PATCH."""
    try:
        team = service.restore_version(db, _team(db, team_id), number,
                                       base_revision=_base_revision(if_match, revision))
    except StaleTeamError as exc:
        raise _stale(exc) from None
    return _public(team, response)


__all__ = ["router"]
