"""The tool interface (runtime/tools/base.py): a stream tool called without streaming gives its result, its
events dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import pytest

from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import BaseAgentEvent, BaseChatMessage, TextMessage
from studio.runtime.models.types import ToolSchema
from studio.runtime.tools.base import StreamTool, ToolResult


class Talker(StreamTool):
    def __init__(self, *items: Any) -> None:
        self.name, self.description, self.items = "talker", "Talks.", items

    @property
    def schema(self) -> ToolSchema:
        return ToolSchema(name=self.name, description=self.description, parameters={"type": "object"})

    async def run_json_stream(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> AsyncIterator[BaseAgentEvent | BaseChatMessage | ToolResult]:
        for item in self.items:
            yield item


async def test_run_json_gives_the_streams_result_without_its_events() -> None:
    tool = Talker(TextMessage(content="hi", source="inner"), ToolResult(name="talker", content="done"))
    assert await tool.run_json({}, CancellationToken()) == ToolResult(name="talker", content="done")


async def test_a_stream_without_a_result_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="Tool talker gave no result."):
        await Talker(TextMessage(content="hi", source="inner")).run_json({}, CancellationToken())
