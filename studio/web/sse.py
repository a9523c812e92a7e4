"""Server-Sent Events framing (the WHATWG `text/event-stream` format) and a heartbeat for idle streams.

    yield sse_message(html, event="event", id=7)   # "id: 7\nevent: event\ndata: <line 1>\ndata: <line 2>\n\n"
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import TypeVar

T = TypeVar("T")

MEDIA_TYPE = "text/event-stream"
# Proxies must not buffer or cache the stream; the browser must not sniff it.
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "X-Content-Type-Options": "nosniff"}
KEEPALIVE = ": keep-alive\n\n"


def sse_message(data: str, *, event: str | None = None, id: int | None = None) -> str:
    """One message: every line of `data` its own `data:` field, so multi-line HTML arrives whole."""
    lines = []
    if id is not None:
        lines.append(f"id: {id}")
    if event:
        lines.append(f"event: {_one_line(event)}")
    lines.extend(f"data: {line}" for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(lines) + "\n\n"


def last_event_id(header: str | None, fallback: int = 0) -> int:
    """The seq a reconnecting browser saw last (`Last-Event-ID`), else `fallback`; junk counts as absent."""
    if header and header.strip().isdigit():
        return int(header.strip())
    return fallback


async def with_heartbeat(items: AsyncIterator[T], every: float) -> AsyncIterator[T | None]:
    """`items`, with a `None` after every `every` seconds of silence (time to send `KEEPALIVE`).

    The pending `anext` is never cancelled on a timeout: cancelling it would end the source iterator.
    """
    pending: asyncio.Task[T] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(items))
            done, _ = await asyncio.wait({pending}, timeout=every)
            if not done:
                yield None
                continue
            task, pending = pending, None
            try:
                value = task.result()
            except StopAsyncIteration:
                return
            yield value
    finally:
        if pending is not None:  # closed early: stop the source's step before the caller closes the source
            pending.cancel()
            with suppress(BaseException):
                await pending


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


__all__ = ["HEADERS", "KEEPALIVE", "MEDIA_TYPE", "last_event_id", "sse_message", "with_heartbeat"]
