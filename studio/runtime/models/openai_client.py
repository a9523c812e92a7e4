"""Model clients for OpenAI and Azure OpenAI chat completions, on the official `openai` package.

They take the config fields of AutoGen 0.7.5's OpenAI/Azure client config models and behave
like AutoGen's clients (message conversion, result parsing, finish reasons, usage). The
`openai` client is built lazily on the first call, so a team JSON without a key still loads.
Retries (429, 5xx, timeouts; with backoff and Retry-After) and timeouts are the `openai`
client's own. A failure surfaces as `ModelClientError` with a short message without the key.
The `openai` package (~0.7 s to import) is imported when the first client is built, so importing this
module (as the component registry does) costs nothing and validating a team needs none of it.
Under load (many teams on one event loop) all clients share one SSL context, and the already-JSON
messages skip the `openai` request transform (`sent_as_is`): ~50 ms per client, ~10 ms per call saved.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from pydantic import SecretStr, ValidationError

from ..cancellation import CancellationToken
from ..config import SECRET_FIELDS, Built, Dump, plain
from . import _openai_support as oai
from ._openai_support import AzureOpenAIClientConfig, BaseClientConfig, OpenAIClientConfig
from .base import ChatCompletionClient, ModelClientError
from .endpoints import (
    AZURE_CLIENT,
    OPENAI_API,
    OPENAI_CLIENT,
    client_endpoint,
    environment_key,
    missing_credential_message,
)
from .types import (
    AssistantMessage,
    CreateResult,
    FinishReason,
    FunctionCall,
    LLMMessage,
    ModelInfo,
    RequestUsage,
    ToolSchema,
    default_model_info,
)

if TYPE_CHECKING:
    import openai

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2  # the openai package's own default
LOCAL_PLACEHOLDER_KEY = "placeholder"  # local OpenAI-compatible servers (Ollama, ...) ignore the key
_KEYLIKE_RE = re.compile(r"\bsk-[A-Za-z0-9_*\-]{6,}")
T = TypeVar("T")
_CREATE_ARGS = set(oai.CreateArgs.model_fields)
_NOT_EXTRA = frozenset({"self", "messages", "stream", "n", "functions", "function_call", "tools", "tool_choice"})


@cache
def _shared_ssl_context() -> ssl.SSLContext:
    """One SSL context for every client of the process: loading the CA bundle is the costly part of
    building an `openai` client, and the context (certifi or SSL_CERT_FILE/SSL_CERT_DIR) never changes."""
    return _new_ssl_context()


def _new_ssl_context() -> ssl.SSLContext:
    try:  # the `openai` package's own HTTP library: httpx2 in openai 3, httpx before
        from httpx2 import create_ssl_context
    except ImportError:
        from httpx import create_ssl_context
    return create_ssl_context()


def _http_client() -> Any:
    """An HTTP client like the one `openai` builds for itself (its timeouts, limits, redirects, proxies
    from the environment), on the shared SSL context. The `openai` client closes it with itself."""
    import openai

    return openai.DefaultAsyncHttpxClient(verify=_shared_ssl_context())


@cache
def _allowed_extra_args() -> frozenset[str]:
    """Request parameters `extra_create_args` may set: those of the openai `create` call."""
    from openai.resources.chat.completions import AsyncCompletions

    return frozenset(inspect.signature(AsyncCompletions.create).parameters) - _NOT_EXTRA


async def _cancellable(awaitable: Awaitable[T], token: CancellationToken | None) -> T:
    """Await `awaitable` as a task that `token` can cancel (CancelledError is raised here)."""
    task = asyncio.ensure_future(awaitable)
    if token is not None:
        token.link_future(task)
    return await task


def _attempts(err: openai.APIError) -> int:
    """How many times the openai client sent the request, from its retry-count header."""
    try:
        return int(err.request.headers.get("x-stainless-retry-count", "0")) + 1
    except (AttributeError, RuntimeError, ValueError):
        return 1


class OpenAIChatCompletionClient(ChatCompletionClient):
    """Chat completions on OpenAI or any OpenAI-compatible server (`base_url`)."""

    component_config_schema: ClassVar[type[BaseClientConfig]] = OpenAIClientConfig
    _key_env = "OPENAI_API_KEY"
    _provider = "OpenAI"

    def __init__(self, **config: Any) -> None:
        import openai  # noqa: F401  (here, not at the first call: building a team is when a run may wait)

        schema = self.component_config_schema
        problems = [f"{name}: Extra inputs are not permitted" for name in config if name not in schema.model_fields]
        try:
            settings = schema.model_validate(self._with_environment(config))
        except ValidationError as err:  # listed without input values: they may hold the key
            problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()]
        if problems:
            raise ValueError(f"invalid {type(self).__name__} config: {'; '.join(problems)}") from None
        if settings.n is not None:
            raise ValueError("config.n is not supported: the client asks for a single choice")
        self.config: dict[str, Any] = oai.MaskedConfig({k: v for k, v in config.items() if v is not None})
        self._settings = settings
        self.model_info = self._resolve_model_info(settings)
        response_format = settings.response_format or {}
        if response_format.get("type") == "json_object" and not self.model_info["json_output"]:
            raise ValueError(f"model '{settings.model}' does not support JSON output (model_info.json_output)")
        self._create_args = {"model": settings.model} | {
            k: v for k, v in settings.model_dump(include=_CREATE_ARGS, exclude_none=True).items()
        }
        self._timeout = settings.timeout if settings.timeout is not None else DEFAULT_TIMEOUT
        self._client: openai.AsyncOpenAI | None = None
        self._secrets = [s for s in map(oai.secret_text, (config.get(k) for k in SECRET_FIELDS)) if s]
        self._total_usage = RequestUsage()

    @classmethod
    def _from_config(cls, config: BaseClientConfig, built: Built) -> OpenAIChatCompletionClient:
        """The keyword arguments are the config's fields that are set, secrets revealed."""
        kwargs = config.model_dump(exclude_none=True)
        for name in SECRET_FIELDS:
            if isinstance(kwargs.get(name), SecretStr):
                kwargs[name] = kwargs[name].get_secret_value()
        return cls(**kwargs)

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        config: dict[str, Any] = plain(dict(self.config))
        return config

    def _with_environment(self, config: dict[str, Any]) -> dict[str, Any]:
        """The config to validate: what the `openai` client would read from the environment filled in."""
        return config

    @staticmethod
    def _resolve_model_info(settings: BaseClientConfig) -> ModelInfo:
        if settings.model_info is not None and settings.model_capabilities is not None:
            raise ValueError("model_info and model_capabilities are mutually exclusive")
        if settings.model_info is not None:
            # ModelInfoConfig's fields are ModelInfo's keys.
            return cast(ModelInfo, settings.model_info.model_dump(exclude_unset=True, exclude_none=True))  # as given
        if settings.model_capabilities is not None:  # deprecated AutoGen field
            return cast(ModelInfo, {**settings.model_capabilities.model_dump(), "family": "unknown"})
        return oai.known_model_info(settings.model) or default_model_info()

    # -- the openai client ---------------------------------------------------------------------
    def _client_or_make(self) -> openai.AsyncOpenAI:
        import openai

        if self._client is None:
            try:
                self._client = self._make_client()
            except (openai.OpenAIError, ValueError) as err:  # e.g. conflicting Azure credentials
                raise ModelClientError(self._redact(f"cannot set up the {self._provider} client: {err}")) from None
        return self._client

    def _make_client(self) -> openai.AsyncOpenAI:
        import openai

        s = self._settings
        assert isinstance(s, OpenAIClientConfig)
        # The environment's key only for the endpoint it is for (see endpoints.py), never for any base_url.
        url = client_endpoint(OPENAI_CLIENT, {"base_url": s.base_url}, os.environ)
        key = oai.secret_text(s.api_key) or environment_key(OPENAI_CLIENT, url, os.environ, self._key_env)
        if not key:
            if not oai.is_local_url(url):
                raise ModelClientError(missing_credential_message(url or OPENAI_API, s.model))
            key = LOCAL_PLACEHOLDER_KEY
        self._secrets.append(key)
        options: dict[str, Any] = {"base_url": s.base_url} if s.base_url else {}
        return openai.AsyncOpenAI(api_key=key, organization=s.organization, default_headers=s.default_headers,
                                  timeout=self._timeout, max_retries=self._max_retries, http_client=_http_client(),
                                  **options)  # fmt: skip

    @property
    def _max_retries(self) -> int:
        retries = self._settings.max_retries
        return DEFAULT_MAX_RETRIES if retries is None else retries

    # -- requests --------------------------------------------------------------------------------
    def _request(
        self,
        messages: Sequence[LLMMessage],
        tools: Sequence[ToolSchema],
        tool_choice: str,
        json_output: bool | None,
        extra_create_args: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The keyword arguments of `chat.completions.create` for this call."""
        args = dict(self._create_args)
        if extra_create_args:
            unknown = set(extra_create_args) - _allowed_extra_args()
            if unknown:
                raise ModelClientError(f"extra_create_args not allowed: {', '.join(sorted(unknown))}")
            args.update(extra_create_args)
        info = self.model_info
        if json_output is True:
            if not info["json_output"]:
                raise ModelClientError(f"model '{args['model']}' does not support JSON output (model_info.json_output)")
            args["response_format"] = {"type": "json_object"}
        elif json_output is False:
            args["response_format"] = {"type": "text"}
        if not info.get("multiple_system_messages", False):
            messages = oai.merge_system_messages(messages)
        last = messages[-1] if messages else None
        if args["model"].startswith("claude-") and isinstance(last, AssistantMessage) and isinstance(last.content, str):
            # Claude rejects a final assistant message that ends with whitespace (as in AutoGen).
            messages = [*messages[:-1], last.model_copy(update={"content": last.content.rstrip()})]
        args["messages"] = oai.to_openai_messages(
            messages,
            add_name_prefixes=bool(self._settings.add_name_prefixes),
            include_name=self._settings.include_name_in_message is not False,
            vision=bool(info["vision"]),
        )
        if tools:
            if not info["function_calling"]:
                raise ModelClientError(f"model '{args['model']}' does not support tools (model_info.function_calling)")
            args["tools"] = oai.to_openai_tools(tools)
            args["tool_choice"] = oai.to_tool_choice(tool_choice, args["tools"])
        else:
            args.pop("parallel_tool_calls", None)  # the API rejects it without tools
        return args

    def _failure(self, err: openai.OpenAIError) -> ModelClientError:
        """A short, key-free message for a call that failed for good."""
        import openai

        who = f"{self._provider} model '{self._settings.model}'"
        if not isinstance(err, openai.APIError):
            return ModelClientError(self._redact(f"{who} request failed: {err}"))
        n = _attempts(err)
        after = f"after {n} attempt{'s' if n != 1 else ''}"
        if isinstance(err, openai.APIStatusError):
            body = err.body
            detail = body.get("message") if isinstance(body, dict) else body
            detail = str(detail or err.message).strip()[:500]
            hint = f"; check config.api_key or {self._key_env}" if err.status_code == 401 else ""
            text = f"{who} request failed with HTTP {err.status_code}: {detail} ({after}){hint}"
        elif isinstance(err, openai.APITimeoutError):
            text = f"{who} request timed out after {self._timeout:g}s ({after})"
        elif isinstance(err, openai.APIConnectionError):
            url = err.request.url
            text = f"{who}: could not connect to {url.scheme}://{url.netloc.decode()} ({after})"
        else:
            text = f"{who} request failed: {err.message}"
        return ModelClientError(self._redact(text))

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return _KEYLIKE_RE.sub("sk-***", text)

    def _add_usage(self, usage: RequestUsage) -> None:
        self._total_usage = RequestUsage(
            prompt_tokens=self._total_usage.prompt_tokens + usage.prompt_tokens,
            completion_tokens=self._total_usage.completion_tokens + usage.completion_tokens,
        )

    def _finish(self, content: str | list[FunctionCall], thought: str | None) -> tuple[Any, str | None]:
        if isinstance(content, str) and thought is None and self.model_info["family"] == "r1":
            thought, content = oai.split_r1_thought(content)
        return content, thought

    async def create(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> CreateResult:
        """One chat completion: text, or tool calls (with any text alongside as `thought`)."""
        import openai

        args = self._request(messages, tools, tool_choice, json_output, extra_create_args)
        args.pop("stream_options", None)  # the API accepts it only when streaming
        client = self._client_or_make()
        try:
            request = client.chat.completions.create(stream=False, **oai.sent_as_is(args))
            completion = await _cancellable(request, cancellation_token)
        except openai.OpenAIError as err:
            raise self._failure(err) from None
        if not completion.choices:
            raise ModelClientError(f"{self._provider} model '{args['model']}' returned no choices")
        choice, raw_usage = completion.choices[0], completion.usage
        usage = RequestUsage(
            prompt_tokens=(raw_usage.prompt_tokens or 0) if raw_usage else 0,
            completion_tokens=(raw_usage.completion_tokens or 0) if raw_usage else 0,
        )
        message = choice.message
        calls = [c for c in message.tool_calls or [] if getattr(c, "function", None) is not None]
        thought: str | None = None
        content: str | list[FunctionCall]
        if calls:
            thought = message.content or None
            functions = [(c.id, c.function) for c in calls]
            content = [FunctionCall(id=i, name=oai.tool_call_name(f.name), arguments=f.arguments) for i, f in functions]
            reason: FinishReason = "function_calls"
        else:
            content, reason = message.content or "", oai.finish_reason(choice.finish_reason)
            reasoning = (message.model_extra or {}).get("reasoning_content")
            thought = reasoning if isinstance(reasoning, str) else None
        content, thought = self._finish(content, thought)
        logprobs = None
        if choice.logprobs is not None and choice.logprobs.content:
            logprobs = [entry.model_dump() for entry in choice.logprobs.content]
        self._add_usage(usage)
        return CreateResult(finish_reason=reason, content=content, usage=usage, thought=thought, logprobs=logprobs)

    async def create_stream(
        self,
        messages: Sequence[LLMMessage],
        *,
        tools: Sequence[ToolSchema] = (),
        tool_choice: str = "auto",
        json_output: bool | None = None,
        extra_create_args: dict[str, Any] | None = None,
        cancellation_token: CancellationToken | None = None,
    ) -> AsyncIterator[str | CreateResult]:
        """Yield text chunks as they arrive, then the complete `CreateResult` (with usage)."""
        import openai

        args = self._request(messages, tools, tool_choice, json_output, extra_create_args)
        args["stream_options"] = {"include_usage": True, **(args.get("stream_options") or {})}
        client = self._client_or_make()
        texts: list[str] = []
        reasoning: list[str] = []
        calls: dict[int, FunctionCall] = {}
        reason: str | None = None
        usage = RequestUsage()
        thinking = False
        try:
            request = client.chat.completions.create(stream=True, **oai.sent_as_is(args))
            stream = await _cancellable(request, cancellation_token)
            try:
                while True:
                    try:
                        chunk = await _cancellable(stream.__anext__(), cancellation_token)
                    except StopAsyncIteration:
                        break
                    if chunk.usage is not None:
                        usage = RequestUsage(prompt_tokens=chunk.usage.prompt_tokens or 0,
                                             completion_tokens=chunk.usage.completion_tokens or 0)  # fmt: skip
                    if not chunk.choices:
                        continue
                    choice = chunk.choices[0]
                    reason = reason or choice.finish_reason
                    delta = choice.delta
                    think = (delta.model_extra or {}).get("reasoning_content")
                    if isinstance(think, str) and think:  # R1-style reasoning, shown like AutoGen
                        reasoning.append(think)
                        yield think if thinking else "<think>" + think
                        thinking = True
                    elif think is None and thinking:
                        thinking = False
                        yield "</think>"
                    if delta.content:
                        texts.append(delta.content)
                        yield delta.content
                    for part in delta.tool_calls or []:
                        call = calls.setdefault(part.index, FunctionCall(id="", name="", arguments=""))
                        call.id += part.id or ""
                        if part.function is not None:
                            call.name += part.function.name or ""
                            call.arguments += part.function.arguments or ""
            finally:
                await stream.close()
        except openai.OpenAIError as err:
            raise self._failure(err) from None
        thought: str | None
        final_reason: FinishReason
        if calls:
            content: str | list[FunctionCall] = [c.model_copy(update={"name": oai.tool_call_name(c.name)})
                                                 for _, c in sorted(calls.items())]  # fmt: skip
            thought, final_reason = "".join(texts) or None, "function_calls"
        else:
            content, final_reason = "".join(texts), oai.finish_reason(reason)
            thought = "".join(reasoning) or None
        content, thought = self._finish(content, thought)
        self._add_usage(usage)
        yield CreateResult(finish_reason=final_reason, content=content, usage=usage, thought=thought)

    def total_usage(self) -> RequestUsage:
        return self._total_usage

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    def __repr__(self) -> str:
        public = ("model", "base_url", "azure_endpoint", "azure_deployment")
        shown = {k: self.config[k] for k in public if k in self.config}
        if any(self.config.get(k) for k in SECRET_FIELDS):
            shown["api_key"] = "***"
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in shown.items())})"


class AzureOpenAIChatCompletionClient(OpenAIChatCompletionClient):
    """Chat completions on an Azure OpenAI deployment (key or Azure AD token)."""

    component_config_schema = AzureOpenAIClientConfig
    _key_env = "AZURE_OPENAI_API_KEY"
    _provider = "Azure OpenAI"

    def _with_environment(self, config: dict[str, Any]) -> dict[str, Any]:
        """`azure_endpoint` and `api_version` may come from AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION, as
        the `openai` client reads them when it is built (a config written in a file must name them)."""
        filled = dict(config)
        for name, env in (("azure_endpoint", "AZURE_OPENAI_ENDPOINT"), ("api_version", "OPENAI_API_VERSION")):
            if not filled.get(name) and os.environ.get(env):
                filled[name] = os.environ[env]
        return filled

    def _make_client(self) -> openai.AsyncOpenAI:
        import openai

        s = self._settings
        assert isinstance(s, AzureOpenAIClientConfig)
        endpoint, version = s.azure_endpoint, s.api_version
        key, token = oai.secret_text(s.api_key), oai.secret_text(s.azure_ad_token)
        if not key and not token:  # the environment's only for AZURE_OPENAI_ENDPOINT (see endpoints.py)
            token = environment_key(AZURE_CLIENT, endpoint, os.environ, "AZURE_OPENAI_AD_TOKEN")
            key = None if token else environment_key(AZURE_CLIENT, endpoint, os.environ, self._key_env)
        if not key and not token:
            if not oai.is_local_url(endpoint):
                raise ModelClientError(missing_credential_message(endpoint, s.model, azure=True))
            key = LOCAL_PLACEHOLDER_KEY
        self._secrets += [x for x in (key, token) if x]
        return openai.AsyncAzureOpenAI(
            azure_endpoint=endpoint, azure_deployment=s.azure_deployment, api_version=version, api_key=key,
            azure_ad_token=token, default_headers=s.default_headers, timeout=self._timeout,
            max_retries=self._max_retries, http_client=_http_client(),
        )  # fmt: skip
