"""The Gallery page: cards of ready-made teams and components, filtered by gallery, team type, tag and
search; a read-only preview; `Use template`, `Try demo`; import, export and delete galleries; trust
what an imported item runs; `Add to gallery` from the builder.

The list answers htmx with only the cards partial; every action is a plain form that redirects
(POST, redirect, GET), so the page works without JavaScript. Domain work is `studio.services.galleries`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from studio.builder import TEAM, NodeId
from studio.builder.draft import component_at
from studio.components import Problem
from studio.http.names import slug
from studio.playground import RunRefused
from studio.services import galleries, trust
from studio.services import teams as team_service
from studio.services.errors import InvalidTeamError, NotFoundError, ServiceError
from studio.store.models import GalleryTemplate
from studio.store.types import id_of

from .. import gallery_view as view
from ..deps import DbSession as Db
from ..deps import EngineDep, PostedForm, RunsDep
from ..templating import flash, render
from ..threads import in_db
from .teams import redirect

router = APIRouter(include_in_schema=False)

ITEM_KINDS = ("team", "agent", "model", "tool", "termination", "workbench")


def item_or_404(db: Session, item_id: int) -> GalleryTemplate:
    try:
        return galleries.get_item(db, item_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


# --- the list ---------------------------------------------------------------------------------


@router.get("/gallery", name="gallery")
def index(request: Request, db: Db, gallery: int | None = None, kind: str = "team", team_type: str = "",
          tag: str = "", q: str = "") -> Response:
    """The cards (of one gallery, or all), filtered; htmx gets only the cards partial."""
    kind = kind if kind in ITEM_KINDS or kind == "all" else "team"
    chosen = galleries.list_galleries(db)
    current = next((g for g in chosen if g.id == gallery), None)
    in_gallery = galleries.gallery_items(db, gallery_id=current.id if current else None)
    items = galleries.gallery_items(
        db, gallery_id=current.id if current else None, component_type=None if kind == "all" else kind,
        team_type=team_type or None, tag=tag or None, q=q or None)
    cards = [view.card(item, needs_trust=bool(trust.blocked(db, item.component))) for item in items]
    context = {"galleries": chosen, "current": current, "cards": cards, "choices": view.filter_choices(in_gallery),
               "kind": kind, "kinds": ITEM_KINDS, "team_type": team_type, "tag": tag, "q": q}
    return render(request, "gallery/index.html", context, partial="gallery/_cards.html")


# --- one item ---------------------------------------------------------------------------------


@router.get("/gallery/items/{item_id}", name="gallery_item")
def item_page(request: Request, db: Db, item_id: int) -> Response:
    """The preview: the team's graph, read-only, its JSON, and what it runs that is not trusted yet, if any."""
    item = item_or_404(db, item_id)
    blocked = trust.blocked(db, item.component)
    context = {"item": item, "card": view.card(item, needs_trust=bool(blocked)), "executables": blocked,
               **view.preview(item)}
    return render(request, "gallery/item.html", context)


@router.post("/gallery/items/{item_id}/use", name="gallery_use")
def use(request: Request, db: Db, item_id: int) -> Response:
    """`Use template`: a new team copied from the item, opened in the builder."""
    item = item_or_404(db, item_id)
    try:
        team = galleries.use_template(db, item.id)
    except ServiceError as exc:
        flash(request, str(exc), "error")
        return redirect(request, f"/gallery/items/{item_id}")
    flash(request, f"Created “{team.label}” from the gallery.", "success")
    return redirect(request, f"/builder/{team.id}")


