"""Model clients: the interface, the LLM message types, and the replay / OpenAI / Azure clients.

The OpenAI clients are imported on first use: the `openai` package is heavy and a replay team needs none of it.
"""

from typing import Any

from .base import ChatCompletionClient, ModelClientError
from .replay import ReplayChatCompletionClient
from .types import (
    AssistantMessage,
    CreateResult,
    FinishReason,
    FunctionCall,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    LLMMessage,
    ModelInfo,
    RequestUsage,
    SystemMessage,
    ToolSchema,
    UserMessage,
    default_model_info,
)

__all__ = [
    "AssistantMessage",
    "AzureOpenAIChatCompletionClient",
    "ChatCompletionClient",
    "CreateResult",
    "FinishReason",
    "FunctionCall",
    "FunctionExecutionResult",
    "FunctionExecutionResultMessage",
    "LLMMessage",
    "ModelClientError",
    "ModelInfo",
    "OpenAIChatCompletionClient",
    "ReplayChatCompletionClient",
    "RequestUsage",
    "SystemMessage",
    "ToolSchema",
    "UserMessage",
    "default_model_info",
]


def __getattr__(name: str) -> Any:
    if name in ("OpenAIChatCompletionClient", "AzureOpenAIChatCompletionClient"):
        from . import openai_client

        return getattr(openai_client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
