"""Tools an agent can call: the Tool interface, FunctionTool (sandboxed), workbenches, schema helpers."""

from .base import Tool, ToolResult
from .function_tool import FunctionTool, normalize_import
from .sandbox import Sandbox, SandboxLimits, configure_sandbox, get_sandbox_limits
from .schema import build_schema, check_function_source, parse_function
from .workbench import StaticStreamWorkbench, StaticWorkbench, ToolOverride

__all__ = [
    "FunctionTool",
    "Sandbox",
    "SandboxLimits",
    "StaticStreamWorkbench",
    "StaticWorkbench",
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
