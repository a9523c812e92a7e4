"""Pure helpers for the OpenAI clients: config fields, model capabilities, the wire format.

Holds the config models (the fields of AutoGen 0.7.5's OpenAI/Azure client configs), what
known OpenAI models can do, and the conversion of our LLM messages and tool schemas to
chat-completions JSON the way AutoGen's client does it. No I/O here.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from ..config import SECRET_FIELDS, Component, ConfigModel, branch, slot, tagged
from .base import ModelClientError
from .types import (
    AssistantMessage,
    FinishReason,
    FunctionExecutionResultMessage,
    LLMMessage,
    ModelInfo,
    ModelInfoConfig,
    SystemMessage,
    UserMessage,
)

_NAME_RE = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_FINISH_REASONS: dict[str, FinishReason] = {
    "stop": "stop", "end_turn": "stop", "length": "length", "content_filter": "content_filter",
    "function_calls": "function_calls", "tool_calls": "function_calls",
}  # fmt: skip

# Capabilities of OpenAI's models by name prefix (the longest matching prefix wins):
# (vision, function_calling, json_output, family, structured_output).
_KNOWN_MODELS: dict[str, tuple[bool, bool, bool, str, bool]] = {
    "gpt-5": (True, True, True, "gpt-5", True),
    "gpt-4.5": (True, True, True, "gpt-45", True),
    "gpt-4.1": (True, True, True, "gpt-41", True),
    "gpt-4o": (True, True, True, "gpt-4o", True),
    "gpt-4o-2024-05-13": (True, True, True, "gpt-4o", False),
    "gpt-4o-search-preview": (False, True, True, "gpt-4o", True),
    "gpt-4o-mini-search-preview": (False, True, True, "gpt-4o", True),
    "gpt-4-turbo": (True, True, True, "gpt-4", False),
    "gpt-4-1106-vision-preview": (True, False, False, "gpt-4", False),
    "gpt-4": (False, True, True, "gpt-4", False),
    "gpt-3.5-turbo": (False, True, True, "gpt-35", False),
    "gpt-35-turbo": (False, True, True, "gpt-35", False),  # Azure's spelling
    "o4": (True, True, True, "o4", True),
    "o3": (True, True, True, "o3", True),
    "o3-mini": (False, True, True, "o3", True),
    "o1": (False, True, False, "o1", True),
    "o1-mini": (False, False, False, "o1", False),
}


SENT_AS_IS = ("messages", "tools")  # plain JSON built here: nothing for the openai package to transform


def sent_as_is(args: dict[str, Any]) -> dict[str, Any]:
    """The `create` arguments with `messages` and `tools` moved into `extra_body`, so the `openai` package
    sends them as they are instead of walking them against its TypedDicts (the same JSON, minus ~10 ms of
    event-loop time per call). A caller's own `extra_body` still wins, as it would over `create`'s body."""
    plain = {k: args[k] for k in SENT_AS_IS if k in args}
    rest = {k: v for k, v in args.items() if k not in SENT_AS_IS}
    return {**rest, "messages": (), "extra_body": {**plain, **(args.get("extra_body") or {})}}

def known_model_info(model: str) -> ModelInfo | None:
    """Capabilities of a known OpenAI model name (or a dated snapshot of one), else None."""
    prefixes = [p for p in _KNOWN_MODELS if model == p or model.startswith(p + "-")]
    if not prefixes:
        return None
    vision, tools, json_output, family, structured = _KNOWN_MODELS[max(prefixes, key=len)]
    return ModelInfo(vision=vision, function_calling=tools, json_output=json_output, family=family,
                     structured_output=structured, multiple_system_messages=True)  # fmt: skip


class ModelCapabilitiesConfig(ConfigModel):
    """Deprecated by AutoGen in favour of `model_info`; still accepted."""

    vision: bool
    function_calling: bool
    json_output: bool


class StreamOptionsConfig(ConfigModel):
    include_usage: bool


_Stop = Annotated[Annotated[str, branch("text")] | Annotated[list[str], branch("list")],
                  tagged(lambda v: "text" if isinstance(v, str) else "list")]
"""A create call's `stop`: one text or a list of texts."""


