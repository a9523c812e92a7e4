"""Tool schemas built from source must equal what AutoGen 0.7.5 builds from the live function.

The expected dicts were produced once with autogen_core.tools.FunctionTool(...).schema in the
AutoGen venv and are hard-coded here (no AutoGen needed to run these tests).
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from studio.runtime.tools import FunctionTool, build_schema, check_function_source, parse_function

ADD = '''
def add(a: int, b: int = 2) -> int:
    """Add two numbers."""
    return a + b
'''

RICH = '''
from typing import Annotated, Literal, Optional, Union, List, Dict, Any
def rich(city: Annotated[str, "The city name"], units: Literal["c", "f"] = "c", days: Optional[int] = None,
         tags: list[str] = [], extra: Dict[str, float] = {}, flag: bool = False, ratio: float = 0.5,
         anything: Any = None, either: Union[int, str] = 1, maybe: int | None = None, nested: List[List[int]] = [[1]],
         plain_list: list = [], plain_dict: dict = {}, nothing: None = None,
         info: Annotated[Optional[str], "Extra info"] = None, lit_num: Literal[1, 2] = 1) -> str:
    return city
'''

FETCH = '''
async def fetch_data(url_path: str, cancellation_token: "CancellationToken" = None) -> str:
    return url_path
'''

AUTOGEN_ADD = {
    "name": "add",
    "description": "desc",
    "parameters": {
        "type": "object",
        "properties": {
            "a": {"description": "a", "title": "A", "type": "integer"},
            "b": {"default": 2, "description": "b", "title": "B", "type": "integer"},
        },
        "required": ["a"],
        "additionalProperties": False,
    },
    "strict": False,
}

AUTOGEN_RICH_PROPERTIES = {
    "city": {"description": "The city name", "title": "City", "type": "string"},
    "units": {"default": "c", "description": "units", "enum": ["c", "f"], "title": "Units", "type": "string"},
    "days": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None, "description": "days", "title": "Days"},
    "tags": {"default": [], "description": "tags", "items": {"type": "string"}, "title": "Tags", "type": "array"},
    "extra": {"additionalProperties": {"type": "number"}, "default": {}, "description": "extra", "title": "Extra",
              "type": "object"},
    "flag": {"default": False, "description": "flag", "title": "Flag", "type": "boolean"},
    "ratio": {"default": 0.5, "description": "ratio", "title": "Ratio", "type": "number"},
    "anything": {"default": None, "description": "anything", "title": "Anything"},
    "either": {"anyOf": [{"type": "integer"}, {"type": "string"}], "default": 1, "description": "either",
               "title": "Either"},
    "maybe": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None, "description": "maybe",
              "title": "Maybe"},
    "nested": {"default": [[1]], "description": "nested", "items": {"items": {"type": "integer"}, "type": "array"},
               "title": "Nested", "type": "array"},
    "plain_list": {"default": [], "description": "plain_list", "items": {}, "title": "Plain List", "type": "array"},
    "plain_dict": {"additionalProperties": True, "default": {}, "description": "plain_dict", "title": "Plain Dict",
                   "type": "object"},
    "nothing": {"default": None, "description": "nothing", "title": "Nothing", "type": "null"},
    "info": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "description": "Extra info",
             "title": "Info"},
    "lit_num": {"default": 1, "description": "lit_num", "enum": [1, 2], "title": "Lit Num", "type": "integer"},
}

AUTOGEN_FETCH_PARAMETERS = {
    "type": "object",
    "properties": {"url_path": {"description": "url_path", "title": "Url Path", "type": "string"}},
    "required": ["url_path"],
    "additionalProperties": False,
}


def test_simple_function_matches_autogen() -> None:
    assert FunctionTool(ADD, "add", "desc").schema == AUTOGEN_ADD


def test_rich_annotations_match_autogen_including_order() -> None:
    schema = FunctionTool(RICH, "rich", "desc").schema
    assert schema["parameters"]["properties"] == AUTOGEN_RICH_PROPERTIES
    assert list(schema["parameters"]["properties"]) == list(AUTOGEN_RICH_PROPERTIES)  # signature order
    assert schema["parameters"]["required"] == ["city"]


def test_cancellation_token_is_not_a_parameter() -> None:
    parsed = parse_function(FETCH, "fetch_data")
    assert parsed.is_async
    assert build_schema(parsed, "fetch_data", "desc")["parameters"] == AUTOGEN_FETCH_PARAMETERS


def test_description_falls_back_to_docstring() -> None:
    assert FunctionTool(ADD, "add", "").schema["description"] == "Add two numbers."
    assert FunctionTool(ADD, "add", "Adds.").schema["description"] == "Adds."


def test_unknown_annotations_and_non_literal_defaults_degrade() -> None:
    source = "LIMIT = 5\ndef f(when: Calendar, n: int = LIMIT, x=3) -> str:\n    return ''\n"
    props = FunctionTool(source, "f", "d").schema["parameters"]
    assert props["properties"]["when"] == {"description": "when", "title": "When"}  # no type
    assert props["properties"]["n"] == {"description": "n", "title": "N", "type": "integer"}  # no default
    assert props["properties"]["x"] == {"default": 3, "description": "x", "title": "X"}
    assert props["required"] == ["when"]


def test_standard_library_types_are_described_like_autogen() -> None:
    source = "import datetime\ndef f(day: datetime.date, at: datetime.datetime) -> str:\n    return ''\n"
    props = FunctionTool(source, "f", "d").schema["parameters"]["properties"]
    assert props["day"] == {"description": "day", "format": "date", "title": "Day", "type": "string"}
    assert props["at"]["format"] == "date-time"


def test_schema_is_a_fresh_copy() -> None:
    tool = FunctionTool(ADD, "add", "desc")
    tool.schema["parameters"]["properties"].clear()
    assert tool.schema == AUTOGEN_ADD


def test_validation_coerces_like_pydantic_and_names_missing_arguments() -> None:
    parsed = parse_function(ADD, "add")
    assert parsed.validate({"a": "3"}) == {"a": 3}
    with pytest.raises(ValidationError) as info:
        parsed.validate({"b": 1})
    assert "1 validation error for addargs\na\n  Field required" in str(info.value)


def test_check_function_source() -> None:
    assert check_function_source(ADD, "add") == []
    assert check_function_source(RICH, "rich") == []
    problems = check_function_source("def add(a: int, b: int)\n    return a + b\n", "add")
    assert len(problems) == 1 and problems[0][0] == "error" and problems[0][1].startswith("line 1: ")
    assert check_function_source("x = 1\n", "add") == [("error", "does not define a function named 'add'")]
    assert check_function_source(ADD, "sub") == [
        ("warning", "does not define a function named 'sub': 'add' will run under that name")
    ]
    assert check_function_source("def f(a, b: int) -> int:\n    return b\n", "f") == [
        ("error", "line 1: parameter 'a' has no type annotation")
    ]
    assert check_function_source("def f(_a: int) -> int:\n    return 1\n", "f") == []
