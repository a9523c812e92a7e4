"""The signal that ends a team's run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Stop:
    """The run stops now, for `reason`: the engine's last item, which becomes the TaskResult's `stop_reason`."""

    reason: str


__all__ = ["Stop"]
