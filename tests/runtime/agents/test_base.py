"""What every agent is (runtime/agents/base.py): run alone on a task, it yields the task, its events and its
reply, then a result of them without the streamed chunks, and ends its run whatever happens."""

from __future__ import annotations

import pytest

from studio.runtime.messages import TaskResult, TextMessage
from studio.runtime.models import ModelClientError

from ..helpers import PythonTool, agent, tool_calls


async def test_run_stream_yields_the_task_the_events_and_the_reply_then_the_result() -> None:
    async def add(a: int, b: int) -> int:
        return a + b

    me = agent("calc", tool_calls(("add", {"a": 2, "b": 3})), tools=[PythonTool("add", add)], model_client_stream=True)
    items = [item async for item in me.run_stream(task=TextMessage(content="2+3?", source="alice"))]
    result = items[-1]
    assert isinstance(result, TaskResult)
    assert [m.type for m in result.messages] == [
        "TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "ToolCallSummaryMessage"]
    assert result.messages[0].source == "alice"  # a message task is kept as given; a text one is the user's
    assert [i for i in items[:-1] if i.type != "ModelClientStreamingChunkEvent"] == result.messages


async def test_the_run_ends_even_when_the_agent_fails() -> None:
    me = agent("a")  # no replies scripted: the model fails
    ended = []

    async def end_run() -> None:
        ended.append(True)

    me.end_run = end_run  # type: ignore[method-assign]
    with pytest.raises(ModelClientError, match="no more responses"):
        await me.run(task="hello")
    assert ended == [True]
