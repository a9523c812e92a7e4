"""Fixtures shared by the whole test suite (keep this small; add new fixtures below)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from studio.runtime import isolation
from studio.store import make_engine, migrate
from studio.store.crypto import SecretBox, use_box
from tests.support.openai_server import OpenAIServer
from tests.support.postgres import pg_database  # noqa: F401 (a fixture for the whole suite)

if not isolation.status().available:
    # Tests that run tools for other reasons run them unsandboxed here; the sandbox's own tests skip.
    os.environ["STUDIO_ALLOW_UNSANDBOXED"] = "1"
    isolation.allow_unsandboxed(True)


def pytest_report_header() -> str:
    state = isolation.status()
    return f"tool sandbox: {state.detail}" + ("" if state.available else " (tools run UNSANDBOXED in these tests)")


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A scripted OpenAI chat-completions server on 127.0.0.1 (see tests/support/openai_server.py)."""
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database in the test's temporary directory."""
    engine = make_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _secret_box() -> None:
    """Secrets encrypted with a key of the test's own (an app's start replaces it with its home's key)."""
    use_box(SecretBox.generate())