class CreateArgs(ConfigModel):
    """The request arguments both OpenAI clients accept (AutoGen's CreateArgumentsConfigModel)."""

    frequency_penalty: float | None = Field(None, description="From -2 to 2: positive values make the model repeat "
                                            "itself less.")
    logit_bias: dict[str, int] | None = Field(None, description="Raise or lower the odds of given token IDs, as a "
                                              "JSON object {token_id: bias}.")
    max_tokens: int | None = Field(None, description="The longest reply the model may write, in tokens. Empty: the "
                                   "server's default.")
    n: int | None = Field(None, description="How many alternative replies to ask for; agents use the first.")
    presence_penalty: float | None = Field(None, description="From -2 to 2: positive values push the model towards "
                                           "new topics.")
    response_format: dict[str, Any] | None = Field(None, description="Ask for JSON output, as a JSON object such as "
                                                   "{\"type\": \"json_object\"}.")
    seed: int | None = Field(None, description="Ask the server for repeatable sampling with this seed (best effort).")
    stop: _Stop | None = Field(
        None, description="Text (or a JSON list of texts) at which the model stops writing.")
    temperature: float | None = Field(None, description="Randomness of the replies, from 0 (focused, repeatable) to "
                                      "2 (varied). Empty: the server's default.")
    top_p: float | None = Field(None, description="Nucleus sampling: only consider the most likely tokens up to this "
                                "total probability (0-1).")
    user: str | None = Field(None, description="An identifier of your end user, passed to the provider for abuse "
                             "monitoring.")
    stream_options: StreamOptionsConfig | None = Field(None, description="Streaming options as JSON, e.g. "
                                                       "{\"include_usage\": true}.")
    parallel_tool_calls: bool | None = Field(None, description="Whether the model may call several tools at once. "
                                             "Default: the server decides.")
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = Field(
        None, description="For reasoning models: how long to think before answering.")


class BaseClientConfig(CreateArgs):
    """The fields AutoGen's OpenAI and Azure client config models share."""

    model: str = Field(description="The model name the server expects, such as gpt-4o-mini, or llama3.2 for "
                       "Ollama.")
    api_key: SecretStr | None = Field(None, description="The key for the model's API. Stored but never shown again; "
                                      "leave empty to keep the current key. OpenAI-compatible local servers usually "
                                      "accept any value.")
    timeout: float | None = Field(None, description="Seconds to wait for the model's reply before the request fails.")
    max_retries: int | None = Field(None, description="How many times to retry a failed request before giving up.")
    model_capabilities: ModelCapabilitiesConfig | None = Field(None, description="Deprecated; use model info "
                                                               "instead.")
    model_info: ModelInfoConfig | None = Field(None, description="What the model can do. Needed for models the "
                                               "client does not know (any OpenAI-compatible server); leave the "
                                               "family empty to rely on the client's built-in list.")
    add_name_prefixes: bool | None = Field(None, description="Prefix each message with its sender's name, for "
                                           "models that ignore the name field.")
    include_name_in_message: bool | None = Field(None, description="Send each message's sender name to the model "
                                                 "(some servers reject it).")
    default_headers: dict[str, str] | None = Field(None, description="Extra HTTP headers sent with every request, as "
                                                   "a JSON object.")


class OpenAIClientConfig(BaseClientConfig):
    """AutoGen's OpenAIClientConfigurationConfigModel. `base_url` points the client at any OpenAI-compatible
    server (Ollama, vLLM, LM Studio)."""

    organization: str | None = Field(None, description="Your OpenAI organization ID, if your account belongs to "
                                     "several.")
    base_url: str | None = Field(None, description="The address of an OpenAI-compatible server, e.g. "
                                 "http://localhost:11434/v1 for Ollama. Empty: OpenAI itself.")


class AzureOpenAIClientConfig(BaseClientConfig):
    """AutoGen's AzureOpenAIClientConfigurationConfigModel: the endpoint and the API version are required."""

    azure_endpoint: str = Field(description="Your Azure OpenAI resource address, e.g. https://NAME.openai.azure.com/.")
    azure_deployment: str | None = Field(None, description="The name of the model deployment in your Azure "
                                         "resource.")
    api_version: str = Field(description="The Azure OpenAI API version, e.g. 2024-06-01.")
    azure_ad_token: SecretStr | None = Field(None, description="An Azure AD (Entra ID) token used instead of an API "
                                             "key. Never shown again; leave empty to keep it.")
    azure_ad_token_provider: Component | None = slot("token_provider", description="A component that fetches Azure "
                                                     "AD tokens (not supported by the studio).")


class MaskedConfig(dict[str, Any]):
    """The config as given; its repr hides secrets, so logging it is safe."""

    def __repr__(self) -> str:
        return repr({k: "***" if k in SECRET_FIELDS and v else v for k, v in self.items()})


def secret_text(value: Any) -> str | None:
    """The text of a secret given as a str or a pydantic SecretStr; None when unset or empty."""
    getter = getattr(value, "get_secret_value", None)
    return (str(getter() if getter else value) or None) if value is not None else None


