"""LocalCommandLineCodeExecutor: AutoGen's outputs for success, failure, timeout, unknown language."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from studio.runtime.cancellation import CancellationToken
from studio.runtime.code_executors import CodeBlock, LocalCommandLineCodeExecutor, extract_markdown_code_blocks
from tests.support.waits import WAIT_SECONDS, until


@pytest.fixture
def executor(tmp_path: Path) -> LocalCommandLineCodeExecutor:
    return LocalCommandLineCodeExecutor(timeout=1, work_dir=str(tmp_path))


async def test_python_success_joins_stderr_then_stdout(executor: LocalCommandLineCodeExecutor) -> None:
    code = "import sys\nprint('hi')\nprint('err', file=sys.stderr)"
    result = await executor.execute_code_blocks([CodeBlock(code, "python")], CancellationToken())
    assert (result.exit_code, result.output) == (0, "err\nhi\n")
    assert result.code_file is not None and Path(result.code_file).name.startswith("tmp_code_")
    assert not Path(result.code_file).exists()  # cleanup_temp_files


async def test_failure_stops_at_the_failing_block(executor: LocalCommandLineCodeExecutor) -> None:
    blocks = [CodeBlock("echo a; exit 3", "sh"), CodeBlock("echo b", "bash")]
    result = await executor.execute_code_blocks(blocks, CancellationToken())
    assert (result.exit_code, result.output) == (3, "a\n")
    raised = await executor.execute_code_blocks([CodeBlock("raise ValueError('boom')", "py")], CancellationToken())
    assert raised.exit_code == 1 and raised.output.endswith("ValueError: boom\n")


async def test_timeout_gives_124(executor: LocalCommandLineCodeExecutor) -> None:
    block = CodeBlock("import time\nprint('x')\ntime.sleep(30)", "python")
    result = await executor.execute_code_blocks([block], CancellationToken())
    assert (result.exit_code, result.output) == (124, "\nTimeout")


async def test_unsupported_language(executor: LocalCommandLineCodeExecutor) -> None:
    blocks = [CodeBlock("print(1)", "Python"), CodeBlock("console.log(1)", "JavaScript")]
    result = await executor.execute_code_blocks(blocks, CancellationToken())
    assert (result.exit_code, result.output) == (1, "1\n\nunknown language javascript")


async def test_environment_is_scrubbed(executor: LocalCommandLineCodeExecutor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    block = CodeBlock("import os\nprint(os.environ.get('OPENAI_API_KEY'))", "python")
    result = await executor.execute_code_blocks([block], CancellationToken())
    assert (result.exit_code, result.output) == (0, "None\n")


async def test_cancellation_stops_a_running_block(executor: LocalCommandLineCodeExecutor, tmp_path: Path) -> None:
    executor.timeout = WAIT_SECONDS * 2  # were cancelling ignored, the block would outlast the wait below
    token = CancellationToken()
    block = CodeBlock(f"touch started; sleep {executor.timeout}", "sh")
    task = asyncio.ensure_future(executor.execute_code_blocks([block], token))
    await until(lambda: (tmp_path / "started").exists(), message="the block never started")
    token.cancel()
    result = await asyncio.wait_for(task, WAIT_SECONDS)
    assert (result.exit_code, result.output) == (125, "\nCancelled")


async def test_filename_and_temp_work_dir() -> None:
    executor = LocalCommandLineCodeExecutor(timeout=5)
    assert executor.work_dir is None
    result = await executor.execute_code_blocks(
        [CodeBlock("# filename: hello.py\nprint('hello')", "python")], CancellationToken()
    )
    assert (result.exit_code, result.output) == (0, "hello\n")
    assert result.code_file is not None and Path(result.code_file).name == "hello.py"
    outside = await executor.execute_code_blocks([CodeBlock("# filename: ../x.py\nprint(1)", "python")],
                                                 CancellationToken())
    assert (outside.exit_code, outside.output) == (1, "Filename is not in the workspace")
    await executor.stop()
    assert not Path(result.code_file).parent.exists()


def test_extract_markdown_code_blocks_like_code_executor_agent() -> None:
    text = (
        "hi\n```python\nprint(1)\n```\n```Python\nprint(2)\n```\n``` sh\necho 3\n```\n"
        "```bash\necho 4\n```\n```py\nx\n```\n```python   \nprint(5)\n```"
    )
    assert extract_markdown_code_blocks(text) == [
        CodeBlock("print(1)\n", "python"), CodeBlock("print(2)\n", "Python"), CodeBlock("echo 3\n", "sh")
    ]
    assert extract_markdown_code_blocks("```bash\necho 4\n```", ["bash"]) == [CodeBlock("echo 4\n", "bash")]


def test_constructor_attributes_and_checks() -> None:
    executor = LocalCommandLineCodeExecutor()
    assert (executor.timeout, executor.work_dir, executor.functions_module, executor.cleanup_temp_files) == (
        60, None, "functions", True
    )
    with pytest.raises(ValueError):
        LocalCommandLineCodeExecutor(timeout=0)
    with pytest.raises(ValueError):
        LocalCommandLineCodeExecutor(functions_module="not-valid")
