"""A tool's JSON schema and argument validator, built from function *source* without running it.

AutoGen builds a pydantic model from the live function's signature (`args_base_model_from_signature`)
and publishes its JSON schema. Studio never imports user code in the server, so it parses the source
with `ast`, maps each annotation to a typing object from a small whitelist, and hands those to pydantic:
the schema and the validation errors then come out exactly as AutoGen's do for the same function.
Annotations outside the whitelist (user classes, datetime, ...) degrade to `Any` (a property with no type).
"""

from __future__ import annotations

import ast
import datetime
import decimal
import functools
import pathlib
import textwrap
import uuid
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import GenericAlias, NoneType
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, Field, create_model

from ..models.types import ToolSchema

Severity = Literal["error", "warning"]

__all__ = ["ParsedFunction", "build_schema", "check_function_source", "find_function", "parse_function"]

_SCALARS: dict[str, Any] = {
    "int": int, "float": float, "str": str, "bool": bool, "bytes": bytes,
    "Any": Any, "object": Any, "None": NoneType, "NoneType": NoneType,
    # Standard-library types a tool commonly takes; the worker converts the JSON value the same way.
    "date": datetime.date, "datetime": datetime.datetime, "time": datetime.time,
    "timedelta": datetime.timedelta, "UUID": uuid.UUID, "Decimal": decimal.Decimal, "Path": pathlib.Path,
}
_CONTAINERS: dict[str, Any] = {
    "list": list, "List": list, "Sequence": list, "MutableSequence": list, "Iterable": list,
    "dict": dict, "Dict": dict, "Mapping": dict, "MutableMapping": dict,
    "tuple": tuple, "Tuple": tuple, "set": set, "Set": set, "frozenset": frozenset, "FrozenSet": frozenset,
}
_MAX_DEPTH = 12


class _NoDefault:
    """Marks a parameter whose default is not a literal: optional, but its value is unknown here."""

    def __repr__(self) -> str:
        return "<non-literal default>"


NON_LITERAL_DEFAULT = _NoDefault()


