"""The group chat engine every team type shares.

A run is a loop: pick the next speaker(s), give each the chat messages it has not seen yet, stream what it
produces, then check the termination condition on that turn's messages. Team types differ only in how
they pick speakers (`select_speakers`) and what they remember (`on_messages`, `reset_state`).

Turns run as child tasks feeding one queue, so a cancellation token or an error stops the run promptly
and is reported as the run's last events instead of escaping as an exception.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Coroutine, Sequence
from typing import Any, TypeVar

from pydantic import Field

from ..agents.base import BaseChatAgent
from ..cancellation import CancellationToken
from ..conditions import TerminationCondition
from ..config import Component, ConfigModel, Configurable, slot
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    ErrorEvent,
    ModelClientStreamingChunkEvent,
    Response,
    SelectSpeakerEvent,
    TaskResult,
    TextMessage,
)
from .stop import Stop

AnyMessage = BaseAgentEvent | BaseChatMessage
_T = TypeVar("_T")
CANCELLED_REASON = "Run cancelled."

# The descriptions (the Builder's help texts) of the config fields teams share.
NAME_HELP = "The team's name, used when this team is a participant of another team."
DESCRIPTION_HELP = "What the team does; shown to an outer team that picks speakers."
PARTICIPANTS_HELP = ("The agents (or nested teams) in this team, in speaking order for round robin. Select one to "
                     "edit it; drag agents from the library to add more.")
EVENTS_HELP = "Also send the team's internal events (such as speaker selection) to the trace."


class TeamConfig(ConfigModel):
    """Fields every team has. The runtime names a team after its class when `name` is unset, and each
    runnable team's config says so (`filled`), so the canonical form writes the name it runs under: that is
    why a team's config follows its class, and is set as its `component_config_schema` after it."""

    name: str | None = Field(None, description=NAME_HELP)
    description: str | None = Field(None, description=DESCRIPTION_HELP)
    participants: list[Component] = slot("agent", "team", many=True, default=..., description=PARTICIPANTS_HELP)
    termination_condition: Component | None = slot("termination", description="When the team stops, for example "
                                                   "when someone says TERMINATE or after a number of messages. "
                                                   "Without one the team runs until max turns.")
    max_turns: int | None = Field(None, ge=1, description="Stop after this many agent turns. Empty: no limit (the "
                                  "termination condition decides).")


class _TurnDone:
    """Queue marker: one speaker's turn ended with `delta` (its messages and events) of which the others see
    `published`, or failed with `error`."""

    __slots__ = ("speaker", "delta", "published", "error")

    def __init__(self, speaker: str, delta: list[AnyMessage] | None = None,
                 published: list[BaseChatMessage] | None = None, error: BaseException | None = None) -> None:
        self.speaker = speaker
        self.delta = delta or []
        self.published = published or []
        self.error = error


