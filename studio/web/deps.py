"""FastAPI dependencies that hand routes the app's settings, engine and a database session.

    @router.get("/teams")
    def list_teams(request: Request, db: DbSession) -> HTMLResponse: ...
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

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


def get_runs(request: Request) -> RunManager:
    """The app's run manager (started with the app: see `app._lifespan`)."""
    runs: RunManager = request.app.state.runs
    return runs


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
# scope="function": commit before the response is sent, so a redirect never outruns the write.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
RunsDep = Annotated[RunManager, Depends(get_runs)]

__all__ = ["DbSession", "EngineDep", "RunsDep", "SettingsDep", "get_db", "get_engine", "get_runs", "get_settings"]
