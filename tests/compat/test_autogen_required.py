"""The fields marked `filled(..., autogen_required=True)` on Studio's config models are exactly those AutoGen
0.7.5's own config classes require (no default) while Studio's model gives a default: for every provider
Studio knows that AutoGen has, and the nested models that are pydantic models on both sides."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

pytest.importorskip("autogen_agentchat", reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'")

from pydantic import BaseModel

from studio.components import providers
from studio.runtime.agents import Handoff
from studio.runtime.config import autogen_required_fields
from studio.runtime.models import CreateResult
from studio.runtime.teams import DiGraph, DiGraphEdge, DiGraphNode

pytestmark = [pytest.mark.compat, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def autogen_class(path: str) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def required_but_defaulted(studio: type[BaseModel], autogen: type[BaseModel]) -> set[str]:
    theirs = {name for name, field in autogen.model_fields.items() if field.is_required()}
    ours = {name for name, field in studio.model_fields.items() if field.is_required()}
    assert theirs <= set(studio.model_fields), f"{studio.__name__} lacks {theirs - set(studio.model_fields)}"
    return theirs - ours


def in_autogen(path: str) -> bool:
    try:
        return issubclass(autogen_class(path).component_config_schema, BaseModel)
    except (ImportError, AttributeError):
        return False


PROVIDERS = [spec for spec in providers() if in_autogen(spec.provider)]
NESTED = [(CreateResult, "autogen_core.models.CreateResult"),
          (Handoff, "autogen_agentchat.base.Handoff"),
          (DiGraphEdge, "autogen_agentchat.teams.DiGraphEdge"),
          (DiGraphNode, "autogen_agentchat.teams.DiGraphNode"),
          (DiGraph, "autogen_agentchat.teams.DiGraph")]


@pytest.mark.parametrize("spec", PROVIDERS, ids=lambda s: s.name)
def test_the_marked_fields_are_autogens_required_fields_that_studio_defaults(spec: Any) -> None:
    autogen = autogen_class(spec.provider).component_config_schema
    assert set(autogen_required_fields(spec.config)) == required_but_defaulted(spec.config, autogen)


@pytest.mark.parametrize(("studio", "autogen"), NESTED, ids=lambda x: getattr(x, "__name__", x))
def test_the_same_holds_for_nested_models(studio: type[BaseModel], autogen: str) -> None:
    assert set(autogen_required_fields(studio)) == required_but_defaulted(studio, autogen_class(autogen))


def test_the_marks_are_not_vacuous() -> None:
    """AutoGen refuses the very fields the issue found missing; the marks name them."""
    assert len(PROVIDERS) >= 25  # teams, agents, models, tools, contexts, conditions
    by_name = {spec.name: set(autogen_required_fields(spec.config)) for spec in PROVIDERS}
    assert "tool_call_summary_format" in by_name["AssistantAgent"]
    assert "allow_repeated_speaker" in by_name["SelectorGroupChat"]
