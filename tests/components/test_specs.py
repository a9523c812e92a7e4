"""The table of providers: one line each, in palette order, bound to the runtime class that builds it."""

from __future__ import annotations

from studio.components.specs import SPECS
from studio.runtime.config import Configurable

PALETTE = ("team", "agent", "model", "tool", "workbench", "chat_completion_context", "code_executor", "termination")


def test_each_runnable_provider_is_its_runtime_class_with_the_config_model_beside_it() -> None:
    for spec in SPECS:
        if spec.runtime is not None:
            assert issubclass(spec.runtime, Configurable)
            assert spec.config is spec.runtime.component_config_schema
            assert spec.runtime.__module__.startswith("studio.runtime."), spec.provider
            assert spec.name == spec.runtime.__name__  # AutoGen's class name is the runtime's
        assert spec.config.__module__.startswith("studio.runtime."), spec.provider


def test_the_table_is_in_palette_order() -> None:
    kinds = [spec.component_type for spec in SPECS]
    assert sorted(kinds, key=PALETTE.index) == kinds
