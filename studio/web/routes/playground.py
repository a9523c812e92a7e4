"""The Playground page: sessions per team, a session's runs with their live traces, and run actions.

Session mutations are plain forms that redirect (POST, redirect, GET). On the session page htmx posts
a task and appends the new run, whose trace then streams over Server-Sent Events
(`GET /playground/runs/{id}/events`, resumable with `Last-Event-ID`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import UploadFile

from studio import store
from studio.components import Problem
from studio.playground import RunManager, RunRefused, SessionNotFound
from studio.playground.compare import compare_runs
from studio.playground.replay import export_as_test
from studio.playground.turns import turn_key
from studio.services import teams as team_service
from studio.services.errors import NotFoundError, find_row
from studio.services.team_scripts import ExportFile
from studio.store.models import ChatSession, Run, Team

from .. import playground_view as view
from ..deps import DbSession as Db
from ..deps import EngineDep, RunsDep
from ..downloads import download
from ..live_trace import event_stream, trace_builder_after
from ..sse import HEADERS, MEDIA_TYPE, last_event_id
from ..task_input import Attachment, AttachmentError, build_task
from ..templating import flash, is_htmx, render
from ..threads import in_db
from .teams import redirect

router = APIRouter(include_in_schema=False)
T = TypeVar("T")


def chat_or_404(db: Session, session_id: int) -> ChatSession:
    return _row_or_404(store.get_chat_session, db, session_id, f"There is no playground session {session_id}.")


def run_or_404(db: Session, run_id: int) -> Run:
    return _row_or_404(store.get_run, db, run_id, f"There is no run {run_id}.")


def _team_or_404(db: Session, team_id: int) -> Team:
    team = view.team_or_none(db, team_id)
    if team is None:
        raise HTTPException(404, f"There is no team {team_id}.")
    return team


def _row_or_404(get: Callable[[Session, int], T | None], db: Session, value: int, missing: str) -> T:
    try:
        return find_row(get, db, value, missing)
    except NotFoundError:
        raise HTTPException(404, missing) from None


# --- sessions ---------------------------------------------------------------------------------


@router.get("/playground", name="playground")
def index(request: Request, db: Db, team: int | None = None) -> Response:
    """All sessions. `?team=ID` (the Teams page's `Open in Playground` link) goes to that team's latest
    session, or, when it has none, shows the New session form with the team chosen: a GET never writes."""
    chosen = _team_or_404(db, team) if team is not None else None
    if chosen is not None:
        latest = view.latest_session(db, chosen)
        if latest is not None:
            return RedirectResponse(f"/playground/sessions/{latest.id}", status_code=303)
    context = {"rows": view.session_rows(db), "teams": team_service.list_teams(db), "title_of": view.session_title,
               "chosen": chosen}
    return render(request, "playground/index.html", context)


@router.post("/playground/teams/{team_id}/session", name="open_team_session")
def open_team_session(request: Request, db: Db, team_id: int) -> Response:
    """The Builder's `Run in playground`: the team's latest session, or a new one."""
    chat = view.open_session_for_team(db, _team_or_404(db, team_id))
    return redirect(request, f"/playground/sessions/{chat.id}")


@router.post("/playground/sessions", name="create_session")
def create_session(request: Request, db: Db, team_id: Annotated[int | None, Form()] = None,
                   name: Annotated[str, Form()] = "") -> Response:
    team = view.team_or_none(db, team_id) if team_id is not None else None
    if team is None:
        flash(request, "Choose a team for the new session (team_id).", "error")
        return redirect(request, "/playground")
    chat = store.create_session(db, team_id=team.id, name=view.session_name(name))
    return redirect(request, f"/playground/sessions/{chat.id}")


@router.get("/playground/sessions/{session_id}", name="playground_session")
def session_page(request: Request, db: Db, runs: RunsDep, session_id: int) -> Response:
    chat = chat_or_404(db, session_id)
    context = {"chat": chat, "title": view.session_title(chat), "team": team_service.get_team(db, chat.team_id),
               "views": view.run_views(db, chat, runs)}
    return render(request, "playground/session.html", context)


@router.get("/playground/sessions/{session_id}/rename", name="rename_session_form")
def rename_form(request: Request, db: Db, session_id: int) -> Response:
    chat = chat_or_404(db, session_id)
    return render(request, "playground/rename.html", {"chat": chat, "title": view.session_title(chat)})


@router.post("/playground/sessions/{session_id}/rename", name="rename_session")
def rename(request: Request, db: Db, session_id: int, name: Annotated[str, Form()] = "") -> Response:
    chat = view.rename_session(db, chat_or_404(db, session_id), name)
    flash(request, f"Renamed the session to “{view.session_title(chat)}”.", "success")
    return redirect(request, f"/playground/sessions/{chat.id}")


@router.get("/playground/sessions/{session_id}/delete", name="delete_session_form")
def delete_form(request: Request, db: Db, session_id: int) -> Response:
    """The question before deleting, for a browser without JavaScript (htmx asks with `hx-confirm`)."""
    chat = chat_or_404(db, session_id)
    title, url = view.session_title(chat), f"/playground/sessions/{chat.id}"
    return render(request, "confirm_delete.html", {
        "what": f"“{title}”", "action": f"{url}/delete", "back_url": url, "back_label": title,
        "consequence": "The session and all its runs are deleted; a run still going is stopped. This cannot be undone.",
    })


@router.post("/playground/sessions/{session_id}/delete", name="delete_session")
async def delete(request: Request, engine: EngineDep, runs: RunsDep, session_id: int) -> Response:
    chat = await in_db(engine, chat_or_404, session_id)
    for run in await in_db(engine, store.list_runs, session_id):  # a deleted session leaves nothing running
        if run.id is not None and runs.is_active(run.id):
            await runs.stop(run.id)
    await runs.reset(session_id)  # frees the session's live team
    await in_db(engine, store.delete_session, chat)
    flash(request, f"Deleted “{view.session_title(chat)}” and its runs.", "success")
    return redirect(request, "/playground")


@router.post("/playground/sessions/{session_id}/reset", name="reset_session")
async def reset(request: Request, engine: EngineDep, runs: RunsDep, session_id: int) -> Response:
    await in_db(engine, chat_or_404, session_id)
    await runs.reset(session_id)
    if is_htmx(request):  # the divider in the trace says it
        return render(request, "playground/_reset.html", {})
    flash(request, "Reset: the next task starts a new conversation.", "info")
    return redirect(request, f"/playground/sessions/{session_id}")


# --- runs --------------------------------------------------------------------------------------


@router.post("/playground/sessions/{session_id}/runs", name="start_run")
async def start_run(request: Request, engine: EngineDep, runs: RunsDep, session_id: int) -> Response:
    """Start the task (with its attachments); the new run's partial, or the reason no run started."""
    text, attachments = await _task_form(request)
    try:
        run_id = await runs.start(session_id, build_task(text, attachments))
    except AttachmentError as exc:
        return _refused(request, session_id, str(exc), [])
    except SessionNotFound as exc:
        raise HTTPException(404, exc.message) from None
    except RunRefused as exc:
        return _refused(request, session_id, exc.message, exc.problems)
    return await _started(request, engine, runs, session_id, run_id)


@router.post("/playground/runs/{run_id}/replay", name="replay_run")
async def replay(request: Request, engine: EngineDep, runs: RunsDep, run_id: int) -> Response:
    """Run the same task again from the run's recording: the same trace, no model called."""
    run = await in_db(engine, run_or_404, run_id)
    try:
        new_id = await runs.start(run.session_id, "", replay_of=run_id)  # "": the original task, attachments too
    except RunRefused as exc:
        return _refused(request, run.session_id, exc.message, exc.problems)
    return await _started(request, engine, runs, run.session_id, new_id)


@router.get("/playground/runs/{run_id}/events", name="run_events")
async def events(request: Request, engine: EngineDep, runs: RunsDep, run_id: int, after: int = 0) -> Response:
    """The run's events after `Last-Event-ID` (or `?after=`) as SSE, then an `end` event with the summary."""
    after_seq = last_event_id(request.headers.get("last-event-id"), fallback=max(after, 0))
    builder = await in_db(engine, lambda db: trace_builder_after(db, run_or_404(db, run_id), after_seq))
    stream = event_stream(request, runs, engine, run_id, after_seq, builder)
    return StreamingResponse(stream, media_type=MEDIA_TYPE, headers=HEADERS)


@router.get("/playground/runs/{run_id}/trace", name="run_trace")
def trace(request: Request, db: Db, run_id: int, before: int | None = None) -> Response:
    """The page of events before `?before=SEQ` (what `Show earlier events` loads)."""
    page = view.trace_page(db, run_or_404(db, run_id), before_seq=before)
    return render(request, "playground/_trace_page.html", {"page": page, "focus": True})


@router.get("/playground/runs/{run_id}/flow", name="run_flow")
def flow_turns(request: Request, db: Db, run_id: int, source: Annotated[str, Query(alias="from")] = "",
               target: Annotated[str, Query(alias="to")] = "") -> Response:
    """The turns of one flow arrow (`?from=writer&to=critic`): what clicking the arrow shows."""
    run = run_or_404(db, run_id)
    page, run_flow = view.filtered_trace(db, run, source, target)
    context = {"run": run, "page": page, "flow": run_flow, "source": source, "target": target,
               "active_turn": turn_key(source, target)}
    return render(request, "playground/flow.html", context, partial="playground/_filtered.html")


@router.post("/playground/runs/{run_id}/stop", name="stop_run")
async def stop(request: Request, engine: EngineDep, runs: RunsDep, run_id: int) -> Response:
    run = await in_db(engine, run_or_404, run_id)
    stopping = await runs.stop(run_id)
    if not is_htmx(request):
        return redirect(request, f"/playground/sessions/{run.session_id}#run-{run_id}")
    return render(request, "playground/_stopping.html", {"stopping": stopping})


@router.post("/playground/runs/{run_id}/reply", name="reply_run")
async def reply(request: Request, engine: EngineDep, runs: RunsDep, run_id: int,
                text: Annotated[str, Form()] = "") -> Response:
    """Answer the question the run is waiting on; the reply form goes away (the answer joins the trace)."""
    run = await in_db(engine, run_or_404, run_id)
    answered = await runs.reply(run_id, text)
    if not is_htmx(request):
        if not answered:
            flash(request, "This run is not waiting for a reply.", "warning")
        return redirect(request, f"/playground/sessions/{run.session_id}#run-{run_id}")
    return render(request, "playground/_replied.html", {"answered": answered})


@router.get("/playground/runs/{run_id}/export", name="export_run")
def export(db: Db, run_id: int) -> Response:
    """The team with replay model clients holding this run's recording, as a JSON download."""
    run = run_or_404(db, run_id)
    team = team_service.get_team(db, chat_or_404(db, run.session_id).team_id)
    label = f"{team.label} (run {run_id} recording)"
    body = export_as_test(team.component, run.recording or {}, label=label)
    filename = f"{team_service.export_filename(team).removesuffix('.json')}-run-{run_id}.json"
    return download(ExportFile(body, filename, "application/json"))


@router.get("/playground/sessions/{session_id}/compare", name="compare_runs")
def compare(request: Request, db: Db, session_id: int, a: int | None = None, b: int | None = None) -> Response:
    """Two runs of the session side by side, the first difference marked."""
    chat = chat_or_404(db, session_id)
    if a is None or b is None:
        raise HTTPException(422, "Choose two runs to compare (a, b).")
    if any(run_or_404(db, run_id).session_id != session_id for run_id in (a, b)):
        raise HTTPException(404, f"Both runs must belong to session {session_id}.")
    comparison = compare_runs(store.list_events(db, a), store.list_events(db, b))
    context = {"chat": chat, "comparison": comparison, "label_a": f"run {a}", "label_b": f"run {b}"}
    return render(request, "playground/compare.html", context, partial="playground/_compare.html")


# --- helpers -----------------------------------------------------------------------------------


async def _task_form(request: Request) -> tuple[str, list[Attachment]]:
    """The `task` text and the `attachments` files of the posted form."""
    limit = request.app.state.settings.max_body_bytes
    async with request.form(max_part_size=limit) as form:
        text = form.get("task")
        attachments = [
            Attachment(upload.filename or "", upload.content_type or "", await upload.read())
            for upload in form.getlist("attachments") if isinstance(upload, UploadFile) and upload.filename
        ]
    return (text if isinstance(text, str) else ""), attachments


async def _started(request: Request, engine: Engine, runs: RunManager, session_id: int, run_id: int) -> Response:
    if not is_htmx(request):
        return redirect(request, f"/playground/sessions/{session_id}#run-{run_id}")
    started = await in_db(engine, lambda db: view.run_view(db, run_or_404(db, run_id), runs))
    return render(request, "playground/_started.html", {"view": started})


def _refused(request: Request, session_id: int, message: str, problems: list[Problem]) -> Response:
    """No run: the reason under the task box (and the team's problems, each with its JSON path)."""
    if not is_htmx(request):
        flash(request, message, "error")
        return redirect(request, f"/playground/sessions/{session_id}")
    return render(request, "playground/_refused.html", {"message": message, "problems": problems}, status_code=422,
                  headers={"HX-Retarget": "#task-problems", "HX-Reswap": "innerHTML"})


__all__ = ["router"]
