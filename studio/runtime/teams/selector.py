"""SelectorGroupChat: a model reads the conversation and names who speaks next."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import Field

from ..agents.base import BaseChatAgent
from ..conditions import TerminationCondition
from ..config import Component, filled, slot
from ..messages import (
    BaseAgentEvent,
    BaseChatMessage,
    HandoffMessage,
    ModelClientStreamingChunkEvent,
    SelectorEvent,
)
from ..model_context import ChatCompletionContext, UnboundedChatCompletionContext, context_slot
from ..models.base import ChatCompletionClient
from ..models.types import (
    AssistantMessage,
    CreateResult,
    LLMMessage,
    SystemMessage,
    UserMessage,
)
from .base import DESCRIPTION_HELP, EVENTS_HELP, NAME_HELP, BaseGroupChat, TeamConfig

DEFAULT_SELECTOR_PROMPT = """You are in a role play game. The following roles are available:
{roles}.
Read the following conversation. Then select the next role from {participants} to play. Only return the role.

{history}

Read the above conversation. Then select the next role from {participants} to play. Only return the role.
"""

# Model families that take the selector prompt as a system message (others get it as a user message).
_OPENAI_FAMILIES = {"gpt-5", "gpt-41", "gpt-45", "gpt-4o", "o1", "o3", "o4", "gpt-4", "gpt-35"}


class SelectorGroupChat(BaseGroupChat):
    DEFAULT_NAME = "SelectorGroupChat"
    MANAGER_NAME = "SelectorGroupChatManager"

    def __init__(
        self,
        participants: Sequence[BaseChatAgent | BaseGroupChat],
        model_client: ChatCompletionClient,
        termination_condition: TerminationCondition | None = None,
        max_turns: int | None = None,
        selector_prompt: str = DEFAULT_SELECTOR_PROMPT,
        allow_repeated_speaker: bool = False,
        max_selector_attempts: int = 3,
        name: str | None = None,
        description: str | None = None,
        emit_team_events: bool = False,
        model_client_streaming: bool = False,
        model_context: ChatCompletionContext | None = None,
    ) -> None:
        super().__init__(participants, termination_condition, max_turns, name, description, emit_team_events)
        if len(self.participants) < 2:
            raise ValueError("At least two participants are required for SelectorGroupChat.")
        self.model_client = model_client
        self.selector_prompt = selector_prompt
        self.allow_repeated_speaker = allow_repeated_speaker
        self.max_selector_attempts = max_selector_attempts
        self.model_client_streaming = model_client_streaming
        self.model_context = model_context or UnboundedChatCompletionContext()
        self._previous: str | None = None
        self._events: list[BaseAgentEvent] = []
        self._roles = "\n".join(
            re.sub(r"\s+", " ", f"{p.name}: {p.description}").strip() for p in self.participants
        )

    async def on_messages(self, messages: Sequence[BaseAgentEvent | BaseChatMessage]) -> None:
        for message in messages:
            if isinstance(message, BaseChatMessage):
                if isinstance(message, HandoffMessage):
                    for llm_message in message.context:
                        await self.model_context.add_message(llm_message)
                await self.model_context.add_message(message.to_model_message())

    async def select_speakers(self) -> list[str]:
        candidates = self.participant_names
        if self._previous is not None and not self.allow_repeated_speaker:
            candidates = [n for n in candidates if n != self._previous]
        speaker = candidates[0] if len(candidates) == 1 else await self._ask_model(candidates)
        self._previous = speaker
        return [speaker]

    def pending_events(self) -> list[BaseAgentEvent]:
        events, self._events = self._events, []
        return events

    async def _ask_model(self, candidates: list[str]) -> str:
        """Ask up to `max_selector_attempts` times, telling the model what was wrong with each answer."""
        history = _transcript(await self.model_context.get_messages())
        prompt = self.selector_prompt.format(roles=self._roles, participants=str(candidates), history=history)
        family = self.model_client.model_info.get("family", "")
        messages: list[LLMMessage] = (
            [SystemMessage(content=prompt)] if family in _OPENAI_FAMILIES else [UserMessage(content=prompt, source="user")]
        )
        for _ in range(self.max_selector_attempts):
            reply = await self._complete(messages)
            messages.append(AssistantMessage(content=reply, source="selector"))
            mentioned = _mentioned(reply, self.participant_names)
            if len(mentioned) == 0:
                feedback = f"No valid name was mentioned. Please select from: {candidates}."
            elif len(mentioned) > 1:
                feedback = f"Expected exactly one name to be mentioned. Please select only one from: {candidates}."
            elif not self.allow_repeated_speaker and mentioned[0] == self._previous:
                feedback = f"Repeated speaker is not allowed, please select a different name from: {candidates}."
            else:
                return mentioned[0]
            messages.append(UserMessage(content=feedback, source="user"))
        return self._previous if self._previous is not None else candidates[0]

    async def _complete(self, messages: list[LLMMessage]) -> str:
        if not self.model_client_streaming:
            result = await self.model_client.create(messages)
        else:
            streamed: CreateResult | None = None
            async for chunk in self.model_client.create_stream(messages):
                if isinstance(chunk, CreateResult):
                    streamed = chunk
                elif self.emit_team_events:
                    self._events.append(ModelClientStreamingChunkEvent(content=chunk, source=self.MANAGER_NAME))
            assert streamed is not None
            result = streamed
            if self.emit_team_events and isinstance(result.content, str):
                self._events.append(SelectorEvent(content=result.content, source=self.MANAGER_NAME))
        if not isinstance(result.content, str):
            raise RuntimeError("The selector model must answer with a participant's name, not a tool call.")
        return result.content

    async def close(self) -> None:
        """The agents' resources, then the selector's own model client."""
        await super().close()
        await self.model_client.close()

    async def reset_state(self) -> None:
        await self.model_context.clear()
        self._previous = None


class SelectorGroupChatConfig(TeamConfig):
    name: str | None = filled(SelectorGroupChat.DEFAULT_NAME, description=NAME_HELP)
    description: str | None = filled(SelectorGroupChat.DEFAULT_DESCRIPTION, description=DESCRIPTION_HELP)
    model_client: Component = slot("model", default=..., description="The model that reads the conversation and "
                                   "picks who speaks next.")
    selector_prompt: str | None = filled(DEFAULT_SELECTOR_PROMPT, autogen_required=True, description="The prompt "
                                         "that asks the model to choose the next speaker. It can use {roles}, "
                                         "{participants} and {history}.")
    allow_repeated_speaker: bool = filled(False, autogen_required=True, description="Let the same agent be picked "
                                          "twice in a row.")
    max_selector_attempts: int = Field(3, ge=1, description="How many times to ask the model again when its answer "
                                       "names no valid speaker, before falling back to the previous speaker.")
    emit_team_events: bool = Field(False, description=EVENTS_HELP)
    model_client_streaming: bool = Field(False, description="Stream the selector model's reply token by token.")
    model_context: Component | None = context_slot()


SelectorGroupChat.component_config_schema = SelectorGroupChatConfig


def _transcript(messages: Sequence[LLMMessage]) -> str:
    lines = [
        f"{m.source}: {m.content}".rstrip() + "\n\n"
        for m in messages
        if isinstance(m, (UserMessage, AssistantMessage))
    ]
    return "\n".join(lines)


def _mentioned(text: str, names: list[str]) -> list[str]:
    """Participant names mentioned in `text` as whole words (also with spaces or escaped underscores)."""
    found = []
    for name in names:
        variants = "|".join(re.escape(v) for v in (name, name.replace("_", " "), name.replace("_", r"\_")))
        if re.search(rf"(?<=\W)({variants})(?=\W)", f" {text} "):
            found.append(name)
    return found
