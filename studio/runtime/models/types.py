"""What goes into a model and what comes back: AutoGen's LLM message and result shapes."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict


class FunctionCall(BaseModel):
    """One tool call requested by a model; `arguments` is the raw JSON text. Field order is AutoGen's."""

    id: str
    arguments: str
    name: str


class SystemMessage(BaseModel):
    content: str
    type: Literal["SystemMessage"] = "SystemMessage"


class UserMessage(BaseModel):
    """Content is text, or a list of text parts and images (`{"type": "image", "data": <base64>, ...}`)."""

    content: str | list[Any]
    source: str
    type: Literal["UserMessage"] = "UserMessage"


class AssistantMessage(BaseModel):
    content: str | list[FunctionCall]
    thought: str | None = None
    source: str
    type: Literal["AssistantMessage"] = "AssistantMessage"


class FunctionExecutionResult(BaseModel):
    content: str
    name: str
    call_id: str
    is_error: bool | None = None


class FunctionExecutionResultMessage(BaseModel):
    content: list[FunctionExecutionResult]
    type: Literal["FunctionExecutionResultMessage"] = "FunctionExecutionResultMessage"


LLMMessage = SystemMessage | UserMessage | AssistantMessage | FunctionExecutionResultMessage


class RequestUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


FinishReason = Literal["stop", "length", "function_calls", "content_filter", "unknown"]


class CreateResult(BaseModel):
    """A model's complete reply: text, or a list of tool calls."""

    model_config = ConfigDict(extra="ignore")

    finish_reason: FinishReason
    content: str | list[FunctionCall]
    usage: RequestUsage
    cached: bool = False
    logprobs: list[Any] | None = None
    thought: str | None = None


class ModelInfo(TypedDict, total=False):
    vision: bool
    function_calling: bool
    json_output: bool
    family: str
    structured_output: bool
    multiple_system_messages: bool


class ToolSchema(TypedDict, total=False):
    """What a model is told about a tool (OpenAI function format)."""

    name: str
    description: str
    parameters: dict[str, Any]
    strict: bool


def default_model_info() -> ModelInfo:
    return ModelInfo(
        vision=False, function_calling=True, json_output=False, family="unknown", structured_output=False
    )
