"""The cancellation token (runtime/cancellation.py): cancelling calls every callback once, a callback added
after the cancel runs at once, and a linked future is cancelled until it is done."""

from __future__ import annotations

import asyncio

from studio.runtime.cancellation import CancellationToken


def test_cancel_calls_each_callback_once_and_late_ones_at_once() -> None:
    token, calls = CancellationToken(), []
    token.add_callback(lambda: calls.append("first"))
    removed = token.add_callback(lambda: calls.append("removed"))
    token.remove_callback(removed)
    token.cancel()
    token.cancel()
    assert calls == ["first"] and token.is_cancelled()
    token.add_callback(lambda: calls.append("late"))
    assert calls == ["first", "late"]


async def test_a_linked_future_is_cancelled_until_it_is_done() -> None:
    token, loop = CancellationToken(), asyncio.get_running_loop()
    done, pending = token.link_future(loop.create_future()), token.link_future(loop.create_future())
    done.set_result("kept")
    token.cancel()
    assert done.result() == "kept" and pending.cancelled()
