"""A run's summary: status, duration, tokens by agent, model and tool calls, the termination that fired.

A pure function of the `Run` row and its stored events; `playground/_summary.html` renders it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

ENDED_STATUSES = frozenset({"complete", "error", "stopped", "interrupted"})
# The selector's speaker choice is a model call of its own (the other managers choose without a model).
SELECTOR_SOURCE = "SelectorGroupChatManager"


def duration_text(seconds: float | None) -> str:
    """`seconds` for people: "320 ms", "4.2 s", "3 min 5 s"; "" when unknown."""
    if seconds is None:
        return ""
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def as_datetime(value: Any) -> datetime | None:
    """A stored timestamp (datetime or ISO text) as an aware datetime; naive ones are UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass
class AgentTokens:
    agent: str
    prompt: int = 0
    completion: int = 0
    model_calls: int = 0

    @property
    def total(self) -> int:
        return self.prompt + self.completion


@dataclass
class RunSummary:
    """What `_summary.html` shows; `tokens_by_agent` is in order of first appearance."""

    run_id: int | None
    status: str
    stop_reason: str
    error: str | None
    duration: float | None
    tokens_by_agent: list[AgentTokens] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model_calls: int = 0
    selector_calls: int = 0
    tool_calls: int = 0
    tool_errors: int = 0
    events: int = 0

    @property
    def ended(self) -> bool:
        return self.status in ENDED_STATUSES

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def tokens_reported(self) -> bool:
        """Whether any model reported usage: a replayed recording without usage (0 + 0) reports none, and the
        summary says so rather than show zeros as if counted."""
        return self.total_tokens > 0

    @property
    def unattributed_tokens(self) -> int:
        """Tokens the run counted that no event carries (the selector's calls, for one)."""
        return max(self.total_tokens - sum(agent.total for agent in self.tokens_by_agent), 0)

    @property
    def duration_text(self) -> str:
        return duration_text(self.duration)


def run_summary(run: Any, events: Iterable[Any]) -> RunSummary:
    """Summarise `run` (a `Run` row or alike) from its events, in one pass."""
    agents: dict[str, AgentTokens] = {}
    summary = RunSummary(
        run_id=getattr(run, "id", None), status=str(run.status), stop_reason=run.stop_reason or "",
        error=getattr(run, "error", None), duration=_duration(run),
    )
    for event in events:
        summary.events += 1
        data = event.data if isinstance(event.data, dict) else {}
        usage = data.get("models_usage")
        if isinstance(usage, dict):
            agent = agents.setdefault(event.source, AgentTokens(event.source))
            agent.prompt += _count(usage.get("prompt_tokens"))
            agent.completion += _count(usage.get("completion_tokens"))
            agent.model_calls += 1
        if event.type == "SelectSpeakerEvent" and event.source == SELECTOR_SOURCE:
            summary.selector_calls += 1
        elif event.type == "ToolCallRequestEvent" and isinstance(data.get("content"), list):
            summary.tool_calls += len(data["content"])
        elif event.type == "ToolCallExecutionEvent" and isinstance(data.get("content"), list):
            summary.tool_errors += sum(1 for r in data["content"] if isinstance(r, dict) and r.get("is_error"))
    summary.tokens_by_agent = list(agents.values())
    summary.model_calls = sum(a.model_calls for a in agents.values()) + summary.selector_calls
    counted_prompt = sum(a.prompt for a in agents.values())
    counted_completion = sum(a.completion for a in agents.values())
    summary.prompt_tokens = max(_count(getattr(run, "prompt_tokens", 0)), counted_prompt)
    summary.completion_tokens = max(_count(getattr(run, "completion_tokens", 0)), counted_completion)
    return summary


def _duration(run: Any) -> float | None:
    start, end = as_datetime(getattr(run, "started_at", None)), as_datetime(getattr(run, "finished_at", None))
    return max((end - start).total_seconds(), 0.0) if start and end else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and value > 0 else 0


__all__ = ["AgentTokens", "RunSummary", "as_datetime", "duration_text", "run_summary"]
