"""Builders for the trace tests: stored-event-like rows from real message dumps, the templates' Jinja env."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from jinja2 import Environment

from studio.runtime.messages import TextMessage, ToolCallExecutionEvent, ToolCallRequestEvent, ToolCallSummaryMessage
from studio.runtime.models.types import FunctionCall, FunctionExecutionResult, RequestUsage
from studio.web.templating import make_environment

TEMPLATES = Path(__file__).resolve().parents[3] / "frontend" / "templates"
START = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


@dataclass
class Event:
    """A `RunEvent` row's shape."""

    seq: int
    type: str
    source: str
    data: dict[str, Any]
    created_at: datetime
    run_id: int = 1


@dataclass
class FakeRun:
    """A `Run` row's shape."""

    id: int = 1
    status: str = "complete"
    stop_reason: str = ""
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started_at: datetime = START
    finished_at: datetime | None = None


@dataclass
class Recorder:
    """Stored events made from messages' `dump()`, `step` seconds apart from `START`."""

    step: float = 1.0
    events: list[Event] = field(default_factory=list)

    def add(self, message: Any, after: float | None = None) -> Event:
        data = message.dump()
        last = self.events[-1].created_at if self.events else START
        event = Event(len(self.events) + 1, data["type"], data["source"], data,
                      last + timedelta(seconds=self.step if after is None else after))
        self.events.append(event)
        return event


def tool_run() -> Recorder:
    """A writer calling two tools (one fails), then summarising."""
    recorder = Recorder()
    recorder.add(TextMessage(source="user", content="What is 2+3 and the weather?"))
    recorder.add(ToolCallRequestEvent(source="writer", models_usage=RequestUsage(prompt_tokens=12, completion_tokens=7),
                                      content=[FunctionCall(id="c1", name="add", arguments='{"a": 2, "b": 3}'),
                                               FunctionCall(id="c2", name="weather", arguments='{"city": "Paris"}')]))
    recorder.add(ToolCallExecutionEvent(source="writer", content=[
        FunctionExecutionResult(call_id="c1", name="add", content="5", is_error=False),
        FunctionExecutionResult(call_id="c2", name="weather", content="Error: service down", is_error=True)]),
        after=0.25)
    recorder.add(ToolCallSummaryMessage(source="writer", content="5\nError: service down", tool_calls=[], results=[]))
    return recorder


def environment() -> Environment:
    return make_environment(TEMPLATES)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_items(items: list[Any]) -> str:
    loop = environment().from_string('{% for item in items %}{% include "playground/_event.html" %}{% endfor %}')
    return loop.render(items=items)


class Elements(HTMLParser):
    """Every start tag with its attributes, in document order (what the XSS tests inspect)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def with_attr(self, name: str, value: str | None = None) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if name in a and (value is None or a[name] == value)]
