"""Config schemas of the agents (AutoGen 0.7.5 `autogen_agentchat.agents`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from studio.runtime.agents.assistant import DEFAULT_DESCRIPTION as ASSISTANT_DESCRIPTION
from studio.runtime.agents.code_executor import DEFAULT_AGENT_DESCRIPTION, DEFAULT_TERMINAL_DESCRIPTION
from studio.runtime.agents.handoff import handoff_defaults

from .common import UNBOUNDED_CONTEXT, Component, ConfigModel, filled, slot


class HandoffConfig(ConfigModel):
    """A handoff; a bare string in a file means `{"target": <string>}`. Defaults are AutoGen's."""

    target: str
    description: str = ""
    name: str = ""
    message: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_target(cls, value: Any) -> Any:
        return {"target": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _defaults(self) -> HandoffConfig:
        for field, default in handoff_defaults(self.target).items():
            if not getattr(self, field):
                setattr(self, field, default)
        return self

    @field_validator("name")
    @classmethod
    def _identifier(cls, name: str) -> str:
        if name and not name.isidentifier():
            raise ValueError(f"handoff name must be a valid identifier: {name!r}")
        return name


class _AssistantAgentBase(ConfigModel):
    """The fields of both versions. AutoGen requires `description`, `reflect_on_tool_use` and
    `tool_call_summary_format`; the studio fills in the constructor's defaults."""

    name: str
    model_client: Component = slot("model", default=...)
    tools: list[Component] | None = slot("tool", many=True)
    handoffs: list[HandoffConfig] | None = None
    model_context: Component | None = slot("chat_completion_context", default=UNBOUNDED_CONTEXT)
    memory: list[Component] | None = None
    description: str | None = filled(ASSISTANT_DESCRIPTION, autogen_required=True)
    system_message: str | None = None
    model_client_stream: bool = False
    reflect_on_tool_use: bool | None = filled(False, autogen_required=True)
    tool_call_summary_format: str | None = filled("{result}", autogen_required=True)
    max_tool_iterations: int = Field(1, ge=1)
    metadata: dict[str, str] | None = filled({})
    structured_message_factory: Component | None = None


class AssistantAgentConfig(_AssistantAgentBase):
    """Version 2 (agentchat 0.6+): a list of workbenches; loose `tools` still accepted."""

    workbench: list[Component] | None = slot("workbench", many=True)


class AssistantAgentConfigV1(_AssistantAgentBase):
    """Version 1 (agentchat 0.5): `tools[]` and at most one `workbench` object.

    AutoGen 0.7.5 itself refuses `component_version: 1` (it has no upgrade path); the studio loads it
    and dumps version 2, in the form AutoGen 0.7.5 dumps an agent built from the same tools."""

    workbench: Component | None = slot("workbench")

    def redundant_workbench(self) -> bool:
        """True when `workbench` only wraps the listed `tools` (or nothing): agentchat 0.5.3-0.5.4 dumped
        both, then could not load them back. Such a workbench is dropped in favour of `tools`."""
        if not self.tools or not isinstance(self.workbench, dict):
            return False
        provider = str(self.workbench.get("provider", ""))
        inner = (self.workbench.get("config") or {}).get("tools") or []
        names = {(t.get("config") or {}).get("name") for t in self.tools if isinstance(t, dict)}
        return provider.endswith(("StaticWorkbench", "StaticStreamWorkbench")) and all(
            isinstance(t, dict) and (t.get("config") or {}).get("name") in names for t in inner)


class UserProxyAgentConfig(ConfigModel):
    """`input_func` is accepted and ignored: the studio asks the user through its own UI."""

    name: str
    description: str = "A human user"
    input_func: str | None = None


class CodeExecutorAgentConfig(ConfigModel):
    """Without a `description`, the runtime's depends on whether the agent has a model."""

    name: str
    code_executor: Component = slot("code_executor", default=...)
    model_client: Component | None = slot("model")
    description: str | None = None
    sources: list[str] | None = None
    system_message: str | None = None
    model_client_stream: bool = False
    model_context: Component | None = slot("chat_completion_context", default=UNBOUNDED_CONTEXT)
    supported_languages: list[str] | None = None

    @model_validator(mode="after")
    def _default_description(self) -> CodeExecutorAgentConfig:
        if self.description is None:
            self.description = DEFAULT_TERMINAL_DESCRIPTION if self.model_client is None else DEFAULT_AGENT_DESCRIPTION
        return self
