"""Rendering: one Jinja2 environment over `frontend/templates`, one `render` helper, flash messages.

    return render(request, "teams/index.html", {"teams": teams}, partial="teams/_list.html")

`render` returns the whole page, or only `partial` when htmx asks for a fragment (an `HX-Request`
that is not a boosted navigation or a history restore). Every template sees `request`, `csrf_token`
and `csrf_field` (a hidden input for plain forms), `nav` (the sections, with the current one marked),
and `vendor` (the vendored front-end files); `request.state.auth` says how the user signed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from studio.runtime.models.endpoints import missing_credential_endpoint

from .auth import csrf_token

# The vendored front-end files, named once here (frontend/refresh-vendor.sh rewrites these lines).
HTMX_JS = "vendor/htmx-2.0.11.min.js"
HTMX_SSE_JS = "vendor/htmx-ext-sse-2.2.4.js"
SWAGGER_UI_DIR = "vendor/swagger-ui-5.35.0"

# The sections every page links to (names from ui-contract.md).
SECTIONS = (("Teams", "/teams"), ("Builder", "/builder"), ("Playground", "/playground"),
            ("Gallery", "/gallery"), ("Settings", "/settings"))

FLASH_KEY = "_flashes"
FLASH_CATEGORIES = ("success", "info", "warning", "error")


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


def make_environment(templates_dir: Path) -> Environment:
    """The app's one Jinja2 environment (autoescaping on for HTML)."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        vendor={"htmx": HTMX_JS, "htmx_sse": HTMX_SSE_JS},
        static_url=lambda path: f"/static/{path}",
        missing_credential=missing_credential_endpoint,  # settings/_credential_link.html
    )
    env.filters["plural"] = plural
    return env


def plural(word: str) -> str:
    """The English plural of a component kind or similar noun: "team" → "teams", "workbench" → "workbenches"."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return f"{word}es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{word[:-1]}ies"
    return f"{word}s"


def is_htmx(request: Request) -> bool:
    """True when htmx asks for a fragment rather than a whole page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def render_template(request: Request, template: str, context: Mapping[str, Any] | None = None) -> str:
    """Render one template to a string with the common context."""
    env: Environment = request.app.state.jinja
    return env.get_template(template).render(_common_context(request) | dict(context or {}))


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    partial: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The whole page, or only `partial` (plus pending flash messages, out of band) for htmx."""
    fragment = partial if partial is not None and is_htmx(request) else None
    html = render_template(request, fragment or template, context)
    if fragment and _pending_flashes(request):
        html += render_template(request, "_flash.html", {"oob": True})
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers.add_vary_header("HX-Request")
    return response


def flash(request: Request, message: str, category: str = "info") -> None:
    """Queue a message for the next page or htmx response the user sees."""
    if category not in FLASH_CATEGORIES:
        raise ValueError(f"unknown flash category {category!r}; use one of {FLASH_CATEGORIES}")
    session = request.session
    session[FLASH_KEY] = [*session.get(FLASH_KEY, []), {"message": message, "category": category}]


def pop_flashes(request: Request) -> list[dict[str, str]]:
    """The queued flash messages, removed from the session."""
    if "session" not in request.scope:
        return []
    return request.session.pop(FLASH_KEY, None) or []


def _pending_flashes(request: Request) -> bool:
    return "session" in request.scope and bool(request.session.get(FLASH_KEY))


def _common_context(request: Request) -> dict[str, Any]:
    token = csrf_token(request)
    path = request.url.path
    nav = [NavItem(label, href, path == href or path.startswith(href + "/")) for label, href in SECTIONS]
    return {
        "request": request,
        "csrf_token": token,
        "csrf_field": Markup(f'<input type="hidden" name="csrf_token" value="{escape(token)}">'),
        "nav": nav,
        "pop_flashes": lambda: pop_flashes(request),
    }


__all__ = ["flash", "is_htmx", "make_environment", "pop_flashes", "render", "render_template"]
