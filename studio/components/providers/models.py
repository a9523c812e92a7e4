"""Model clients: OpenAI (and OpenAI-compatible servers), Azure OpenAI, replay.

Secrets: `dump_component` never writes a secret. A set `api_key` / `azure_ad_token` (and secret-looking
`default_headers` such as `Authorization`) is written as AutoGen's mask `"**********"`, so a studio
export equals AutoGen's own and still says "this model needs a key". A masked value read from a file is
treated as absent (the runtime then falls back to its environment), and remembered so that the
component dumps back with the mask.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from ..envelope import MASK
from ..registry import ProviderSpec
from ..schemas import models as s
from .base import attrs, build, plain, recall, remember, runtime_class

_MODELS = "studio.runtime.models"
SECRET_FIELDS = ("api_key", "azure_ad_token")
SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization"})


def _openai_kwargs(cfg: s.OpenAIClientConfig | s.AzureOpenAIClientConfig) -> tuple[dict[str, Any], list[str]]:
    """The client's keyword arguments with secrets revealed and masked ones dropped (and named)."""
    kwargs = cfg.model_dump(exclude_none=True)
    masked = []
    for name in SECRET_FIELDS:
        secret = getattr(cfg, name, None)
        if isinstance(secret, SecretStr):
            if secret.get_secret_value() == MASK:
                kwargs.pop(name)
                masked.append(name)
            else:
                kwargs[name] = secret.get_secret_value()
    headers = kwargs.get("default_headers")
    if headers:
        for key in [k for k, v in headers.items() if v == MASK]:
            del headers[key]
            masked.append(f"default_headers.{key}")
    return kwargs, masked


def _client(path: str) -> Any:
    def factory(cfg: s.OpenAIClientConfig | s.AzureOpenAIClientConfig, built: dict[str, Any]) -> Any:
        kwargs, masked = _openai_kwargs(cfg)
        client = build(path, **kwargs)
        if masked:
            remember(client, masked=tuple(masked))
        return client

    return factory


def _dump_client(obj: Any, dump: Any) -> dict[str, Any]:
    config = plain(dict(obj.config))
    masked = recall(obj, "masked", ())
    for name in SECRET_FIELDS:
        if config.get(name) or name in masked:
            config[name] = MASK
    headers = config.get("default_headers")
    if isinstance(headers, dict):
        for key in list(headers):
            if key.lower() in SECRET_HEADERS:
                headers[key] = MASK
        for entry in masked:
            if entry.startswith("default_headers."):
                headers[entry.partition(".")[2]] = MASK
    return config


def _replay(cfg: s.ReplayClientConfig, built: dict[str, Any]) -> Any:
    result = runtime_class(f"{_MODELS}.types.CreateResult")
    replies = [r if isinstance(r, str) else result.model_validate(r.model_dump()) for r in cfg.chat_completions]
    model_info = cfg.model_info.model_dump(exclude_none=True) if cfg.model_info else None
    return build(f"{_MODELS}.ReplayChatCompletionClient", replies, model_info=model_info)


def _dump_replay(obj: Any, dump: Any) -> dict[str, Any]:
    return attrs(obj, "chat_completions", "model_info")


SPECS = [
    ProviderSpec("autogen_ext.models.openai.OpenAIChatCompletionClient", "model", s.OpenAIClientConfig,
                 _client(f"{_MODELS}.OpenAIChatCompletionClient"), _dump_client,
                 f"{_MODELS}.OpenAIChatCompletionClient"),
    ProviderSpec("autogen_ext.models.openai.AzureOpenAIChatCompletionClient", "model", s.AzureOpenAIClientConfig,
                 _client(f"{_MODELS}.AzureOpenAIChatCompletionClient"), _dump_client,
                 f"{_MODELS}.AzureOpenAIChatCompletionClient"),
    ProviderSpec("autogen_ext.models.replay.ReplayChatCompletionClient", "model", s.ReplayClientConfig,
                 _replay, _dump_replay, f"{_MODELS}.ReplayChatCompletionClient",
                 type_aliases=("replay_chat_completion_client",)),
]
