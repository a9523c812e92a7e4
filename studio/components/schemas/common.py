"""Building blocks shared by the config schemas: nested-component slots, tagged unions, model info."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Component = dict[str, Any]
"""A nested component envelope. The config schema checks only that it is an object; the validator
then checks it on its own, with its provider's schema, so each problem is reported once."""

TAG_PREFIX = "~"
"""Union branch tags start with this, so validation paths can leave them out."""


class ConfigModel(BaseModel):
    """Base of every config schema: unknown keys are ignored (AutoGen does the same)."""

    model_config = ConfigDict(extra="ignore")

    keep_none: ClassVar[frozenset[str]] = frozenset()
    """Fields written even when null, for AutoGen configs that require the key."""

    def to_json(self) -> dict[str, Any]:
        """AutoGen's dump: `model_dump(exclude_none=True)`, plus the `keep_none` keys."""
        data = self.model_dump(mode="json", exclude_none=True)
        for name in self.keep_none:
            data.setdefault(name, None)
        return data


@dataclass(frozen=True, slots=True)
class Slot:
    """A config field holding nested components, the component types it accepts, and whether it is a list."""

    field: str
    kinds: tuple[str, ...]
    many: bool


def slot(*kinds: str, many: bool = False, default: Any = None) -> Any:
    """Declare a field that holds one nested component (or a list of them with `many=True`)."""
    return Field(default, json_schema_extra={"x-component": list(kinds), "x-many": many})


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
