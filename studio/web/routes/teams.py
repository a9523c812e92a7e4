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
from studio.services.errors import (
    InvalidTeamError,
    NotFoundError,
    PayloadTooLargeError,
    TeamImportError,
)
from studio.services.team_files import KEY_NOT_STORED, mask_secrets, redact_text
from studio.store.models import Team, TeamVersion

from ..deps import DbSession as Db
from ..templating import flash, is_htmx, render

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
async def import_submit(request: Request, db: Db) -> Response:
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
        result = service.import_teams(db, raw, max_bytes=limit)
    except PayloadTooLargeError as exc:
        problems, status = [Problem("", str(exc))], 413
    except TeamImportError as exc:
        problems = exc.problems
    else:
        flash(request, "Imported " + ", ".join(f"“{t.label}”" for t in result.teams) + ".", "success")
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
    team = team_or_404(db, team_id)
    body = service.pretty_json(service.export_team(team))
    filename = service.export_filename(team)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


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
           next: Annotated[str, Form()] = "/teams") -> Response:
    team = team_or_404(db, team_id)
    old = team.label
    try:
        team = service.rename_team(db, team, label=label)
    except InvalidTeamError as exc:
        context = {"team": team, "error": exc.message, "next": _local(next), "inline": is_htmx(request)}
        return render(request, "teams/rename.html", context, partial="teams/_rename.html",
                      status_code=200 if is_htmx(request) else 422)
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
def restore(request: Request, db: Db, team_id: int, number: int) -> Response:
    team = team_or_404(db, team_id)
    version_or_404(db, team, number)
    service.restore_version(db, team, number)
    flash(request, f"Restored version {number} of “{team.label}”; the previous state was kept as a version.",
          "success")
    return redirect(request, f"/teams/{team.id}")


def _local(url: str) -> str:
    """Only redirect within the studio."""
    return url if url.startswith("/") and not url.startswith("//") else "/teams"


__all__ = ["redirect", "router", "summary"]
