"""The Settings page: model credentials kept server-side. A saved key is never sent back to the browser:
its field stays empty, with a masked hint (`sk-…abcd`) and a Remove button."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from studio.runtime import isolation
from studio.services import credentials

from ..deps import DbSession
from ..templating import flash, render
from .teams import redirect

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/settings", name="settings")
def index(request: Request, db: DbSession) -> Response:
    creds = credentials.load_credentials(db)
    context = {"creds": creds.items(), "sandbox_warning": isolation.status().warning()}
    return render(request, "settings/index.html", context, partial="settings/_credentials.html")


@router.post("/settings", name="save_settings")
async def save(request: Request, db: DbSession) -> Response:
    async with request.form() as form:
        values = {f.name: str(form.get(f.name) or "") for f in credentials.FIELDS if f.name in form}
    changed = credentials.save_credentials(db, values)
    labels = [credentials.FIELDS_BY_NAME[name].label for name in changed]
    flash(request, f"Saved: {', '.join(labels)}." if labels else "Nothing changed.", "success" if labels else "info")
    return redirect(request, "/settings")


@router.post("/settings/remove/{name}", name="remove_setting")
def remove(request: Request, db: DbSession, name: str) -> Response:
    field = credentials.FIELDS_BY_NAME.get(name)
    if field is None:
        raise HTTPException(404, f"There is no setting named {name!r}.")
    credentials.save_credentials(db, {}, remove=(name,))
    flash(request, f"Removed the saved {field.label}.", "success")
    return redirect(request, "/settings")


__all__ = ["router"]
