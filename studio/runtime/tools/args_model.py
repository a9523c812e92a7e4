"""Argument models of the tools whose arguments are a pydantic model, and the schema AutoGen publishes for them.

AutoGen's `BaseTool.schema` is its argument model's JSON schema with `$defs` inlined; `HttpTool` builds that
model from the tool's `json_schema` (the `json_schema_to_pydantic` package, which the studio does not need):
`model_from_json_schema` builds the same model for the JSON schema AutoGen's HttpTool documents (types,
`enum`, `const`, `items`, nested objects, nullable types, defaults and the common constraints), so the schema
the model sees and the validation errors come out as AutoGen's. Optional properties default to null.
"""

from __future__ import annotations

import warnings
from types import NoneType
from typing import Any, Literal, cast

from pydantic import BaseModel, Field, create_model

from ..models.types import ToolSchema

__all__ = ["args_schema", "model_from_json_schema"]

MODEL_NAME = "DynamicModel"  # json_schema_to_pydantic's name for every model it builds (errors name it)

_SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool, "null": NoneType}
_CONSTRAINTS = {
    "minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt",
    "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern",
    "minItems": "min_length", "maxItems": "max_length", "multipleOf": "multiple_of",
}


def model_from_json_schema(schema: dict[str, Any]) -> type[BaseModel]:
    """A pydantic model of an object JSON schema; raises ValueError for a schema it cannot model."""
    if not isinstance(schema, dict):
        raise ValueError("the JSON schema must be an object")
    if schema.get("type", "object") != "object":
        raise ValueError(f"the JSON schema must describe an object, not {schema.get('type')!r}")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise ValueError("'properties' must be an object")
    required = set(schema.get("required") or ())
    fields: dict[str, Any] = {}
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            raise ValueError(f"property {name!r}: its schema must be an object")
        try:
            kind = _type_of(prop)
        except ValueError as e:
            raise ValueError(f"property {name!r}: {e}") from None
        constraints = {_CONSTRAINTS[k]: v for k, v in prop.items() if k in _CONSTRAINTS}
        default = ... if name in required else prop.get("default")
        fields[name] = (kind, Field(default, description=prop.get("description"), **constraints))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # field names shadowing BaseModel attributes ("schema", "json")
        try:
            return create_model(MODEL_NAME, **fields)
        except Exception as e:  # pydantic refused a name or a constraint
            raise ValueError(f"cannot build an argument model: {e}") from None


def _type_of(prop: dict[str, Any]) -> Any:
    if "const" in prop:
        return Literal[prop["const"]]
    if "enum" in prop:
        values = prop["enum"]
        if not isinstance(values, list) or not values:
            raise ValueError("'enum' must be a non-empty list")
        return Literal[tuple(values)]
    kind = prop.get("type")
    if isinstance(kind, list):
        members = [_type_of({**prop, "type": k}) for k in kind]
        union: Any = members[0]
        for member in members[1:]:
            union = union | member
        return union
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind == "array":
        items = prop.get("items")
        item_type = _type_of(items) if isinstance(items, dict) else Any
        return list[item_type]  # type: ignore[valid-type]  # built at run time from the schema
    if kind == "object":
        return model_from_json_schema(prop) if prop.get("properties") else dict[str, Any]
    raise ValueError("the schema must give a 'type'" if kind is None else f"unsupported type {kind!r}")


def args_schema(model: type[BaseModel], name: str, description: str, *, strict: bool = False) -> ToolSchema:
    """AutoGen's `BaseTool.schema` of a tool whose arguments are `model`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model_schema = model.model_json_schema()
    defs = model_schema.pop("$defs", None)
    if defs:
        model_schema = cast(dict[str, Any], _inline(model_schema, defs))
    parameters = {
        "type": "object",
        "properties": model_schema["properties"],
        "required": model_schema.get("required", []),
        "additionalProperties": model_schema.get("additionalProperties", False),
    }
    return ToolSchema(name=name, description=description, parameters=parameters, strict=strict)


def _inline(value: Any, defs: dict[str, Any]) -> Any:
    """`value` with each `{"$ref": "#/$defs/X", ...}` replaced by definition X (its sibling keys dropped, as
    `jsonref.replace_refs` does)."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in value.items()}
    if isinstance(value, list):
        return [_inline(v, defs) for v in value]
    return value
