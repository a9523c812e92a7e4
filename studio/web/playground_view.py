"""What the Playground pages show of a run, gathered from the conversations service and the run manager:
each run with a page of its trace (the newest `PAGE_SIZE` events), its question and its summary. Routes
stay thin; templates get plain objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from studio.playground import Question, RunManager
from studio.playground.stats import run_summary
from studio.services import conversations
from studio.store.models import Conversation, Run, RunEvent, RunPublic, RunStatus
from studio.store.types import id_of
from studio.web.trace.flow import flow
from studio.web.trace.items import filter_items, trace_items

PAGE_SIZE = 200  # events rendered per run; `Show earlier events` loads the page before


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


def run_views(db: Session, conversation: Conversation, manager: RunManager) -> list[RunView]:
    """Every run of the session, oldest first, each with the newest page of its trace."""
    return [run_view(db, run, manager) for run in conversations.list_runs(db, id_of(conversation))]


def run_view(db: Session, run: Run, manager: RunManager) -> RunView:
    assert run.id is not None
    # the summary and the flow need every event; a running run shows only its last page
    if run.status != RunStatus.RUNNING:
        events = conversations.list_events(db, run.id)
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
    last = before_seq - 1 if before_seq is not None else conversations.last_seq(db, run.id)
    start = max(0, last - PAGE_SIZE)
    events = conversations.list_events(db, run.id, after_seq=start, limit=last - start) if last > 0 else []
    return _page(run, events)


def filtered_trace(db: Session, run: Run, source: str, target: str) -> tuple[TracePage, Any]:
    """The turns of one flow arrow (`source` speaking, then `target`), and the run's flow."""
    assert run.id is not None
    events = conversations.list_events(db, run.id)
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
    "TracePage",
    "filtered_trace",
    "finished_view",
    "run_view",
    "run_views",
]
