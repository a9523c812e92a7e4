"""The front door: `/` opens the Teams page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home() -> RedirectResponse:
    return RedirectResponse("/teams", status_code=303)
