"""MagenticOneGroupChat: its config only. The runtime has no Magentic-One orchestrator yet, so such a team is
validated and kept as written (`studio.components` marks the provider unsupported), never run."""

from __future__ import annotations

from pydantic import Field

from ..config import Component, filled, slot
from .base import EVENTS_HELP, PARTICIPANTS_HELP, TeamConfig


class MagenticOneGroupChatConfig(TeamConfig):
    participants: list[Component] = slot("agent", many=True, default=..., description=PARTICIPANTS_HELP)
    model_client: Component = slot("model", default=..., description="The model of the orchestrator that plans the "
                                   "task, tracks progress and chooses the next agent.")
    max_stalls: int = filled(3, autogen_required=True, description="How many rounds without progress the "
                             "orchestrator tolerates before re-planning.")
    final_answer_prompt: str | None = filled(None, autogen_required=True, description="The prompt the orchestrator "
                                             "uses to write the final answer once the task is done.")
    emit_team_events: bool = Field(False, description=EVENTS_HELP)


__all__ = ["MagenticOneGroupChatConfig"]
