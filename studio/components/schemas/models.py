"""Config schemas of the model clients (AutoGen 0.7.5 `autogen_ext.models`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import SecretStr

from studio.runtime.models.replay import DEFAULT_MODEL_INFO

from .common import (
    Component,
    ConfigModel,
    FunctionCallConfig,
    ModelInfoConfig,
    RequestUsageConfig,
    filled,
    slot,
    tagged,
    text_or,
)


class ModelCapabilitiesConfig(ConfigModel):
    """Deprecated by AutoGen in favour of `model_info`; still accepted."""

    vision: bool
    function_calling: bool
    json_output: bool


class StreamOptionsConfig(ConfigModel):
    include_usage: bool


class _CreateArguments(ConfigModel):
    """The request arguments both OpenAI clients accept."""

    frequency_penalty: float | None = None
    logit_bias: dict[str, int] | None = None
    max_tokens: int | None = None
    n: int | None = None
    presence_penalty: float | None = None
    response_format: dict[str, Any] | None = None
    seed: int | None = None
    stop: tagged(lambda v: "text" if isinstance(v, str) else "list", text=str, list=list[str]) | None = None
    temperature: float | None = None
    top_p: float | None = None
    user: str | None = None
    stream_options: StreamOptionsConfig | None = None
    parallel_tool_calls: bool | None = None
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None


class _OpenAIBase(_CreateArguments):
    model: str
    api_key: SecretStr | None = None
    timeout: float | None = None
    max_retries: int | None = None
    model_capabilities: ModelCapabilitiesConfig | None = None
    model_info: ModelInfoConfig | None = None
    add_name_prefixes: bool | None = None
    include_name_in_message: bool | None = None
    default_headers: dict[str, str] | None = None


class OpenAIClientConfig(_OpenAIBase):
    """`base_url` points the client at any OpenAI-compatible server (Ollama, vLLM, LM Studio)."""

    organization: str | None = None
    base_url: str | None = None


class AzureOpenAIClientConfig(_OpenAIBase):
    azure_endpoint: str
    azure_deployment: str | None = None
    api_version: str
    azure_ad_token: SecretStr | None = None
    azure_ad_token_provider: Component | None = slot("token_provider")


class CreateResultConfig(ConfigModel):
    """A scripted reply: text, or tool calls. AutoGen requires `usage` and `cached`."""

    finish_reason: Literal["stop", "length", "function_calls", "content_filter", "unknown"]
    content: text_or(list[FunctionCallConfig])
    usage: RequestUsageConfig = filled(RequestUsageConfig(), autogen_required=True)
    cached: bool = filled(False, autogen_required=True)
    logprobs: list[Any] | None = None
    thought: str | None = None


class ReplayClientConfig(ConfigModel):
    """Replies used in order: each a string or a full result."""

    chat_completions: list[text_or(CreateResultConfig)]
    model_info: ModelInfoConfig | None = filled(ModelInfoConfig(**DEFAULT_MODEL_INFO))
