"""Messages and events a run produces, with AutoGen's `type` names and JSON shape.

Chat messages (`BaseChatMessage`) are what agents say to each other; events (`BaseAgentEvent`) show what
happened inside an agent (tool calls, streamed tokens, speaker choices). Both serialise with `dump()` to
exactly the dict AutoGen's `message.dump()` gives, so traces, the database, SSE and the CLI share one shape.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from .images import sniff_base64_image
from .models.types import FunctionCall, FunctionExecutionResult, LLMMessage, RequestUsage, UserMessage


def _new_id() -> str:
    return str(uuid.uuid4())


def _now() -> datetime:
    return datetime.now(UTC)


class Image(BaseModel):
    """An image inside a multimodal message, as base64 data (AutoGen serialises images as `{"data": ...}`)."""

    data: str

    @property
    def mime(self) -> str:
        """Its type, read from its bytes (PNG when they name none): what the data URL sent to a model says.
        AutoGen re-encodes every image as PNG; Studio sends the bytes it was given, so it names their type."""
        return sniff_base64_image(self.data) or "image/png"


class BaseMessage(BaseModel):
    id: str = Field(default_factory=_new_id)
    source: str
    models_usage: RequestUsage | None = None
    metadata: dict[str, str] = {}
    created_at: datetime = Field(default_factory=_now)

    def to_text(self) -> str:
        """The content as plain text, for display and for text-matching terminations."""
        return str(self.content)  # type: ignore[attr-defined]

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class BaseChatMessage(BaseMessage):
    """A message agents exchange; it becomes part of every other participant's model context."""

    def to_model_text(self) -> str:
        return self.to_text()

    def to_model_message(self) -> UserMessage:
        return UserMessage(content=self.to_model_text(), source=self.source)


class BaseAgentEvent(BaseMessage):
    """Something that happened inside an agent or team; shown in the trace, never sent to other agents."""


class TextMessage(BaseChatMessage):
    content: str
    type: Literal["TextMessage"] = "TextMessage"

    def to_text(self) -> str:
        return self.content


class StopMessage(BaseChatMessage):
    content: str
    type: Literal["StopMessage"] = "StopMessage"

    def to_text(self) -> str:
        return self.content


class HandoffMessage(BaseChatMessage):
    content: str
    target: str
    context: list[LLMMessage] = []
    type: Literal["HandoffMessage"] = "HandoffMessage"

    def to_text(self) -> str:
        return self.content


class ToolCallSummaryMessage(BaseChatMessage):
    content: str
    tool_calls: list[FunctionCall]
    results: list[FunctionExecutionResult]
    type: Literal["ToolCallSummaryMessage"] = "ToolCallSummaryMessage"

    def to_text(self) -> str:
        return self.content


class MultiModalMessage(BaseChatMessage):
    content: list[str | Image]
    type: Literal["MultiModalMessage"] = "MultiModalMessage"

    def to_text(self) -> str:
        return "\n".join(part if isinstance(part, str) else "<image>" for part in self.content)

    def to_model_text(self) -> str:
        return "".join(part if isinstance(part, str) else " [image]" for part in self.content)

    def to_model_message(self) -> UserMessage:
        parts: list[Any] = [part if isinstance(part, str) else {**part.model_dump(), "mime": part.mime}
                            for part in self.content]
        return UserMessage(content=parts, source=self.source)


class ToolCallRequestEvent(BaseAgentEvent):
    content: list[FunctionCall]
    type: Literal["ToolCallRequestEvent"] = "ToolCallRequestEvent"


class ToolCallExecutionEvent(BaseAgentEvent):
    content: list[FunctionExecutionResult]
    type: Literal["ToolCallExecutionEvent"] = "ToolCallExecutionEvent"


class UserInputRequestedEvent(BaseAgentEvent):
    request_id: str
    content: Literal[""] = ""
    type: Literal["UserInputRequestedEvent"] = "UserInputRequestedEvent"


class ModelClientStreamingChunkEvent(BaseAgentEvent):
    content: str
    full_message_id: str | None = None
    type: Literal["ModelClientStreamingChunkEvent"] = "ModelClientStreamingChunkEvent"

    def to_text(self) -> str:
        return self.content


class ThoughtEvent(BaseAgentEvent):
    content: str
    type: Literal["ThoughtEvent"] = "ThoughtEvent"

    def to_text(self) -> str:
        return self.content


class SelectSpeakerEvent(BaseAgentEvent):
    content: list[str]
    type: Literal["SelectSpeakerEvent"] = "SelectSpeakerEvent"


class SelectorEvent(BaseAgentEvent):
    content: str
    type: Literal["SelectorEvent"] = "SelectorEvent"


class CodeGenerationEvent(BaseAgentEvent):
    retry_attempt: int = 0
    content: str
    code_blocks: list[dict[str, str]] = []
    type: Literal["CodeGenerationEvent"] = "CodeGenerationEvent"

    def to_text(self) -> str:
        return self.content


class CodeExecutionResult(BaseModel):
    exit_code: int
    output: str
    code_file: str | None = None


class CodeExecutionEvent(BaseAgentEvent):
    retry_attempt: int = 0
    result: CodeExecutionResult
    type: Literal["CodeExecutionEvent"] = "CodeExecutionEvent"

    def to_text(self) -> str:
        return self.result.output


class ErrorEvent(BaseAgentEvent):
    """Studio's own event: an agent or model failed for good. AutoGen raises instead; the studio reports it
    in the trace and ends the run with a stop reason starting with "Error:"."""

    content: str
    error_type: str = ""
    type: Literal["ErrorEvent"] = "ErrorEvent"


ChatMessage = Annotated[
    TextMessage | StopMessage | HandoffMessage | ToolCallSummaryMessage | MultiModalMessage,
    Field(discriminator="type"),
]
AgentEvent = Annotated[
    ToolCallRequestEvent | ToolCallExecutionEvent | UserInputRequestedEvent | ModelClientStreamingChunkEvent | ThoughtEvent | SelectSpeakerEvent | SelectorEvent | CodeGenerationEvent | CodeExecutionEvent | ErrorEvent,
    Field(discriminator="type"),
]
AnyMessage = BaseChatMessage | BaseAgentEvent

_ANY_MESSAGE = TypeAdapter(Annotated[ChatMessage | AgentEvent, Field(discriminator="type")])


def load_message(data: dict[str, Any]) -> BaseChatMessage | BaseAgentEvent:
    """Rebuild a message or event from its `dump()`."""
    return _ANY_MESSAGE.validate_python(data)


class TaskResult(BaseModel):
    """What a run ends with: every message and event it produced (streamed chunks excluded) and why it stopped."""

    messages: list[Any]
    stop_reason: str | None = None
    type: Literal["TaskResult"] = "TaskResult"

    def dump(self) -> dict[str, Any]:
        return {
            "type": "TaskResult",
            "messages": [m.dump() for m in self.messages],
            "stop_reason": self.stop_reason,
        }


class Response(BaseModel):
    """What an agent's turn ends with: its chat message plus the events it produced on the way."""

    chat_message: Any
    inner_messages: list[Any] = []
