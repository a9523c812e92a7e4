"""PythonCodeExecutionTool (runtime/tools/code_execution.py): the model's code runs on the sandboxed executor and
the result is its output, as AutoGen returns it; AutoGen's schema, argument errors, config and clean-up."""

from __future__ import annotations

from pathlib import Path

from studio.components import dump_component, load_component
from studio.runtime.cancellation import CancellationToken
from studio.runtime.code_executors import LocalCommandLineCodeExecutor
from studio.runtime.tools.code_execution import PythonCodeExecutionTool

PROVIDER = "autogen_ext.tools.code_execution.PythonCodeExecutionTool"
EXECUTOR = "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor"


async def call(tool: PythonCodeExecutionTool, **args: object) -> tuple[str, bool]:
    result = await tool.run_json(args, CancellationToken())
    return result.content, result.is_error


async def test_the_code_runs_in_the_sandbox_and_its_output_is_the_result(tmp_path: Path) -> None:
    tool = PythonCodeExecutionTool(LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path))
    assert await call(tool, code="import os\nprint(6 * 7, os.environ.get('OPENAI_API_KEY'))") == ("42 None\n", False)
    # A failing block is no error result: its output tells the model what went wrong, as in AutoGen.
    content, is_error = await call(tool, code="raise ValueError('boom')")
    assert not is_error and content.endswith("ValueError: boom\n")
    assert await call(tool, code="import urllib.request\ntry:\n    urllib.request.urlopen('http://1.1.1.1', "
                      "timeout=2)\nexcept OSError:\n    print('no network')") == ("no network\n", False)


async def test_arguments_are_validated_with_autogens_model() -> None:
    content, is_error = await call(PythonCodeExecutionTool(LocalCommandLineCodeExecutor()), source="print(1)")
    assert is_error and content.startswith("1 validation error for CodeExecutionInput\ncode\n  Field required")


def test_autogens_name_and_schema() -> None:
    assert PythonCodeExecutionTool(LocalCommandLineCodeExecutor()).schema == {
        "name": "CodeExecutor", "description": "Execute Python code blocks.", "strict": False, "parameters": {
            "type": "object", "required": ["code"], "additionalProperties": False, "properties": {"code": {
                "description": "The contents of the Python code block that should be executed", "title": "Code",
                "type": "string"}}}}


def test_the_config_round_trips_with_its_description() -> None:
    document = {"provider": PROVIDER, "config": {"description": "Run Python.", "executor": {
        "provider": EXECUTOR, "config": {"timeout": 5, "functions_module": "functions", "cleanup_temp_files": True}}}}
    tool = load_component(document)
    assert (tool.name, tool.description, tool.executor.timeout) == ("CodeExecutor", "Run Python.", 5)
    dumped = dump_component(tool)["config"]
    assert dumped["description"] == "Run Python." and dumped["executor"]["config"]["timeout"] == 5


async def test_closing_removes_the_executors_temporary_work_dir() -> None:
    tool = PythonCodeExecutionTool(LocalCommandLineCodeExecutor(timeout=10))
    content, _ = await call(tool, code="import os\nprint(os.getcwd())")
    work_dir = Path(content.strip())  # the sandbox shows the work dir at its own path
    assert work_dir.name.startswith("studio-code-") and work_dir.is_dir()
    await tool.close()
    assert not work_dir.exists()
