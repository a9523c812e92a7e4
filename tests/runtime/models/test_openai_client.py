"""OpenAI / Azure OpenAI clients against the scripted loopback server, through the real `openai` code path."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from studio.runtime.cancellation import CancellationToken
from studio.runtime.models import (
    AssistantMessage,
    AzureOpenAIChatCompletionClient,
    CreateResult,
    FunctionCall,
    FunctionExecutionResult,
    FunctionExecutionResultMessage,
    ModelClientError,
    OpenAIChatCompletionClient,
    RequestUsage,
    SystemMessage,
    ToolSchema,
    UserMessage,
    default_model_info,
    openai_client,
)
from tests.support.openai_server import OpenAIServer
from tests.support.waits import WAIT_SECONDS, until

MakeClient = Callable[..., OpenAIChatCompletionClient]
KEY = "sk-test-SECRET-0123456789abcdef"
HELLO = [SystemMessage(content="Be brief."), UserMessage(content="Hello?", source="alice")]
ADD: ToolSchema = {
    "name": "add",
    "description": "Add two numbers.",
    "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}}},
}
MUL: ToolSchema = {"name": "mul", "description": "Multiply.", "parameters": {"type": "object", "properties": {}}}
ENV_VARS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_API_VERSION",
            "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_AD_TOKEN")  # fmt: skip


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key or endpoint leaks in from the developer's shell; loopback never goes through a proxy."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
async def make_client(openai_server: OpenAIServer) -> AsyncIterator[MakeClient]:
    """Build OpenAI clients pointed at the loopback server; all are closed afterwards."""
    made: list[OpenAIChatCompletionClient] = []

    def make(**config: Any) -> OpenAIChatCompletionClient:
        settings = {"model": "gpt-4o", "api_key": KEY, "base_url": openai_server.base_url} | config
        client = OpenAIChatCompletionClient(**{k: v for k, v in settings.items() if v is not None})
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


async def test_plain_reply(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.reply("Hi there!", usage=(12, 3))
    client = make_client(temperature=0.25, seed=7, parallel_tool_calls=True)
    result = await client.create(HELLO)
    usage = RequestUsage(prompt_tokens=12, completion_tokens=3)
    assert result == CreateResult(finish_reason="stop", content="Hi there!", usage=usage)
    assert client.total_usage() == RequestUsage(prompt_tokens=12, completion_tokens=3)
    [request] = openai_server.chat_requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["model"] == "gpt-4o"
    assert request.body["temperature"] == 0.25 and request.body["seed"] == 7
    assert request.body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "name": "alice", "content": "Hello?"},
    ]
    assert "tools" not in request.body and "stream_options" not in request.body
    assert "parallel_tool_calls" not in request.body  # the API rejects it when no tools are sent


async def test_usage_absent_counts_zero_and_totals_add_up(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.reply("a", usage=None)
    openai_server.reply("b", usage=(4, 1))
    client = make_client()
    assert (await client.create(HELLO)).usage == RequestUsage()
    await client.create(HELLO)
    assert client.total_usage() == RequestUsage(prompt_tokens=4, completion_tokens=1)


async def test_message_conversion(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.reply("ok")
    messages = [
        SystemMessage(content="sys"),
        UserMessage(content="plain", source="bad name!"),  # invalid as a name: left out
        UserMessage(content=["look:", {"type": "image", "data": "iVBORw0KGgo=", "mime": "image/png"}], source="bob"),
        AssistantMessage(content="thinking aloud", source="assistant"),
        AssistantMessage(
            content=[FunctionCall(id="c1", name="add", arguments='{"a":1}')], thought="I'll add", source="assistant"
        ),
        FunctionExecutionResultMessage(content=[FunctionExecutionResult(content="3", name="add", call_id="c1")]),
    ]
    await make_client(max_tokens=50).create(messages)
    body = openai_server.chat_requests[0].body
    assert body["max_tokens"] == 50
    assert body["messages"] == [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "plain"},
        {"role": "user", "name": "bob", "content": [
            {"type": "text", "text": "look:"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "auto"}},
        ]},
        {"role": "assistant", "content": "thinking aloud"},
        {"role": "assistant", "content": "I'll add",
         "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a":1}'}}]},
        {"role": "tool", "content": "3", "tool_call_id": "c1"},
    ]  # fmt: skip


async def test_single_tool_call_and_results_sent_back(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.reply_tool_calls([("add", '{"a": 1, "b": 2}')], usage=(20, 8))
    openai_server.reply("The sum is 3.")
    client = make_client(parallel_tool_calls=False)
    first = await client.create(HELLO, tools=[ADD])
    assert first.finish_reason == "function_calls"
    assert first.content == [FunctionCall(id="call_0", name="add", arguments='{"a": 1, "b": 2}')]
    assert first.thought is None and first.usage == RequestUsage(prompt_tokens=20, completion_tokens=8)
    sent = openai_server.chat_requests[0].body
    assert sent["tools"] == [{"type": "function", "function": {**ADD, "strict": False}}]
    assert sent["tool_choice"] == "auto" and sent["parallel_tool_calls"] is False

    assert isinstance(first.content, list)
    history = [
        *HELLO,
        AssistantMessage(content=first.content, source="assistant"),
        FunctionExecutionResultMessage(content=[FunctionExecutionResult(content="3", name="add", call_id="call_0")]),
    ]
    second = await client.create(history, tools=[ADD])
    assert second.content == "The sum is 3."
    messages = openai_server.chat_requests[1].body["messages"]
    call = {"id": "call_0", "type": "function", "function": {"name": "add", "arguments": '{"a": 1, "b": 2}'}}
    assert messages[2] == {"role": "assistant", "content": None, "tool_calls": [call]}
    assert messages[3] == {"role": "tool", "content": "3", "tool_call_id": "call_0"}


async def test_parallel_tool_calls_with_text_become_thought(
    openai_server: OpenAIServer,
    make_client: MakeClient,
) -> None:
    openai_server.reply_tool_calls([("add", '{"a": 1}'), ("mul", '{"b": 2}')], content="Doing both.")
    result = await make_client().create(HELLO, tools=[ADD, MUL], tool_choice="required")
    assert result.content == [
        FunctionCall(id="call_0", name="add", arguments='{"a": 1}'),
        FunctionCall(id="call_1", name="mul", arguments='{"b": 2}'),
    ]
    assert result.thought == "Doing both." and result.finish_reason == "function_calls"
    assert openai_server.chat_requests[0].body["tool_choice"] == "required"
    assert "parallel_tool_calls" not in openai_server.chat_requests[0].body  # not configured: server default


async def test_stream_text_arrives_chunk_by_chunk(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    gate = threading.Event()  # the server holds back everything after the first text chunk until set
    openai_server.stream(["Hel", "lo ", "world"], usage=(9, 3), gate=gate)
    client = make_client()
    stream = client.create_stream(HELLO)
    first = await asyncio.wait_for(stream.__anext__(), WAIT_SECONDS)  # the server sends nothing more until set
    assert first == "Hel" and not gate.is_set()  # yielded before the rest was even sent
    gate.set()
    rest = [item async for item in stream]
    assert rest[:-1] == ["lo ", "world"]
    final = rest[-1]
    assert isinstance(final, CreateResult)
    assert final.content == "Hello world" and final.finish_reason == "stop"
    assert final.usage == RequestUsage(prompt_tokens=9, completion_tokens=3)
    assert client.total_usage() == final.usage
    body = openai_server.chat_requests[0].body
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


async def test_stream_parallel_tool_calls_accumulate(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    calls = [("add", '{"a": 1, "b": 2}'), ("mul", '{"b": 40}')]
    openai_server.stream(["Let me see."], tool_calls=calls, usage=(30, 11))
    items = [item async for item in make_client().create_stream(HELLO, tools=[ADD, MUL])]
    assert items[:-1] == ["Let me see."]
    final = items[-1]
    assert isinstance(final, CreateResult)
    assert final.finish_reason == "function_calls" and final.thought == "Let me see."
    assert final.content == [
        FunctionCall(id="call_0", name="add", arguments='{"a": 1, "b": 2}'),
        FunctionCall(id="call_1", name="mul", arguments='{"b": 40}'),
    ]
    assert final.usage == RequestUsage(prompt_tokens=30, completion_tokens=11)


async def test_429_is_retried_then_succeeds(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.fail(429, "Rate limit reached", times=2)
    openai_server.reply("finally")
    result = await make_client().create(HELLO)  # default max_retries=2 allows exactly 3 attempts
    assert result.content == "finally"
    assert [r.headers["x-stainless-retry-count"] for r in openai_server.chat_requests] == ["0", "1", "2"]


async def test_500_forever_fails_after_the_retries(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.fail(500, "The server had an error", forever=True)
    with pytest.raises(ModelClientError) as info:
        await make_client(max_retries=3).create(HELLO)
    assert len(openai_server.chat_requests) == 4
    message = str(info.value)
    assert message == "OpenAI model 'gpt-4o' request failed with HTTP 500: The server had an error (after 4 attempts)"
    assert info.value.__cause__ is None and info.value.__suppress_context__


async def test_stream_500_forever_fails_the_same_way(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.fail(503, "overloaded", forever=True)
    with pytest.raises(ModelClientError, match=r"HTTP 503: overloaded \(after 2 attempts\)"):
        async for _ in make_client(max_retries=1).create_stream(HELLO):
            pass


async def test_slow_reply_times_out(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.delay(WAIT_SECONDS * 2, forever=True)  # were the timeout ignored, the reply would come late
    with pytest.raises(ModelClientError) as info:
        await make_client(timeout=0.3, max_retries=1).create(HELLO)
    assert str(info.value) == "OpenAI model 'gpt-4o' request timed out after 0.3s (after 2 attempts)"
    # The client gave up on the retry without an answer: the server may not have read that request yet.
    await until(lambda: len(openai_server.chat_requests) == 2, message="the server never got the retry")


async def test_missing_api_key_names_config_field_and_env_var(openai_server: OpenAIServer) -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o")  # loads fine without a key
    assert client.config == {"model": "gpt-4o"}
    with pytest.raises(ModelClientError) as info:
        await client.create(HELLO)
    assert str(info.value) == (
        "No credential for endpoint https://api.openai.com/v1 (OpenAI model 'gpt-4o'): add a credential for this "
        "endpoint in Settings (or set OPENAI_API_KEY), or give the model client its own api_key"
    )
    assert openai_server.requests == []


async def test_the_environment_key_goes_only_to_its_endpoint(openai_server: OpenAIServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """OPENAI_API_KEY is for OpenAI's API, or for OPENAI_BASE_URL when set: never for any base_url a team names."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123456")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    openai_server.reply("ok")
    client = OpenAIChatCompletionClient(model="gpt-4o", base_url=openai_server.base_url)
    assert (await client.create(HELLO)).content == "ok"  # a loopback server: it runs, keyless
    await client.close()
    assert "sk-from-env-123456" not in openai_server.chat_requests[0].headers["authorization"]
    foreign = OpenAIChatCompletionClient(model="gpt-4o", base_url="https://foreign.example/v1")
    with pytest.raises(ModelClientError, match=r"^No credential for endpoint https://foreign.example/v1 .*"
                                               r"OPENAI_API_KEY with OPENAI_BASE_URL"):
        await foreign.create(HELLO)
    assert "sk-from-env" not in str(foreign.config) + repr(foreign)


