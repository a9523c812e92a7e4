"""Run a served team: a fresh team per request, at most `max_concurrent` at once (more is `Busy`, a 429),
each cancelled after `timeout_seconds`. Nobody can answer a user proxy over HTTP, so a team that asks for
a human ends its run with an error saying so instead of waiting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from studio.components import load_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import BaseChatMessage, TaskResult

TIMEOUT_REASON = "Timeout: the run took longer than {seconds:g} seconds."


class Busy(Exception):
    """Every run slot is taken."""


class NoHumanHere(RuntimeError):
    """Raised inside a run when a user proxy asks for input."""


@dataclass(frozen=True)
class RunLimits:
    max_concurrent: int = 8
    timeout_seconds: float = 300.0


class TeamRunner:
    """Runs teams under `RunLimits`; one instance per service."""

    def __init__(self, limits: RunLimits) -> None:
        self.limits = limits
        self._active = 0

    @property
    def active(self) -> int:
        return self._active

    def start(self, component: dict[str, Any], task: str) -> AsyncGenerator[Any, None]:
        """Load the team and take a run slot now, so a caller can answer before anything starts: raises
        `ComponentValidationError` (every problem at its JSON path: an invalid team, a component that cannot run
        here) or `Busy` (a 429). Returns the run's stream: every message and event, then the TaskResult. Iterate
        it to the end or close it."""
        team = load_component(component)
        if self._active >= self.limits.max_concurrent:
            raise Busy(f"All {self.limits.max_concurrent} run slots are busy; try again shortly.")
        self._active += 1
        return self._release_after(self._run(team, task))

    async def result(self, component: dict[str, Any], task: str) -> TaskResult:
        """Run to the end; the TaskResult."""
        result: TaskResult | None = None
        async for item in self.start(component, task):
            if isinstance(item, TaskResult):
                result = item
        assert result is not None
        return result

    async def _release_after(self, stream: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
        try:
            async for item in stream:
                yield item
        finally:
            self._active -= 1
            await stream.aclose()

    async def _run(self, team: Any, task: str) -> AsyncGenerator[Any, None]:
        _no_human_input(team)
        token = CancellationToken()
        timed_out = False

        def expire() -> None:
            nonlocal timed_out
            timed_out = True
            token.cancel()

        timer = asyncio.get_running_loop().call_later(self.limits.timeout_seconds, expire)
        stream = team.run_stream(task=task, cancellation_token=token)
        try:
            async for item in stream:
                if isinstance(item, TaskResult) and timed_out:
                    reason = TIMEOUT_REASON.format(seconds=self.limits.timeout_seconds)
                    item = TaskResult(messages=item.messages, stop_reason=reason)
                yield item
        finally:
            timer.cancel()
            token.cancel()  # a caller that went away stops the run too
            await stream.aclose()
            await team.close()


def _no_human_input(team: Any) -> None:
    """Give every user proxy (nested teams included) an input function that refuses."""

    async def refuse(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
        raise NoHumanHere("This team asks a human for input, which a served team cannot do.")

    for member in getattr(team, "participants", None) or [team]:
        if hasattr(member, "input_func"):
            member.input_func = refuse
        elif member is not team and hasattr(member, "participants"):
            _no_human_input(member)


def final_answer(result: TaskResult) -> str:
    """The text of the last chat message not from the user: what a caller wants back."""
    for message in reversed(result.messages):
        if isinstance(message, BaseChatMessage) and message.source != "user":
            return message.to_text()
    return ""


def failed(result: TaskResult) -> bool:
    """The run did not do its task: it ended in an error, or the time limit cut it off."""
    return (result.stop_reason or "").startswith(("Error:", "Timeout:"))  # "Timeout:" as TIMEOUT_REASON
