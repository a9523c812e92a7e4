"""Server-Sent Events framing (the WHATWG `text/event-stream` format).

    yield sse_message(html, event="event", id=7)   # "id: 7\nevent: event\ndata: <line 1>\ndata: <line 2>\n\n"
"""

from __future__ import annotations

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


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


__all__ = ["HEADERS", "KEEPALIVE", "MEDIA_TYPE", "last_event_id", "sse_message"]
