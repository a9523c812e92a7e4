"""The Test buttons' probes: a model, a tool and an agent of a draft, each run once with a time limit."""

from __future__ import annotations

import pytest

from studio.runtime.models.endpoints import KINDS_BY_NAME
from studio.services.credentials import Credentials, EndpointKey
from studio.services.probes import probe_agent, probe_model, probe_tool

STORED_KEY = "sk-stored-secret-0123456789abcdef"
PLANTED_KEY = "sk-planted-in-config-0123456789"


def openai_model(base_url: str | None = None, api_key: str | None = None) -> dict:
    config: dict = {"model": "gpt-4o-mini", "max_retries": 0}
    if base_url:
        config["base_url"] = base_url
    if api_key:
        config["api_key"] = api_key
    return {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "component_type": "model",
            "config": config}


def replay_model(*replies: object) -> dict:
    info = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
            "structured_output": False}
    return {"provider": "autogen_ext.models.replay.ReplayChatCompletionClient", "component_type": "model",
            "config": {"chat_completions": list(replies), "model_info": info}}


def function_tool(source: str, name: str) -> dict:
    return {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
            "config": {"name": name, "description": f"The {name} tool.", "global_imports": [],
                       "has_cancellation_support": False, "source_code": source}}


ADD = function_tool("def add(a: int, b: int = 2) -> int:\n    return a + b\n", "add")


def stored(endpoint: str, key: str = STORED_KEY) -> Credentials:
    """A key saved for `endpoint` (an OpenAI-compatible base URL)."""
    return Credentials((EndpointKey(KINDS_BY_NAME["openai_compatible"], endpoint, key, "saved", 1),))


@pytest.fixture(autouse=True)
def no_environment_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


# --- models ---------------------------------------------------------------------------------------


async def test_a_model_replies_with_its_latency_and_usage(openai_server):
    openai_server.reply("Hello there, five words here", usage=(7, 5))
    result = await probe_model(openai_model(openai_server.base_url), "Say hello",
                               credentials=stored(openai_server.base_url))
    assert result.error is None
    assert result.reply == "Hello there, five words here"
    assert isinstance(result.latency_ms, float)
    assert result.usage == {"prompt_tokens": 7, "completion_tokens": 5}
    sent = openai_server.chat_requests[0]
    assert sent.body["messages"][-1]["content"] == "Say hello"
    assert sent.headers["authorization"] == f"Bearer {STORED_KEY}"  # the stored key was injected


async def test_a_401_comes_back_as_the_servers_message_without_the_key(openai_server):
    openai_server.fail(401, f"Incorrect API key provided: {STORED_KEY}", retry_after_ms=None)
    result = await probe_model(openai_model(openai_server.base_url), "hi", credentials=stored(openai_server.base_url))
    assert result.reply is None
    assert "401" in result.error and "Incorrect API key provided" in result.error
    assert STORED_KEY not in repr(result)


async def test_a_key_written_in_the_component_is_masked_too(openai_server):
    openai_server.fail(401, f"bad key {PLANTED_KEY}", retry_after_ms=None)
    result = await probe_model(openai_model(openai_server.base_url, PLANTED_KEY), "hi")
    assert "bad key" in result.error
    assert PLANTED_KEY not in repr(result)


async def test_a_missing_key_says_where_to_set_one():
    result = await probe_model(openai_model(), "hi", credentials=Credentials())
    assert result.error.startswith("No credential for endpoint https://api.openai.com/v1 (OpenAI model 'gpt-4o-mini')")
    assert result.reply is None


async def test_a_replay_model_replies():
    result = await probe_model(replay_model("scripted reply"), "hi")
    assert (result.reply, result.error) == ("scripted reply", None)


async def test_a_model_that_does_not_answer_in_time_gives_up(openai_server):
    openai_server.delay(5.0)
    result = await probe_model(openai_model(openai_server.base_url), "hi", credentials=stored(openai_server.base_url),
                               timeout=0.3)
    assert result.error == "No answer within 0.3 s: gave up."


async def test_an_invalid_model_names_the_field():
    broken = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient", "config": {"api_key": "x"}}
    result = await probe_model(broken, "hi")
    assert result.error.startswith("The component is not valid:")
    assert "model" in result.error


# --- tools ----------------------------------------------------------------------------------------


async def test_a_tool_runs_in_the_sandbox():
    result = await probe_tool(ADD, {"a": 40})
    assert (result.result, result.is_error) == ("42", False)
    assert isinstance(result.duration_ms, float)


async def test_a_tool_that_raises_returns_its_error():
    boom = function_tool("def boom(x: str) -> str:\n    raise RuntimeError('no luck with ' + x)\n", "boom")
    result = await probe_tool(boom, {"x": "this"})
    assert result.is_error
    assert "no luck with this" in result.result


async def test_an_endless_tool_is_stopped_at_the_timeout():
    spin = function_tool("def spin() -> None:\n    while True:\n        pass\n", "spin")
    result = await probe_tool(spin, {}, timeout=0.5)
    assert result.is_error
    assert "timed out" in result.result


async def test_wrong_arguments_name_the_argument():
    result = await probe_tool(ADD, {"a": "forty"})
    assert result.is_error
    assert result.result.splitlines()[1] == "a"  # pydantic's report: the argument, then the problem
    assert "valid integer" in result.result


