"""Variables for tools: a FunctionTool's worker gets the variables it declares, and no other tool's worker does."""

from __future__ import annotations

import json

from studio.components import dump_component, load_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools import FunctionTool

READ_ENV = ("import os\n\ndef read_env() -> str:\n"
            "    return repr({k: os.environ.get(k) for k in ('SERPAPI_KEY', 'OTHER', 'PATH')})\n")
ECHO = "import os\n\ndef echo() -> str:\n    return 'key is ' + os.environ['SERPAPI_KEY']\n"
VALUE = "serp-secret-value-0123456789"


def component(source: str, name: str, **config: object) -> dict:
    return {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
            "config": {"name": name, "description": "d", "source_code": source, "global_imports": [],
                       "has_cancellation_support": False, **config}}


async def call(tool: FunctionTool) -> tuple[str, bool]:
    result = await tool.run_json({}, CancellationToken(), call_id="c1")
    return result.content, result.is_error


async def test_only_declared_variables_reach_the_tools_own_worker() -> None:
    declared = load_component(component(READ_ENV, "read_env", variables=["SERPAPI_KEY"],
                                        variable_values={"SERPAPI_KEY": VALUE, "OTHER": "not-declared"}))
    undeclared = load_component(component(READ_ENV, "read_env"))
    first, _ = await call(declared)
    assert "'SERPAPI_KEY': '**********'" in first  # it arrived (and its echo is masked in the result)
    assert "'OTHER': None" in first
    second, _ = await call(undeclared)  # the same sandbox pool: a worker without the variable
    assert "'SERPAPI_KEY': None" in second and VALUE not in second


async def test_a_missing_variable_is_a_clear_error_and_the_tool_does_not_run() -> None:
    tool = load_component(component(ECHO, "echo", variables=["SERPAPI_KEY"]))
    content, is_error = await call(tool)
    assert is_error and content == ("Tool 'echo' needs the variable SERPAPI_KEY: add it under Variables for tools "
                                    "in Settings")


def test_the_declaration_is_kept_and_the_values_never_written() -> None:
    tool = load_component(component(ECHO, "echo", variables=["SERPAPI_KEY"], variable_values={"SERPAPI_KEY": VALUE}))
    dumped = dump_component(tool)
    assert dumped["config"]["variables"] == ["SERPAPI_KEY"] and VALUE not in json.dumps(dumped)
    assert VALUE not in repr(tool.__dict__.get("_code"))
    assert "variables" not in dump_component(load_component(component(ECHO, "echo")))["config"]