def is_local_url(url: str | None) -> bool:
    """True for loopback, private-network and *.local hosts, whose servers don't check keys."""
    host = (urlsplit(url).hostname or "") if url else ""
    if host in ("localhost", "host.docker.internal") or host.endswith((".local", ".localhost")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def finish_reason(reason: str | None) -> FinishReason:
    """OpenAI's finish reason in AutoGen's vocabulary ("tool_calls" -> "function_calls")."""
    return _FINISH_REASONS.get((reason or "").lower(), "unknown")


def tool_call_name(name: str) -> str:
    """Models sometimes return names with characters the API itself forbids: replace them."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", name)[:64]


def split_r1_thought(content: str) -> tuple[str | None, str]:
    """For R1-family models: split `<think>...</think>` out of the reply text."""
    start, end = content.find("<think>"), content.find("</think>")
    if start == -1 or end < start:
        return None, content
    return content[start + len("<think>") : end].strip(), content[end + len("</think>") :].strip()


def merge_system_messages(messages: Sequence[LLMMessage]) -> list[LLMMessage]:
    """Merge adjacent system messages into one, for models that read only one (as AutoGen does)."""
    merged: list[LLMMessage] = []
    texts: list[str] = []
    first = last = -1
    for i, message in enumerate(messages):
        if isinstance(message, SystemMessage):
            if first == -1:
                first = i
            elif last + 1 != i:
                raise ModelClientError(
                    "system messages must be adjacent unless model_info.multiple_system_messages is true"
                )
            texts.append(message.content + "\n")
            last = i
        else:
            merged.append(message)
    text = "".join(texts).rstrip()
    if text:
        merged.insert(first, SystemMessage(content=text))
    return merged


def _content_part(part: Any) -> tuple[dict[str, Any], bool]:
    """One multimodal user content part in OpenAI's format, and whether it is an image."""
    if isinstance(part, str):
        return {"type": "text", "text": part}, False
    if hasattr(part, "to_openai_format"):  # an AutoGen-style Image object
        return part.to_openai_format(), True
    if isinstance(part, dict):
        if part.get("type") == "text":
            return {"type": "text", "text": part.get("text", "")}, False
        if part.get("type") == "image_url":
            return part, True
        if part.get("type") == "image" or "data" in part:
            url = f"data:{part.get('mime') or 'image/png'};base64,{part['data']}"
            return {"type": "image_url", "image_url": {"url": url, "detail": part.get("detail", "auto")}}, True
    raise ModelClientError(f"unsupported content part in a user message: {type(part).__name__}")


def to_openai_messages(
    messages: Sequence[LLMMessage],
    *,
    add_name_prefixes: bool = False,
    include_name: bool = True,
    vision: bool = True,
) -> list[dict[str, Any]]:
    """Our LLM messages as chat-completions messages, the way AutoGen's client sends them.

    A user message gets `name` = its source when that is a valid name; an assistant message
    with tool calls carries its thought (or null) as content; each tool result is its own
    `tool` message; images become `image_url` parts holding a data URL.
    """
    out: list[dict[str, Any]] = []
    for m in messages:
        if isinstance(m, SystemMessage):
            out.append({"role": "system", "content": m.content})
        elif isinstance(m, UserMessage):
            item: dict[str, Any] = {"role": "user"}
            if include_name and _NAME_RE.match(m.source):
                item["name"] = m.source
            prefix = f"{m.source} said:\n" if add_name_prefixes else ""
            if isinstance(m.content, str):
                item["content"] = prefix + m.content
            else:
                parts = []
                for i, raw in enumerate(m.content):
                    part, is_image = _content_part(prefix + raw if i == 0 and isinstance(raw, str) else raw)
                    if is_image and not vision:
                        raise ModelClientError("the model does not support images (model_info.vision is false)")
                    parts.append(part)
                item["content"] = parts
            out.append(item)
        elif isinstance(m, AssistantMessage):
            if isinstance(m.content, str):
                out.append({"role": "assistant", "content": m.content})
            else:
                calls = [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                         for c in m.content]  # fmt: skip
                out.append({"role": "assistant", "tool_calls": calls, "content": m.thought})
        elif isinstance(m, FunctionExecutionResultMessage):
            out.extend({"role": "tool", "content": r.content, "tool_call_id": r.call_id} for r in m.content)
        else:
            raise ModelClientError(f"unknown message type: {type(m).__name__}")
    return out


def to_openai_tools(tools: Sequence[Any]) -> list[dict[str, Any]]:
    """Tool schemas (or tool objects with `.schema`) as OpenAI function tools."""
    result = []
    for tool in tools:
        schema = getattr(tool, "schema", tool)
        name = schema["name"]
        if not _NAME_RE.match(name):
            raise ModelClientError(f"invalid tool name {name!r}: use 1-64 letters, digits, '_' or '-'")
        function = {"name": name, "description": schema.get("description", ""),
                    "parameters": schema.get("parameters", {}), "strict": schema.get("strict", False)}  # fmt: skip
        result.append({"type": "function", "function": function})
    return result


def to_tool_choice(tool_choice: str, tools: Sequence[dict[str, Any]]) -> Any:
    """"auto" / "required" / "none", or a tool's name to force that tool."""
    if tool_choice in ("auto", "required", "none"):
        return tool_choice
    names = [t["function"]["name"] for t in tools]
    if tool_choice not in names:
        raise ModelClientError(f"tool_choice {tool_choice!r} is not one of the given tools: {', '.join(names)}")
    return {"type": "function", "function": {"name": tool_choice}}
