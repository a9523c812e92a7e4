"""Tools an agent can call: the Tool interface, FunctionTool (sandboxed), HttpTool, PythonCodeExecutionTool,
AgentTool and TeamTool, workbenches, schema helpers."""

from .base import StreamTool, Tool, ToolResult
from .code_execution import PythonCodeExecutionTool
from .function_tool import FunctionTool, normalize_import
from .http_tool import HttpTool
from .sandbox import Sandbox, SandboxLimits, configure_sandbox, get_sandbox_limits
from .schema import build_schema, check_function_source, parse_function
from .task_runner import AgentTool, TeamTool
from .workbench import StaticStreamWorkbench, StaticWorkbench, ToolOverride

__all__ = [
    "AgentTool",
    "FunctionTool",
    "HttpTool",
    "PythonCodeExecutionTool",
    "Sandbox",
    "SandboxLimits",
    "StaticStreamWorkbench",
    "StaticWorkbench",
    "StreamTool",
    "TeamTool",
    "Tool",
    "ToolOverride",
    "ToolResult",
    "build_schema",
    "check_function_source",
    "configure_sandbox",
    "get_sandbox_limits",
    "normalize_import",
    "parse_function",
]
