"""FunctionTool (runtime/tools/function_tool.py): AutoGen's source, imports and arguments, results and error texts.
How its calls run (the sandbox's workers, limits, cancellation) is tests/runtime/tools/test_sandbox.py."""

from __future__ import annotations

from studio.runtime.tools import FunctionTool

from .tool_support import ADD, call, tool


async def test_normal_call_coerces_arguments() -> None:
    result = await call(tool(ADD, "add"), {"a": "40"})
    assert (result.name, result.content, result.is_error) == ("add", "42", False)


async def test_missing_argument_is_an_error_naming_it() -> None:
    result = await call(tool(ADD, "add"), {"b": 1})
    assert result.is_error and "validation error for addargs\na\n  Field required" in result.content


async def test_async_tool_and_cancellation_token_parameter() -> None:
    source = (
        "import asyncio\n"
        "async def twice(x: float, cancellation_token=None) -> str:\n"
        "    await asyncio.sleep(0.01)\n"
        "    return f'{x * 2} {cancellation_token.is_cancelled()}'\n"
    )
    result = await call(tool(source, "twice"), {"x": 2})
    assert (result.content, result.is_error) == ("4.0 False", False)


async def test_global_imports_and_pydantic_results() -> None:
    source = (
        "class Point(BaseModel):\n    x: int\n    y: int\n\n"
        "def point(x: int) -> 'Point':\n    return Point(x=x, y=len(dumps([x, x])) + int(m.sqrt(4)))\n"
    )
    imports = [{"module": "pydantic", "imports": ["BaseModel"]}, {"module": "json", "imports": ["dumps"]},
               {"name": "math", "alias": "m"}]
    result = await call(tool(source, "point", global_imports=imports), {"x": 1})
    assert (result.content, result.is_error) == ('{"x": 1, "y": 8}', False)


async def test_raising_tool_gives_autogen_error_text() -> None:
    source = "def boom(n: int) -> int:\n    raise ValueError(f'bad value {n}')\n"
    result = await call(tool(source, "boom"), {"n": 3})
    assert (result.content, result.is_error) == ("bad value 3", True)
    group = "def grp() -> None:\n    raise ExceptionGroup('g', [ValueError('a'), KeyError('b')])\n"
    assert (await call(tool(group, "grp"))).content == "a\n'b'"


async def test_load_problems_are_error_results() -> None:
    bad_import = await call(tool(ADD, "add", global_imports=["no_such_module_xyz"]), {"a": 1})
    assert bad_import.is_error
    assert bad_import.content == (
        "Failed to import import no_such_module_xyz: Module not found. Please ensure the module is installed."
    )
    syntax = await call(tool("def add(a: int\n", "add"), {"a": 1})
    assert syntax.is_error and syntax.content.startswith("Could not compile and load function: line 1:")


async def test_tool_name_may_differ_from_the_function_name() -> None:
    renamed = FunctionTool(ADD, "adder", "adds")  # AutoGen loads the first function in the source
    assert renamed.schema["name"] == "adder"
    result = await call(renamed, {"a": 1})
    assert (result.name, result.content) == ("adder", "3")


