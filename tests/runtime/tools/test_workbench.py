"""A workbench (runtime/tools/workbench.py): the tools an agent may call, shown under their overrides, called
by the name the model sees; a tool that raises or is unknown is an error result, never an exception."""

from __future__ import annotations

import pytest

from studio.runtime.tools.workbench import StaticWorkbench, ToolOverride

from ..helpers import PythonTool


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
