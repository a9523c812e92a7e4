"""Saved teams served the way `studio serve` serves files, under `/api/serve`: runs as JSON or SSE and an
OpenAI-compatible `/api/serve/v1/chat/completions`. A team's name here is its id; a run passes the same gate
as in the Playground (`studio.services.admission`): a team running imported code not trusted yet is refused
(403), and only an admitted team gets the keys saved in Settings.

The same teams are MCP tools at `/api/serve/mcp` (`studio.serve.mcp_server`), under the same limits and gate;
with STUDIO_AUTH_TOKEN, only a bearer token opens it (a signed-in session sends no CSRF token there)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from fastapi import FastAPI, Request
from sqlmodel import Session
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from studio.serve import RunLimits, ServedTeam, TeamRefused, TeamRunner
from studio.serve.mcp_server import McpEndpoint
from studio.serve.routes import serve_router
from studio.services import credentials
from studio.services import teams as team_service
from studio.services.admission import NotTrusted, admit
from studio.services.errors import NotFoundError
from studio.store import session as store_session

from ..deps import DbSession, get_engine
from ..errors import error_response


class SavedTeams:
    """The studio's teams as a `TeamSource`, named by id."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, name: str) -> ServedTeam | None:
        try:
            team = team_service.get_team(self.db, name if name.isdigit() else "")  # "+1", " 1": not a name
        except NotFoundError:
            return None
        try:
            creds = admit(self.db, team.component, team_id=team.id)
        except NotTrusted as error:
            raise TeamRefused(str(error), error.problems) from None
        component = credentials.inject_credentials(team.component, creds)
        return ServedTeam(str(team.id), component, team.label, team.description)

    def __iter__(self) -> Iterator[ServedTeam]:
        teams = team_service.list_teams(self.db)
        return iter([ServedTeam(str(t.id), t.component, t.label, t.description) for t in teams])


def saved_teams(db: DbSession) -> SavedTeams:
    return SavedTeams(db)


def team_runner(request: Request) -> TeamRunner:
    """One runner per app, with the `studio serve` limits from the settings."""
    state = request.app.state
    if getattr(state, "serve_runner", None) is None:
        settings = state.settings
        state.serve_runner = TeamRunner(RunLimits(settings.serve_max_concurrent_runs,
                                                  settings.serve_run_timeout_seconds))
    runner: TeamRunner = state.serve_runner
    return runner


@contextmanager
def saved_teams_for(request: Request) -> Iterator[SavedTeams]:
    """The saved teams over a database session of their own, for an MCP request."""
    with store_session(get_engine(request)) as db:
        yield SavedTeams(db)


@asynccontextmanager
async def serving_mcp(app: FastAPI) -> AsyncIterator[None]:
    """The router's lifespan, run inside the app's: this app's MCP endpoint, running while the app does."""
    app.state.serve_mcp = endpoint = McpEndpoint(saved_teams_for, team_runner)
    async with endpoint.running():
        yield


class _Mcp:
    """`/api/serve/mcp`: the app's MCP endpoint, behind the guard (`auth.py`) and a bearer token when there is one."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if request.app.state.settings.auth_token is not None and request.state.auth != "bearer":
            refusal = error_response(request, 401, "MCP clients send `Authorization: Bearer <STUDIO_AUTH_TOKEN>`.",
                                     headers={"WWW-Authenticate": "Bearer"})
            await refusal(scope, receive, send)
            return
        await request.app.state.serve_mcp(scope, receive, send)


router = serve_router(saved_teams, team_runner, prefix="/api/serve", tags=["serve"], lifespan=serving_mcp)
router.routes.append(Route("/api/serve/mcp", _Mcp()))
