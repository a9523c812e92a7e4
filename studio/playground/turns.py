"""Turns: who spoke after whom in a run, the one notion the trace's `data-turn` and the flow view share.

A turn starts when an agent other than the last speaker produces a message or event. The group chat
managers (their speaker choices, selector answers, failures) and the team events they emit are not
speakers: a handoff or a speaker change shows up as the next agent's first event.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.runtime.teams import (
    BaseGroupChat,
    GraphFlow,
    RoundRobinGroupChat,
    SelectorGroupChat,
    Swarm,
)

MANAGER_SOURCES = frozenset(
    team.MANAGER_NAME for team in (BaseGroupChat, RoundRobinGroupChat, SelectorGroupChat, Swarm, GraphFlow)
)
TEAM_EVENT_TYPES = frozenset({"SelectSpeakerEvent", "SelectorEvent"})


def is_speaker(source: str, type_: str) -> bool:
    """True when an event of `type_` from `source` is an agent speaking (not the team's machinery)."""
    return bool(source) and source not in MANAGER_SOURCES and type_ not in TEAM_EVENT_TYPES


def turn_key(source: str, target: str) -> str:
    """The `data-turn` value of the turns from `source` to `target`."""
    return f"{source}>{target}"


@dataclass
class TurnTracker:
    """Follows a run's events in order: the current speaker and the turn (previous → current) it began."""

    speaker: str | None = None
    turn: tuple[str, str] | None = None

    def see(self, source: str, type_: str) -> tuple[str, str] | None:
        """Take one event; the (from, to) pair when it starts a new turn, else None."""
        if not is_speaker(source, type_) or source == self.speaker:
            return None
        previous, self.speaker = self.speaker, source
        self.turn = (previous, source) if previous is not None else None
        return self.turn


__all__ = ["MANAGER_SOURCES", "TurnTracker", "is_speaker", "turn_key"]
