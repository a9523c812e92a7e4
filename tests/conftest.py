"""Fixtures shared by the whole test suite (keep this small; add new fixtures below)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.openai_server import OpenAIServer
from tests.support.postgres import pg_database  # noqa: F401 (a fixture for the whole suite)


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A scripted OpenAI chat-completions server on 127.0.0.1 (see tests/support/openai_server.py)."""
    with OpenAIServer() as server:
        yield server
