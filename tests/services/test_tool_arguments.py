"""The Test form of a tool: one input per parameter from its schema, and parsing that names the argument."""

from __future__ import annotations

import pytest

from studio.services.tool_arguments import (
    argument_fields,
    parse_arguments,
    tool_argument_fields,
)

SOURCE = ('from typing import Annotated, Any, Optional\n\n'
          'def f(n: Annotated[int, "How many"], x: float, s: str = "hi", on: bool = True,\n'
          '      items: list[int] = [1], opts: dict = {}, maybe: Optional[float] = None, anything: Any = 3) -> str:\n'
          '    return ""\n')
TOOL = {"provider": "autogen_core.tools.FunctionTool",
        "config": {"name": "f", "description": "F.", "global_imports": [], "has_cancellation_support": False,
                   "source_code": SOURCE}}


def test_each_parameter_gets_an_input_for_its_type() -> None:
    fields = {f.name: f for f in tool_argument_fields(TOOL)}
    shown = {n: (f.input, f.required, f.value, f.help) for n, f in fields.items()}
    assert shown == {
        "n": ("number", True, "", "How many"),
        "x": ("number", True, "", ""),
        "s": ("text", False, "hi", ""),
        "on": ("checkbox", False, "true", ""),
        "items": ("json", False, "[1]", ""),
        "opts": ("json", False, "{}", ""),
        "maybe": ("number", False, "", ""),
        "anything": ("json", False, "3", ""),
    }
    assert fields["on"].checked and fields["maybe"].nullable
    assert fields["n"].form_name == "arg.n"


def test_submitted_values_become_json_values() -> None:
    fields = tool_argument_fields(TOOL)
    submitted = {"arg.n": "3", "arg.x": "2.5", "arg.s": " spaced ", "arg.items": "[1, 2]", "arg.opts": "",
                 "arg.maybe": "null", "arg.anything": "plain words"}
    arguments, errors = parse_arguments(fields, submitted)
    assert errors == []
    assert arguments == {"n": 3, "x": 2.5, "s": " spaced ", "on": False, "items": [1, 2], "maybe": None,
                         "anything": "plain words"}


@pytest.mark.parametrize(("submitted", "error"), [
    ({"arg.x": "1"}, "n: a value is required"),
    ({"arg.n": "2.5", "arg.x": "1"}, "n: '2.5' is not a whole number"),
    ({"arg.n": "1", "arg.x": "lots"}, "x: 'lots' is not a number"),
    ({"arg.n": "1", "arg.x": "1", "arg.items": "[1,"}, "items: not valid JSON (Expecting value at line 1 column 4)"),
    ({"arg.n": "1", "arg.x": "1", "arg.opts": "[]"}, "opts: expected a JSON object"),
])
def test_errors_name_the_argument(submitted: dict[str, str], error: str) -> None:
    assert parse_arguments(tool_argument_fields(TOOL), submitted)[1] == [error]


def test_a_tool_that_cannot_load_is_a_clear_error() -> None:
    broken = {"provider": "autogen_core.tools.FunctionTool", "config": {"name": "f"}}
    with pytest.raises(ValueError, match="The tool cannot be loaded"):
        tool_argument_fields(broken)
    assert argument_fields({}) == []
