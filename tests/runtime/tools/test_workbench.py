"""A workbench (runtime/tools/workbench.py): the tools an agent may call, shown under their overrides, called
by the name the model sees; a tool that raises or is unknown is an error result, never an exception."""

from __future__ import annotations

import pytest

from studio.runtime.tools.task_runner import AgentTool
from studio.runtime.tools.workbench import StaticStreamWorkbench, StaticWorkbench, ToolOverride

from ..helpers import PythonTool, agent


async def add(a: int, b: int) -> int:
    return a + b


class Raising(PythonTool):
    """A tool that raises instead of returning an error result."""

    async def run_json(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        raise ExceptionGroup("two failures", [ValueError("first"), KeyError("second")])


async def test_overrides_rename_and_redescribe_and_calls_use_the_shown_name() -> None:
    bench = StaticWorkbench([PythonTool("add", add)], {"add": {"name": "plus", "description": "Adds."}})
    assert [(s["name"], s["description"]) for s in await bench.list_tools()] == [("plus", "Adds.")]
    assert await bench.has_tool("plus") and not await bench.has_tool("add")
    result = await bench.call_tool("plus", {"a": 1, "b": 2})
    assert (result.name, result.content, result.is_error) == ("plus", "3", False)


async def test_unknown_and_raising_tools_are_error_results() -> None:
    bench = StaticWorkbench([Raising("broken", None)])
    unknown = await bench.call_tool("nope")
    assert (unknown.content, unknown.is_error) == ("Tool nope not found.", True)
    raised = await bench.call_tool("broken")
    assert (raised.content, raised.is_error) == ("first\n'second'", True)  # AutoGen's text: one part per line


def test_two_tools_may_not_be_shown_under_one_name() -> None:
    with pytest.raises(ValueError, match="Tool name 'add' is used twice in one workbench."):
        StaticWorkbench([PythonTool("add", add), PythonTool("sum", add)], {"sum": ToolOverride(name="add")})


async def test_a_stream_workbench_streams_a_stream_tools_events_then_its_result_under_the_shown_name() -> None:
    researcher = AgentTool(agent("researcher", "found it"))
    bench = StaticStreamWorkbench([researcher, PythonTool("add", add)], {"researcher": {"name": "ask"}})
    items = [item async for item in bench.call_tool_stream("ask", {"task": "look"})]
    assert [(type(i).__name__, i.content) for i in items] == [
        ("TextMessage", "look"), ("TextMessage", "found it"), ("ToolResult", "researcher: found it")]
    assert items[-1].name == "ask"
    plain = [item async for item in bench.call_tool_stream("add", {"a": 1, "b": 2})]  # not a stream tool
    assert [(i.name, i.content) for i in plain] == [("add", "3")]
    unknown = [item async for item in bench.call_tool_stream("nope")]
    assert [(i.content, i.is_error) for i in unknown] == [("Tool nope not found.", True)]


async def test_a_stream_tool_that_fails_ends_its_stream_with_an_error_result() -> None:
    bench = StaticStreamWorkbench([AgentTool(agent("researcher"))])  # the agent has no reply left
    items = [item async for item in bench.call_tool_stream("researcher", {"task": "look"})]
    assert [type(i).__name__ for i in items] == ["TextMessage", "ToolResult"] and items[-1].is_error
