"""Function tools and the static workbenches that hold them."""

from __future__ import annotations

from typing import Any

from ..registry import ProviderSpec
from ..schemas import tools as s
from .base import attrs, build, runtime_class

_TOOLS = "studio.runtime.tools"


def _function_tool(cfg: s.FunctionToolConfig, built: dict[str, Any]) -> Any:
    data = cfg.model_dump()
    extra = {"variables": cfg.variables, "variable_values": cfg.variable_values} if cfg.variables else {}
    return build(f"{_TOOLS}.FunctionTool", cfg.source_code, cfg.name, cfg.description,
                 global_imports=data["global_imports"], has_cancellation_support=cfg.has_cancellation_support,
                 **extra)


def _dump_function_tool(obj: Any, dump: Any) -> dict[str, Any]:
    return attrs(obj, "source_code", "name", "description", "global_imports", "has_cancellation_support",
                 "variables")


def _overrides(cfg: s.StaticWorkbenchConfig) -> dict[str, Any] | None:
    """Runtime `ToolOverride` objects when the runtime defines them, plain dicts otherwise."""
    if not cfg.tool_overrides:
        return None
    try:
        override: Any = runtime_class(f"{_TOOLS}.ToolOverride")
    except ImportError:
        override = dict
    return {name: override(**o.model_dump(exclude_none=True)) for name, o in cfg.tool_overrides.items()}


def _workbench(path: str) -> Any:
    def factory(cfg: s.StaticWorkbenchConfig, built: dict[str, Any]) -> Any:
        return build(path, built["tools"], tool_overrides=_overrides(cfg))

    return factory


def _dump_workbench(obj: Any, dump: Any) -> dict[str, Any]:
    return {"tools": [dump(t) for t in obj.tools], **{k: v or {} for k, v in attrs(obj, "tool_overrides").items()}}


SPECS = [
    ProviderSpec("autogen_core.tools.FunctionTool", "tool", s.FunctionToolConfig,
                 _function_tool, _dump_function_tool, f"{_TOOLS}.FunctionTool"),
    ProviderSpec("autogen_core.tools.StaticWorkbench", "workbench", s.StaticWorkbenchConfig,
                 _workbench(f"{_TOOLS}.StaticWorkbench"), _dump_workbench, f"{_TOOLS}.StaticWorkbench"),
    ProviderSpec("autogen_core.tools.StaticStreamWorkbench", "workbench", s.StaticWorkbenchConfig,
                 _workbench(f"{_TOOLS}.StaticStreamWorkbench"), _dump_workbench, f"{_TOOLS}.StaticStreamWorkbench"),
]
