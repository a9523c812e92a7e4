"""The Builder's Test buttons: the Test section of the selected model, tool or agent, and its probe.

The section (`builder/_test.html`) is loaded by the properties panel; a probe runs the component as it
is in the current draft (`studio.services.probes`) and answers with `builder/_probe.html`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlmodel import Session

from studio.builder import DraftEditor, NodeId
from studio.builder.draft import component_at, kind_of
from studio.services import probes
from studio.services.admission import NotTrusted, admit
from studio.services.errors import NotFoundError
from studio.services.tool_arguments import parse_arguments, tool_argument_fields

from ..deps import DbSession as Db
from ..deps import EngineDep
from ..templating import render
from ..threads import in_db

router = APIRouter(include_in_schema=False)

PROBED_KINDS = ("model", "tool", "agent")


@router.get("/builder/{team_id}/probe", name="builder_probe_section")
def section(request: Request, db: Db, team_id: int, node: str) -> Response:
    """The Test section of `node`: empty for nodes that have no Test button."""
    component = _component(db, team_id, node)
    kind = kind_of(component)
    if component is None or kind not in PROBED_KINDS:
        return Response("")
    context: dict[str, Any] = {"team_id": team_id, "node": node, "kind": kind, "fields": [], "problem": ""}
    if kind == "tool":
        try:
            context["fields"] = tool_argument_fields(component)
        except ValueError as exc:
            context["problem"] = str(exc)
    return render(request, "builder/_test.html", context)


@router.post("/builder/{team_id}/probe", name="builder_probe")
async def probe(request: Request, engine: EngineDep, team_id: int) -> Response:
    """Run the probe of the node named by the form field `node`; the result is always a `_probe.html`. The
    database work is done (and its session closed) before the probe runs: no transaction is held open meanwhile."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    node = form.get("node", "")
    component = await in_db(engine, lambda db: _required_component(db, team_id, node))
    kind = kind_of(component)
    result: dict[str, Any] = {"kind": kind}
    try:  # the gate every execution path passes
        credentials = await in_db(engine, lambda db: admit(db, component, team_id=team_id))
    except NotTrusted as exc:
        return render(request, "builder/_probe.html", {"probe": result | {"error": str(exc),
                                                       "review_url": exc.review_url}, "team_id": team_id})
    if kind == "model":
        result["model"] = await probes.probe_model(component, form.get("prompt", ""), credentials=credentials)
    elif kind == "agent":
        result["agent"] = await probes.probe_agent(component, form.get("task", ""), credentials=credentials)
    elif kind == "tool":
        result |= await _probe_tool(component, form, credentials)
    else:
        result["error"] = "Only models, tools and agents have a Test button."
    return render(request, "builder/_probe.html", {"probe": result})


async def _probe_tool(component: dict[str, Any], form: dict[str, str], credentials: Any) -> dict[str, Any]:
    try:
        fields = tool_argument_fields(component)
    except ValueError as exc:
        return {"error": str(exc)}
    arguments, errors = parse_arguments(fields, form)
    if errors:
        return {"arg_errors": errors}
    return {"tool": await probes.probe_tool(component, arguments, credentials=credentials)}


def _component(db: Session, team_id: int, node: str) -> dict[str, Any] | None:
    """The component of `node` in the team's current draft (None if there is none); 404 if the team is missing."""
    try:
        draft = DraftEditor.open(db, team_id).draft
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    named = NodeId.parse_or_none(node)
    return component_at(draft.component, named) if named is not None else None


def _required_component(db: Session, team_id: int, node: str) -> dict[str, Any]:
    """The component of `node` in the team's current draft; 404 if the team or the node is missing."""
    found = _component(db, team_id, node)
    if found is None:
        raise HTTPException(404, f"No node {node!r} in this team: select it again.")
    return found
