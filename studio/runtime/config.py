"""Config models: the base every provider's config extends, its field helpers, and the component protocol.

Each runtime class that is a component (AutoGen's `Component`) keeps its config model beside it as
`component_config_schema`, is built from a validated config by `_from_config` and gives its config back as
plain data by `_to_config`. The same model validates files (`studio.components`) and fills the Builder's
forms, whose help texts are its field descriptions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePath
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Component = dict[str, Any]
"""A nested component envelope. The config model checks only that it is an object; the loader then
checks it on its own, with its provider's model, so each problem is reported once."""

SECRET_FIELDS = ("api_key", "azure_ad_token")
"""The config fields that hold a secret (typed `SecretStr`): masked in every file written, never logged."""

SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization"})
"""The HTTP headers (of a model client's `default_headers`, lower-cased) whose value is a secret."""

TAG_PREFIX = "~"
"""Union branch tags start with this, so validation paths can leave them out."""

FILLED = "x-filled"
AUTOGEN_REQUIRED = "x-autogen-required"


def filled(default: Any, *, autogen_required: bool = False, **constraints: Any) -> Any:
    """A field whose absence (or null) means `default`, which the canonical form writes out.

    `autogen_required`: AutoGen 0.7.5's loader refuses a config without this field (its config class
    gives no default) while the studio defaults it. This is the one declaration of that set: validation
    warns when a file leaves such a field out, and the canonical form always writes it, even when its
    default is null (AutoGen then needs the key)."""
    extra: dict[str, Any] = {FILLED: True}
    if autogen_required:
        extra[AUTOGEN_REQUIRED] = True
    return Field(default, json_schema_extra=extra, **constraints)


def _extra(model: type[BaseModel], key: str) -> tuple[str, ...]:
    return tuple(name for name, field in model.model_fields.items()
                 if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get(key))


@cache
def filled_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a config model declared with `filled` (null means the default)."""
    return _extra(model, FILLED)


@cache
def autogen_required_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields AutoGen 0.7.5 requires that the studio defaults (`filled(..., autogen_required=True)`)."""
    return _extra(model, AUTOGEN_REQUIRED)


class ConfigModel(BaseModel):
    """Base of every config model: unknown keys are ignored (AutoGen does the same)."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data: Any) -> Any:
        """A `filled` field given as null takes its default, as the runtime's constructors do."""
        if isinstance(data, dict):
            nulls = [name for name in filled_fields(cls) if name in data and data[name] is None]
            if nulls:
                return {k: v for k, v in data.items() if k not in nulls}
        return data

    def to_json(self) -> dict[str, Any]:
        """AutoGen's dump: `model_dump(exclude_none=True)`, in field order, plus the AutoGen-required keys
        even when null. Secrets come out as AutoGen's mask (pydantic writes a `SecretStr` so)."""
        data = self.model_dump(mode="json", exclude_none=True)
        required = autogen_required_fields(type(self))
        if any(name not in data for name in required):
            data = {name: data.get(name) for name in type(self).model_fields if name in data or name in required}
        return data

    def canonical_json(self) -> dict[str, Any] | None:
        """The config as the runtime dumps what it builds from it, at the current version (`to_json`
        unless a provider's runtime rewrites it), or None when it cannot be built."""
        return self.to_json()


@dataclass(frozen=True, slots=True)
class Slot:
    """A config field holding nested components, the component types it accepts, and whether it is a list."""

    field: str
    kinds: tuple[str, ...]
    many: bool


def slot(*kinds: str, many: bool = False, default: Any = None, description: str | None = None) -> Any:
    """Declare a field that holds one nested component (or a list of them with `many=True`).

    A component `default` is `filled`: the runtime builds it when the field is absent or null, and the
    canonical form writes it."""
    extra: dict[str, Any] = {"x-component": list(kinds), "x-many": many}
    if isinstance(default, dict):
        extra[FILLED] = True
    return Field(default, json_schema_extra=extra, description=description)


@cache
def slots_of(model: type[BaseModel]) -> tuple[Slot, ...]:
    """The nested-component fields of a config model (computed once per model)."""
    found = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        if isinstance(extra, dict) and "x-component" in extra:
            found.append(Slot(name, tuple(extra["x-component"]), bool(extra.get("x-many"))))  # type: ignore[arg-type]
    return tuple(found)


def branch(name: str) -> Tag:
    """Marks one member of a `tagged` union: `Annotated[Kind, branch("name")]`."""
    return Tag(TAG_PREFIX + name)


def tagged(choose: Callable[[Any], str]) -> Discriminator:
    """The metadata of a union whose member (each marked with `branch`) `choose(value)` names, so errors come
    from that member only: `Annotated[Annotated[A, branch("a")] | Annotated[B, branch("b")], tagged(choose)]`."""
    return Discriminator(lambda value: TAG_PREFIX + choose(value))


def _text_or_other(value: Any) -> str:
    return TAG_PREFIX + "text" if isinstance(value, str) else TAG_PREFIX + "other"


_Other = TypeVar("_Other")
TextOr = Annotated[Annotated[str, branch("text")] | Annotated[_Other, branch("other")], Discriminator(_text_or_other)]
"""`str | Other`, tagged (one call per value: message contents are validated on every model call)."""


Built = Mapping[str, Any]
"""The nested components of a config, already built: each slot field's runtime object (a list of them
for a `many` slot, None when unset)."""

Dump = Callable[[Any], "dict[str, Any] | None"]
"""`dump(child)`: the component envelope of a nested runtime object (None for None)."""


class Configurable:
    """A runtime class that is a component: built from its config model, dumped back to config data.

    By default the config's fields are the constructor's keyword arguments (the nested components built)
    and the object's attributes of the same names; a class whose constructor differs overrides
    `_from_config` and `_to_config`."""

    component_config_schema: ClassVar[type[ConfigModel]]

    @classmethod
    def _from_config(cls, config: Any, built: Built) -> Self:
        """The runtime object of a validated config."""
        fields = type(config).model_fields
        return cls(**{name: built[name] if name in built else getattr(config, name)
                      for name, info in fields.items() if not info.exclude})

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        """The config of this object as plain data, nested components as envelopes (`dump`)."""
        schema = self.component_config_schema
        slots = {s.field: s for s in slots_of(schema)}
        config: dict[str, Any] = {}
        for name, info in schema.model_fields.items():
            if info.exclude:
                continue
            value = getattr(self, name, None)
            if name in slots:
                config[name] = [dump(v) for v in value or ()] if slots[name].many else dump(value)
            else:
                config[name] = plain(value)
        return config


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


__all__ = [
    "AUTOGEN_REQUIRED",
    "Built",
    "Component",
    "ConfigModel",
    "Configurable",
    "Dump",
    "FILLED",
    "SECRET_FIELDS",
    "SECRET_HEADERS",
    "Slot",
    "TAG_PREFIX",
    "TextOr",
    "attrs",
    "autogen_required_fields",
    "branch",
    "filled",
    "filled_fields",
    "plain",
    "slot",
    "slots_of",
    "tagged",
]
