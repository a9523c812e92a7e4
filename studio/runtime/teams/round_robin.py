"""RoundRobinGroupChat: participants speak in a fixed order, one after another."""

from __future__ import annotations

from pydantic import Field

from ..config import filled
from .base import DESCRIPTION_HELP, EVENTS_HELP, NAME_HELP, BaseGroupChat, TeamConfig


class RoundRobinGroupChat(BaseGroupChat):
    DEFAULT_NAME = "RoundRobinGroupChat"
    MANAGER_NAME = "RoundRobinGroupChatManager"

    _next_index = 0

    async def select_speakers(self) -> list[str]:
        speaker = self.participants[self._next_index].name
        self._next_index = (self._next_index + 1) % len(self.participants)
        return [speaker]

    async def reset_state(self) -> None:
        self._next_index = 0


class RoundRobinGroupChatConfig(TeamConfig):
    name: str | None = filled(RoundRobinGroupChat.DEFAULT_NAME, description=NAME_HELP)
    description: str | None = filled(RoundRobinGroupChat.DEFAULT_DESCRIPTION, description=DESCRIPTION_HELP)
    emit_team_events: bool = Field(False, description=EVENTS_HELP)


RoundRobinGroupChat.component_config_schema = RoundRobinGroupChatConfig
