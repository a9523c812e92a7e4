"""PythonCodeExecutionTool: AutoGen's `autogen_ext.tools.code_execution.PythonCodeExecutionTool`.

The model passes Python source as `code`; it runs as one python block on the tool's code executor (the
studio's LocalCommandLineCodeExecutor, inside the sandbox: studio/runtime/isolation) and the result is the
executor's output, as AutoGen returns it (a failing block is not an error result: its output says so).
An imported team holding one runs only once trusted (the executor is what the trust gate reviews).

AutoGen 0.7.5 always names the tool `CodeExecutor` and describes it with its default description; the
studio uses the config's `description` (the same unless a file changes it, which AutoGen ignores).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ..cancellation import CancellationToken
from ..code_executors import CodeBlock, LocalCommandLineCodeExecutor
from ..config import Built, Component, ConfigModel, Dump, slot
from ..models.types import ToolSchema
from .args_model import args_schema
from .base import Tool, ToolResult

__all__ = ["PythonCodeExecutionTool", "PythonCodeExecutionToolConfig"]

DEFAULT_DESCRIPTION = "Execute Python code blocks."
TOOL_NAME = "CodeExecutor"


class CodeExecutionInput(BaseModel):
    """AutoGen's argument model (its name appears in validation errors)."""

    code: str = Field(description="The contents of the Python code block that should be executed")


class PythonCodeExecutionToolConfig(ConfigModel):
    executor: Component = slot("code_executor", default=..., description="Where the code runs. Select the executor "
                               "node to edit it.")
    description: str = Field(DEFAULT_DESCRIPTION, description="Tells the model what the tool does (AutoGen 0.7.5 "
                             "always uses the default).")


class PythonCodeExecutionTool(Tool):
    """Runs the Python code the model writes on a code executor."""

    component_config_schema = PythonCodeExecutionToolConfig

    def __init__(self, executor: LocalCommandLineCodeExecutor, description: str = DEFAULT_DESCRIPTION) -> None:
        self.executor = executor
        self.name = TOOL_NAME
        self.description = description

    @classmethod
    def _from_config(cls, config: PythonCodeExecutionToolConfig, built: Built) -> PythonCodeExecutionTool:
        return cls(built["executor"], config.description)

    def _to_config(self, dump: Dump) -> dict[str, Any]:
        return {"executor": dump(self.executor), "description": self.description}

    @property
    def schema(self) -> ToolSchema:
        return args_schema(CodeExecutionInput, self.name, self.description)

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        try:
            code = CodeExecutionInput.model_validate(args).code
        except ValidationError as e:
            return ToolResult(name=self.name, content=str(e), is_error=True)
        result = await self.executor.execute_code_blocks([CodeBlock(code=code, language="python")],
                                                         cancellation_token)
        return ToolResult(name=self.name, content=result.output)

    async def close(self) -> None:
        """Remove the executor's temporary work dir (if it made one)."""
        await self.executor.stop()