# --- agents ---------------------------------------------------------------------------------------


def assistant(model: dict, tools: list[dict] | None = None) -> dict:
    return {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
            "config": {"name": "helper", "model_client": model, "tools": tools or [],
                       "reflect_on_tool_use": True, "system_message": "Be brief."}}


async def test_an_agent_takes_one_turn_with_a_tool_call():
    call = {"finish_reason": "function_calls", "usage": {"prompt_tokens": 1, "completion_tokens": 1},
            "content": [{"id": "call_1", "name": "add", "arguments": '{"a": 1, "b": 2}'}]}
    result = await probe_agent(assistant(replay_model(call, "The sum is 3."), [ADD]), "add 1 and 2")
    assert result.error is None
    types = [m["type"] for m in result.messages]
    assert types == ["TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage"]
    assert result.messages[2]["content"][0]["content"] == "3"
    assert (result.messages[-1]["source"], result.messages[-1]["content"]) == ("helper", "The sum is 3.")


async def test_an_agent_without_a_key_says_so():
    result = await probe_agent(assistant(openai_model()), "hi", credentials=Credentials())
    assert result.messages == [] and "No credential for endpoint https://api.openai.com/v1" in result.error


async def test_an_agent_model_error_is_shown_without_the_key(openai_server):
    openai_server.fail(401, f"Incorrect API key provided: {STORED_KEY}", retry_after_ms=None)
    result = await probe_agent(assistant(openai_model(openai_server.base_url)), "hi",
                               credentials=stored(openai_server.base_url))
    assert "401" in result.error
    assert STORED_KEY not in repr(result)


async def test_a_user_proxy_is_not_probed_but_pointed_to_the_playground():
    proxy = {"provider": "autogen_agentchat.agents.UserProxyAgent", "component_type": "agent",
             "config": {"name": "human"}}
    probe = await probe_agent(proxy, "Hello")
    assert probe.messages == [] and "try it in the Playground" in probe.error


async def test_a_key_saved_for_another_endpoint_is_not_sent(openai_server):
    """The team's model points at a (foreign) loopback server; the key is for another one: none arrives."""
    openai_server.reply("hello")
    result = await probe_model(openai_model(openai_server.base_url), "hi",
                               credentials=stored("http://127.0.0.1:1/v1"))
    assert result.error is None and result.reply == "hello"
    assert STORED_KEY not in openai_server.chat_requests[0].headers.get("authorization", "")


# ---- MCP workbenches: Connect and Run tool, against the test server (tests/support/mcp_server.py) --------------

def mcp_workbench(params: dict, **config: object) -> dict:
    return {"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench",
            "config": {"server_params": params, **config}}


async def test_connect_lists_tools_resources_and_prompts_with_the_overrides_applied():
    from studio.services.probes import probe_mcp
    from tests.support.mcp_servers import stdio_params

    listing = await probe_mcp(mcp_workbench(stdio_params(), tool_overrides={"add": {"name": "plus"}}))
    assert listing.error is None and listing.server.startswith("studio-test-server")
    tools = {t.server_name: t for t in listing.tools}
    assert tools["add"].name == "plus" and tools["add"].description == "Add two integers."
    assert tools["add"].input_schema["required"] == ["a", "b"] and '"a"' in tools["add"].schema_text
    assert [(f.name, f.json_type, f.required) for f in tools["add"].arguments or []] == [
        ("a", "integer", True), ("b", "integer", True)]
    assert [r["uri"] for r in listing.resources] == ["notes://greeting"]
    assert [p["name"] for p in listing.prompts] == ["summarise"]
    assert listing.resources_error is None and listing.prompts_error is None


async def test_connect_over_sse_and_a_server_that_is_not_there():
    from studio.services.probes import probe_mcp
    from tests.support.mcp_servers import http_server

    with http_server("sse") as server:
        listing = await probe_mcp(mcp_workbench(server.params()))
    assert listing.error is None and "echo" in {t.name for t in listing.tools}
    gone = await probe_mcp(mcp_workbench({"type": "StreamableHttpServerParams", "url": "http://127.0.0.1:9/mcp",
                                          "timeout": 2}))
    assert gone.error and "MCP server 'http://127.0.0.1:9/mcp'" in gone.error and gone.tools == ()
    other = await probe_mcp({"provider": "autogen_core.tools.StaticWorkbench", "component_type": "workbench",
                             "config": {"tools": []}})
    assert other.error == "Only an MCP workbench connects to a server."


async def test_run_tool_calls_one_tool_by_its_agent_name_and_masks_secrets():
    from studio.services.credentials import Variable
    from studio.services.probes import probe_mcp_tool
    from tests.support.mcp_servers import stdio_params

    bench = mcp_workbench(stdio_params(env={"TOKEN": "${TOKEN}"}), tool_overrides={"add": {"name": "plus"}})
    added = await probe_mcp_tool(bench, "plus", {"a": 2, "b": 3})
    assert (added.result, added.is_error) == ("5", False)
    failed = await probe_mcp_tool(bench, "fail", {"reason": "no"})
    assert failed.is_error and "no" in failed.result
    secret = Credentials(variables=(Variable("TOKEN", "token-secret-value-77"),))
    shown = await probe_mcp_tool(bench, "environment", {}, credentials=secret)
    assert "TOKEN" in shown.result and "token-secret-value-77" not in shown.result
