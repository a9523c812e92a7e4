"""A token that cancels everything linked to it: model calls, tool calls, a whole run."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any, TypeVar

_F = TypeVar("_F", bound=asyncio.Future[Any])


class CancellationToken:
    def __init__(self) -> None:
        self._cancelled = False
        self._callbacks: dict[int, Callable[[], object]] = {}
        self._keys = itertools.count()

    def cancel(self) -> None:
        if self._cancelled:
            return
        self._cancelled = True
        callbacks, self._callbacks = list(self._callbacks.values()), {}
        for callback in callbacks:
            callback()

    def is_cancelled(self) -> bool:
        return self._cancelled

    def add_callback(self, callback: Callable[[], object]) -> int:
        """Call `callback` on cancellation (now, if already cancelled); returns a key for `remove_callback`."""
        key = next(self._keys)
        if self._cancelled:
            callback()
        else:
            self._callbacks[key] = callback
        return key

    def remove_callback(self, key: int) -> None:
        self._callbacks.pop(key, None)

    def link_future(self, future: _F) -> _F:
        """Cancel `future` when this token is cancelled, until the future is done; returns the future."""
        key = self.add_callback(future.cancel)
        future.add_done_callback(lambda _: self.remove_callback(key))
        return future