@router.post("/gallery/items/{item_id}/demo", name="gallery_demo")
async def try_demo(request: Request, engine: EngineDep, runs: RunsDep, item_id: int) -> Response:
    """`Try demo`: the template's demo team (made once, reused while unchanged), a new playground session
    for it, and a run on the demo's scripted replies (no model called, no key needed); then the session
    page, where the trace streams."""
    try:
        conversation, demo = await in_db(engine, galleries.demo_conversation, item_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except ServiceError as exc:
        flash(request, str(exc), "error")
        return redirect(request, f"/gallery/items/{item_id}")
    try:
        run_id = await runs.start(id_of(conversation), str(demo.get("task") or ""), recording=demo)
    except RunRefused as exc:
        flash(request, exc.message, "error")
        return redirect(request, f"/playground/sessions/{conversation.id}")
    return redirect(request, f"/playground/sessions/{conversation.id}#run-{run_id}")


@router.post("/gallery/items/{item_id}/trust", name="gallery_trust")
def trust_item(request: Request, db: Db, item_id: int, form: PostedForm) -> Response:
    """`Trust this code`: what the item's page showed (its digests) may run, in this item and teams made from it."""
    item = galleries.trust_item(db, item_or_404(db, item_id).id, [str(d) for d in form.getlist("digest")])
    if item.trusted:
        flash(request, f"You trusted the imported code of “{item.label}”: teams using it can run.", "success")
    else:
        flash(request, "What the item runs changed since the page was shown: review it again.", "warning")
    return redirect(request, f"/gallery/items/{item_id}")


# --- galleries --------------------------------------------------------------------------------


@router.post("/gallery/import", name="gallery_import")
async def import_submit(request: Request, engine: EngineDep) -> Response:
    """A gallery file (`file`), pasted JSON (`text`) or a URL the server fetches (`url`); all or nothing."""
    limit = request.app.state.settings.max_body_bytes
    async with request.form(max_part_size=limit + 1) as form:
        upload, text, url = form.get("file"), form.get("text"), form.get("url")
        text = text.strip() if isinstance(text, str) else ""
        url = url.strip() if isinstance(url, str) else ""
        raw: bytes | str = text
        source = "pasted JSON"
        if isinstance(upload, UploadFile) and upload.filename:
            raw, source = await upload.read(limit + 1), upload.filename
    try:
        if url:
            raw, source = await run_in_threadpool(
                galleries.fetch_gallery, url, max_bytes=limit,
                allow_private=request.app.state.settings.gallery_allow_private_urls), url
        if not raw:
            raise InvalidTeamError([Problem("", "choose a file, paste the gallery's JSON, or give its URL")],
                                   "Nothing was imported.")
        imported = await in_db(engine, lambda db: galleries.import_gallery(db, raw, source=source))
    except InvalidTeamError as exc:
        problems, message = exc.problems, exc.message
    except ServiceError as exc:
        problems, message = [], str(exc)
    else:
        teams = sum(item.component_type == "team" for item in imported.items)
        flash(request, f"Imported {_count(teams, 'team')} and {_count(len(imported.items) - teams, 'component')} "
                       f"from {imported.gallery.name}.", "success")
        for notice in imported.notices:
            flash(request, f"{notice.path}: {notice.message}", "warning")
        return redirect(request, f"/gallery?gallery={imported.gallery.id}&kind=all")
    context = {"problems": problems, "message": message, "text": text if len(text) <= limit else "", "url": url}
    return render(request, "gallery/import.html", context, status_code=422)


@router.get("/gallery/import", name="gallery_import_form")
def import_form(request: Request) -> Response:
    return render(request, "gallery/import.html", {"problems": [], "message": "", "text": "", "url": ""})


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@router.get("/gallery/{gallery_id}/export", name="gallery_export")
def export(db: Db, gallery_id: int) -> Response:
    """`Export gallery`: the gallery as one AutoGen Studio gallery file."""
    try:
        data = galleries.export_gallery(db, gallery_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    filename = f"{slug(str(data.get('name') or ''), 'gallery')}.json"
    return Response(team_service.pretty_json(data), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/gallery/{gallery_id}/delete", name="gallery_delete_form")
def delete_form(request: Request, db: Db, gallery_id: int) -> Response:
    """The question before deleting, for a browser without JavaScript (htmx asks with `hx-confirm`)."""
    try:
        gallery = galleries.get_gallery(db, gallery_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    return render(request, "confirm_delete.html", {
        "what": f"the gallery “{gallery.name}”", "action": f"/gallery/{gallery.id}/delete",
        "back_url": f"/gallery?gallery={gallery.id}", "back_label": "Gallery",
        "consequence": "The gallery and its items are deleted; teams made from them stay. This cannot be undone.",
        "export_url": f"/gallery/{gallery.id}/export", "export_label": "Export gallery",
    })


@router.post("/gallery/{gallery_id}/delete", name="gallery_delete")
def delete(request: Request, db: Db, gallery_id: int) -> Response:
    """Delete an imported or user gallery (the page asks first); the built-in one is refused."""
    try:
        gallery = galleries.get_gallery(db, gallery_id)
        galleries.delete_gallery(db, gallery.id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except ServiceError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"Deleted the gallery “{gallery.name}”.", "success")
    return redirect(request, "/gallery")


# --- from the builder -------------------------------------------------------------------------


@router.post("/gallery/add", name="gallery_add")
def add(request: Request, db: Db, team_id: Annotated[int, Form()],
        node: Annotated[str, Form()] = str(TEAM)) -> Response:
    """`Add to gallery` (the builder's toolbar: the team) or `Add to my gallery` (a selected agent, model,
    tool or termination): the saved version goes into "My gallery"."""
    try:
        team = team_service.get_team(db, team_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    named = NodeId.parse_or_none(node)
    component = team.component if named == TEAM else component_at(team.component, named) if named else None
    if not isinstance(component, dict) or "provider" not in component:
        flash(request, "Save the team first: only its saved version can go into the gallery.", "warning")
        return redirect(request, f"/builder/{team_id}?node={node}")
    label = team.label if named == TEAM else None
    try:
        item = galleries.add_to_gallery(db, component, label=label, description=team.description if label else "")
    except ServiceError as exc:
        flash(request, str(exc), "error")
    else:
        flash(request, f"Added “{item.label}” to {galleries.USER_GALLERY}.", "success")
    return _builder_answer(request, team_id, node)


def _builder_answer(request: Request, team_id: int, node: str) -> Response:
    """For htmx, only the flash (the builder stays as it is); otherwise back to the builder."""
    if request.headers.get("hx-request") == "true":
        return render(request, "_flash.html", {"oob": True})
    return redirect(request, f"/builder/{team_id}?node={node}")


__all__ = ["router"]