@dataclass(frozen=True)
class ParsedFunction:
    """What the runtime needs to know about a tool function, learnt from its source alone."""

    function_name: str
    docstring: str | None
    is_async: bool
    params: tuple[str, ...]  # parameter names in the schema, in signature order
    args_model: type[BaseModel]

    def validate(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Validate/coerce `args` like AutoGen does; raises pydantic.ValidationError.

        Returns only the arguments that were given: the function's own defaults fill the rest.
        """
        model = self.args_model.model_validate(args)  # a non-object (a JSON list) fails like in AutoGen
        fields = model.model_fields_set
        return {name: getattr(model, f"p{i}") for i, name in enumerate(self.params) if f"p{i}" in fields}


def find_function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The top-level function called `name`, else the first top-level function (what AutoGen loads)."""
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in functions:
        if node.name == name:
            return node
    return functions[0] if functions else None


def _parse(source_code: str) -> ast.Module:
    """Parse the (dedented) source; raises SyntaxError for anything unparsable."""
    try:
        return ast.parse(textwrap.dedent(source_code), "<tool source>")
    except (ValueError, RecursionError, MemoryError) as e:  # null bytes, absurd nesting
        raise SyntaxError(str(e) or type(e).__name__) from None


def _syntax_problem(e: SyntaxError, with_text: bool = False) -> str:
    text = (e.text or "").strip()
    where = f"line {e.lineno}: " if e.lineno else ""
    return f"{where}{e.msg}" + (f" ({text[:80]})" if with_text and text else "")


_EMPTY_CALLS = {"list": list, "dict": dict, "tuple": tuple, "set": set, "frozenset": frozenset}


def _literal(node: ast.expr) -> Any:
    """The value of a literal expression (also `set()` and friends), else NON_LITERAL_DEFAULT."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.args and not node.keywords:
        factory = _EMPTY_CALLS.get(node.func.id)
        return factory() if factory else NON_LITERAL_DEFAULT
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NON_LITERAL_DEFAULT


def _last_name(node: ast.expr) -> str | None:
    """`int` -> "int", `typing.Optional` -> "Optional", anything else -> None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _type_of(node: ast.expr | None, depth: int = 0) -> Any:
    """Map an annotation expression to a typing object from the whitelist (unknown -> Any)."""
    if node is None or depth > _MAX_DEPTH:
        return Any
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NoneType
        if isinstance(node.value, str):  # a string (forward-reference) annotation
            try:
                inner = ast.parse(node.value.strip(), mode="eval").body
            except SyntaxError:
                return Any
            return _type_of(inner, depth + 1)
        return Any
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return Union[_type_of(node.left, depth + 1), _type_of(node.right, depth + 1)]  # noqa: UP007
    name = _last_name(node)
    if name is not None:
        if name in _SCALARS:
            return _SCALARS[name]
        return _CONTAINERS.get(name, Any)
    if not isinstance(node, ast.Subscript):
        return Any
    base = _last_name(node.value)
    items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
    if base == "Annotated":
        return _type_of(items[0], depth + 1)
    if base == "Optional":
        return Optional[_type_of(items[0], depth + 1)]  # noqa: UP045
    if base == "Union":
        return Union[tuple(_type_of(item, depth + 1) for item in items)]  # noqa: UP007
    if base == "Literal":
        values = tuple(_literal(item) for item in items)
        if any(v is NON_LITERAL_DEFAULT or not isinstance(v, (str, int, bool, NoneType)) for v in values):
            return Any
        return Literal[values]
    origin = _CONTAINERS.get(base or "")
    if origin is None:
        return Any
    if origin in (tuple,) and len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is ...:
        return GenericAlias(tuple, (_type_of(items[0], depth + 1), ...))
    # Built from runtime values: `GenericAlias(dict, (k, v))` is `dict[k, v]`.
    args = tuple(_type_of(item, depth + 1) for item in items)
    if origin is dict and len(args) == 2:
        return GenericAlias(dict, args)
    if origin is tuple:
        return GenericAlias(tuple, args)
    return origin[args[0]] if len(args) == 1 else origin


def _description(param_name: str, annotation: ast.expr | None) -> str:
    """AutoGen's rule: the text of `Annotated[T, "text"]`, else the parameter name."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return param_name
    if isinstance(annotation, ast.Subscript) and _last_name(annotation.value) == "Annotated":
        items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else []
        if len(items) >= 2 and isinstance(items[1], ast.Constant) and isinstance(items[1].value, str):
            return items[1].value
    return param_name


def _signature(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.arg, ast.expr | None]]:
    """(parameter, default node) in signature order; *args/**kwargs are not tool arguments."""
    a = func.args
    positional = [*a.posonlyargs, *a.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
    return [*zip(positional, defaults, strict=True), *zip(a.kwonlyargs, a.kw_defaults, strict=True)]


@functools.lru_cache(maxsize=512)
def parse_function(source_code: str, name: str) -> ParsedFunction:
    """Parse the tool function out of `source_code`; raises ValueError describing the problem.

    Cached: building the pydantic argument model is the costly part, and the same tool is loaded often.
    """
    try:
        tree = _parse(source_code)
    except SyntaxError as e:
        raise ValueError(_syntax_problem(e)) from None
    func = find_function(tree, name)
    if func is None:
        raise ValueError(f"does not define a function named '{name}'")
    params: list[str] = []
    fields: dict[str, Any] = {}
    for arg, default_node in _signature(func):
        if arg.arg == "cancellation_token":  # supplied by the runtime, as in AutoGen
            continue
        default = ... if default_node is None else _literal(default_node)
        text = _description(arg.arg, arg.annotation)
        if default is NON_LITERAL_DEFAULT:  # optional, but leave the value to the function itself
            field = Field(default_factory=lambda: NON_LITERAL_DEFAULT, alias=arg.arg, description=text)
        else:
            field = Field(default=default, alias=arg.arg, description=text)
        fields[f"p{len(params)}"] = (_type_of(arg.annotation), field)
        params.append(arg.arg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = create_model(f"{name or func.name}args", **fields)
        except Exception as e:  # pydantic refused a type combination
            raise ValueError(f"cannot build an argument schema: {e}") from None
    return ParsedFunction(
        function_name=func.name,
        docstring=ast.get_docstring(func),
        is_async=isinstance(func, ast.AsyncFunctionDef),
        params=tuple(params),
        args_model=model,
    )


def build_schema(parsed: ParsedFunction, name: str, description: str | None) -> ToolSchema:
    """The tool schema AutoGen's `BaseTool.schema` produces (strict=False)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model_schema = parsed.args_model.model_json_schema()
    parameters = {
        "type": "object",
        "properties": model_schema.get("properties", {}),
        "required": model_schema.get("required", []),
        "additionalProperties": model_schema.get("additionalProperties", False),
    }
    text = description if description else (parsed.docstring or "")
    return ToolSchema(name=name, description=text, parameters=parameters, strict=False)


def check_function_source(source_code: str, name: str) -> list[tuple[Severity, str]]:
    """(severity, message) for each problem of a tool's source: [] when it is fine.

    Errors stop the tool from loading or being described. A name that matches no function is only a
    warning when the source defines another one, because AutoGen then runs that function under the name.
    """
    try:
        tree = _parse(source_code)
    except SyntaxError as e:
        return [("error", _syntax_problem(e, with_text=True))]
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    func = next((f for f in functions if f.name == name), None)
    if func is None:
        if not functions:
            return [("error", f"does not define a function named '{name}'")]
        message = f"does not define a function named '{name}': '{functions[0].name}' will run under that name"
        return [("warning", message)]
    problems: list[tuple[Severity, str]] = [
        ("error", f"line {arg.lineno}: parameter '{arg.arg}' has no type annotation")
        for arg, _ in _signature(func)
        if arg.annotation is None and arg.arg != "cancellation_token"
    ]
    try:
        parse_function(source_code, name)
    except ValueError as e:
        problems.append(("error", str(e)))
    return problems
