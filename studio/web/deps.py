"""FastAPI dependencies that hand routes the app's settings, engine, a database session and the posted form.

    @router.get("/teams")
    def list_teams(request: Request, db: DbSession) -> HTMLResponse: ...
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import FormData

from studio.playground import RunManager
from studio.settings import Settings
from studio.store import session as store_session


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if engine is None:
        raise RuntimeError("The app has not started: run it under uvicorn, or use `with TestClient(app):`")
    return engine


def get_db(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session for one request: committed when the route returns, rolled back if it raises."""
    with store_session(engine) as db:
        yield db


async def get_form(request: Request) -> FormData:
    """The posted form, read on the event loop before the route runs: a route taking it awaits nothing, so it
    can be a plain `def` (run in a worker thread, its database work off the event loop)."""
    return await request.form()


def get_runs(request: Request) -> RunManager:
    """The app's run manager (started with the app: see `app._lifespan`)."""
    runs: RunManager = request.app.state.runs
    return runs


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
# scope="function": commit before the response is sent, so a redirect never outruns the write.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
RunsDep = Annotated[RunManager, Depends(get_runs)]
PostedForm = Annotated[FormData, Depends(get_form)]

__all__ = ["DbSession", "EngineDep", "PostedForm", "RunsDep", "SettingsDep", "get_db", "get_engine", "get_form",
           "get_runs", "get_settings"]
