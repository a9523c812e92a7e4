"""MCP tools: AutoGen's `autogen_ext.tools.mcp` on the official `mcp` SDK's client. A workbench of one server's
tools, the single-tool adapters, the three kinds of server params, and the session they share (stdio servers
run in the tool sandbox)."""

from .adapters import McpToolAdapter, SseMcpToolAdapter, StdioMcpToolAdapter, StreamableHttpMcpToolAdapter
from .params import ServerParams, SseServerParams, StdioServerParams, StreamableHttpServerParams
from .session import McpServerError, McpSession
from .workbench import McpWorkbench

__all__ = [
    "McpServerError",
    "McpSession",
    "McpToolAdapter",
    "McpWorkbench",
    "ServerParams",
    "SseMcpToolAdapter",
    "SseServerParams",
    "StdioMcpToolAdapter",
    "StdioServerParams",
    "StreamableHttpMcpToolAdapter",
    "StreamableHttpServerParams",
]
