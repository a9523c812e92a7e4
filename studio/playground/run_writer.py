"""Every write of the playground's runs (a new run's row, its events, how it ended) in shared, short
transactions on a thread of the writer's own.

Many runs of one server write at nearly the same moments: 50 runs started together create 50 rows, their
model replies arrive together, they end together. One transaction each, from a pool of threads, spends
most of its time waiting: for SQLite's write lock (its busy handler sleeps 1, 2, 5 ... 100 ms between
tries) and for the GIL the event loop holds. So each write is queued, and one thread stores everything
queued so far in one transaction: the rows made by `write` first, then the events, in one multi-row
INSERT. Nothing in a batch depends on another write of the same batch, because a run awaits each of its
writes before the next (its row before its events, its events in order, its ending last).

Once a batch committed, its events are handed to `on_stored` (which publishes them to the followers) and
only then are the writers woken: an event is published only after it is stored, and the followers of a
batch hear of it before the runs that wrote it go on to their next model calls (delivery first, when 50
replies arrive at once). If a batch fails, each of its writes is retried in a transaction of its own, so
a bad one (an event of a run whose session was just deleted, say) fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from studio import store
from studio.store.db import session as db_session
from studio.store.models import RunEvent

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Event:
    run_id: int
    seq: int
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Pending:
    write: _Event | Callable[[Session], Any]
    done: asyncio.Future[Any]


class RunWriter:
    """Batches the runs' writes: at most one transaction at a time, on the writer's own thread."""

    def __init__(self, engine: Engine, on_stored: Callable[[RunEvent], None]) -> None:
        self._engine = engine
        self._on_stored = on_stored
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="run-writer")
        self._queued: list[_Pending] = []
        self._flushing: asyncio.Task[None] | None = None

    async def event(self, run_id: int, seq: int, data: dict[str, Any]) -> RunEvent:
        """Store `data` as the run's event `seq`; returns the committed row (raises what storing raised)."""
        stored: RunEvent = await self._queue(_Event(run_id, seq, data))
        return stored

    async def write(self, write: Callable[[Session], T]) -> T:
        """Run `write(db)` in the next batch's transaction; returns its result once committed."""
        result: T = await self._queue(write)
        return result

    def close(self) -> None:
        """Let the writer's thread go (after the runs have ended)."""
        self._thread.shutdown(wait=False)

    async def _queue(self, write: _Event | Callable[[Session], Any]) -> Any:
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queued.append(_Pending(write, done))
        if self._flushing is None:
            self._flushing = asyncio.create_task(self._flush(), name="run-writer")
        return await done

    async def _flush(self) -> None:
        try:
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    results = await asyncio.get_running_loop().run_in_executor(self._thread, self._store, batch)
                except BaseException:  # cancelled (the loop is going away): nobody may wait forever
                    for pending in batch:
                        pending.done.cancel()
                    raise
                for result in results:
                    if isinstance(result, RunEvent):
                        self._on_stored(result)
                _settle(batch, results)
        finally:
            self._flushing = None

    def _store(self, batch: list[_Pending]) -> list[Any]:
        try:
            with db_session(self._engine) as db:
                return _apply(db, batch)
        except Exception as error:
            if len(batch) == 1:
                return [error]
        return [result for pending in batch for result in self._store([pending])]


def _apply(db: Session, batch: list[_Pending]) -> list[Any]:
    """The batch's results in its order: the plain writes one by one, then every event in one INSERT."""
    results: list[Any] = [None] * len(batch)
    events: list[tuple[int, _Event]] = []
    for index, pending in enumerate(batch):
        if isinstance(pending.write, _Event):
            events.append((index, pending.write))
        else:
            results[index] = pending.write(db)
    rows = store.add_events(db, [(e.run_id, e.seq, e.data) for _, e in events]) if events else []
    for (index, _), row in zip(events, rows, strict=True):
        results[index] = row
    return results


def _settle(batch: list[_Pending], results: list[Any]) -> None:
    for pending, result in zip(batch, results, strict=True):
        if pending.done.done():  # its run was cancelled meanwhile: the write is stored all the same
            continue
        if isinstance(result, Exception):
            pending.done.set_exception(result)
        else:
            pending.done.set_result(result)


__all__ = ["RunWriter"]
