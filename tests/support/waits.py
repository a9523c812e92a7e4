"""Waiting on a condition: the one way the tests wait for something to happen.

A test never sleeps for a fixed time nor asserts on elapsed time (both fail on a busy machine or prove
nothing on a fast one). It polls the condition it needs, `await until(...)` in async code and
`wait_until(...)` in threads, subprocess fixtures and sync tests; each returns the condition's first truthy
value. `WAIT_SECONDS` is a hang guard, not a measure: far longer than anything takes on a loaded 2-core
machine, it only turns something that never happens into a failure (saying `message`) instead of a hung
suite. A condition may raise to fail at once (a server process that exited, say).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["WAIT_SECONDS", "until", "wait_until"]

T = TypeVar("T")
WAIT_SECONDS = 30.0
_POLL_SECONDS = 0.01

Message = str | Callable[[], str]


async def until(condition: Callable[[], T], *, timeout: float = WAIT_SECONDS,
                message: Message = "the condition never became true") -> T:
    """Poll `condition` on the event loop until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(_text(message, timeout))
        await asyncio.sleep(_POLL_SECONDS)
    return value


def wait_until(condition: Callable[[], T], *, timeout: float = WAIT_SECONDS,
               message: Message = "the condition never became true") -> T:
    """Poll `condition`, blocking this thread, until it returns something truthy, and return that."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(_text(message, timeout))
        time.sleep(_POLL_SECONDS)
    return value


def _text(message: Message, timeout: float) -> str:
    return f"{message() if callable(message) else message} (waited {timeout:g} s)"
