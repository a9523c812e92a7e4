"""RoundRobinGroupChat: participants speak in a fixed order, one after another."""

from __future__ import annotations

from .base import BaseGroupChat


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