async def test_api_key_from_environment(openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url + "/")  # the endpoint the key is for
    openai_server.reply("ok")
    client = OpenAIChatCompletionClient(model="gpt-4o", base_url=openai_server.base_url)
    assert (await client.create(HELLO)).content == "ok"
    await client.close()
    assert openai_server.chat_requests[0].headers["authorization"] == "Bearer sk-from-env-123456"


async def test_local_base_url_needs_no_key(openai_server: OpenAIServer) -> None:
    openai_server.reply("from llama")
    client = OpenAIChatCompletionClient(model="llama3.2", base_url=openai_server.base_url)
    assert (await client.create(HELLO)).content == "from llama"
    await client.close()
    assert openai_server.chat_requests[0].headers["authorization"] == "Bearer placeholder"


async def test_401_reports_server_message_without_retrying_or_leaking_the_key(
    openai_server: OpenAIServer,
    make_client: MakeClient,
) -> None:
    openai_server.fail(401, f"Incorrect API key provided: {KEY}. You can find your API key at ...", retry_after_ms=None)
    with pytest.raises(ModelClientError) as info:
        await make_client().create(HELLO)
    message = str(info.value)
    assert message.startswith("OpenAI model 'gpt-4o' request failed with HTTP 401: Incorrect API key provided: ***.")
    assert "(after 1 attempt)" in message and "OPENAI_API_KEY" in message
    assert KEY not in message and "SECRET" not in message
    assert len(openai_server.chat_requests) == 1


