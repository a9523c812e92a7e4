"""Stores the events of every active run in shared, short transactions, off the event loop.

Many runs of one server produce events at nearly the same moments (their model replies arrive together),
and one transaction per event spends most of its time in per-transaction overhead and in worker threads
fighting the event loop for the GIL. So `write` queues the event and the writer's own thread stores
everything queued so far in one transaction (its own: the loop's shared executor has a handful of
threads, and run starts reading the database there would queue the events behind them). Once that transaction committed, the whole batch is handed to
`on_stored` (which publishes it to the followers) and only then are the writers woken with their rows:
an event is published only after it is stored, and the followers of a batch hear of it before the runs
that wrote it go on to their next model calls (delivery first, in a burst of 50 replies arriving at once).
A run awaits each write before its next event, so its events are stored and published in order. If a batch fails, its events are retried one transaction each, so a bad
event (say, of a run whose session was just deleted) fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from studio.store import runs as store
from studio.store.db import session as db_session
from studio.store.models import RunEvent


@dataclass(frozen=True, slots=True)
class _Pending:
    run_id: int
    seq: int
    data: dict[str, Any]
    stored: asyncio.Future[RunEvent]


class EventWriter:
    """Batches the runs' event inserts: at most one worker thread writing at a time."""

    def __init__(self, engine: Engine, on_stored: Callable[[RunEvent], None]) -> None:
        self._engine = engine
        self._on_stored = on_stored
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-event-writer")
        self._queued: list[_Pending] = []
        self._flushing: asyncio.Task[None] | None = None

    async def write(self, run_id: int, seq: int, data: dict[str, Any]) -> RunEvent:
        """Store `data` as the run's event `seq`; returns the committed row (raises what storing raised)."""
        stored: asyncio.Future[RunEvent] = asyncio.get_running_loop().create_future()
        self._queued.append(_Pending(run_id, seq, data, stored))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush(), name="run-event-writer")
        return await stored

    async def _flush(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    results = await asyncio.get_running_loop().run_in_executor(self._thread, self._store, batch)
                except BaseException:  # cancelled (the loop is going away): nobody may wait forever
                    for pending in batch:
                        pending.stored.cancel()
                    raise
                for result in results:
                    if isinstance(result, RunEvent):
                        self._on_stored(result)
                _settle(batch, results)
        finally:
            self._flushing = None

    def close(self) -> None:
        """Let the writer's thread go (after the runs have ended)."""
        self._thread.shutdown(wait=False)

    def _store(self, batch: list[_Pending]) -> list[RunEvent | Exception]:
        try:
            with db_session(self._engine) as db:
                return list(store.add_events(db, [(p.run_id, p.seq, p.data) for p in batch]))
        except Exception as error:
            if len(batch) == 1:
                return [error]
        return [result for pending in batch for result in self._store([pending])]


def _settle(batch: list[_Pending], results: list[RunEvent | Exception]) -> None:
    for pending, result in zip(batch, results, strict=True):
        if pending.stored.done():  # its run was cancelled meanwhile: the row is stored all the same
            continue
        if isinstance(result, Exception):
            pending.stored.set_exception(result)
        else:
            pending.stored.set_result(result)


__all__ = ["EventWriter"]
