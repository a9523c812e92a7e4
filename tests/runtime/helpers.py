"""Small builders shared by the runtime tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from studio.runtime.agents import AssistantAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import HandoffMessage, TaskResult
from studio.runtime.models.replay import ReplayChatCompletionClient
from studio.runtime.models.types import CreateResult, FunctionCall, RequestUsage, ToolSchema
from studio.runtime.tools.base import Tool, ToolResult


def replay(*replies: str | CreateResult) -> ReplayChatCompletionClient:
    return ReplayChatCompletionClient(list(replies))


def agent(name: str, *replies: str | CreateResult, **kwargs: Any) -> AssistantAgent:
    return AssistantAgent(name, replay(*replies), **kwargs)


def tool_calls(*calls: tuple[str, dict[str, Any]], thought: str | None = None) -> CreateResult:
    """A model reply that calls tools: ("add", {"a": 1}) pairs, ids call_0, call_1, ..."""
    return CreateResult(
        finish_reason="function_calls",
        content=[FunctionCall(id=f"call_{i}", name=n, arguments=json.dumps(a)) for i, (n, a) in enumerate(calls)],
        usage=RequestUsage(prompt_tokens=0, completion_tokens=0),
        thought=thought,
    )


class PythonTool(Tool):
    """An in-process test tool (the product runs user tools in a sandbox; these tests exercise the agent)."""

    def __init__(self, name: str, func: Any) -> None:
        self.name = name
        self.description = f"test tool {name}"
        self.func = func
        self.calls: list[Mapping[str, Any]] = []

    @property
    def schema(self) -> ToolSchema:
        return ToolSchema(name=self.name, description=self.description, parameters={"type": "object", "properties": {}})

    async def run_json(self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None) -> ToolResult:
        self.calls.append(args)
        try:
            return ToolResult(name=self.name, content=str(await self.func(**args)))
        except Exception as e:
            return ToolResult(name=self.name, content=str(e), is_error=True)


async def run(team: Any, task: Any = "start") -> tuple[list[Any], TaskResult]:
    """Run a team; return every streamed item (without the result) and the TaskResult."""
    items = [item async for item in team.run_stream(task=task)]
    result = items.pop()
    assert isinstance(result, TaskResult)
    return items, result


def trace(items: list[Any]) -> list[tuple[str, str, Any]]:
    """(type, source, content) per item; handoffs show their target as content."""
    out = []
    for item in items:
        content = item.target if isinstance(item, HandoffMessage) else getattr(item, "content", None)
        if isinstance(content, list):
            content = [getattr(c, "name", c) for c in content]
        out.append((item.type, item.source, content))
    return out
