"""Config models: `filled` defaults, AutoGen's dump, slots, tagged unions, and the default build and dump of a
runtime class from its config model (`Configurable`)."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import Field, ValidationError

from studio.runtime.config import (
    Component,
    ConfigModel,
    Configurable,
    Slot,
    TextOr,
    autogen_required_fields,
    branch,
    filled,
    filled_fields,
    slot,
    slots_of,
    tagged,
)


class LimitsConfig(ConfigModel):
    name: str
    limit: int | None = filled(None, autogen_required=True)
    greeting: str = filled("hi")
    note: str | None = None
    child: Component | None = slot("termination")
    children: list[Component] = slot("agent", "team", many=True, default=[])
    context: Component | None = slot("chat_completion_context", default={"provider": "x", "config": {}})
    secret_values: dict[str, str] | None = Field(None, exclude=True)


def test_filled_fields_take_their_default_when_null_and_required_ones_are_written_even_when_null() -> None:
    assert filled_fields(LimitsConfig) == ("limit", "greeting", "context")
    assert autogen_required_fields(LimitsConfig) == ("limit",)
    config = LimitsConfig.model_validate({"name": "a", "greeting": None, "unknown": 1})
    assert config.greeting == "hi"
    assert config.to_json() == {"name": "a", "limit": None, "greeting": "hi", "children": [],
                                "context": {"provider": "x", "config": {}}}
    assert list(config.to_json()) == ["name", "limit", "greeting", "children", "context"]  # field order
    assert config.canonical_json() == config.to_json()


def test_slots_name_the_fields_holding_components() -> None:
    assert slots_of(LimitsConfig) == (Slot("child", ("termination",), False), Slot("children", ("agent", "team"), True),
                                      Slot("context", ("chat_completion_context",), False))


def test_a_tagged_union_reports_errors_of_the_branch_it_chose_only() -> None:
    class Stop(ConfigModel):
        stop: Annotated[Annotated[str, branch("text")] | Annotated[list[str], branch("list")],
                        tagged(lambda v: "text" if isinstance(v, str) else "list")]
        content: TextOr[list[int]] = ""

    assert Stop.model_validate({"stop": ["a"], "content": [1]}).stop == ["a"]
    with pytest.raises(ValidationError) as raised:
        Stop.model_validate({"stop": [1], "content": ["x"]})
    assert [e["loc"] for e in raised.value.errors()] == [("stop", "~list", 0), ("content", "~other", 0)]


class Counter(Configurable):
    component_config_schema = LimitsConfig

    def __init__(self, name: str, limit: int | None, greeting: str, note: str | None, child: Any,
                 children: list[Any], context: Any) -> None:
        self.name, self.limit, self.greeting, self.note = name, limit, greeting, note
        self.child, self.children, self.context = child, children, context


def test_by_default_the_fields_are_the_constructor_arguments_and_the_attributes() -> None:
    config = LimitsConfig.model_validate({"name": "a", "limit": 3, "secret_values": {"K": "v"}})
    built = {"child": None, "children": ["agent one"], "context": "a context"}
    counter = Counter._from_config(config, built)  # the excluded field is not passed: Counter takes none
    assert (counter.name, counter.limit, counter.children, counter.context) == ("a", 3, ["agent one"], "a context")
    dumped = counter._to_config(lambda child: None if child is None else {"provider": child})
    assert dumped == {"name": "a", "limit": 3, "greeting": "hi", "note": None, "child": None,
                      "children": [{"provider": "agent one"}], "context": {"provider": "a context"}}
