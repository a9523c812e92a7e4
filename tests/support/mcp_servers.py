"""The test MCP server (tests/support/mcp_server.py) as the tests reach it: its stdio params, and a fixture-ready
HTTP server process (SSE or streamable HTTP) on 127.0.0.1 and a free port."""

from __future__ import annotations

import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .waits import WAIT_SECONDS

SERVER = Path(__file__).with_name("mcp_server.py")
STARTUP_SECONDS = 30.0
"""The read timeout of the test servers: far more than a start takes on a loaded machine (a hang guard)."""

HANG = "import sys, time\nsys.stdin.readline()\ntime.sleep(600)\n"
"""A stdio "server" that reads the initialize request and never answers."""


def stdio_params(**changes: Any) -> dict[str, Any]:
    """The stdio server params (JSON) of the test server: the studio's python, run from its directory."""
    return {"type": "StdioServerParams", "command": sys.executable, "args": [SERVER.name, "stdio"],
            "cwd": str(SERVER.parent), "read_timeout_seconds": STARTUP_SECONDS, **changes}


@dataclass
class HttpServer:
    """A running test server: `url` is its endpoint (…/sse or …/mcp)."""

    kind: str
    process: subprocess.Popen[str]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{'sse' if self.kind == 'sse' else 'mcp'}"

    def params(self, **changes: Any) -> dict[str, Any]:
        kind = "SseServerParams" if self.kind == "sse" else "StreamableHttpServerParams"
        return {"type": kind, "url": self.url, **changes}

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(WAIT_SECONDS)


@contextmanager
def http_server(kind: str) -> Iterator[HttpServer]:
    """Start the server over `kind` ("sse" or "http") and yield it once it listens; killed on exit."""
    process = subprocess.Popen([sys.executable, str(SERVER), kind], stdout=subprocess.PIPE, text=True,
                               cwd=SERVER.parent)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + WAIT_SECONDS
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        line = process.stdout.readline() if ready else ""
        if not line.startswith("PORT "):
            raise AssertionError(f"the MCP test server did not start ({kind}): {line!r}")
        yield HttpServer(kind, process, int(line.split()[1]))
    finally:
        process.kill()
        process.wait(WAIT_SECONDS)
        if process.stdout is not None:
            process.stdout.close()
