"""The live fan-out of a run's updates (playground/broker.py): each follower of a run gets each update, a
follower too slow to keep up gets a `resync` instead of growing memory, and the `end` always gets through."""

from __future__ import annotations

from studio.playground import broker
from studio.playground.broker import Broker, Update


def drained(subscription: broker.Subscription) -> list[Update]:
    updates = []
    while not subscription.queue.empty():
        updates.append(subscription.queue.get_nowait())
    return updates


async def test_each_follower_of_a_run_gets_each_of_its_updates() -> None:
    hub = Broker()
    first, second, other = hub.subscribe(1), hub.subscribe(1), hub.subscribe(2)
    hub.publish(1, Update("chunk", data={"content": "Hel"}))
    hub.publish(1, Update("end"))
    assert [u.kind for u in drained(first)] == [u.kind for u in drained(second)] == ["chunk", "end"]
    assert drained(other) == []
    hub.unsubscribe(1, first)
    hub.publish(1, Update("chunk"))
    assert drained(first) == [] and len(drained(second)) == 1
    hub.unsubscribe(1, second)
    hub.unsubscribe(1, second)  # twice, or after the run's last follower left: nothing to do
    hub.publish(1, Update("chunk"))


async def test_a_follower_that_falls_behind_gets_a_resync_and_still_the_end(monkeypatch) -> None:
    monkeypatch.setattr(broker, "FOLLOWER_QUEUE_SIZE", 3)
    hub = Broker()
    slow = hub.subscribe(1)
    for _ in range(4):
        hub.publish(1, Update("chunk"))
    assert [u.kind for u in drained(slow)] == ["resync"]  # its queue emptied: it re-reads the stored events
    for _ in range(3):
        hub.publish(1, Update("chunk"))
    hub.publish(1, Update("end"))
    assert [u.kind for u in drained(slow)] == ["resync", "end"]
