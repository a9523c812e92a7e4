"""Saved teams served the way `studio serve` serves files, under `/api/serve`: runs as JSON or SSE and an
OpenAI-compatible `/api/serve/v1/chat/completions`. A team's name here is its id; a run passes the same gate
as in the Playground (`studio.services.admission`): a team running imported code not trusted yet is refused
(403), and only an admitted team gets the keys saved in Settings."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlmodel import Session

from studio.serve import RunLimits, ServedTeam, TeamRefused, TeamRunner
from studio.serve.routes import serve_router
from studio.services import credentials
from studio.services import teams as team_service
from studio.services.admission import NotTrusted, admit
from studio.services.errors import NotFoundError

from ..deps import DbSession


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


router = serve_router(saved_teams, team_runner, prefix="/api/serve", tags=["serve"])
