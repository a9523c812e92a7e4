"""Compare two runs event by event: which rows match, and where they first differ.

Events are paired by position and compared on (type, source, content as text). They may be stored
`RunEvent` rows (`type`, `source`, `data`), their `data` dicts (AutoGen `dump()`s), or runtime messages.
Streaming chunks are left out: they are previews of the message that follows, not part of the trace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any, Literal

Status = Literal["same", "different", "only_a", "only_b"]
CHUNK_TYPE = "ModelClientStreamingChunkEvent"


@dataclass(frozen=True)
class EventKey:
    """What two runs must agree on for an event to count as the same."""

    type: str
    source: str
    text: str


@dataclass(frozen=True)
class Row:
    """One position: the event of each run there (None past the end of a run) and how they compare."""

    index: int
    status: Status
    a: EventKey | None
    b: EventKey | None


@dataclass(frozen=True)
class Comparison:
    rows: list[Row]
    first_difference: int | None
    """Index of the first row that is not `same`; None when the runs match throughout."""

    @property
    def same(self) -> bool:
        return self.first_difference is None


def event_key(event: Any) -> EventKey:
    """The (type, source, content as text) of a stored event, a dump dict, or a runtime message."""
    data = _data(event)
    content = data.get("content")
    text = content if isinstance(content, str) else json.dumps(content, sort_keys=True, ensure_ascii=False)
    return EventKey(str(data.get("type") or getattr(event, "type", "")),
                    str(data.get("source") or getattr(event, "source", "")), text)


def trace_keys(events: Iterable[Any]) -> list[EventKey]:
    """The keys of a run's events, streaming chunks left out."""
    keys = (event_key(e) for e in events)
    return [k for k in keys if k.type != CHUNK_TYPE]


def compare_runs(events_a: Sequence[Any], events_b: Sequence[Any]) -> Comparison:
    """Pair the two runs' events by position and mark each pair."""
    rows: list[Row] = []
    for index, (a, b) in enumerate(zip_longest(trace_keys(events_a), trace_keys(events_b))):
        status: Status = "only_b" if a is None else "only_a" if b is None else "same" if a == b else "different"
        rows.append(Row(index, status, a, b))
    first = next((row.index for row in rows if row.status != "same"), None)
    return Comparison(rows, first)


def _data(event: Any) -> dict[str, Any]:
    if isinstance(event, dict):
        return event
    data = getattr(event, "data", None)
    if isinstance(data, dict):
        return data
    if hasattr(event, "dump"):
        dumped: dict[str, Any] = event.dump()
        return dumped
    raise TypeError(f"cannot compare {type(event).__name__}: not an event")
