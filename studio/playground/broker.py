"""Fan-out of a run's live updates to the followers watching it, in memory, one queue per follower.

A follower too slow to keep up (its queue full) is not allowed to grow memory without bound: its queue is
emptied and it gets a `resync` update instead, on which it re-reads the stored events it missed from the
database (chunks it missed are lost, as chunks are only a preview). The `end` update always gets through.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from studio.store.models import RunEvent, RunPublic

UpdateKind = Literal["event", "chunk", "question", "end", "resync", "keepalive"]
FOLLOWER_QUEUE_SIZE = 2000


@dataclass(frozen=True, slots=True)
class Update:
    """One thing a follower sees: a stored `event` (with its `seq`), a streamed `chunk`, a `question` for
    the user, or the `end` of the run (with the finished `run`); `follow` adds a `keepalive` after a silence.
    `resync` is internal to `follow`."""

    kind: UpdateKind
    seq: int | None = None
    event: RunEvent | None = None
    data: dict[str, Any] = field(default_factory=dict)
    run: RunPublic | None = None


class Subscription:
    """One follower's queue of updates for one run."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Update] = asyncio.Queue(maxsize=FOLLOWER_QUEUE_SIZE)

    def offer(self, update: Update) -> None:
        try:
            self.queue.put_nowait(update)
        except asyncio.QueueFull:
            _drain(self.queue)
            self.queue.put_nowait(Update("resync"))
            if update.kind == "end":
                self.queue.put_nowait(update)

    async def get(self) -> Update:
        return await self.queue.get()


class Broker:
    """Who follows which run; `publish` hands an update to each of them without waiting."""

    def __init__(self) -> None:
        self._followers: dict[int, set[Subscription]] = {}

    def subscribe(self, run_id: int) -> Subscription:
        subscription = Subscription()
        self._followers.setdefault(run_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, run_id: int, subscription: Subscription) -> None:
        followers = self._followers.get(run_id)
        if followers is not None:
            followers.discard(subscription)
            if not followers:
                del self._followers[run_id]

    def publish(self, run_id: int, update: Update) -> None:
        for subscription in list(self._followers.get(run_id, ())):
            subscription.offer(update)


def _drain(queue: asyncio.Queue[Update]) -> None:
    while not queue.empty():
        queue.get_nowait()


__all__ = ["Broker", "Subscription", "Update"]
