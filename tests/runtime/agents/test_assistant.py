import pytest

from studio.runtime.agents import AssistantAgent
from studio.runtime.messages import ToolCallSummaryMessage
from studio.runtime.tools.task_runner import AgentTool
from studio.runtime.tools.workbench import StaticWorkbench
from tests.support.waits import until

from ..helpers import PythonTool, agent, replay, tool_calls, trace


async def add(a: int, b: int) -> int:
    return a + b


async def fail() -> None:
    raise ValueError("no network here")


async def test_tool_results_become_a_summary_message():
    adder = PythonTool("add", add)
    me = agent("calc", tool_calls(("add", {"a": 2, "b": 3})), tools=[adder])
    result = await me.run(task="2+3?")
    assert trace(result.messages) == [
        ("TextMessage", "user", "2+3?"),
        ("ToolCallRequestEvent", "calc", ["add"]),
        ("ToolCallExecutionEvent", "calc", ["add"]),
        ("ToolCallSummaryMessage", "calc", "5"),
    ]
    summary = result.messages[-1]
    assert isinstance(summary, ToolCallSummaryMessage)
    assert [r.content for r in summary.results] == ["5"] and adder.calls == [{"a": 2, "b": 3}]


async def test_parallel_calls_errors_and_a_custom_summary_format():
    started = []

    async def slow(tag: str) -> str:  # returns once both calls are running: run in turn, the first never would
        started.append(tag)
        await until(lambda: len(started) == 2, message="the calls ran one after the other")
        return tag

    me = agent(
        "calc",
        tool_calls(("slow", {"tag": "x"}), ("slow", {"tag": "y"}), ("fail", {})),
        tools=[PythonTool("slow", slow), PythonTool("fail", fail)],
        tool_call_summary_format="{tool_name}={result} error={is_error}",
    )
    result = await me.run(task="go")
    execution = result.messages[2]
    assert [(r.content, r.is_error) for r in execution.content] == [("x", False), ("y", False), ("no network here", True)]
    assert result.messages[-1].content == "slow=x error=False\nslow=y error=False\nfail=no network here error=True"


async def test_unknown_tools_and_bad_arguments_are_reported_to_the_model_not_raised():
    me = agent("a", tool_calls(("nope", {})), tools=[PythonTool("add", add)])
    result = await me.run(task="go")
    assert result.messages[2].content[0].content == "Error: tool 'nope' not found in any workbench"
    assert result.messages[2].content[0].is_error


async def test_reflection_answers_in_text_after_the_tools():
    client = replay(tool_calls(("add", {"a": 1, "b": 1})), "It is 2.")
    me = AssistantAgent("a", client, tools=[PythonTool("add", add)], reflect_on_tool_use=True)
    result = await me.run(task="1+1")
    assert trace(result.messages)[-1] == ("TextMessage", "a", "It is 2.")
    assert not client.create_calls[-1]["tools"]  # the reflection may not call tools again


async def test_max_tool_iterations_lets_the_model_call_tools_again():
    me = agent(
        "a",
        tool_calls(("add", {"a": 1, "b": 1})),
        tool_calls(("add", {"a": 2, "b": 2})),
        "done: 4",
        tools=[PythonTool("add", add)],
        max_tool_iterations=3,
    )
    result = await me.run(task="go")
    kinds = [t for t, _, _ in trace(result.messages)]
    assert kinds == [
        "TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent",
        "ToolCallRequestEvent", "ToolCallExecutionEvent", "TextMessage",
    ]
    assert result.messages[-1].content == "done: 4"


async def test_thoughts_become_thought_events():
    me = agent("a", tool_calls(("add", {"a": 1, "b": 2}), thought="I should add"), tools=[PythonTool("add", add)])
    result = await me.run(task="go")
    assert trace(result.messages)[1] == ("ThoughtEvent", "a", "I should add")


async def test_streaming_yields_chunks_then_the_message_with_the_same_id():
    me = agent("a", "hello there world", model_client_stream=True)
    items = [i async for i in me.run_stream(task="hi")]
    chunks = [i for i in items if i.type == "ModelClientStreamingChunkEvent"]
    final = items[-2]
    assert "".join(c.content for c in chunks) == "hello there world"
    assert {c.full_message_id for c in chunks} == {final.id}
    assert not any(m.type == "ModelClientStreamingChunkEvent" for m in items[-1].messages)


async def test_the_system_message_and_context_go_to_the_model():
    client = replay("ok")
    me = AssistantAgent("a", client, system_message="Be brief.")
    await me.run(task="hello")
    sent = client.create_calls[0]["messages"]
    assert [(type(m).__name__, m.content) for m in sent] == [("SystemMessage", "Be brief."), ("UserMessage", "hello")]


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="max_tool_iterations"):
        agent("a", "x", max_tool_iterations=0)
    with pytest.raises(ValueError, match="identifier"):
        agent("my agent", "x")


async def test_a_stream_tools_events_come_between_the_call_and_its_result_and_belong_to_the_turn():
    researcher = AgentTool(agent("researcher", tool_calls(("add", {"a": 1, "b": 2})), tools=[PythonTool("add", add)]))
    me = agent("boss", tool_calls(("researcher", {"task": "1+2?"})), tools=[researcher])
    result = await me.run(task="go")
    assert trace(result.messages) == [
        ("TextMessage", "user", "go"),
        ("ToolCallRequestEvent", "boss", ["researcher"]),
        ("TextMessage", "user", "1+2?"),
        ("ToolCallRequestEvent", "researcher", ["add"]),
        ("ToolCallExecutionEvent", "researcher", ["add"]),
        ("ToolCallSummaryMessage", "researcher", "3"),
        ("ToolCallExecutionEvent", "boss", ["researcher"]),
        ("ToolCallSummaryMessage", "boss", "researcher: 3"),
    ]


async def test_a_plain_static_workbench_runs_a_stream_tool_without_its_events():
    bench = StaticWorkbench([AgentTool(agent("researcher", "three"))])
    me = agent("boss", tool_calls(("researcher", {"task": "1+2?"})), workbench=bench)
    result = await me.run(task="go")
    assert [m.type for m in result.messages] == [
        "TextMessage", "ToolCallRequestEvent", "ToolCallExecutionEvent", "ToolCallSummaryMessage"]
    assert result.messages[-1].content == "researcher: three"
