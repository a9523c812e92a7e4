"""The Playground page: sessions per team, a session's runs with their live traces, and run actions.

Session mutations are plain forms that redirect (POST, redirect, GET). On the session page htmx posts
a task and appends the new run, whose trace then streams over Server-Sent Events
(`GET /playground/runs/{id}/events`, resumable with `Last-Event-ID`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import Engine
from starlette.datastructures import UploadFile

from studio.components import Problem
from studio.playground import ConversationNotFound, RunManager, RunRefused
from studio.playground.compare import compare_runs
from studio.playground.replay import export_as_test
from studio.playground.turns import turn_key
from studio.services import conversations
from studio.services import teams as team_service
from studio.services.errors import NotFoundError
from studio.services.team_scripts import ExportFile

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


# --- sessions ---------------------------------------------------------------------------------


@router.get("/playground", name="playground")
def index(request: Request, db: Db, team: int | None = None) -> Response:
    """All sessions. `?team=ID` (the Teams page's `Open in Playground` link) goes to that team's latest
    session, or, when it has none, shows the New session form with the team chosen: a GET never writes."""
    chosen = team_service.get_team(db, team) if team is not None else None
    if chosen is not None:
        latest = conversations.latest_conversation(db, chosen)
        if latest is not None:
            return RedirectResponse(f"/playground/sessions/{latest.id}", status_code=303)
    context = {"rows": conversations.list_conversations(db), "teams": team_service.list_teams(db),
               "title_of": conversations.conversation_title, "chosen": chosen}
    return render(request, "playground/index.html", context)


@router.post("/playground/teams/{team_id}/session", name="open_team_conversation")
def open_team_conversation(request: Request, db: Db, team_id: int) -> Response:
    """The Builder's `Run in playground`: the team's latest session, or a new one."""
    conversation = conversations.open_conversation_for_team(db, team_service.get_team(db, team_id))
    return redirect(request, f"/playground/sessions/{conversation.id}")


@router.post("/playground/sessions", name="create_conversation")
def create_conversation(request: Request, db: Db, team_id: Annotated[int | None, Form()] = None,
                        name: Annotated[str, Form()] = "") -> Response:
    try:
        team = team_service.get_team(db, team_id)
    except NotFoundError:
        flash(request, "Choose a team for the new session (team_id).", "error")
        return redirect(request, "/playground")
    conversation = conversations.create_conversation(db, team, name)
    return redirect(request, f"/playground/sessions/{conversation.id}")


@router.get("/playground/sessions/{conversation_id}", name="playground_conversation")
def session_page(request: Request, db: Db, runs: RunsDep, conversation_id: int) -> Response:
    conversation = conversations.get_conversation(db, conversation_id)
    context = {"conversation": conversation, "title": conversations.conversation_title(conversation),
               "team": team_service.get_team(db, conversation.team_id), "views": view.run_views(db, conversation, runs)}
    return render(request, "playground/session.html", context)


@router.get("/playground/sessions/{conversation_id}/rename", name="rename_conversation_form")
def rename_form(request: Request, db: Db, conversation_id: int) -> Response:
    conversation = conversations.get_conversation(db, conversation_id)
    context = {"conversation": conversation, "title": conversations.conversation_title(conversation)}
    return render(request, "playground/rename.html", context)


@router.post("/playground/sessions/{conversation_id}/rename", name="rename_conversation")
def rename(request: Request, db: Db, conversation_id: int, name: Annotated[str, Form()] = "") -> Response:
    conversation = conversations.rename_conversation(db, conversations.get_conversation(db, conversation_id), name)
    flash(request, f"Renamed the session to “{conversations.conversation_title(conversation)}”.", "success")
    return redirect(request, f"/playground/sessions/{conversation.id}")


@router.get("/playground/sessions/{conversation_id}/delete", name="delete_conversation_form")
def delete_form(request: Request, db: Db, conversation_id: int) -> Response:
    """The question before deleting, for a browser without JavaScript (htmx asks with `hx-confirm`)."""
    conversation = conversations.get_conversation(db, conversation_id)
    title, url = conversations.conversation_title(conversation), f"/playground/sessions/{conversation.id}"
    return render(request, "confirm_delete.html", {
        "what": f"“{title}”", "action": f"{url}/delete", "back_url": url, "back_label": title,
        "consequence": "The session and all its runs are deleted; a run still going is stopped. This cannot be undone.",
    })


@router.post("/playground/sessions/{conversation_id}/delete", name="delete_conversation")
async def delete(request: Request, engine: EngineDep, runs: RunsDep, conversation_id: int) -> Response:
    conversation = await in_db(engine, conversations.get_conversation, conversation_id)
    # a deleted session leaves nothing running
    for run in await in_db(engine, conversations.list_runs, conversation_id):
        if run.id is not None and runs.is_active(run.id):
            await runs.stop(run.id)
    await runs.reset(conversation_id)  # frees the session's live team
    await in_db(engine, conversations.delete_conversation, conversation)
    flash(request, f"Deleted “{conversations.conversation_title(conversation)}” and its runs.", "success")
    return redirect(request, "/playground")


@router.post("/playground/sessions/{conversation_id}/reset", name="reset_conversation")
async def reset(request: Request, engine: EngineDep, runs: RunsDep, conversation_id: int) -> Response:
    await in_db(engine, conversations.get_conversation, conversation_id)
    await runs.reset(conversation_id)
    if is_htmx(request):  # the divider in the trace says it
        return render(request, "playground/_reset.html", {})
    flash(request, "Reset: the next task starts a new conversation.", "info")
    return redirect(request, f"/playground/sessions/{conversation_id}")


# --- runs --------------------------------------------------------------------------------------


@router.post("/playground/sessions/{conversation_id}/runs", name="start_run")
async def start_run(request: Request, engine: EngineDep, runs: RunsDep, conversation_id: int) -> Response:
    """Start the task (with its attachments); the new run's partial, or the reason no run started."""
    text, attachments = await _task_form(request)
    try:
        run_id = await runs.start(conversation_id, build_task(text, attachments))
    except AttachmentError as exc:
        return _refused(request, conversation_id, str(exc), [])
    except ConversationNotFound as exc:
        raise HTTPException(404, exc.message) from None
    except RunRefused as exc:
        return _refused(request, conversation_id, exc.message, exc.problems)
    return await _started(request, engine, runs, conversation_id, run_id)


@router.post("/playground/runs/{run_id}/replay", name="replay_run")
async def replay(request: Request, engine: EngineDep, runs: RunsDep, run_id: int) -> Response:
    """Run the same task again from the run's recording: the same trace, no model called."""
    run = await in_db(engine, conversations.get_run, run_id)
    try:
        new_id = await runs.start(run.conversation_id, "", replay_of=run_id)  # "": the original task, attachments too
    except RunRefused as exc:
        return _refused(request, run.conversation_id, exc.message, exc.problems)
    return await _started(request, engine, runs, run.conversation_id, new_id)


@router.get("/playground/runs/{run_id}/events", name="run_events")
async def events(request: Request, engine: EngineDep, runs: RunsDep, run_id: int, after: int = 0) -> Response:
    """The run's events after `Last-Event-ID` (or `?after=`) as SSE, then an `end` event with the summary."""
    after_seq = last_event_id(request.headers.get("last-event-id"), fallback=max(after, 0))
    builder = await in_db(engine, lambda db: trace_builder_after(db, conversations.get_run(db, run_id), after_seq))
    stream = event_stream(request, runs, engine, run_id, after_seq, builder)
    return StreamingResponse(stream, media_type=MEDIA_TYPE, headers=HEADERS)


@router.get("/playground/runs/{run_id}/trace", name="run_trace")
def trace(request: Request, db: Db, run_id: int, before: int | None = None) -> Response:
    """The page of events before `?before=SEQ` (what `Show earlier events` loads)."""
    page = view.trace_page(db, conversations.get_run(db, run_id), before_seq=before)
    return render(request, "playground/_trace_page.html", {"page": page, "focus": True})


@router.get("/playground/runs/{run_id}/flow", name="run_flow")
def flow_turns(request: Request, db: Db, run_id: int, source: Annotated[str, Query(alias="from")] = "",
               target: Annotated[str, Query(alias="to")] = "") -> Response:
    """The turns of one flow arrow (`?from=writer&to=critic`): what clicking the arrow shows."""
    run = conversations.get_run(db, run_id)
    page, run_flow = view.filtered_trace(db, run, source, target)
    context = {"run": run, "page": page, "flow": run_flow, "source": source, "target": target,
               "active_turn": turn_key(source, target)}
    return render(request, "playground/flow.html", context, partial="playground/_filtered.html")


@router.post("/playground/runs/{run_id}/stop", name="stop_run")
async def stop(request: Request, engine: EngineDep, runs: RunsDep, run_id: int) -> Response:
    run = await in_db(engine, conversations.get_run, run_id)
    stopping = await runs.stop(run_id)
    if not is_htmx(request):
        return redirect(request, f"/playground/sessions/{run.conversation_id}#run-{run_id}")
    return render(request, "playground/_stopping.html", {"stopping": stopping})


@router.post("/playground/runs/{run_id}/reply", name="reply_run")
async def reply(request: Request, engine: EngineDep, runs: RunsDep, run_id: int,
                text: Annotated[str, Form()] = "") -> Response:
    """Answer the question the run is waiting on; the reply form goes away (the answer joins the trace)."""
    run = await in_db(engine, conversations.get_run, run_id)
    answered = await runs.reply(run_id, text)
    if not is_htmx(request):
        if not answered:
            flash(request, "This run is not waiting for a reply.", "warning")
        return redirect(request, f"/playground/sessions/{run.conversation_id}#run-{run_id}")
    return render(request, "playground/_replied.html", {"answered": answered})


@router.get("/playground/runs/{run_id}/export", name="export_run")
def export(db: Db, run_id: int) -> Response:
    """The team with replay model clients holding this run's recording, as a JSON download."""
    run = conversations.get_run(db, run_id)
    team = team_service.get_team(db, conversations.conversation_of(db, run).team_id)
    label = f"{team.label} (run {run_id} recording)"
    body = export_as_test(team.component, run.recording or {}, label=label)
    filename = f"{team_service.export_filename(team).removesuffix('.json')}-run-{run_id}.json"
    return download(ExportFile(body, filename, "application/json"))


@router.get("/playground/sessions/{conversation_id}/compare", name="compare_runs")
def compare(request: Request, db: Db, conversation_id: int, a: int | None = None, b: int | None = None) -> Response:
    """Two runs of the session side by side, the first difference marked."""
    conversation = conversations.get_conversation(db, conversation_id)
    if a is None or b is None:
        raise HTTPException(422, "Choose two runs to compare (a, b).")
    for run_id in (a, b):
        conversations.get_run_in(db, conversation, run_id)
    comparison = compare_runs(conversations.list_events(db, a), conversations.list_events(db, b))
    context = {"conversation": conversation, "comparison": comparison, "label_a": f"run {a}", "label_b": f"run {b}"}
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


async def _started(request: Request, engine: Engine, runs: RunManager, conversation_id: int, run_id: int) -> Response:
    if not is_htmx(request):
        return redirect(request, f"/playground/sessions/{conversation_id}#run-{run_id}")
    started = await in_db(engine, lambda db: view.run_view(db, conversations.get_run(db, run_id), runs))
    return render(request, "playground/_started.html", {"view": started})


def _refused(request: Request, conversation_id: int, message: str, problems: list[Problem]) -> Response:
    """No run: the reason under the task box (and the team's problems, each with its JSON path)."""
    if not is_htmx(request):
        flash(request, message, "error")
        return redirect(request, f"/playground/sessions/{conversation_id}")
    return render(request, "playground/_refused.html", {"message": message, "problems": problems}, status_code=422,
                  headers={"HX-Retarget": "#task-problems", "HX-Reswap": "innerHTML"})


__all__ = ["router"]
