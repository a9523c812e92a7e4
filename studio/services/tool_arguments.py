"""The arguments form of a tool's Test button, generated from its JSON schema, and its parsing.

One input per parameter: numbers as number inputs, booleans as checkboxes, strings as text, arrays and
objects (and untyped parameters) as JSON text areas. Parsing turns the submitted strings back into JSON
values and names the argument in every error; the tool itself validates the values once more.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from studio.components import ComponentError, load_component

Input = Literal["number", "checkbox", "text", "json"]
FIELD_PREFIX = "arg."
"""Form field names are `arg.<parameter>`, so they never clash with the form's own fields."""

_INPUTS: dict[str, Input] = {"integer": "number", "number": "number", "boolean": "checkbox", "string": "text"}


@dataclass(frozen=True)
class ArgumentField:
    """One parameter of a tool as a form input."""

    name: str
    json_type: str | None  # "integer", "number", "boolean", "string", "array", "object"; None: any
    required: bool
    value: str  # the prefilled text: the default, as the input shows it
    help: str  # the parameter's description ("" when it is only the parameter's name)
    nullable: bool = False

    @property
    def input(self) -> Input:
        return _INPUTS.get(self.json_type or "", "json")

    @property
    def form_name(self) -> str:
        return FIELD_PREFIX + self.name

    @property
    def checked(self) -> bool:
        return self.value == "true"


def tool_argument_fields(component: dict[str, Any]) -> list[ArgumentField]:
    """The form of a tool component (its schema comes from the source: nothing runs); ValueError if invalid."""
    try:
        tool = load_component(component, kind="tool")
    except ComponentError as exc:
        raise ValueError(f"The tool cannot be loaded: {exc}") from None
    return argument_fields(tool.schema["parameters"])


def argument_fields(parameters: Mapping[str, Any]) -> list[ArgumentField]:
    """The form of a tool schema's `parameters` object, in the order of the signature."""
    required = set(parameters.get("required") or ())
    fields = []
    for name, prop in (parameters.get("properties") or {}).items():
        json_type, nullable = _json_type(prop)
        description = str(prop.get("description") or "")
        fields.append(ArgumentField(
            name=name, json_type=json_type, required=name in required, nullable=nullable,
            value=_shown(prop["default"], json_type) if "default" in prop else "",
            help="" if description == name else description,
        ))
    return fields


def parse_arguments(fields: list[ArgumentField], submitted: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """(arguments, errors) from the submitted form; each error starts with the argument's name.

    An empty optional input is left out, so the function's own default applies.
    """
    arguments: dict[str, Any] = {}
    errors: list[str] = []
    for f in fields:
        raw = submitted.get(f.form_name)
        if f.input == "checkbox":
            arguments[f.name] = raw is not None and raw != ""
            continue
        text = (raw or "").strip() if f.input != "text" else (raw or "")
        if text == "":
            if f.required and f.input != "text":
                errors.append(f"{f.name}: a value is required")
            elif f.required:
                arguments[f.name] = ""
            continue
        try:
            arguments[f.name] = _parse(f, text)
        except ValueError as exc:
            errors.append(f"{f.name}: {exc}")
    return arguments, errors


def _parse(f: ArgumentField, text: str) -> Any:
    if f.input == "text":
        return text
    if f.nullable and text == "null":
        return None
    if f.json_type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
    if f.json_type == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if f.json_type is None:
            return text  # an untyped parameter takes plain text too
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    expected = {"array": list, "object": dict}.get(f.json_type or "")
    if expected and not isinstance(value, expected):
        raise ValueError(f"expected a JSON {f.json_type}")
    return value


def _json_type(prop: Mapping[str, Any]) -> tuple[str | None, bool]:
    """The parameter's JSON type (the first non-null one of an `anyOf`), and whether null is allowed."""
    if isinstance(prop.get("type"), str):
        return prop["type"], False
    options = [o.get("type") for o in prop.get("anyOf") or () if isinstance(o, Mapping)]
    nullable = "null" in options
    types = [t for t in options if isinstance(t, str) and t != "null"]
    return (types[0] if len(types) == 1 else None), nullable


def _shown(default: Any, json_type: str | None) -> str:
    if default is None:
        return ""
    if json_type == "string" and isinstance(default, str):
        return default
    return json.dumps(default)


__all__ = ["FIELD_PREFIX", "ArgumentField", "argument_fields", "parse_arguments", "tool_argument_fields"]
