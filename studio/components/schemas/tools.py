"""Config schemas of tools and workbenches (AutoGen 0.7.5 `autogen_core.tools`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .common import Component, ConfigModel, filled, slot, tagged, text_or


class AliasConfig(ConfigModel):
    name: str
    alias: str


class ImportFromModuleConfig(ConfigModel):
    """`from <module> import <imports...>`."""

    module: str
    imports: list[text_or(AliasConfig)]


def _import_kind(value: Any) -> str:
    if isinstance(value, str):
        return "module"
    return "alias" if isinstance(value, dict) and "alias" in value and "module" not in value else "from"


Import = tagged(_import_kind, module=str, **{"from": ImportFromModuleConfig}, alias=AliasConfig)
"""A global import of a function tool: a module name, `{module, imports}`, or `{name, alias}`."""


class FunctionToolConfig(ConfigModel):
    """A tool made from Python source. AutoGen requires `global_imports` and `has_cancellation_support`.

    `variables` (Studio's, ignored by AutoGen 0.7.5, whose config class ignores unknown keys): the names of
    the Settings variables the tool reads from its environment. `variable_values` is filled in at run time
    only (`studio.services.credentials.inject_credentials`) and never written (`exclude`)."""

    source_code: str
    name: str
    description: str
    global_imports: list[Import] = filled([], autogen_required=True)
    has_cancellation_support: bool = filled(False, autogen_required=True)
    variables: list[str] | None = Field(
        default=None, description="Names of the variables for tools (kept in Settings) this tool reads from its "
        "environment, e.g. SERPAPI_KEY: it gets those and no others.")
    variable_values: dict[str, str] | None = Field(default=None, exclude=True, repr=False)


class ToolOverrideConfig(ConfigModel):
    name: str | None = None
    description: str | None = None


class StaticWorkbenchConfig(ConfigModel):
    tools: list[Component] = slot("tool", many=True, default=[])
    tool_overrides: dict[str, ToolOverrideConfig] = {}
