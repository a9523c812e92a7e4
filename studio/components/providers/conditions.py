"""Termination conditions, and their `|` / `&` compositions."""

from __future__ import annotations

from typing import Any

from ..registry import ProviderSpec
from ..schemas import conditions as s
from ..schemas.common import ConfigModel
from .base import attrs, build

_CONDITIONS = "studio.runtime.conditions"


def _simple(name: str, config: type[ConfigModel]) -> ProviderSpec:
    """A condition whose config fields are exactly its constructor arguments and attributes."""
    path = f"{_CONDITIONS}.{name}"
    fields = tuple(config.model_fields)

    def factory(cfg: ConfigModel, built: dict[str, Any]) -> Any:
        return build(path, **{f: getattr(cfg, f) for f in fields})

    def dumper(obj: Any, dump: Any) -> dict[str, Any]:
        return attrs(obj, *fields)

    return ProviderSpec(f"autogen_agentchat.conditions.{name}", "termination", config, factory, dumper, path)


def _composite(name: str) -> ProviderSpec:
    path = f"{_CONDITIONS}.{name}"

    def factory(cfg: s.CompositeTerminationConfig, built: dict[str, Any]) -> Any:
        return build(path, *built["conditions"])

    def dumper(obj: Any, dump: Any) -> dict[str, Any]:
        return {"conditions": [dump(c) for c in obj.conditions]}

    return ProviderSpec(f"autogen_agentchat.base.{name}", "termination", s.CompositeTerminationConfig,
                        factory, dumper, path)


SPECS = [
    _simple("MaxMessageTermination", s.MaxMessageTerminationConfig),
    _simple("TextMentionTermination", s.TextMentionTerminationConfig),
    _simple("StopMessageTermination", s.StopMessageTerminationConfig),
    _simple("TokenUsageTermination", s.TokenUsageTerminationConfig),
    _simple("HandoffTermination", s.HandoffTerminationConfig),
    _simple("TimeoutTermination", s.TimeoutTerminationConfig),
    _simple("ExternalTermination", s.ExternalTerminationConfig),
    _simple("SourceMatchTermination", s.SourceMatchTerminationConfig),
    _simple("TextMessageTermination", s.TextMessageTerminationConfig),
    _simple("FunctionCallTermination", s.FunctionCallTerminationConfig),
    _composite("OrTerminationCondition"),
    _composite("AndTerminationCondition"),
]
