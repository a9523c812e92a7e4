"""Argument models from JSON schemas (runtime/tools/args_model.py): the schema AutoGen's HttpTool shows the model
(json_schema_to_pydantic's model, `$defs` inlined), its validation, and what cannot be modelled."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, ValidationError

from studio.runtime.tools.args_model import args_schema, model_from_json_schema

RICH = {"type": "object", "required": ["tags"], "properties": {
    "tags": {"type": "array", "items": {"type": "string"}}, "n": {"type": "number", "default": 2.5},
    "opt": {"type": ["string", "null"]}, "unit": {"type": "string", "enum": ["c", "f"]},
    "inner": {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]},
    "free": {"type": "object"}}}


def test_the_schema_is_the_one_autogen_shows_for_the_same_json_schema() -> None:
    # Written by AutoGen 0.7.5's HttpTool with json_schema_to_pydantic 0.5 (tests/compat compares them live).
    assert args_schema(model_from_json_schema(RICH), "t", "d")["parameters"] == {
        "type": "object", "required": ["tags"], "additionalProperties": False, "properties": {
            "tags": {"items": {"type": "string"}, "title": "Tags", "type": "array"},
            "n": {"default": 2.5, "title": "N", "type": "number"},
            "opt": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Opt"},
            "unit": {"default": None, "enum": ["c", "f"], "title": "Unit", "type": "string"},
            "inner": {"properties": {"x": {"title": "X", "type": "integer"}}, "required": ["x"],
                      "title": "DynamicModel", "type": "object"},
            "free": {"additionalProperties": True, "default": None, "title": "Free", "type": "object"}}}


def test_validation_coerces_as_pydantic_does_and_optional_arguments_are_null() -> None:
    model = model_from_json_schema(RICH)
    assert model.model_validate({"tags": ["a"], "inner": {"x": "3"}}).model_dump() == {
        "tags": ["a"], "n": 2.5, "opt": None, "unit": None, "inner": {"x": 3}, "free": None}
    with pytest.raises(ValidationError, match="2 validation errors for DynamicModel"):
        model.model_validate({"tags": "a", "unit": "k"})


def test_constraints_and_const_are_kept() -> None:
    model = model_from_json_schema({"type": "object", "properties": {
        "n": {"type": "integer", "minimum": 1, "maximum": 5}, "k": {"type": "string", "const": "key"}}})
    properties = args_schema(model, "t", "d")["parameters"]["properties"]
    assert properties["n"] == {"default": None, "maximum": 5, "minimum": 1, "title": "N", "type": "integer"}
    assert properties["k"] == {"const": "key", "default": None, "title": "K", "type": "string"}
    with pytest.raises(ValidationError):
        model.model_validate({"n": 9})


def test_a_strict_schema_of_a_plain_model() -> None:
    class Args(BaseModel):
        task: str

    assert args_schema(Args, "run", "Runs.", strict=True) == {"name": "run", "description": "Runs.", "strict": True,
        "parameters": {"type": "object", "properties": {"task": {"title": "Task", "type": "string"}},
                       "required": ["task"], "additionalProperties": False}}


@pytest.mark.parametrize("schema, problem", [
    ({"type": "array"}, "the JSON schema must describe an object, not 'array'"),
    ({"type": "object", "properties": {"x": {}}}, "property 'x': the schema must give a 'type'"),
    ({"type": "object", "properties": {"x": {"type": "date"}}}, "property 'x': unsupported type 'date'"),
    ({"type": "object", "properties": {"x": {"enum": []}}}, "property 'x': 'enum' must be a non-empty list"),
    ({"type": "object", "properties": []}, "'properties' must be an object"),
    ({"type": "object", "properties": {"x": 1}}, "property 'x': its schema must be an object"),
])
def test_what_cannot_be_modelled_is_a_value_error(schema, problem) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(problem)}$"):
        model_from_json_schema(schema)
