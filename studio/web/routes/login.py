"""Sign in and out (only when `STUDIO_AUTH_TOKEN` is set; see `studio/web/auth.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ..auth import safe_next, sign_in, sign_out, token_matches
from ..login_security import client_key
from ..templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/login", name="login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.app.state.settings.auth_token is None or request.state.auth == "session":
        return RedirectResponse(safe_next(next), status_code=303)  # nothing to sign in to
    return render(request, "login/index.html", {"next": safe_next(next)})


@router.post("/login")
def login(request: Request, token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    settings = request.app.state.settings
    if settings.auth_token is None:
        return RedirectResponse("/", status_code=303)
    limiter, client = request.app.state.login_limiter, client_key(request)
    wait = limiter.wait_seconds(client)
    if wait:  # too many wrong tokens: not even checked until the wait is over
        context = {"next": safe_next(next), "error": f"Too many wrong tokens. Try again in {wait} seconds."}
        return render(request, "login/index.html", context, status_code=429, headers={"Retry-After": str(wait)})
    if not token_matches(settings, token):
        limiter.failed(client)
        context = {"next": safe_next(next), "error": "That access token is not right."}
        return render(request, "login/index.html", context, status_code=401)
    limiter.succeeded(client)
    sign_in(request)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    sign_out(request)
    flash(request, "You are signed out.", "info")
    return RedirectResponse("/login", status_code=303)
