"""The Gallery page (ready-made team templates): a placeholder until its issue lands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/gallery", name="gallery")
def gallery(request: Request) -> HTMLResponse:
    return render(request, "home/coming_soon.html", {
        "title": "Gallery",
        "summary": "Start from a ready-made team template and adapt it to your task.",
    })
