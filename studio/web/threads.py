"""Database work for async routes, off the event loop: `await in_db(engine, read, *args)`.

A route that awaits nothing is a plain `def` (FastAPI runs it in a worker thread); one that must await (an
upload, a probe's network call, a run) does its database work through `in_db`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from studio.store import session as store_session

T = TypeVar("T")


async def in_db(engine: Engine, read: Callable[..., T], *args: Any) -> T:
    """`read(db, *args)` in a worker thread with its own short session: async routes never block the event
    loop on the database, nor hold a connection while they await a run."""
    def call() -> T:
        with store_session(engine) as db:
            return read(db, *args)

    return await run_in_threadpool(call)


__all__ = ["in_db"]
