"""Human in the loop: a run's user proxies ask through `HumanInput`, the person answers with `reply`.

Each UserProxyAgent of the team gets `HumanInput.input_func`: it records the question (so a page can show
it), then waits for `reply()` for at most `timeout` seconds. When no reply comes in time it cancels the run's
token, so the run ends `stopped` with `timeout_reason` as its stop reason (a person not answering is not a
failure of the team).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from studio.runtime.agents.base import BaseChatAgent
from studio.runtime.agents.user_proxy import InputFunc, UserProxyAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.teams.base import BaseGroupChat
from studio.runtime.tools import AgentTool, TeamTool


@dataclass(frozen=True, slots=True)
class Question:
    """What a user proxy asks: its prompt, the agent's name, and the seq of its `UserInputRequestedEvent`."""

    prompt: str
    agent: str
    asked_seq: int

    def dump(self) -> dict[str, Any]:
        return asdict(self)


class HumanInput:
    """The one open question of a run, if any, and the reply it waits for."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.timed_out = False
        self._question: Question | None = None
        self._answer: asyncio.Future[str] | None = None
        self._asked_seq: dict[str, int] = {}

    @property
    def question(self) -> Question | None:
        """The open question, once its `UserInputRequestedEvent` is stored (so a page can place it)."""
        if self._question is None or self._question.agent not in self._asked_seq:
            return None
        return Question(self._question.prompt, self._question.agent, self._asked_seq[self._question.agent])

    @property
    def timeout_reason(self) -> str:
        return f"No reply came within {self.timeout:g} seconds, so the run stopped."

    def asked(self, agent: str, seq: int) -> None:
        """The run stored `agent`'s `UserInputRequestedEvent` as event `seq`."""
        self._asked_seq[agent] = seq

    def reply(self, text: str) -> bool:
        """Answer the open question; False when there is none (already answered, timed out, never asked)."""
        if self._answer is None or self._answer.done():
            return False
        self._answer.set_result(text)
        return True

    def input_func(self, agent: str) -> InputFunc:
        """The `input_func` for the user proxy named `agent`."""

        async def ask(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
            # The runtime yields the agent's UserInputRequestedEvent just before calling this, so it is not
            # stored yet: `asked` records its seq when it is.
            self._asked_seq.pop(agent, None)
            self._answer = asyncio.get_running_loop().create_future()
            self._question = Question(prompt, agent, 0)
            try:
                return await asyncio.wait_for(self._answer, self.timeout)
            except TimeoutError:
                self.timed_out = True
                if cancellation_token is not None:
                    cancellation_token.cancel()
                raise asyncio.CancelledError(self.timeout_reason) from None
            finally:
                self._question = None
                self._answer = None

        return ask


def user_proxies(team: BaseGroupChat, prefix: str = "") -> Iterator[tuple[str, UserProxyAgent]]:
    """Every user proxy in `team`, its nested teams and the agents and teams its agents run as tools, keyed
    like the recorder keys them (`inner/user`, `boss/user`, `boss/<team tool>/user`)."""
    for participant in team.participants:
        if isinstance(participant, BaseGroupChat):
            yield from user_proxies(participant, prefix + participant.name + "/")
        else:
            yield from _agent_user_proxies(participant, prefix)


def _agent_user_proxies(agent: BaseChatAgent, prefix: str) -> Iterator[tuple[str, UserProxyAgent]]:
    if isinstance(agent, UserProxyAgent):
        yield prefix + agent.name, agent
    for tool in getattr(agent, "tools", None) or ():
        if isinstance(tool, AgentTool):
            yield from _agent_user_proxies(tool.agent, prefix + agent.name + "/")
        elif isinstance(tool, TeamTool):
            yield from user_proxies(tool.team, prefix + agent.name + "/" + tool.name + "/")


__all__ = ["HumanInput", "Question", "user_proxies"]
