"""Config schemas of the teams (AutoGen 0.7.5 `autogen_agentchat.teams`)."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Activation, Component, ConfigModel, slot


class TeamConfig(ConfigModel):
    """Fields every team has."""

    name: str | None = None
    description: str | None = None
    participants: list[Component] = slot("agent", "team", many=True, default=...)
    termination_condition: Component | None = slot("termination")
    max_turns: int | None = Field(None, ge=1)


class RoundRobinGroupChatConfig(TeamConfig):
    emit_team_events: bool = False


class SelectorGroupChatConfig(TeamConfig):
    """AutoGen marks `selector_prompt` and `allow_repeated_speaker` required; the constructor defaults
    fill them when absent, and the studio always writes them."""

    model_client: Component = slot("model", default=...)
    selector_prompt: str | None = None
    allow_repeated_speaker: bool = False
    max_selector_attempts: int = Field(3, ge=1)
    emit_team_events: bool = False
    model_client_streaming: bool = False
    model_context: Component | None = slot("chat_completion_context")


class SwarmConfig(TeamConfig):
    participants: list[Component] = slot("agent", many=True, default=...)
    emit_team_events: bool = False


class DiGraphEdgeConfig(ConfigModel):
    """An edge; a string `condition` means "the source's last message contains this text"."""

    target: str
    condition: str | None = None
    activation_group: str = ""
    activation_condition: Activation = "all"

    @model_validator(mode="after")
    def _group_defaults_to_target(self) -> DiGraphEdgeConfig:
        if not self.activation_group:
            self.activation_group = self.target
        return self


class DiGraphNodeConfig(ConfigModel):
    name: str
    edges: list[DiGraphEdgeConfig] = []
    activation: Activation = "all"


class DiGraphConfig(ConfigModel):
    nodes: dict[str, DiGraphNodeConfig]
    default_start_node: str | None = None


class GraphFlowConfig(TeamConfig):
    participants: list[Component] = slot("agent", many=True, default=...)
    graph: DiGraphConfig


class MagenticOneGroupChatConfig(TeamConfig):
    """Validated, not run: the studio runtime has no Magentic-One orchestrator yet."""

    participants: list[Component] = slot("agent", many=True, default=...)
    model_client: Component = slot("model", default=...)
    max_stalls: int = 3
    final_answer_prompt: str | None = None
    emit_team_events: bool = False
