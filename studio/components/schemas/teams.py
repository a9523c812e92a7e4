"""Config schemas of the teams (AutoGen 0.7.5 `autogen_agentchat.teams`)."""

from __future__ import annotations

from pydantic import Field, model_validator

from studio.runtime.teams import DEFAULT_SELECTOR_PROMPT, GraphFlow, RoundRobinGroupChat, SelectorGroupChat, Swarm

from .common import UNBOUNDED_CONTEXT, Activation, Component, ConfigModel, filled, slot


class TeamConfig(ConfigModel):
    """Fields every team has. The runtime names a team after its class when `name` is unset, and each
    runnable team's schema says so (`filled`), so the canonical form writes the name it runs under."""

    name: str | None = None
    description: str | None = None
    participants: list[Component] = slot("agent", "team", many=True, default=...)
    termination_condition: Component | None = slot("termination")
    max_turns: int | None = Field(None, ge=1)


class RoundRobinGroupChatConfig(TeamConfig):
    name: str | None = filled(RoundRobinGroupChat.DEFAULT_NAME)
    description: str | None = filled(RoundRobinGroupChat.DEFAULT_DESCRIPTION)
    emit_team_events: bool = False


class SelectorGroupChatConfig(TeamConfig):
    name: str | None = filled(SelectorGroupChat.DEFAULT_NAME)
    description: str | None = filled(SelectorGroupChat.DEFAULT_DESCRIPTION)
    model_client: Component = slot("model", default=...)
    selector_prompt: str | None = filled(DEFAULT_SELECTOR_PROMPT, autogen_required=True)
    allow_repeated_speaker: bool = filled(False, autogen_required=True)
    max_selector_attempts: int = Field(3, ge=1)
    emit_team_events: bool = False
    model_client_streaming: bool = False
    model_context: Component | None = slot("chat_completion_context", default=UNBOUNDED_CONTEXT)


class SwarmConfig(TeamConfig):
    name: str | None = filled(Swarm.DEFAULT_NAME)
    description: str | None = filled(Swarm.DEFAULT_DESCRIPTION)
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
    name: str | None = filled(GraphFlow.DEFAULT_NAME)
    description: str | None = filled(GraphFlow.DEFAULT_DESCRIPTION)
    participants: list[Component] = slot("agent", many=True, default=...)
    graph: DiGraphConfig


class MagenticOneGroupChatConfig(TeamConfig):
    """Validated, not run: the studio runtime has no Magentic-One orchestrator yet."""

    participants: list[Component] = slot("agent", many=True, default=...)
    model_client: Component = slot("model", default=...)
    max_stalls: int = filled(3, autogen_required=True)
    final_answer_prompt: str | None = filled(None, autogen_required=True)
    emit_team_events: bool = False
