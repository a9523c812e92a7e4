"""The Settings page: model credentials per endpoint, the default model, variables for tools. A saved key or
variable is never sent back to the browser: only its masked form (`sk-…abcd`), with a Remove button.

`/settings?kind=openai_compatible&endpoint=URL#add-credential` opens the page with the Add credential form
filled in for that endpoint (the link a run's "no credential for endpoint" error offers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from studio.runtime import isolation
from studio.runtime.models.endpoints import KINDS, KINDS_BY_NAME
from studio.services import credentials

from ..deps import DbSession
from ..templating import flash, render
from .teams import redirect

router = APIRouter(tags=["pages"], include_in_schema=False)


def _page(request: Request, db: DbSession, status_code: int = 200, **context: Any) -> Response:
    params = request.query_params
    add = context.pop("add", None) or {"kind": params.get("kind", ""), "endpoint": params.get("endpoint", "")}
    if add["kind"] not in KINDS_BY_NAME:
        add["kind"] = "openai_compatible" if add["endpoint"] else KINDS[0].name
    context = {"creds": credentials.load_credentials(db), "kinds": KINDS, "add": add, "add_variable_name": "",
               "sandbox_warning": isolation.status().warning(), **context}
    return render(request, "settings/index.html", context, partial="settings/_sections.html",
                  status_code=status_code)


@router.get("/settings", name="settings")
def index(request: Request, db: DbSession) -> Response:
    return _page(request, db)


@router.post("/settings", name="save_settings")
def save(request: Request, db: DbSession, default_model: Annotated[str, Form()] = "") -> Response:
    changed = credentials.save_default_model(db, default_model)
    label = credentials.DEFAULT_MODEL_LABEL
    flash(request, f"Saved: {label}." if changed else "Nothing changed.", "success" if changed else "info")
    return redirect(request, "/settings")


@router.post("/settings/credentials", name="add_credential")
def add_credential(request: Request, db: DbSession, kind: Annotated[str, Form()] = "",
                   endpoint: Annotated[str, Form()] = "", api_key: Annotated[str, Form()] = "") -> Response:
    try:
        saved = credentials.save_credential(db, kind, endpoint, api_key)
    except credentials.CredentialError as error:
        db.rollback()
        return _page(request, db, 422, credential_error=str(error), credential_field=error.field,
                     add={"kind": kind, "endpoint": endpoint})
    flash(request, f"Saved a key for {saved.endpoint} ({saved.kind.label}).", "success")
    return redirect(request, "/settings")


@router.post("/settings/credentials/{credential_id}/remove", name="remove_credential")
def remove_credential(request: Request, db: DbSession, credential_id: int) -> Response:
    removed = credentials.remove_credential(db, credential_id) if credential_id < 2**63 else None
    if removed is None:
        raise HTTPException(404, f"There is no saved credential {credential_id}.")
    flash(request, f"Removed the key for {removed.endpoint or removed.kind.label}.", "success")
    return redirect(request, "/settings")


@router.post("/settings/variables", name="add_variable")
def add_variable(request: Request, db: DbSession, name: Annotated[str, Form()] = "",
                 value: Annotated[str, Form()] = "") -> Response:
    try:
        saved = credentials.save_variable(db, name, value)
    except credentials.CredentialError as error:
        db.rollback()
        return _page(request, db, 422, variable_error=str(error), variable_field=error.field,
                     add_variable_name=name)
    flash(request, f"Saved the variable {saved.name}.", "success")
    return redirect(request, "/settings")


@router.post("/settings/variables/{name}/remove", name="remove_variable")
def remove_variable(request: Request, db: DbSession, name: str) -> Response:
    if not credentials.remove_variable(db, name):
        raise HTTPException(404, f"There is no variable named {name!r}.")
    flash(request, f"Removed the variable {name}.", "success")
    return redirect(request, "/settings")


__all__ = ["router"]
