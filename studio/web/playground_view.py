"""What the Playground pages show, gathered from the store and the run manager: sessions with their
last run, and each run with a page of its trace (the newest `PAGE_SIZE` events), its question and
its summary. Routes stay thin; templates get plain objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from studio import store
from studio.playground import Question, RunManager
from studio.playground.stats import run_summary
from studio.services import teams as team_service
from studio.services.errors import NotFoundError
from studio.store.models import ChatSession, Run, RunEvent, RunPublic, RunStatus, Team
from studio.web.trace.flow import flow
from studio.web.trace.items import filter_items, trace_items

PAGE_SIZE = 200  # events rendered per run; `Show earlier events` loads the page before


@dataclass(frozen=True)
class SessionRow:
    """A session in the list: its team and its last run (if any)."""

    chat: ChatSession
    team: Team
    last_run: Run | None


@dataclass(frozen=True)
class TracePage:
    """A slice of a run's trace: the items to render and whether earlier events exist."""

    run_id: int
    items: list[Any]
    first_seq: int  # seq of the first event shown (0: none shown)
    last_seq: int  # seq of the last event shown (0: none shown)

    @property
    def has_earlier(self) -> bool:
        return self.first_seq > 1


@dataclass(frozen=True)
class RunView:
    """One run on the session page."""

    run: Run | RunPublic
    trace: TracePage
    live: bool  # running in this server: the page connects to its event stream
    question: Question | None
    summary: Any | None  # P2's RunSummary, once the run ended
    flow: Any | None


def session_title(chat: ChatSession) -> str:
    return chat.name or f"Session {chat.id}"


def session_rows(db: Session, *, team_id: int | None = None) -> list[SessionRow]:
    """Sessions, most recently active first, each with its team and last run."""
    return [SessionRow(chat, team_service.get_team(db, chat.team_id), store.last_run(db, chat.id))
            for chat in store.list_sessions(db, team_id=team_id)]


def latest_session(db: Session, team: Team) -> ChatSession | None:
    """The team's most recently active session, None when it has none."""
    existing = store.list_sessions(db, team_id=team.id)
    return existing[0] if existing else None


def open_session_for_team(db: Session, team: Team) -> ChatSession:
    """The team's most recently active session, or a new one: where `Run in playground` lands."""
    return latest_session(db, team) or store.create_session(db, team_id=team.id)


def session_name(typed: str) -> str:
    """A session name as typed, its whitespace tidied, at most 200 characters ("" means "Session N")."""
    return " ".join(typed.split())[:200]


def rename_session(db: Session, chat: ChatSession, name: str) -> ChatSession:
    return store.rename_session(db, chat, session_name(name))


def team_or_none(db: Session, team_id: int) -> Team | None:
    try:
        return team_service.get_team(db, team_id)
    except NotFoundError:
        return None


def run_views(db: Session, chat: ChatSession, manager: RunManager) -> list[RunView]:
    """Every run of the session, oldest first, each with the newest page of its trace."""
    return [run_view(db, run, manager) for run in store.list_runs(db, chat.id)]


def run_view(db: Session, run: Run, manager: RunManager) -> RunView:
    assert run.id is not None
    if run.status != RunStatus.RUNNING:  # the summary and the flow need every event; a running run shows only its last page
        events = store.list_events(db, run.id)
        return finished_view(run, events, _page(run, events[-PAGE_SIZE:]))
    live = manager.is_active(run.id)
    page = trace_page(db, run, before_seq=None)
    return RunView(run, page, live, manager.pending_question(run.id) if live else None, None, None)


def finished_view(run: Run | RunPublic, events: Sequence[Any], page: TracePage | None = None) -> RunView:
    """A finished run: its summary and flow from `events` (all of them), and `page` of its trace (none for
    the `end` of a live stream, which has shown the events already)."""
    assert run.id is not None
    return RunView(run, page or TracePage(run.id, [], 0, 0), False, None, run_summary(run, events), flow(events))


def trace_page(db: Session, run: Run, *, before_seq: int | None) -> TracePage:
    """The `PAGE_SIZE` events before `before_seq` (None: the newest ones)."""
    assert run.id is not None
    last = before_seq - 1 if before_seq is not None else store.last_seq(db, run.id)
    start = max(0, last - PAGE_SIZE)
    events = store.list_events(db, run.id, after_seq=start, limit=last - start) if last > 0 else []
    return _page(run, events)


def filtered_trace(db: Session, run: Run, source: str, target: str) -> tuple[TracePage, Any]:
    """The turns of one flow arrow (`source` speaking, then `target`), and the run's flow."""
    assert run.id is not None
    events = store.list_events(db, run.id)
    items = filter_items(trace_items(events, run), source, target)
    return TracePage(run.id, items, 0, 0), flow(events)


def _page(run: Run, events: Sequence[RunEvent]) -> TracePage:
    assert run.id is not None
    if not events:
        return TracePage(run.id, [], 0, 0)
    return TracePage(run.id, trace_items(events, run), events[0].seq, events[-1].seq)


__all__ = [
    "PAGE_SIZE",
    "RunView",
    "SessionRow",
    "TracePage",
    "filtered_trace",
    "finished_view",
    "latest_session",
    "open_session_for_team",
    "rename_session",
    "run_view",
    "run_views",
    "session_name",
    "session_rows",
    "session_title",
    "team_or_none",
]
