"""The provider registry: every component the studio knows, found by provider name or alias.

Each `ProviderSpec` ties a canonical AutoGen provider path to its component type and the runtime class that
builds it from its config model (`component_config_schema`, `_from_config`) and dumps it back
(`_to_config`); the table (`specs.py`) imports those classes. It is built on first use, so
`import studio.components` stays cheap.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from studio.runtime.config import ConfigModel, Configurable


@dataclass(frozen=True)
class ProviderSpec:
    provider: str
    component_type: str
    runtime: type[Configurable] | None = None
    """The runtime class this provider builds and dumps; None for one the studio validates but cannot run."""
    config: type[ConfigModel] = None  # type: ignore[assignment]
    """Its config model (at `version`): the runtime class's `component_config_schema`, given only without one."""
    version: int = 1
    past_configs: Mapping[int, type[ConfigModel]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    type_aliases: tuple[str, ...] = ()
    """Other `component_type` values seen in the wild for this provider, accepted silently."""
    unsupported: str | None = None
    """Why the runtime cannot build it; such components validate (with a warning) but do not load."""

    def __post_init__(self) -> None:
        if self.runtime is not None:
            object.__setattr__(self, "config", self.runtime.component_config_schema)
        if self.config is None or (self.runtime is None) != (self.unsupported is not None):
            raise ValueError(f"{self.provider}: give a runtime class, or a config model and why it cannot run")

    @property
    def name(self) -> str:
        return self.provider.rsplit(".", 1)[-1]

    def config_for(self, component_version: int | None) -> type[ConfigModel] | None:
        """The config model of a config written at `component_version` (None if unknown and older)."""
        if component_version is None or component_version >= self.version:
            return self.config
        return self.past_configs.get(component_version)


UNSUPPORTED_HINTS: dict[str, str] = {
    "autogen_ext.models.ollama.OllamaChatCompletionClient": (
        "use autogen_ext.models.openai.OpenAIChatCompletionClient with base_url "
        "'http://localhost:11434/v1' and a model_info"
    ),
    "autogen_ext.models.anthropic.AnthropicChatCompletionClient": "use an OpenAI-compatible endpoint",
    "autogen_ext.auth.azure.AzureTokenProvider": "set api_key or azure_ad_token instead",
    "autogen_ext.code_executors.docker.DockerCommandLineCodeExecutor": (
        "use autogen_ext.code_executors.local.LocalCommandLineCodeExecutor"
    ),
    "autogen_core.memory.ListMemory": "memory is not supported yet",
    "autogen_agentchat.agents.SocietyOfMindAgent": "use a nested team instead",
}
"""AutoGen components the studio knows of but cannot run, with what to use instead."""

WELL_KNOWN_PROVIDERS: dict[str, str] = {
    "azure_openai_chat_completion_client": "autogen_ext.models.openai.AzureOpenAIChatCompletionClient",
    "openai_chat_completion_client": "autogen_ext.models.openai.OpenAIChatCompletionClient",
    "OllamaChatCompletionClient": "autogen_ext.models.ollama.OllamaChatCompletionClient",
}
"""Short names AutoGen's own loader maps (class-name aliases are added for every spec)."""


@dataclass(frozen=True)
class _Table:
    specs: tuple[ProviderSpec, ...]
    by_name: dict[str, ProviderSpec]
    """Canonical paths, aliases and bare class names."""
    by_package_class: dict[tuple[str, str], ProviderSpec]
    """(top-level package, class name): resolves internal paths such as `autogen_agentchat.teams._x.Y`."""
    by_runtime_class: dict[type, ProviderSpec]
    candidates: dict[str, str]
    """Lower-cased names for "did you mean", mapped to the spelling to suggest."""


@cache
def _table() -> _Table:
    from .specs import SPECS

    specs = SPECS
    by_name: dict[str, ProviderSpec] = {}
    for spec in specs:
        for name in (spec.provider, spec.name, *spec.aliases):
            by_name.setdefault(name, spec)
    for alias, provider in WELL_KNOWN_PROVIDERS.items():
        if provider in by_name:
            by_name.setdefault(alias, by_name[provider])
    by_package_class = {(s.provider.split(".", 1)[0], s.name): s for s in specs}
    by_runtime = {s.runtime: s for s in specs if s.runtime}
    candidates = {name.lower(): name for name in by_name}
    return _Table(tuple(specs), by_name, by_package_class, by_runtime, candidates)


def providers() -> list[ProviderSpec]:
    """Every provider the studio knows, in a stable order (teams, agents, models, tools, ...)."""
    return list(_table().specs)


def get_spec(provider: str) -> ProviderSpec | None:
    """The spec for a canonical provider path, an alias, or an internal AutoGen module path."""
    table = _table()
    spec = table.by_name.get(provider)
    if spec is None and "." in provider:
        package, _, rest = provider.partition(".")
        spec = table.by_package_class.get((package, rest.rsplit(".", 1)[-1]))
    return spec


def canonical_provider(provider: str) -> str:
    """AutoGen's name for a provider the studio lacks (after WELL_KNOWN aliases), else as given."""
    spec = get_spec(provider)
    return spec.provider if spec else WELL_KNOWN_PROVIDERS.get(provider, provider)


def suggest(provider: str) -> str | None:
    """The known provider name closest to a misspelt one, if any is close enough."""
    table = _table()
    matches = difflib.get_close_matches(provider.lower(), table.candidates, n=1, cutoff=0.75)
    return table.candidates[matches[0]] if matches else None


def spec_for(obj: Any) -> ProviderSpec | None:
    """The spec that dumps a runtime object: found by its class (or a base class)."""
    by_runtime = _table().by_runtime_class
    return next((by_runtime[cls] for cls in type(obj).__mro__ if cls in by_runtime), None)
