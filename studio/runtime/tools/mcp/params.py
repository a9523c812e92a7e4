"""How to reach an MCP server: AutoGen's three server params, with their fields and defaults as 0.7.5 dumps them.

A file names the kind in `type`; the workbench and the adapters hold one of these.
"""

from __future__ import annotations

import shlex
from typing import Annotated, Any, Literal

from pydantic import Field

from ...config import ConfigModel, branch, tagged

_HEADERS_HELP = "HTTP headers sent with every request to the server, and only these, as a JSON object."


class StdioServerParams(ConfigModel):
    """A server the studio starts, speaking JSON-RPC on its stdin and stdout (run inside the tool sandbox)."""

    command: str = Field(description="The program that starts the server, e.g. python or npx.")
    args: list[str] = Field([], description="Its command-line arguments.")
    env: dict[str, str] | None = Field(None, description="The environment variables the server gets, and the only "
                                       "ones (nothing of the studio's environment).")
    cwd: str | None = Field(None, description="The directory the server starts in; the sandbox shows it read-only.")
    encoding: str = Field("utf-8", description="The text encoding of its messages.")
    encoding_error_handler: Literal["strict", "ignore", "replace"] = Field(
        "strict", description="What to do with bytes that are not valid in that encoding.")
    type: Literal["StdioServerParams"] = "StdioServerParams"
    read_timeout_seconds: float = Field(5, gt=0, description="How long to wait for each answer of the server.")

    def label(self) -> str:
        """How errors name this server: its command line."""
        return shlex.join([self.command, *self.args])


class SseServerParams(ConfigModel):
    """A running server reached over HTTP with server-sent events (MCP's older HTTP transport)."""

    type: Literal["SseServerParams"] = "SseServerParams"
    url: str = Field(description="The server's SSE endpoint, e.g. http://127.0.0.1:8000/sse.")
    headers: dict[str, Any] | None = Field(None, description=_HEADERS_HELP)
    timeout: float = Field(5, gt=0, description="Seconds to wait to connect and for ordinary HTTP requests.")
    sse_read_timeout: float = Field(300, gt=0, description="Seconds to wait for each answer on the event stream.")

    def label(self) -> str:
        return self.url


class StreamableHttpServerParams(ConfigModel):
    """A running server reached over MCP's streamable HTTP transport."""

    type: Literal["StreamableHttpServerParams"] = "StreamableHttpServerParams"
    url: str = Field(description="The server's MCP endpoint, e.g. http://127.0.0.1:8000/mcp.")
    headers: dict[str, Any] | None = Field(None, description=_HEADERS_HELP)
    timeout: float = Field(30.0, gt=0, description="Seconds to wait to connect and for ordinary HTTP requests.")
    sse_read_timeout: float = Field(300.0, gt=0, description="Seconds to wait for each answer.")
    terminate_on_close: bool = Field(True, description="Tell the server to end the session when the run ends.")

    def label(self) -> str:
        return self.url


def _kind(value: Any) -> str:
    return str(value.get("type")) if isinstance(value, dict) else type(value).__name__


ServerParams = Annotated[
    Annotated[StdioServerParams, branch("StdioServerParams")]
    | Annotated[SseServerParams, branch("SseServerParams")]
    | Annotated[StreamableHttpServerParams, branch("StreamableHttpServerParams")],
    tagged(_kind),
]
"""One of the three, as a config field validates it: the kind `type` names, so errors come from that one."""

__all__ = ["ServerParams", "SseServerParams", "StdioServerParams", "StreamableHttpServerParams"]