class BaseGroupChat(Configurable, ABC):
    """A team of agents taking turns. Subclasses choose the speakers."""

    DEFAULT_NAME = "GroupChat"
    DEFAULT_DESCRIPTION = "A team of agents."
    MANAGER_NAME = "GroupChatManager"

    name: str
    description: str

    def __init__(
        self,
        participants: Sequence[BaseChatAgent | BaseGroupChat],
        termination_condition: TerminationCondition | None = None,
        max_turns: int | None = None,
        name: str | None = None,
        description: str | None = None,
        emit_team_events: bool = False,
    ) -> None:
        if not participants:
            raise ValueError("At least one participant is required.")
        names = [p.name for p in participants]
        if len(set(names)) != len(names):
            raise ValueError(f"The participant names must be unique: {names}")
        if max_turns is not None and max_turns <= 0:
            raise ValueError("The maximum number of turns must be greater than 0.")
        self.participants = list(participants)
        self.termination_condition = termination_condition
        self.max_turns = max_turns
        self.name = name or self.DEFAULT_NAME
        self.description = description or self.DEFAULT_DESCRIPTION
        self.emit_team_events = emit_team_events
        self._by_name = {p.name: p for p in participants}
        self._unseen: dict[str, list[BaseChatMessage]] = {n: [] for n in names}
        self._thread: list[AnyMessage] = []
        self._turn = 0
        self._running = False

    @property
    def participant_names(self) -> list[str]:
        return [p.name for p in self.participants]

    # -- what subclasses define -------------------------------------------------------------------------

    @abstractmethod
    async def select_speakers(self) -> list[str]:
        """The participants who speak next (several run concurrently); empty ends the run (graphs)."""

    async def on_messages(self, messages: Sequence[AnyMessage]) -> None:
        """Called with the task messages, then with each turn's messages, in order."""

    async def validate_start(self, messages: Sequence[BaseChatMessage] | None) -> None:
        """Raise ValueError if the team cannot start (or continue) with these task messages."""

    async def reset_state(self) -> None:
        """Forget the speaker-selection state."""

    def completion(self) -> Stop | None:
        """A stop when the team has nothing left to do (a finished graph), checked after each turn."""
        return None

    def pending_events(self) -> Sequence[AnyMessage]:
        """Team events produced while selecting speakers (shown when `emit_team_events` is on)."""
        return []

    # -- running ----------------------------------------------------------------------------------------

    async def run(
        self, *, task: str | BaseChatMessage | Sequence[BaseChatMessage] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> TaskResult:
        result: AnyMessage | TaskResult | None = None
        async for item in self.run_stream(task=task, cancellation_token=cancellation_token):
            result = item
        assert isinstance(result, TaskResult)
        return result

    async def run_stream(
        self, *, task: str | BaseChatMessage | Sequence[BaseChatMessage] | None = None,
        cancellation_token: CancellationToken | None = None, output_task_messages: bool = True,
    ) -> AsyncGenerator[AnyMessage | TaskResult, None]:
        """Yield every message and event as it happens, then the TaskResult. Calling again continues.

        `output_task_messages=False` leaves the task out of the stream and the result (a nested team's turn).
        """
        messages = _task_messages(task)
        if self._running:
            raise ValueError("The team is already running, it cannot run again until it is stopped.")
        self._running = True
        token = cancellation_token or CancellationToken()
        output: list[AnyMessage] = []
        try:
            async for item in self._run(messages, token, output_task_messages):
                if isinstance(item, Stop):
                    yield TaskResult(messages=output, stop_reason=item.reason)
                    return
                if not isinstance(item, ModelClientStreamingChunkEvent):
                    output.append(item)
                yield item
        finally:
            self._running = False
            if output_task_messages:  # a whole run, not a nested team's turn: tool state is per run
                await self.end_run()

    async def _run(
        self, messages: list[BaseChatMessage] | None, token: CancellationToken, output_task_messages: bool
    ) -> AsyncIterator[AnyMessage | Stop]:
        """Yield messages and events; the last item is the Stop."""
        if self.termination_condition is not None and self.termination_condition.terminated:
            yield Stop("The group chat has already terminated.")
            return
        try:
            await self.validate_start(messages)
        except ValueError as e:
            for ending in _failure(self.MANAGER_NAME, e):
                yield ending
            return
        if messages:
            if output_task_messages:
                for message in messages:
                    yield message
            self._publish(messages, speaker=None)
            self._thread.extend(messages)
            await self.on_messages(messages)
            stop = await self._check_termination(messages, count_turn=False)
            if stop is not None:
                yield stop
                return

        while True:
            if token.is_cancelled():
                yield Stop(CANCELLED_REASON)
                return
            try:
                speakers = await _cancellable(self.select_speakers(), token)
            except asyncio.CancelledError:
                if token.is_cancelled():
                    yield Stop(CANCELLED_REASON)
                    return
                raise
            except Exception as e:
                for ending in _failure(self.MANAGER_NAME, e):
                    yield ending
                return
            for event in self.pending_events():
                yield event
            if self.emit_team_events:
                yield SelectSpeakerEvent(content=speakers, source=self.MANAGER_NAME)

            delta: list[AnyMessage] = []
            async for item in self._run_turn(speakers, token):
                if isinstance(item, _TurnDone):
                    if item.error is not None:
                        if isinstance(item.error, asyncio.CancelledError):
                            yield Stop(CANCELLED_REASON)
                        else:
                            for failure in _failure(item.speaker, item.error, prefix=f"{item.speaker}: "):
                                yield failure
                        return
                    delta = item.delta
                    self._publish(item.published, speaker=item.speaker)
                    self._thread.extend(delta)
                    await self.on_messages(delta)
                else:
                    yield item
            stop = await self._check_termination(delta, count_turn=True)
            if stop is not None:
                yield stop
                return

    async def _run_turn(self, speakers: list[str], token: CancellationToken) -> AsyncIterator[AnyMessage | _TurnDone]:
        """Run the speakers concurrently; yield their events in the order they happen, then one _TurnDone each."""
        queue: asyncio.Queue[AnyMessage | _TurnDone] = asyncio.Queue()
        tasks = [asyncio.create_task(self._speak(name, queue, token)) for name in speakers]
        for task in tasks:
            token.link_future(task)
        try:
            remaining = len(tasks)
            failure: _TurnDone | None = None
            while remaining:
                item = await queue.get()
                if isinstance(item, _TurnDone):
                    remaining -= 1
                    if item.error is not None:
                        failure = failure or item
                        for task in tasks:
                            task.cancel()
                        continue
                    if failure is None:
                        yield item
                elif failure is None:
                    yield item
            if failure is not None:
                yield failure
        finally:
            # Nothing of a turn outlives it: cancel what still runs and wait until it has stopped.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _speak(self, name: str, queue: asyncio.Queue[AnyMessage | _TurnDone], token: CancellationToken) -> None:
        """Run one participant's turn, putting its events on the queue and then a _TurnDone.

        An agent's turn counts its inner events and its reply, and the others see its reply (not the chat
        messages of an agent it ran as a tool); a nested team's counts its whole result, which the others see.
        """
        participant = self._by_name[name]
        unseen, self._unseen[name] = self._unseen[name], []
        try:
            delta: list[AnyMessage] | None = None
            published: list[BaseChatMessage] = []
            if isinstance(participant, BaseGroupChat):
                stream = participant.run_stream(task=unseen or None, cancellation_token=token,
                                                output_task_messages=False)
                async for item in stream:
                    if isinstance(item, TaskResult):
                        delta = item.messages
                        published = [m for m in delta if isinstance(m, BaseChatMessage)]
                    else:
                        queue.put_nowait(item)
            else:
                async for event in participant.on_messages_stream(unseen, token):
                    if isinstance(event, Response):
                        delta = [*event.inner_messages, event.chat_message]
                        published = [event.chat_message]
                        queue.put_nowait(event.chat_message)
                    else:
                        queue.put_nowait(event)
            if delta is None:
                raise RuntimeError(f"Participant {name} did not produce a final response.")
            queue.put_nowait(_TurnDone(name, delta=delta, published=published))
        except asyncio.CancelledError as e:
            queue.put_nowait(_TurnDone(name, error=e))
        except Exception as e:  # reported to the run as an ErrorEvent
            queue.put_nowait(_TurnDone(name, error=e))

    def _publish(self, messages: Sequence[BaseChatMessage], speaker: str | None) -> None:
        """Every participant but the speaker will see these chat messages on its next turn."""
        for name, unseen in self._unseen.items():
            if name != speaker:
                unseen.extend(messages)

    async def _check_termination(self, delta: Sequence[AnyMessage], count_turn: bool) -> Stop | None:
        """Return the Stop if the run must stop now (and reset the counters for the next run)."""
        completed = self.completion()
        if completed is not None:
            await self._reset_run_counters()
            return completed
        if self.termination_condition is not None:
            stop_message = await self.termination_condition(delta)
            if stop_message is not None:
                await self._reset_run_counters()
                return Stop(stop_message.content)
        if count_turn:
            self._turn += 1
        if self.max_turns is not None and self._turn >= self.max_turns:
            await self._reset_run_counters()
            return Stop(f"Maximum number of turns {self.max_turns} reached.")
        return None

    async def _reset_run_counters(self) -> None:
        self._turn = 0
        if self.termination_condition is not None:
            await self.termination_condition.reset()

    async def reset(self) -> None:
        """Start afresh: every agent forgets the conversation, and so does the team."""
        if self._running:
            raise RuntimeError("The team cannot be reset while it is running.")
        for participant in self.participants:
            if isinstance(participant, BaseGroupChat):
                await participant.reset()
            else:
                await participant.on_reset()
        for unseen in self._unseen.values():
            unseen.clear()
        self._thread.clear()
        await self._reset_run_counters()
        await self.reset_state()

    async def end_run(self) -> None:
        for participant in self.participants:
            await participant.end_run()

    async def close(self) -> None:
        for agent in self.participants:
            await agent.close()


def _task_messages(task: str | BaseChatMessage | Sequence[BaseChatMessage] | None) -> list[BaseChatMessage] | None:
    if task is None:
        return None
    if isinstance(task, str):
        return [TextMessage(content=task, source="user")]
    if isinstance(task, BaseChatMessage):
        return [task]
    messages = list(task)
    if not messages:
        raise ValueError("Task list cannot be empty.")
    if not all(isinstance(m, BaseChatMessage) for m in messages):
        raise ValueError("All messages in the task list must be chat messages.")
    return messages


async def _cancellable(coro: Coroutine[Any, Any, _T], token: CancellationToken) -> _T:
    task = asyncio.ensure_future(coro)
    token.link_future(task)
    return await task


def _failure(source: str, error: BaseException, prefix: str = "") -> tuple[ErrorEvent, Stop]:
    """What a failed run ends with: an ErrorEvent for the trace, then the Stop."""
    text = prefix + (str(error).strip() or type(error).__name__)
    return ErrorEvent(content=text, error_type=type(error).__name__, source=source), Stop(f"Error: {text}")


__all__ = ["BaseGroupChat", "CANCELLED_REASON"]
