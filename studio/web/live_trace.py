"""A run's live trace as Server-Sent Events: what `GET /playground/runs/{id}/events` streams.

Each stored event is an `event` message with `id: <seq>` (so a reconnecting browser resumes after it)
and the rendered `_event.html` as data; streamed chunks are `chunk` messages (no id: they are not
stored); a `question` message carries the reply form; the last message, `end`, carries the summary.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from studio import store
from studio.playground import RunManager
from studio.store import session as store_session
from studio.store.models import Run
from studio.web.trace.items import TraceBuilder, stream_dom_id

from .playground_view import RunView, finished_view, run_view
from .sse import KEEPALIVE, sse_message
from .templating import render_template

HEARTBEAT_SECONDS = 15.0  # a comment this often keeps proxies from closing a quiet stream (a run awaiting a reply)


async def event_stream(
    request: Request, runs: RunManager, engine: Engine, run_id: int, after_seq: int, builder: TraceBuilder
) -> AsyncIterator[str]:
    """SSE text for the run's events with `seq > after_seq`, live until the run ends, then `end`.

    `builder` is `trace_builder_after(db, run, after_seq)`: the route makes it while checking the run exists.
    """
    async with aclosing(runs.follow(run_id, after_seq, heartbeat=HEARTBEAT_SECONDS)) as updates:
        async for update in updates:
            if update.kind == "keepalive":
                yield KEEPALIVE
            elif update.kind == "event":
                item = builder.add_live(update.event)
                html = render_template(request, "playground/_live_event.html", {"item": item})
                yield sse_message(html, event="event", id=update.seq)
            elif update.kind == "chunk":
                yield sse_message(_chunk_json(request, run_id, update.data), event="chunk")
            elif update.kind == "question":
                question = runs.pending_question(run_id)
                if question is not None:
                    html = render_template(request, "playground/_question.html", {"run_id": run_id, "question": question})
                    yield sse_message(html, event="question")
            elif update.kind == "end":  # summarised from the events this stream saw, unless the ending was not stored
                view = (finished_view(update.run, builder.events) if update.run is not None
                        else await run_in_threadpool(_ended_view, engine, runs, run_id))
                yield sse_message(render_template(request, "playground/_end.html", {"view": view}), event="end")
                return


def _chunk_json(request: Request, run_id: int, chunk: dict[str, Any]) -> str:
    """A streamed chunk for `live.js`: its text (typed in as text, never HTML) and the agent's placeholder."""
    source = str(chunk.get("source") or "")
    placeholder = render_template(request, "playground/_chunk.html", {"run_id": run_id, "source": source})
    text_id = stream_dom_id(run_id, source) + "-text"
    return json.dumps({"text_id": text_id, "placeholder": placeholder, "content": str(chunk.get("content") or "")})


def trace_builder_after(db: Session, run: Run, after_seq: int) -> TraceBuilder:
    """A trace builder that has seen the run's events up to `after_seq`, so timings, turns and tool
    pairing carry on."""
    builder = TraceBuilder(run)
    if after_seq > 0:
        assert run.id is not None
        for event in store.list_events(db, run.id, after_seq=0, limit=after_seq):
            builder.add(event)
    return builder


def _ended_view(engine: Engine, runs: RunManager, run_id: int) -> RunView | None:
    with store_session(engine) as db:
        run = store.get_run(db, run_id)
        return run_view(db, run, runs) if run is not None else None


__all__ = ["HEARTBEAT_SECONDS", "event_stream", "trace_builder_after"]
