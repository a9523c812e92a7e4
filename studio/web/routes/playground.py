"""The Playground page (run a team and watch its trace): a placeholder until its issue lands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..templating import render

router = APIRouter(include_in_schema=False)


@router.get("/playground", name="playground")
def playground(request: Request) -> HTMLResponse:
    return render(request, "home/coming_soon.html", {
        "title": "Playground",
        "summary": "Give a team a task and watch its messages, tool calls and handoffs as they stream in.",
    })
