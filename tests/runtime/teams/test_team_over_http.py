"""A team loaded from JSON talking to a loopback OpenAI-compatible server through the real openai client."""

import json

from studio import load_component


def team_json(base_url: str, *, stream: bool = False, tools: bool = False) -> dict:
    agent_config: dict = {
        "name": "assistant",
        "model_client": {
            "provider": "OpenAIChatCompletionClient",
            "config": {"model": "gpt-4o", "base_url": base_url, "api_key": "sk-test-planted", "max_retries": 1},
        },
        "system_message": "Be brief.",
        "model_client_stream": stream,
    }
    if tools:
        agent_config["workbench"] = [{
            "provider": "autogen_core.tools.StaticWorkbench",
            "config": {"tools": [{
                "provider": "autogen_core.tools.FunctionTool",
                "config": {
                    "name": "add", "description": "Add.", "global_imports": [], "has_cancellation_support": False,
                    "source_code": "def add(a: int, b: int) -> int:\n    return a + b\n",
                },
            }]},
        }]
    return {
        "provider": "RoundRobinGroupChat",
        "config": {"participants": [{"provider": "AssistantAgent", "config": agent_config}], "max_turns": 1},
    }


async def test_a_reply_with_usage_and_the_request_the_model_got(openai_server):
    openai_server.reply("Hello from the server", usage=(12, 4))
    team = load_component(team_json(openai_server.base_url))
    result = await team.run(task="hi")
    await team.close()
    reply = result.messages[-1]
    assert (reply.content, reply.models_usage.prompt_tokens, reply.models_usage.completion_tokens) == (
        "Hello from the server", 12, 4,
    )
    body = openai_server.chat_requests[0].body
    assert [(m["role"], m["content"]) for m in body["messages"]] == [("system", "Be brief."), ("user", "hi")]


async def test_streamed_tokens_arrive_as_chunk_events(openai_server):
    openai_server.stream(["Hel", "lo ", "there"], usage=(5, 3))
    team = load_component(team_json(openai_server.base_url, stream=True))
    items = [i async for i in team.run_stream(task="hi")]
    await team.close()
    chunks = [i.content for i in items if i.type == "ModelClientStreamingChunkEvent"]
    assert chunks == ["Hel", "lo ", "there"]
    assert items[-1].messages[-1].content == "Hello there"


async def test_tool_calls_run_in_the_sandbox_and_results_go_back(openai_server):
    openai_server.reply_tool_calls([("add", '{"a": 2, "b": 40}')])
    team = load_component(team_json(openai_server.base_url, tools=True))
    result = await team.run(task="add")
    await team.close()
    assert result.messages[-1].type == "ToolCallSummaryMessage" and result.messages[-1].content == "42"
    tools = openai_server.chat_requests[0].body["tools"]
    assert tools[0]["function"]["name"] == "add"


async def test_a_server_that_keeps_failing_ends_the_run_with_an_error_event_not_a_crash(openai_server):
    openai_server.fail(500, "model overloaded", forever=True)
    team = load_component(team_json(openai_server.base_url))
    result = await team.run(task="hi")
    await team.close()
    error = result.messages[-1]
    assert error.type == "ErrorEvent" and error.source == "assistant"
    assert "500" in error.content and "model overloaded" in error.content
    assert result.stop_reason.startswith("Error: assistant:")
    assert len(openai_server.chat_requests) == 2  # one retry (max_retries=1)
    assert "sk-test-planted" not in json.dumps(result.dump())