def test_api_key_never_in_repr() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o", api_key=KEY, base_url="http://127.0.0.1:9/v1")
    assert repr(client) == "OpenAIChatCompletionClient(model='gpt-4o', base_url='http://127.0.0.1:9/v1', api_key='***')"
    assert KEY not in repr(client.config) and KEY not in str(client.config)
    assert client.config["api_key"] == KEY  # still there for the component layer to dump
    azure = AzureOpenAIChatCompletionClient(
        model="gpt-4o", azure_endpoint="https://x.example", api_version="v", azure_ad_token=KEY
    )
    assert KEY not in repr(azure) and KEY not in repr(azure.config)


async def test_cancellation_stops_the_request_promptly(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.delay(WAIT_SECONDS * 2)  # the reply comes only after the wait below has given up
    token = CancellationToken()
    task = asyncio.ensure_future(make_client().create(HELLO, cancellation_token=token))
    await until(lambda: openai_server.chat_requests)  # the request is in flight
    token.cancel()
    await until(task.done, message="the cancelled request went on")
    with pytest.raises(asyncio.CancelledError):
        task.result()


async def test_already_cancelled_token_sends_nothing(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    token = CancellationToken()
    token.cancel()
    with pytest.raises(asyncio.CancelledError):
        await make_client().create(HELLO, cancellation_token=token)
    assert openai_server.requests == []


async def test_unreachable_server_reports_connection_failure() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    client = OpenAIChatCompletionClient(model="gpt-4o", api_key=KEY, base_url=url, max_retries=0)
    with pytest.raises(ModelClientError) as info:
        await client.create(HELLO)
    await client.close()
    assert str(info.value) == f"OpenAI model 'gpt-4o': could not connect to http://127.0.0.1:{port} (after 1 attempt)"


async def test_cancellation_mid_stream(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    gate = threading.Event()  # never set: the server stalls after the first text chunk
    openai_server.stream(["one", "two"], gate=gate)
    token = CancellationToken()
    stream = make_client().create_stream(HELLO, cancellation_token=token)
    assert await stream.__anext__() == "one"
    asyncio.get_running_loop().call_soon(token.cancel)  # runs once the stream waits for its next chunk
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(stream.__anext__(), WAIT_SECONDS)
    gate.set()


async def test_azure_deployment_path_api_version_and_key_header(openai_server: OpenAIServer) -> None:
    openai_server.reply("from azure")
    client = AzureOpenAIChatCompletionClient(
        model="gpt-4o",
        azure_endpoint=openai_server.endpoint,
        azure_deployment="my-gpt",
        api_version="2024-06-01",
        api_key=KEY,
    )
    result = await client.create(HELLO)
    await client.close()
    assert result.content == "from azure"
    [request] = openai_server.chat_requests
    assert request.path == "/openai/deployments/my-gpt/chat/completions"
    assert request.query == {"api-version": "2024-06-01"}
    assert request.headers["api-key"] == KEY


async def test_azure_endpoint_from_env_and_deployment_from_model(
    openai_server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", openai_server.endpoint)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-env-key-1234")
    openai_server.reply("ok")
    client = AzureOpenAIChatCompletionClient(model="gpt-4o-mini", api_version="2025-01-01")
    await client.create(HELLO)
    await client.close()
    request = openai_server.chat_requests[0]
    assert request.path == "/openai/deployments/gpt-4o-mini/chat/completions"
    assert request.headers["api-key"] == "azure-env-key-1234"


async def test_azure_missing_key_message() -> None:
    client = AzureOpenAIChatCompletionClient(
        model="gpt-4o", azure_endpoint="https://res.openai.azure.com", api_version="v1"
    )
    expected = (r"^No credential for endpoint https://res.openai.azure.com \(Azure OpenAI model 'gpt-4o'\): .*"
                r"AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT")
    with pytest.raises(ModelClientError, match=expected):
        await client.create(HELLO)


async def test_json_output_and_extra_create_args(openai_server: OpenAIServer, make_client: MakeClient) -> None:
    openai_server.reply(json.dumps({"ok": True}))
    client = make_client(temperature=0.1)
    await client.create(HELLO, json_output=True, extra_create_args={"temperature": 0.9, "top_p": 0.5})
    body = openai_server.chat_requests[0].body
    assert body["response_format"] == {"type": "json_object"}
    assert body["temperature"] == 0.9 and body["top_p"] == 0.5
    with pytest.raises(ModelClientError, match="extra_create_args not allowed: stream"):
        await client.create(HELLO, extra_create_args={"stream": True})


async def test_extra_body_from_extra_create_args_still_reaches_the_request(
    openai_server: OpenAIServer, make_client: MakeClient
) -> None:
    openai_server.reply("ok")
    openai_server.stream(["o", "k"])
    client = make_client()
    await client.create(HELLO, tools=[ADD], extra_create_args={"extra_body": {"top_k": 3}})
    replaced = {"extra_body": {"messages": [{"role": "user", "content": "x"}]}}
    async for _ in client.create_stream(HELLO, extra_create_args=replaced):
        pass
    first, second = (r.body for r in openai_server.chat_requests)
    assert first["top_k"] == 3 and [t["function"]["name"] for t in first["tools"]] == ["add"]
    assert first["messages"] == [{"role": "system", "content": "Be brief."},
                                 {"role": "user", "content": "Hello?", "name": "alice"}]  # fmt: skip
    assert second["messages"] == [{"role": "user", "content": "x"}]  # the caller's extra_body wins, as in openai


async def test_clients_share_one_ssl_context_and_close_their_http_clients(
    openai_server: OpenAIServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []
    contexts: list[Any] = []
    make_context, make_http = openai_client._new_ssl_context, openai_client._http_client

    def counted_context() -> Any:
        contexts.append(make_context())
        return contexts[-1]

    monkeypatch.setattr(openai_client, "_new_ssl_context", counted_context)
    monkeypatch.setattr(openai_client, "_http_client", lambda: built.append(make_http()) or built[-1])
    openai_client._shared_ssl_context.cache_clear()
    clients = [make_client(), make_client(), make_client()]
    for client in clients:
        openai_server.reply("hi")
        await client.create(HELLO)
    assert len(contexts) == 1 and len(built) == 3
    for client in clients:
        await client.close()
    assert all(http.is_closed for http in built)
    openai_client._shared_ssl_context.cache_clear()


async def test_capability_checks_happen_before_any_request(
    openai_server: OpenAIServer,
    make_client: MakeClient,
) -> None:
    client = make_client(model="o1-mini")  # no tools, no vision, no JSON
    with pytest.raises(ModelClientError, match="does not support tools"):
        await client.create(HELLO, tools=[ADD])
    with pytest.raises(ModelClientError, match="does not support images"):
        await client.create([UserMessage(content=[{"type": "image", "data": "AAAA"}], source="u")])
    assert openai_server.requests == []


def test_model_info_defaults_and_overrides() -> None:
    def info(model: str, **config: Any) -> Any:
        return OpenAIChatCompletionClient(model=model, **config).model_info

    assert info("gpt-4o")["family"] == "gpt-4o" and info("gpt-4o")["vision"] is True
    assert info("gpt-4o-mini-2024-07-18")["family"] == "gpt-4o"
    assert info("gpt-4.1-nano")["family"] == "gpt-41"
    assert info("o3-mini")["vision"] is False and info("o3")["vision"] is True
    assert info("o1-mini")["function_calling"] is False
    assert info("llama3.2") == default_model_info()
    custom = {"vision": False, "function_calling": False, "json_output": True, "family": "r1"}
    assert info("gpt-4o", model_info=custom) == custom


def test_config_is_validated_and_kept_as_given() -> None:
    client = OpenAIChatCompletionClient(model="gpt-4o", api_key=KEY, temperature=None, stop=["END"], timeout=5)
    assert dict(client.config) == {"model": "gpt-4o", "api_key": KEY, "stop": ["END"], "timeout": 5}
    with pytest.raises(ValueError, match="tempreature"):
        OpenAIChatCompletionClient(model="gpt-4o", tempreature=0.3)
    with pytest.raises(ValueError, match="n is not supported"):
        OpenAIChatCompletionClient(model="gpt-4o", n=2)
    with pytest.raises(ValueError, match="model"):
        OpenAIChatCompletionClient(api_key=KEY)
