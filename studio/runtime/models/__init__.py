"""Model clients: the interface, the LLM message types, and the replay / OpenAI / Azure clients.

The OpenAI clients import the `openai` package when the first one is built: it is heavy, and validating a team
or running a replay team needs none of it.
"""

from .base import ChatCompletionClient, ModelClientError
from .openai_client import AzureOpenAIChatCompletionClient, OpenAIChatCompletionClient
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

