"""Building blocks shared by the config schemas: nested-component slots, tagged unions, model info."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Component = dict[str, Any]
"""A nested component envelope. The config schema checks only that it is an object; the validator
then checks it on its own, with its provider's schema, so each problem is reported once."""

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
    """The fields of a config schema declared with `filled` (null means the default)."""
    return _extra(model, FILLED)


@cache
def autogen_required_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields AutoGen 0.7.5 requires that the studio defaults (`filled(..., autogen_required=True)`)."""
    return _extra(model, AUTOGEN_REQUIRED)


class ConfigModel(BaseModel):
    """Base of every config schema: unknown keys are ignored (AutoGen does the same)."""

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
        even when null."""
        data = self.model_dump(mode="json", exclude_none=True)
        required = autogen_required_fields(type(self))
        if any(name not in data for name in required):
            data = {name: data.get(name) for name in type(self).model_fields if name in data or name in required}
        return data


@dataclass(frozen=True, slots=True)
class Slot:
    """A config field holding nested components, the component types it accepts, and whether it is a list."""

    field: str
    kinds: tuple[str, ...]
    many: bool


def slot(*kinds: str, many: bool = False, default: Any = None) -> Any:
    """Declare a field that holds one nested component (or a list of them with `many=True`).

    A component `default` is `filled`: the runtime builds it when the field is absent or null, and the
    canonical form writes it."""
    extra: dict[str, Any] = {"x-component": list(kinds), "x-many": many}
    if isinstance(default, dict):
        extra[FILLED] = True
    return Field(default, json_schema_extra=extra)


@cache
def slots_of(model: type[BaseModel]) -> tuple[Slot, ...]:
    """The nested-component fields of a config schema (computed once per schema)."""
    found = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        if isinstance(extra, dict) and "x-component" in extra:
            found.append(Slot(name, tuple(extra["x-component"]), bool(extra.get("x-many"))))  # type: ignore[arg-type]
    return tuple(found)


def tagged(choose: Callable[[Any], str], **members: Any) -> Any:
    """A union whose branch `choose(value)` names, so errors come from that branch only."""
    branches = tuple(Annotated[kind, Tag(TAG_PREFIX + name)] for name, kind in members.items())
    return Annotated[Union[branches], Discriminator(lambda value: TAG_PREFIX + choose(value))]  # noqa: UP007


def text_or(other: Any) -> Any:
    """`str | other`, tagged."""
    return tagged(lambda v: "text" if isinstance(v, str) else "other", text=str, other=other)


class ModelInfoConfig(ConfigModel):
    """What a model can do. `structured_output` defaults to false for files older than AutoGen 0.4.8."""

    vision: bool
    function_calling: bool
    json_output: bool
    family: str
    structured_output: bool = False
    multiple_system_messages: bool | None = None


class FunctionCallConfig(ConfigModel):
    id: str
    arguments: str
    name: str


class RequestUsageConfig(ConfigModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


Activation = Literal["all", "any"]


UNBOUNDED_CONTEXT: Component = {"provider": "autogen_core.model_context.UnboundedChatCompletionContext", "config": {}}
"""The model context an agent or a selector gets when none is set (the runtime's default, and AutoGen's)."""
