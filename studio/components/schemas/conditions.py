"""Config schemas of the termination conditions (AutoGen 0.7.5 `autogen_agentchat.conditions`)."""

from __future__ import annotations

from pydantic import Field

from .common import Component, ConfigModel, filled, slot


class MaxMessageTerminationConfig(ConfigModel):
    max_messages: int = Field(ge=1)
    include_agent_event: bool = False


class TextMentionTerminationConfig(ConfigModel):
    text: str


class StopMessageTerminationConfig(ConfigModel):
    pass


class TokenUsageTerminationConfig(ConfigModel):
    """AutoGen 0.7.5 requires all three keys (null allowed) yet drops nulls when it dumps, so it cannot
    load its own dump with a limit unset. The studio accepts missing keys and writes explicit nulls."""

    max_total_token: int | None = filled(None, autogen_required=True)
    max_prompt_token: int | None = filled(None, autogen_required=True)
    max_completion_token: int | None = filled(None, autogen_required=True)


class HandoffTerminationConfig(ConfigModel):
    target: str


class TimeoutTerminationConfig(ConfigModel):
    timeout_seconds: float = Field(ge=0)


class ExternalTerminationConfig(ConfigModel):
    pass


class SourceMatchTerminationConfig(ConfigModel):
    sources: list[str]


class TextMessageTerminationConfig(ConfigModel):
    source: str | None = None


class FunctionCallTerminationConfig(ConfigModel):
    function_name: str


class CompositeTerminationConfig(ConfigModel):
    """`OrTerminationCondition` / `AndTerminationCondition`: nestable."""

    conditions: list[Component] = slot("termination", many=True, default=...)
