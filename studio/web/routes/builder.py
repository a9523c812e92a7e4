"""The Builder page: edit a team on a canvas. The server owns the draft (`studio.builder`): every
edit is a small htmx POST answered with the re-rendered canvas plus the properties, JSON, validation
and toolbar partials out of band (`builder/_update.html`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from studio.builder import (
    TEAM,
    TERMINATION,
    Action,
    ActionRefused,
    AddEdge,
    DraftEditor,
    EditOpaque,
    NeedsConfirmation,
    NodeId,
    ReplaceComponent,
    library,
    parse_action,
)
from studio.builder.draft import component_at, node_at_path
from studio.builder.library import LibraryGroup, get_item, library_groups
from studio.components import Problem
from studio.http.json_input import join_path
from studio.services import team_scripts
from studio.services import teams as team_service
from studio.services.errors import InvalidTeamError, NotFoundError, StaleTeamError, TeamImportError
from studio.services.team_files import parse_json

from ..builder_view import drop_action, focus_after, node_ids, page_context
from ..deps import DbSession as Db
from ..deps import PostedForm
from ..downloads import download
from ..templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/builder", name="builder")
def index(request: Request, db: Db) -> Response:
    teams = team_service.list_teams(db)
    if len(teams) == 1:
        return RedirectResponse(f"/builder/{teams[0].id}", status_code=303)
    return render(request, "builder/choose.html", {"teams": teams})


@router.get("/builder/{team_id}", name="builder_team")
def page(request: Request, db: Db, team_id: int, node: str = str(TEAM), q: str = "") -> Response:
    builder = _open(db, team_id)
    context = page_context(builder, _known(builder, _node(node))) | {"groups": _groups(db, q), "q": q}
    return render(request, "builder/index.html", context)


@router.get("/builder/{team_id}/library", name="builder_library")
def library_items(request: Request, db: Db, team_id: int, q: str = "") -> Response:
    _open(db, team_id)
    return render(request, "builder/_library.html", {"groups": _groups(db, q), "q": q, "team_id": team_id})


@router.get("/builder/{team_id}/select", name="builder_select")
def select(request: Request, db: Db, team_id: int, node: str = str(TEAM)) -> Response:
    builder = _open(db, team_id)
    selected = _known(builder, _node(node))
    return _update(request, builder, selected, focus=str(selected))


@router.get("/builder/{team_id}/export", name="builder_export")
def export(db: Db, team_id: int, format: team_scripts.ExportFormat = "json") -> Response:
    """The team as it is in the builder: AutoGen's JSON, or a script that runs it (Studio's or AutoGen's)."""
    builder = _open(db, team_id)
    return download(team_scripts.export_team_file(builder.team, component=builder.draft.component, format=format))


