"""The test MCP server over each transport: one process per module for SSE and streamable HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.mcp_servers import HttpServer, http_server


@pytest.fixture(scope="module")
def sse() -> Iterator[HttpServer]:
    with http_server("sse") as server:
        yield server


@pytest.fixture(scope="module")
def streamable() -> Iterator[HttpServer]:
    with http_server("http") as server:
        yield server
