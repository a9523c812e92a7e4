"""The Teams page: list and search, new, import, export, rename, duplicate, delete; a team's versions.

Mutations are plain HTML forms that redirect (POST, redirect, GET), so everything works without
JavaScript; htmx only makes the search live and opens panels and inline forms in place.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile as StarletteUpload

from studio.components import Problem
from studio.services import teams as service
from studio.services import trust as trust_service
from studio.services.errors import (
    MAX_ROW_ID,
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    StaleTeamError,
    TeamImportError,
)
from studio.services.team_files import KEY_NOT_STORED, mask_secrets, redact_text
from studio.services.team_scripts import export_team_file
from studio.store.models import Team, TeamVersion

from ..deps import DbSession as Db
from ..deps import EngineDep, PostedForm
from ..downloads import download
from ..templating import flash, is_htmx, render
from ..threads import in_db

router = APIRouter(tags=["pages"], include_in_schema=False)


def redirect(request: Request, url: str) -> Response:
    """303 to `url`; for htmx, an `HX-Redirect` so the whole page (and its flash) loads."""
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def team_or_404(db: Session, team_id: int) -> Team:
    try:
        return service.get_team(db, team_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


def version_or_404(db: Session, team: Team, number: int) -> TeamVersion:
    try:
        return service.get_version(db, team, number)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


def summary(team: Team) -> dict[str, Any]:
    """What a row shows besides the label: team type, participant names."""
    config = team.component.get("config") or {}
    provider = str(team.component.get("provider", ""))
    names = [p.get("config", {}).get("name", "?") for p in config.get("participants", []) if isinstance(p, dict)]
    return {"kind": provider.rsplit(".", 1)[-1], "participants": names}


# --- the list --------------------------------------------------------------------------------


@router.get("/teams", name="teams")
def index(request: Request, db: Db, q: str = "") -> Response:
    teams = service.list_teams(db, search=q)
    context = {"teams": teams, "q": q, "summary": summary}
    return render(request, "teams/index.html", context, partial="teams/_list.html")


@router.get("/teams/new", name="new_team")
def new_form(request: Request) -> Response:
    return render(request, "teams/new.html", {}, partial="teams/_new.html")


@router.post("/teams", name="create_team")
def create(request: Request, db: Db, label: Annotated[str, Form()] = "") -> Response:
    try:
        team = service.create_empty_team(db, label=label)
    except InvalidTeamError as exc:
        return render(request, "teams/new.html", {"error": exc.message, "label": label}, status_code=422)
    flash(request, f"Created team “{team.label}”. Add agents to it here.", "success")
    return redirect(request, f"/builder/{team.id}")  # straight to where a new team gets built


# --- import and export -----------------------------------------------------------------------


@router.get("/teams/import", name="import_form")
def import_form(request: Request) -> Response:
    return render(request, "teams/import.html", {}, partial="teams/_import.html")


@router.post("/teams/import", name="import_teams")
async def import_submit(request: Request, engine: EngineDep) -> Response:
    """A file upload (`file`) or pasted JSON (`text`); parsed here so a paste may be as large as an upload."""
    limit = request.app.state.settings.max_body_bytes
    async with request.form(max_part_size=limit + 1) as form:
        upload, text = form.get("file"), form.get("text")
        text = text if isinstance(text, str) else ""
        raw: bytes | str = text
        if isinstance(upload, StarletteUpload) and upload.filename:
            raw = await upload.read(limit + 1)
    status = 422
    try:
        if not (raw.strip() if isinstance(raw, str) else raw):
            raise TeamImportError([Problem("", "choose a file or paste the team's JSON")])
        result = await in_db(engine, lambda db: service.import_teams(db, raw, max_bytes=limit))
    except PayloadTooLargeError as exc:
        problems, status = [Problem("", str(exc))], 413
    except TeamImportError as exc:
        problems = exc.problems
    else:
        flash(request, "Imported " + ", ".join(f"“{t.label}”" for t in result.teams) + ".", "success")
        opaque = [n for n in result.notices if n.unsupported]
        if opaque:
            listed = ", ".join(f"{n.path or 'the team'} ({n.message.split(' cannot run here')[0].rsplit('.', 1)[-1]})"
                               for n in opaque[:4]) + (f" and {len(opaque) - 4} more" if len(opaque) > 4 else "")
            flash(request, f"Kept as written, but {'these cannot' if len(opaque) > 1 else 'this cannot'} run here: "
                           f"{listed}. The Builder shows why, and edits them as JSON.", "warning")
        keys = [n.path for n in result.notices if n.message == KEY_NOT_STORED]
        if keys:
            flash(request, f"The file had API keys ({', '.join(keys)}); they were not stored. Keys are kept in "
                           "Settings and added when the team runs.", "warning")
        return redirect(request, "/teams")
    context = {"problems": problems, "problems_title": "Problems in the file",
               "text": redact_text(text) if len(text) <= limit else ""}
    return render(request, "teams/import.html", context, status_code=status)


@router.get("/teams/{team_id}/export", name="export_team")
def export(db: Db, team_id: int) -> Response:
    return download(export_team_file(team_or_404(db, team_id)))


# --- one team --------------------------------------------------------------------------------


@router.get("/teams/{team_id}", name="team")
def detail(request: Request, db: Db, team_id: int) -> Response:
    team = team_or_404(db, team_id)
    context = {"team": team, "versions": service.list_versions(db, team), "summary": summary(team),
               "component_json": service.pretty_json(service.export_team(team))}
    return render(request, "teams/detail.html", context)


@router.get("/teams/{team_id}/rename", name="rename_form")
def rename_form(request: Request, db: Db, team_id: int, next: str = "") -> Response:
    team = team_or_404(db, team_id)
    context = {"team": team, "next": _local(next) if next else "", "inline": is_htmx(request)}
    return render(request, "teams/rename.html", context, partial="teams/_rename.html")


@router.get("/teams/{team_id}/row", name="team_row")
def row(request: Request, db: Db, team_id: int) -> Response:
    team = team_or_404(db, team_id)
    return render(request, "teams/_row.html", {"team": team, "summary": summary})


@router.post("/teams/{team_id}/rename", name="rename_team")
def rename(request: Request, db: Db, team_id: int, label: Annotated[str, Form()] = "",
           next: Annotated[str, Form()] = "/teams", revision: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None) -> Response:
    team = team_or_404(db, team_id)
    old = team.label
    try:
        team = service.rename_team(db, team, label=label, base_revision=revision)
    except (InvalidTeamError, StaleTeamError) as exc:
        stale = isinstance(exc, StaleTeamError)
        if stale:
            db.rollback()
            team = team_or_404(db, team_id)  # the form now offers the saved name and revision
        context = {"team": team, "error": exc.message, "next": _local(next), "inline": is_htmx(request)}
        return render(request, "teams/rename.html", context, partial="teams/_rename.html",
                      status_code=409 if stale else 200 if is_htmx(request) else 422)
    flash(request, f"Renamed “{old}” to “{team.label}”.", "success")
    if is_htmx(request):
        return render(request, "teams/_row.html", {"team": team, "summary": summary}, partial="teams/_row.html")
    return redirect(request, _local(next))


@router.post("/teams/{team_id}/duplicate", name="duplicate_team")
def duplicate(request: Request, db: Db, team_id: int) -> Response:
    team = team_or_404(db, team_id)
    copy = service.duplicate_team(db, team)
    flash(request, f"Duplicated “{team.label}” as “{copy.label}”.", "success")
    return redirect(request, "/teams")


@router.get("/teams/{team_id}/delete", name="delete_form")
def delete_form(request: Request, db: Db, team_id: int) -> Response:
    team = team_or_404(db, team_id)
    return render(request, "confirm_delete.html", {
        "what": f"“{team.label}”", "action": f"/teams/{team.id}/delete", "back_url": "/teams", "back_label": "Teams",
        "consequence": "The team, its versions and its playground sessions are deleted. This cannot be undone.",
        "export_url": f"/teams/{team.id}/export", "export_label": "Export JSON",
    })


@router.post("/teams/{team_id}/delete", name="delete_team")
def delete(request: Request, db: Db, team_id: int) -> Response:
    team = team_or_404(db, team_id)
    service.delete_team(db, team)
    flash(request, f"Deleted team “{team.label}”.", "success")
    return redirect(request, "/teams")


# --- trusting what an imported team runs -----------------------------------------------------------


@router.get("/teams/{team_id}/trust", name="team_trust")
def trust_form(request: Request, db: Db, team_id: int, next: str = "") -> Response:
    """What the team runs that came by import and is not trusted yet, exactly as it will run, and `Trust this
    code`."""
    team = team_or_404(db, team_id)
    back = _local(next) if next else f"/teams/{team.id}"
    context = {"team": team, "executables": trust_service.blocked(db, team.component),
               "back": back, "back_label": "the Builder" if back.startswith("/builder/") else f"“{team.label}”"}
    return render(request, "teams/trust.html", context)


@router.post("/teams/{team_id}/trust", name="trust_team_code")
def trust(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """Trust what the review page showed (its digests): what changed since then stays blocked."""
    team = team_or_404(db, team_id)
    trusted = trust_service.trust_reviewed(db, team.component, [str(d) for d in form.getlist("digest")])
    left = len(trust_service.blocked(db, team.component))
    if trusted and not left:
        flash(request, f"You trusted the imported code of “{team.label}”: it can run.", "success")
    elif left:
        flash(request, "What the team runs changed since the page was shown: review it again.", "warning")
    return redirect(request, _local(str(form.get("next") or f"/teams/{team.id}")) if not left
                    else f"/teams/{team.id}/trust")


# --- versions --------------------------------------------------------------------------------


@router.get("/teams/{team_id}/versions/{number}", name="team_version")
def version(request: Request, db: Db, team_id: int, number: int) -> Response:
    team = team_or_404(db, team_id)
    kept = version_or_404(db, team, number)
    context = {"team": team, "version": kept, "mode": "view",
               "text": service.pretty_json(mask_secrets(kept.component))}
    return render(request, "teams/version.html", context, partial="teams/_version.html")


@router.get("/teams/{team_id}/versions/{number}/diff", name="team_version_diff")
def version_diff(request: Request, db: Db, team_id: int, number: int) -> Response:
    team = team_or_404(db, team_id)
    kept = version_or_404(db, team, number)
    diff = service.diff_versions(db, team, number)
    context = {"team": team, "version": kept, "mode": "diff", "text": diff}
    return render(request, "teams/version.html", context, partial="teams/_version.html")


@router.post("/teams/{team_id}/versions/{number}/restore", name="restore_version")
def restore(request: Request, db: Db, team_id: int, number: int,
            revision: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None) -> Response:
    team = team_or_404(db, team_id)
    version_or_404(db, team, number)
    try:
        service.restore_version(db, team, number, base_revision=revision)
    except StaleTeamError as exc:  # the team page shows what is saved now
        flash(request, exc.message, "error")
        return redirect(request, f"/teams/{team.id}")
    flash(request, f"Restored version {number} of “{team.label}”; the previous state was kept as a version.",
          "success")
    return redirect(request, f"/teams/{team.id}")


def _local(url: str) -> str:
    """Only redirect within the studio."""
    return url if url.startswith("/") and not url.startswith("//") else "/teams"


__all__ = ["redirect", "router", "summary"]
