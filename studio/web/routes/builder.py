"""The Builder page (drag-and-drop team editing): a placeholder until its issue lands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/builder", name="builder")
def builder(request: Request) -> HTMLResponse:
    return render(request, "home/coming_soon.html", {
        "title": "Builder",
        "summary": "Compose teams by dragging agents, models, tools and termination conditions onto a canvas.",
    })
