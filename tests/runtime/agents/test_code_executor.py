from studio.runtime.agents import CodeExecutorAgent
from studio.runtime.agents.code_executor import NO_CODE_BLOCKS_FOUND_MESSAGE
from studio.runtime.code_executors import LocalCommandLineCodeExecutor
from studio.runtime.messages import TextMessage
from studio.runtime.teams import RoundRobinGroupChat

from ..helpers import agent, replay, run, trace


async def test_without_a_model_it_runs_the_code_blocks_it_receives(tmp_path):
    runner = CodeExecutorAgent("runner", LocalCommandLineCodeExecutor(timeout=10, work_dir=str(tmp_path)))
    coder = agent("coder", "Here:\n```python\nprint(6 * 7)\n```\n")
    items, _ = await run(RoundRobinGroupChat([coder, runner], max_turns=2), "compute")
    assert trace(items)[-1] == ("TextMessage", "runner", "42\n")


async def test_failures_and_missing_code_are_explained(tmp_path):
    runner = CodeExecutorAgent("runner", LocalCommandLineCodeExecutor(timeout=10, work_dir=str(tmp_path)))
    result = await runner.run(task=TextMessage(content="```python\nraise SystemExit(3)\n```", source="coder"))
    assert result.messages[-1].content.startswith("The script ran but produced no output to console. The POSIX exit code was: 3")
    result = await runner.run(task=TextMessage(content="```python\nimport sys; print('bad'); sys.exit(2)\n```", source="coder"))
    assert result.messages[-1].content == "The script ran, then exited with an error (POSIX exit code: 2)\nIts output was:\nbad\n"
    result = await runner.run(task=TextMessage(content="no code here", source="coder"))
    assert result.messages[-1].content == NO_CODE_BLOCKS_FOUND_MESSAGE


async def test_only_messages_from_the_listed_sources_are_executed(tmp_path):
    runner = CodeExecutorAgent(
        "runner", LocalCommandLineCodeExecutor(timeout=10, work_dir=str(tmp_path)), sources=["trusted"]
    )
    result = await runner.run(task=TextMessage(content="```python\nprint('hi')\n```", source="stranger"))
    assert result.messages[-1].content == NO_CODE_BLOCKS_FOUND_MESSAGE


async def test_with_a_model_it_writes_runs_and_reflects(tmp_path):
    client = replay("```python\nprint(2 ** 10)\n```", "The answer is 1024.")
    runner = CodeExecutorAgent(
        "coder", LocalCommandLineCodeExecutor(timeout=10, work_dir=str(tmp_path)), model_client=client
    )
    result = await runner.run(task="what is 2**10?")
    assert [t for t, _, _ in trace(result.messages)] == [
        "TextMessage", "CodeGenerationEvent", "CodeExecutionEvent", "TextMessage",
    ]
    execution = result.messages[2]
    assert (execution.result.exit_code, execution.result.output) == (0, "1024\n")
    assert result.messages[-1].content == "The answer is 1024."
    # The reflection call saw the execution output.
    assert client.create_calls[-1]["messages"][-1].content == "1024\n"
