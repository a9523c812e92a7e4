"""A real MCP server for the tests, written with the `mcp` SDK (FastMCP), served over stdio, SSE or streamable HTTP.

    python mcp_server.py stdio            # JSON-RPC on stdin/stdout (runs in the tool sandbox: stdlib + mcp only)
    python mcp_server.py sse|http         # 127.0.0.1 on a free port; prints "PORT <n>" once it listens

Tools: add, convert (units), echo, fail (raises: an `isError` result), slow (sleeps), huge (a long text),
environment (the variables it runs with), headers (the HTTP request's headers), garble (writes a line that is
not JSON-RPC on stdout), crash (the process exits). A resource `notes://greeting` and a prompt `summarise`.

Standalone: imports nothing of the studio or the tests, so the sandbox can run it from its directory.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from typing import Any

from mcp.server.fastmcp import Context, FastMCP

server = FastMCP("studio-test-server", log_level="WARNING")

_FACTORS = {("km", "mi"): 0.621371, ("mi", "km"): 1.609344, ("kg", "lb"): 2.204623, ("lb", "kg"): 0.453592}


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def convert(value: float, from_unit: str, to_unit: str) -> str:
    """Convert a value between km and mi, or kg and lb."""
    factor = _FACTORS.get((from_unit, to_unit))
    if factor is None:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    return f"{value * factor:.2f} {to_unit}"


@server.tool()
def echo(text: str) -> str:
    """Say the text back."""
    return text


@server.tool()
def fail(reason: str = "it went wrong") -> str:
    """Always fails with the reason given."""
    raise RuntimeError(reason)


@server.tool()
async def slow(seconds: float) -> str:
    """Answer after this many seconds."""
    await asyncio.sleep(seconds)
    return f"slept {seconds}"


@server.tool()
def huge(size: int) -> str:
    """A text of `size` characters."""
    return "x" * size


@server.tool()
def environment() -> dict[str, str]:
    """The environment variables this server runs with."""
    return dict(os.environ)


@server.tool()
def headers(ctx: Context[Any, Any, Any]) -> dict[str, str]:
    """The headers of the HTTP request that called this tool (empty over stdio)."""
    request = ctx.request_context.request
    return dict(getattr(request, "headers", {}) or {})


@server.tool()
def garble() -> str:
    """Write a line that is not JSON-RPC to stdout (the stdio transport), then answer."""
    sys.stdout.write("this is not json-rpc\n")
    sys.stdout.flush()
    return "garbled"


@server.tool()
def crash(code: int = 3) -> str:
    """Exit the server process at once."""
    os._exit(code)


@server.resource("notes://greeting")
def greeting() -> str:
    """A short note."""
    return "Hello from the notes server."


@server.prompt()
def summarise(text: str) -> str:
    """Ask for a one-line summary."""
    return f"Summarise in one line: {text}"


def _serve_http(kind: str) -> None:
    import uvicorn

    app = server.sse_app() if kind == "sse" else server.streamable_http_app()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    http = uvicorn.Server(config)
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    http.run(sockets=[sock])


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    if mode == "stdio":
        server.run("stdio")
    else:
        _serve_http(mode)
