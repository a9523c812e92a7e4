"""`load_component`, `dump_component`, `validate_component`: the package's front door."""

from __future__ import annotations

import contextlib
import json
import weakref
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ComponentValidationError, Problem, UnsupportedComponentError
from .registry import spec_for
from .secrets import mask_config, without_masks
from .validation import Node, pydantic_problems, validate_tree

Source = dict[str, Any] | str | Path | bytes


def _parse(data: Any) -> tuple[Any, list[Problem]]:
    """A document from a dict, JSON text, or a path (a `Path`, or a string naming an existing file)."""
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json", exclude_none=True), []
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8", errors="replace")
    if isinstance(data, str) and not data.lstrip().startswith(("{", "[")) and (
            Path(data).is_file() or data.endswith(".json")):
        data = Path(data)
    if isinstance(data, Path):
        try:
            data = data.read_text(encoding="utf-8")
        except OSError as exc:
            return None, [Problem("", f"cannot read {data}: {exc.strerror or exc}")]
    if isinstance(data, str):
        try:
            return json.loads(data), []
        except json.JSONDecodeError as exc:
            return None, [Problem("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]
    return data, []


def validate_component(data: Source, *, kind: str | None = None) -> list[Problem]:
    """Every problem in a component document, errors and warnings, each with its JSON path.

    `kind` ("team", "agent", ...) requires the top-level component to be of that type.
    """
    document, problems = _parse(data)
    if problems:
        return problems
    return validate_tree(document, kind)[1]


def load_component(data: Source, *, kind: str | None = None) -> Any:
    """Validate a document fully, then build its runtime object.

    Raises `ComponentValidationError` listing every problem if there is any error (warnings never
    block), and `UnsupportedComponentError` for valid components the runtime cannot run yet.
    """
    document, problems = _parse(data)
    if not problems:
        root, problems = validate_tree(document, kind)
        if root is not None and not any(p.severity == "error" for p in problems):
            return _build(root)
    raise ComponentValidationError(problems)


def _build(node: Node) -> Any:
    spec = node.spec
    assert spec is not None and node.config is not None  # guaranteed when validation found no error
    if spec.runtime is None:
        raise UnsupportedComponentError(node.path, spec.provider, spec.unsupported or "cannot be loaded")
    built = {
        name: [_build(c) for c in value if c is not None] if isinstance(value, list)
        else _build(value) if value is not None else None
        for name, value in node.children.items()
    }
    config, masked = without_masks(node.config)
    try:
        obj = spec.runtime._from_config(config, built)
    except (ValueError, TypeError) as exc:
        raise ComponentValidationError([Problem(node.path, f"{spec.name}: {exc}")]) from exc
    remember(obj, label=node.label, description=node.description, masked=masked or None)
    return obj


def dump_component(obj: Any) -> dict[str, Any]:
    """The component document of a runtime object, in AutoGen's form, with secrets masked.

    Writes the canonical provider and component type and the current version; keeps the label and
    description the object was loaded with (the label defaults to the class name).
    """
    spec = spec_for(obj)
    if spec is None:
        raise TypeError(f"cannot dump {type(obj).__name__}: it is not a studio component")
    raw = mask_config(obj._to_config(_dump_child), recall(obj, "masked", ()))
    try:
        config = spec.config.model_validate(raw).to_json()
    except ValidationError as exc:
        raise ComponentValidationError(pydantic_problems(exc, "config", spec.config)) from exc
    envelope: dict[str, Any] = {
        "provider": spec.provider,
        "component_type": spec.component_type,
        "version": spec.version,
        "component_version": spec.version,
        "label": recall(obj, "label", spec.name),
    }
    description = recall(obj, "description")
    if description is not None:
        envelope["description"] = description
    envelope["config"] = config
    return envelope


def _dump_child(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else dump_component(obj)


_notes: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def remember(obj: Any, **notes: Any) -> None:
    """Keep file-only facts (label, description, masked secrets) on a runtime object for its dump."""
    for key, value in notes.items():
        try:
            setattr(obj, f"_component_{key}", value)
        except (AttributeError, TypeError):
            with contextlib.suppress(TypeError):  # neither attributes nor weak references: not kept
                _notes.setdefault(obj, {})[key] = value


def recall(obj: Any, key: str, default: Any = None) -> Any:
    value = getattr(obj, f"_component_{key}", None)
    if value is None:
        try:
            value = _notes.get(obj, {}).get(key)
        except TypeError:
            value = None
    return default if value is None else value