@router.post("/builder/{team_id}/actions", name="builder_action")
def action(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """One action as JSON (form field `action`); `node` is the selection to keep."""
    builder = _open(db, team_id)
    selected = _node(form.get("node"))
    try:
        act = parse_action(str(form.get("action") or ""))
    except ValidationError as exc:
        flash(request, f"Not an action: {exc.errors()[0]['msg']}", "error")
        return _update(request, builder, _known(builder, selected))
    return _apply(request, builder, act, selected)


@router.post("/builder/{team_id}/drop", name="builder_drop")
def drop(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """A library item dropped on a node (or its keyboard button): the action follows from the kinds."""
    builder = _open(db, team_id)
    item = get_item(library(db), str(form.get("item") or ""))
    target = _known(builder, _node(form.get("target")))
    combine = str(form.get("combine") or "replace")
    if item is None:
        flash(request, "That library item no longer exists.", "error")
        return _update(request, builder, target)
    try:
        act = drop_action(item.component_type, item.component_copy(), target, combine)
    except ActionRefused as exc:
        flash(request, exc.reason, "error")
        return _update(request, builder, target)
    keep = target if item.component_type in ("model", "tool") else TEAM
    acted_on = TERMINATION if item.component_type == "termination" else keep
    return _apply(request, builder, act, keep, acted_on=acted_on)


@router.post("/builder/{team_id}/edges", name="builder_add_edge")
def add_edge(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """The keyboard way to draw an edge: `source` and `target` from the selected agent's panel."""
    builder = _open(db, team_id)
    source, target = str(form.get("source") or ""), str(form.get("target") or "")
    return _apply(request, builder, AddEdge(source=source, target=target), NodeId.agent(source))


@router.post("/builder/{team_id}/properties", name="builder_properties")
def properties(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """The properties form of the selected node: parse it, then one `set_field` per changed field."""
    submitted: dict[str, Any] = {k: (v[0] if len(v) == 1 else v)
                                 for k in form if (v := [str(x) for x in form.getlist(k)])}
    builder = _open(db, team_id)
    node = _known(builder, _node(submitted.pop("_node", None)))
    try:
        node, problems, applied = builder.apply_form(node, submitted)
    except ActionRefused as exc:
        flash(request, exc.reason, "error")
        return _update(request, builder, _known(builder, node), form_problems=exc.problems)
    if not applied and problems:
        return _update(request, builder, node, form_problems=problems, submitted=submitted)
    return _update(request, builder, _known(builder, node), form_problems=problems)


@router.post("/builder/{team_id}/duplicate", name="builder_duplicate")
def duplicate(request: Request, db: Db, team_id: int) -> Response:
    """`Duplicate team`: a new team copied from this one's draft (or, if the draft has errors, from its
    last saved version), then its builder opens (HX-Redirect)."""
    copy_, from_draft = _open(db, team_id).duplicate()
    if not from_draft:
        flash(request, "The copy has the last saved version: the unsaved changes have errors.", "warning")
    flash(request, f"Duplicated as “{copy_.label}”.", "success")
    return Response(status_code=204, headers={"HX-Redirect": f"/builder/{copy_.id}"})


@router.post("/builder/{team_id}/json", name="builder_json")
def apply_json(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """The JSON view (pasted text, or an uploaded file from `Import JSON`): replace the whole team."""
    builder = _open(db, team_id)
    upload = form.get("file")
    text = str(form.get("component_json") or "")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        text = upload.file.read().decode("utf-8", errors="replace")
    try:
        component = parse_json(text)  # hostile values (NaN, depth, huge integers) named by JSON path
    except TeamImportError as exc:
        return _update(request, builder, TEAM, json_problems=exc.problems, json_text=text)
    if not isinstance(component, dict):
        return _update(request, builder, TEAM, json_problems=[Problem("", "the team JSON must be an object")],
                       json_text=text)
    try:
        builder.apply(ReplaceComponent(component=component))
    except ActionRefused as exc:
        flash(request, "Nothing was applied: the JSON has errors (see under the editor).", "error")
        return _update(request, builder, TEAM, json_problems=exc.problems or [Problem("", exc.reason)],
                       json_text=text)
    flash(request, "Applied the JSON.", "success")
    return _update(request, builder, TEAM, json_reset=True)


@router.post("/builder/{team_id}/opaque", name="builder_opaque")
def apply_opaque(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """The JSON editor of an opaque node (`path`, the text `component_json`): replace that node whole; nothing
    is applied when the text is not JSON or has errors there, which are listed by JSON path."""
    builder = _open(db, team_id)
    node = _known(builder, _node(form.get("node")))
    path, text = str(form.get("path") or ""), str(form.get("component_json") or "")
    try:
        component = parse_json(text)  # the one strict reader: hostile values named by JSON path
    except TeamImportError as exc:
        return _update(request, builder, node, opaque_text=text,
                       opaque_problems=[Problem(join_path(path, p.path), p.message) for p in exc.problems])
    if not isinstance(component, dict):
        return _update(request, builder, node, opaque_text=text,
                       opaque_problems=[Problem(path, "expected a component object ({provider, config, ...})")])
    try:
        builder.apply(EditOpaque(path=path, component=component))
    except ActionRefused as exc:
        return _update(request, builder, node, opaque_problems=exc.problems or [Problem(path, exc.reason)],
                       opaque_text=text)
    flash(request, f"Applied the JSON of {path or 'the team'}.", "success")
    return _update(request, builder, _known(builder, node_at_path(builder.draft.component, path)))


@router.get("/builder/{team_id}/json", name="builder_json_view")
def json_view(request: Request, db: Db, team_id: int) -> Response:
    """`Discard my edits`: the JSON view afresh, replacing whatever the editor holds."""
    builder = _open(db, team_id)
    return render(request, "builder/_json.html", page_context(builder, TEAM) | {"json_reset": True})


@router.post("/builder/{team_id}/keep-draft", name="builder_keep_draft")
def keep_draft(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    """`Keep my draft` after the team changed elsewhere: the draft goes on, the notice goes away."""
    builder = _open(db, team_id)
    builder.keep_draft()
    flash(request, "Kept your draft; saving it makes a new version after the other change.", "info")
    return _update(request, builder, _known(builder, _node(form.get("node"))))


@router.post("/builder/{team_id}/discard", name="builder_discard")
def discard(request: Request, db: Db, team_id: int) -> Response:
    """`Load the saved team`: drop the draft and its history, start again from the team as saved."""
    builder = _open(db, team_id)
    builder.discard()
    flash(request, f"Loaded “{builder.team.label}” as saved; your draft was discarded.", "info")
    return _update(request, builder, TEAM, json_reset=True)


@router.post("/builder/{team_id}/undo", name="builder_undo")
def undo(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    return _step(request, db, team_id, form, "undo")


@router.post("/builder/{team_id}/redo", name="builder_redo")
def redo(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    return _step(request, db, team_id, form, "redo")


@router.post("/builder/{team_id}/save", name="builder_save")
def save(request: Request, db: Db, team_id: int, form: PostedForm) -> Response:
    builder = _open(db, team_id)
    try:
        team = builder.save()
    except StaleTeamError as exc:  # saved elsewhere meanwhile: the notice offers "Load the saved team"
        db.rollback()
        builder = _open(db, team_id)
        flash(request, exc.message, "error")
        return _update(request, builder, _known(builder, _node(form.get("node"))), status_code=409)
    except InvalidTeamError as exc:
        flash(request, f"Not saved: {len(exc.errors)} error(s); see Validation.", "error")
    else:
        number = len(team_service.list_versions(db, team)) + 1  # the earlier versions, then this one
        flash(request, f"Saved “{team.label}” as version {number}.", "success")
    return _update(request, builder, _known(builder, _node(form.get("node"))))


# --- helpers ------------------------------------------------------------------------------------


def _step(request: Request, db: Session, team_id: int, form: FormData, direction: str) -> Response:
    builder = _open(db, team_id)
    selected = _node(form.get("node"))
    before = node_ids(builder.draft.component)
    if getattr(builder, direction)() is None:
        flash(request, f"Nothing to {direction}.", "info")
    return _update(request, builder, _known(builder, selected), focus=_moved(before, builder, selected))


def _apply(request: Request, builder: DraftEditor, act: Action, selected: NodeId, *,
           acted_on: NodeId | None = None) -> Response:
    """Apply `act`, keeping `selected`; focus goes to what it added, or next to what it removed (`_moved`)."""
    before = node_ids(builder.draft.component)
    try:
        builder.apply(act)
    except NeedsConfirmation as exc:
        confirmed = act.model_copy(update={"confirm": True}).model_dump_json()
        return _update(request, builder, _known(builder, selected), confirm=(exc.reason, confirmed))
    except ActionRefused as exc:
        flash(request, exc.reason, "error")
    acted_on = acted_on or getattr(act, "edge", None) or getattr(act, "node", None) or selected
    return _update(request, builder, _known(builder, selected), focus=_moved(before, builder, acted_on))


def _moved(before: list[NodeId], builder: DraftEditor, acted_on: NodeId) -> str | None:
    """Where focus goes when an edit added or removed nodes (`focus_after`; "" the canvas); None (it stays on
    the control it was on) when the canvas kept the same nodes."""
    after = node_ids(builder.draft.component)
    if set(after) == set(before):
        return None
    found = focus_after(before, after, acted_on)
    return str(found) if found is not None else ""


def _open(db: Session, team_id: int) -> DraftEditor:
    try:
        return DraftEditor.open(db, team_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None


def _node(text: Any) -> NodeId:
    """The node a form field names (the team when it is missing or names no node)."""
    return NodeId.parse_or_none(str(text or "")) or TEAM


def _known(builder: DraftEditor, node: NodeId) -> NodeId:
    """`node` if it still exists in the draft, else the team."""
    return node if component_at(builder.draft.component, node) is not None else TEAM


def _groups(db: Session, q: str) -> list[LibraryGroup]:
    return library_groups(library(db), q)


def _update(request: Request, builder: DraftEditor, selected: NodeId, *,
            form_problems: list[Problem] | None = None, submitted: Mapping[str, Any] | None = None,
            json_problems: list[Problem] | None = None, json_text: str | None = None,
            confirm: tuple[str, str] | None = None, json_reset: bool = False,
            opaque_problems: list[Problem] | None = None, opaque_text: str | None = None,
            status_code: int = 200, focus: str | None = None) -> Response:
    """The canvas plus the out-of-band partials; `confirm` (reason, the action confirmed) asks first.

    The JSON view keeps text the user has not applied (builder.js), unless `json_reset` or `json_text`
    says this answer is about that text (it was applied, refused, or discarded). `focus` names the node
    keyboard focus moves to ("" the canvas; header `X-Builder-Focus`, read by builder.js); without it,
    focus stays on the control it was on."""
    context = page_context(builder, selected, form_problems=form_problems, submitted=submitted,
                           json_problems=json_problems, json_text=json_text, opaque_problems_shown=opaque_problems,
                           opaque_text=opaque_text)
    extra: dict[str, Any] = {"groups": [], "q": "", "confirm": confirm, "json_reset": json_reset or json_text is not None}
    response = render(request, "builder/index.html", context | extra, partial="builder/_update.html",
                      status_code=status_code)
    if focus is not None:
        response.headers["X-Builder-Focus"] = focus or "canvas"
    return response
