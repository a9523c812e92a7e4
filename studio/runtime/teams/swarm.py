"""Swarm: the speaker changes only when the current one hands off to another participant."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from ..agents.assistant import AssistantAgent
from ..agents.user_proxy import UserProxyAgent
from ..config import Component, filled, slot
from ..messages import BaseChatMessage, HandoffMessage
from .base import DESCRIPTION_HELP, EVENTS_HELP, NAME_HELP, PARTICIPANTS_HELP, BaseGroupChat, TeamConfig


class Swarm(BaseGroupChat):
    DEFAULT_NAME = "Swarm"
    MANAGER_NAME = "SwarmGroupChatManager"

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        first = self.participants[0]
        can_hand_off = isinstance(first, UserProxyAgent) or (isinstance(first, AssistantAgent) and first.handoffs)
        if not can_hand_off:
            raise ValueError("The first participant must be able to produce a handoff messages.")
        self._current = first.name

    async def validate_start(self, messages: Sequence[BaseChatMessage] | None) -> None:
        """A new task may redirect the swarm with a HandoffMessage; otherwise the last handoff must still hold."""
        for message in messages or []:
            if isinstance(message, HandoffMessage):
                if message.target not in self._by_name:
                    raise ValueError(
                        f"The target {message.target} is not one of the participants {self.participant_names}. "
                        "If you are resuming Swarm with a new HandoffMessage make sure to set the target to a "
                        "valid participant as the target."
                    )
                return
        last = self._last_handoff()
        if last is not None and last.target not in self._by_name:
            raise ValueError(
                f"The existing handoff target {last.target} is not one of the participants "
                f"{self.participant_names}. To resume the swarm, send a HandoffMessage to a participant as the task."
            )

    async def select_speakers(self) -> list[str]:
        last = self._last_handoff()
        if last is not None:
            if last.target not in self._by_name:
                raise ValueError(f"Handoff target '{last.target}' is not a participant of the swarm.")
            self._current = last.target
        return [self._current]

    def _last_handoff(self) -> HandoffMessage | None:
        for message in reversed(self._thread):
            if isinstance(message, HandoffMessage):
                return message
        return None

    async def reset_state(self) -> None:
        self._current = self.participants[0].name


class SwarmConfig(TeamConfig):
    name: str | None = filled(Swarm.DEFAULT_NAME, description=NAME_HELP)
    description: str | None = filled(Swarm.DEFAULT_DESCRIPTION, description=DESCRIPTION_HELP)
    participants: list[Component] = slot("agent", many=True, default=..., description=PARTICIPANTS_HELP)
    emit_team_events: bool = Field(False, description=EVENTS_HELP)


Swarm.component_config_schema = SwarmConfig
