"""The one gate before anything of a team runs here: every execution path asks `admit`.

The Playground (runs and replays), `/api/serve` (runs and chat completions), the Builder's Test buttons,
and later evaluations and workers all call `admit` with the component they are about to run, and only
with what it returns do they get keys: the credentials saved in Settings (each bound to its endpoint,
`credentials.inject_credentials`) and the variables for tools. A team whose imported code, executors or
commands the user has not trusted yet (`trust.blocked`) is refused with the page that reviews it. The
files `studio run` and `studio serve` are given on the command line are the operator's own, and are not
asked about.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from studio.components import Problem

from . import trust
from .credentials import Credentials, load_credentials
from .errors import ServiceError


class NotTrusted(ServiceError):
    """The component runs imported code not trusted yet: `problems` name each at its JSON path."""

    status_code = 403

    def __init__(self, problems: list[Problem], review_url: str | None) -> None:
        where = f" ({problems[0].path})" if problems[0].path else ""
        review = f" ({review_url})" if review_url else " (on its team's review page)"
        super().__init__(f"{trust.UNTRUSTED_MESSAGE}{where}: review what it runs and trust it first{review}.")
        self.problems = problems
        self.review_url = review_url


def admit(db: Session, component: Any, *, team_id: int | None = None) -> Credentials:
    """The credentials a run of `component` may use; raises `NotTrusted` if it executes imported code the
    user has not trusted (`team_id` names the team whose review page the refusal points to)."""
    problems = trust.trust_problems(db, component)
    if problems:
        raise NotTrusted(problems, trust.review_url(team_id) if team_id is not None else None)
    return load_credentials(db)


__all__ = ["NotTrusted", "admit"]
