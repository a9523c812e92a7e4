"""What goes into a model and what comes back: AutoGen's LLM message and result shapes."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypedDict

from pydantic import BaseModel, Field

from ..config import ConfigModel, TextOr, branch, filled, tagged


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

    content: TextOr[list[Any]]
    source: str
    type: Literal["UserMessage"] = "UserMessage"


class AssistantMessage(BaseModel):
    content: TextOr[list[FunctionCall]]
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


def _message_type(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) else "missing"


TaggedLLMMessage = Annotated[
    Annotated[SystemMessage, branch("SystemMessage")]
    | Annotated[UserMessage, branch("UserMessage")]
    | Annotated[AssistantMessage, branch("AssistantMessage")]
    | Annotated[FunctionExecutionResultMessage, branch("FunctionExecutionResultMessage")],
    tagged(_message_type),
]
"""`LLMMessage` as a config field reads it: the branch its `type` names, so errors come from that one."""


class RequestUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


FinishReason = Literal["stop", "length", "function_calls", "content_filter", "unknown"]


class CreateResult(ConfigModel):
    """A model's complete reply: text, or a list of tool calls. AutoGen requires `usage` and `cached`."""

    finish_reason: FinishReason
    content: TextOr[list[FunctionCall]]
    usage: RequestUsage = filled(RequestUsage(), autogen_required=True)
    cached: bool = filled(False, autogen_required=True)
    logprobs: list[Any] | None = None
    thought: str | None = None


class ModelInfo(TypedDict, total=False):
    """What a model can do, as the clients hold it (AutoGen's `ModelInfo`); `ModelInfoConfig` is how a
    config writes it."""

    vision: bool
    function_calling: bool
    json_output: bool
    family: str
    structured_output: bool
    multiple_system_messages: bool


class ModelInfoConfig(ConfigModel):
    """What a model can do, in a config. `structured_output` defaults to false for files older than AutoGen
    0.4.8."""

    vision: bool = Field(description="The model accepts images.")
    function_calling: bool = Field(description="The model can call tools. Agents with tools need this.")
    json_output: bool = Field(description="The model can be asked to answer in JSON.")
    family: str = Field(description="The model family, e.g. gpt-4o, llama, or unknown. Empty: no model info "
                        "(the client must know the model).")
    structured_output: bool = Field(False, description="The model can answer following a JSON schema.")
    multiple_system_messages: bool | None = Field(
        None, description="Whether the model accepts more than one system message.")


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
