"""Helpers for factories and dumpers: lazy runtime imports, plain data, notes kept on runtime objects."""

from __future__ import annotations

import dataclasses
import importlib
import weakref
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

_notes: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def runtime_class(path: str) -> Any:
    """Import a studio runtime class by dotted path, on first use (a missing piece fails only here)."""
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except AttributeError as exc:
        raise ImportError(f"{module} has no {name}") from exc


def build(path: str, *args: Any, **kwargs: Any) -> Any:
    return runtime_class(path)(*args, **kwargs)


def plain(value: Any) -> Any:
    """JSON-like data from whatever a runtime object holds (pydantic models, dataclasses, tuples, paths)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    return value


def attrs(obj: Any, *names: str) -> dict[str, Any]:
    """The named public attributes of a runtime object, as plain data (missing ones are None)."""
    return {name: plain(getattr(obj, name, None)) for name in names}


def remember(obj: Any, **notes: Any) -> None:
    """Keep file-only facts (label, description, masked secrets) on a runtime object for the dumper."""
    for key, value in notes.items():
        try:
            setattr(obj, f"_component_{key}", value)
        except (AttributeError, TypeError):
            try:
                _notes.setdefault(obj, {})[key] = value
            except TypeError:
                pass


def recall(obj: Any, key: str, default: Any = None) -> Any:
    value = getattr(obj, f"_component_{key}", None)
    if value is None:
        try:
            value = _notes.get(obj, {}).get(key)
        except TypeError:
            value = None
    return default if value is None else value
