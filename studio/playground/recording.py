"""Record what a run received from outside (model replies, user replies) so it can be replayed exactly.

`Recorder.wrap(team)` swaps, in place, every model client of a loaded runtime team for a recording client
and every user proxy's `input_func` for a recording one; `data()` is the plain-JSON recording that
`replay_component` / `replay_inputs` (in `replay.py`, re-exported here) turn back into a run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from studio.runtime.agents.base import BaseChatAgent
from studio.runtime.agents.user_proxy import InputFunc, UserProxyAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.models.base import ChatCompletionClient
from studio.runtime.models.types import (
    CreateResult,
    LLMMessage,
    ModelInfo,
    RequestUsage,
    ToolSchema,
)
from studio.runtime.teams.base import BaseGroupChat
from studio.runtime.tools import AgentTool, TeamTool

from .replay import SELECTOR_KEY, replay_component, replay_inputs

__all__ = ["RECORDING_VERSION", "Recorder", "RecordingClient", "SELECTOR_KEY", "replay_component", "replay_inputs"]

RECORDING_VERSION = 1


class RecordingClient(ChatCompletionClient):
    """Delegates everything to `inner` and appends each final `CreateResult` dump to `replies`."""

    def __init__(self, inner: ChatCompletionClient, replies: list[dict[str, Any]]) -> None:
        self.inner = inner
        self.replies = replies

    @property
    def model_info(self) -> ModelInfo:  # type: ignore[override]
        return self.inner.model_info

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes this class lacks: count_tokens, remaining_tokens, actual_usage, ...
        return getattr(self.inner, name)

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        result = await self.inner.create(
            messages, tools=tools, tool_choice=tool_choice, json_output=json_output,
            extra_create_args=extra_create_args, cancellation_token=cancellation_token,
        )
        self.replies.append(result.model_dump(mode="json"))
        return result

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncIterator[str | CreateResult]:
        stream = self.inner.create_stream(
            messages, tools=tools, tool_choice=tool_choice, json_output=json_output,
            extra_create_args=extra_create_args, cancellation_token=cancellation_token,
        )
        async for item in stream:
            if isinstance(item, CreateResult):
                self.replies.append(item.model_dump(mode="json"))
            yield item

    def total_usage(self) -> RequestUsage:
        return self.inner.total_usage()

    async def close(self) -> None:
        await self.inner.close()

    def __repr__(self) -> str:
        return f"RecordingClient({self.inner!r}, {len(self.replies)} recorded)"


class Recorder:
    """Collects one run's model replies (per model key) and user replies (per user proxy name)."""

    def __init__(self) -> None:
        self._models: dict[str, list[dict[str, Any]]] = {}
        self._user: dict[str, list[str]] = {}

    def wrap(self, team: BaseGroupChat) -> None:
        """Wrap, in place, every model client and user input function in `team` and its nested teams.

        Keys: the agent's name, `__selector__` for a selector team's model, prefixed by `<team>/` per
        level of nesting (`inner/writer`, `inner/__selector__`); an agent or team that an agent runs as a
        tool is nested under that agent (`boss/researcher`, `boss/<team tool>/writer`).
        """
        self._wrap_team(team, prefix="")

    def data(self) -> dict[str, Any]:
        """The recording as plain JSON (copied, so later calls do not change it)."""
        return {
            "version": RECORDING_VERSION,
            "models": {key: list(replies) for key, replies in self._models.items()},
            "user": {name: list(replies) for name, replies in self._user.items()},
        }

    def _wrap_team(self, team: BaseGroupChat, prefix: str) -> None:
        if isinstance(getattr(team, "model_client", None), ChatCompletionClient):
            team.model_client = self._wrap_client(team.model_client, prefix + SELECTOR_KEY)  # type: ignore[attr-defined]
        for participant in team.participants:
            if isinstance(participant, BaseGroupChat):
                self._wrap_team(participant, prefix + participant.name + "/")
            else:
                self._wrap_agent(participant, prefix)

    def _wrap_agent(self, agent: BaseChatAgent, prefix: str) -> None:
        if isinstance(agent, UserProxyAgent):
            agent.input_func = self._wrap_input(agent.input_func, prefix + agent.name)
        elif isinstance(getattr(agent, "model_client", None), ChatCompletionClient):
            agent.model_client = self._wrap_client(agent.model_client, prefix + agent.name)  # type: ignore[attr-defined]
        for tool in getattr(agent, "tools", None) or ():
            if isinstance(tool, AgentTool):
                self._wrap_agent(tool.agent, prefix + agent.name + "/")
            elif isinstance(tool, TeamTool):
                self._wrap_team(tool.team, prefix + agent.name + "/" + tool.name + "/")

    def _wrap_client(self, client: ChatCompletionClient, key: str) -> ChatCompletionClient:
        if isinstance(client, RecordingClient):  # wrapping twice records into the same list once
            client = client.inner
        return RecordingClient(client, self._models.setdefault(key, []))

    def _wrap_input(self, input_func: InputFunc, key: str) -> InputFunc:
        replies = self._user.setdefault(key, [])

        async def recording_input(prompt: str, cancellation_token: CancellationToken | None = None) -> str:
            reply = await input_func(prompt, cancellation_token)
            replies.append(reply)
            return reply

        return recording_input
