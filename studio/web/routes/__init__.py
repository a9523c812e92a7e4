"""The app's routers: one module per page (`teams.py` renders `templates/teams/`), `api_*` for JSON.

Each module has a `router`; `include_routers` adds them in this order.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI

ROUTER_MODULES = (
    "home",
    "login",
    "teams",
    "builder",
    "builder_probes",
    "playground",
    "gallery",
    "settings",
    "api_teams",
    "api_settings",
    "api_galleries",
    "api_serve",
)


def include_routers(app: FastAPI) -> None:
    """Include the `router` of every module in `ROUTER_MODULES`, in order."""
    for name in ROUTER_MODULES:
        app.include_router(import_module(f"{__name__}.{name}").router)


__all__ = ["ROUTER_MODULES", "include_routers"]
