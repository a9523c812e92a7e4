"""Reading what a browser submits for a `Form`: strings (or lists of them for repeated names), with
unticked checkboxes absent. Private to `forms.py`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from studio.components import MASK, Problem
from studio.http import json_input

if TYPE_CHECKING:
    from .forms import FormField, Kind

Submitted = Mapping[str, "str | list[str]"]
CHECKED = "on"
"""What a browser sends for a ticked checkbox without a `value` attribute."""
CLEAR = "!clear"
"""Suffix of the checkbox that removes a stored secret: `config.api_key!clear`."""
TRI_STATE = (("", "Default"), ("true", "Yes"), ("false", "No"))
"""The choices of an optional yes/no field, where empty means "leave it to the library"."""


class Unparsable(ValueError):
    """A submitted value that cannot become its field's type."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message, self.path = message, path


def read_fields(fields: Iterable[FormField], submitted: Submitted,
                originals: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The changed values by path (None: remove), and the values that did not parse.

    A field whose inputs are as the form showed them is left out, so it keeps its stored value (or stays
    absent). Non-checkbox inputs missing from `submitted` leave their field alone."""
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in fields:
        if field.kind == "component" or not _was_submitted(field, submitted):
            continue
        if field.kind == "secret":
            _secret(field, submitted, changes)
        elif _received(field, submitted) != inputs(field):
            try:
                changes[field.path] = convert(field, submitted, originals.get(field.path))
            except Unparsable as exc:
                problems.append(Problem(exc.path, exc.message))
    return changes, problems


def inputs(field: FormField) -> dict[str, str]:
    """The values a browser sends for an untouched field."""
    out: dict[str, str] = {}
    for leaf in field.leaves():
        if leaf.kind == "checkbox":
            if leaf.value:
                out[leaf.path] = CHECKED
        elif leaf.kind == "secret":
            out[leaf.path] = ""
        elif leaf.kind != "component":
            out[leaf.path] = leaf.value
    return out


def _one(raw: str | list[str] | None, kind: Kind) -> str | None:
    """One submitted value, normalised: the last of repeated inputs, CRLF as LF."""
    if isinstance(raw, list):
        if kind == "checkbox":
            return CHECKED if any(_ticked(v) for v in raw) else None
        raw = "\n".join(raw) if kind == "list_text" else raw[-1] if raw else ""
    if raw is None:
        return None
    if kind == "checkbox":
        return CHECKED if _ticked(raw) else None
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _ticked(value: str) -> bool:
    return value.strip().lower() not in ("", "false", "off", "0", "no")


def _received(field: FormField, submitted: Submitted) -> dict[str, str]:
    out = {}
    for leaf in field.leaves():
        value = _one(submitted.get(leaf.path), leaf.kind)
        if value is not None:
            out[leaf.path] = value
    return out


def _was_submitted(field: FormField, submitted: Submitted) -> bool:
    """Whether the form carried this field: any of its non-checkbox inputs, or only checkboxes."""
    typed = [leaf for leaf in field.leaves() if leaf.kind != "checkbox"]
    return not typed or any(leaf.path in submitted for leaf in typed) or field.clear_name in submitted


def _secret(field: FormField, submitted: Submitted, changes: dict[str, Any]) -> None:
    if _ticked(_one(submitted.get(field.clear_name), "text") or ""):
        changes[field.path] = None
        return
    value = _one(submitted.get(field.path), "secret")
    if value and value != MASK:
        changes[field.path] = value


def convert(field: FormField, submitted: Submitted, original: Any = None) -> Any:
    """The typed value of a submitted field; raises `Unparsable` when it does not parse.
    `original` is the stored value: a sub-form keeps the keys it does not show."""
    if field.kind == "group":
        values = {leaf.name: _leaf(leaf, submitted, required=False) for leaf in field.fields}
        if not values["family"] and not any(values[k] for k in values if k != "family"):
            return None if not field.required else values
        kept = original if isinstance(original, dict) else {}
        return {**kept, **values, "family": values["family"] or ""}
    if field.kind == "rows":
        items = []
        for row in field.rows:
            item = {leaf.name: _leaf(leaf, submitted, required=False) for leaf in row}
            item = {k: v for k, v in item.items() if v}
            if item.get("target"):
                items.append(item)
        return items or (None if not field.required else [])
    return _leaf(field, submitted, field.required)


def _leaf(field: FormField, submitted: Submitted, required: bool) -> Any:
    raw = _one(submitted.get(field.path), field.kind)
    if field.kind == "checkbox":
        return raw is not None
    text = raw or ""
    if field.kind in ("text", "textarea", "code"):
        return text if text or required else None
    if field.kind == "list_text":
        items = [line.strip() for line in text.split("\n") if line.strip()]
        return items if items or required else None
    if not text.strip():
        if required:
            raise Unparsable(_EMPTY.get(field.kind, "enter a value"), field.path)
        return None
    if field.kind == "integer":
        try:
            return int(text.strip())
        except ValueError:
            raise Unparsable("enter a whole number", field.path) from None
    if field.kind == "number":
        try:
            number = float(text.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise Unparsable("enter a number", field.path)
        return number
    if field.kind == "select":
        allowed = [value for value, _ in field.choices]
        if text not in allowed:
            raise Unparsable("choose one of " + ", ".join(repr(a) for a in allowed if a), field.path)
        return {"true": True, "false": False}.get(text, text) if field.choices == TRI_STATE else text
    try:
        return json_input.loads(text)
    except json_input.JSONInputError as exc:
        raise Unparsable(f"enter valid JSON ({exc.message})", json_input.join_path(field.path, exc.path)) from None


_EMPTY = {"integer": "enter a whole number", "number": "enter a number", "select": "choose a value",
          "json": "enter JSON"}
