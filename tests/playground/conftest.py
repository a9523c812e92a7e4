"""Playground fixtures: run managers over the test database, and runs here never see model keys from the
environment of whoever runs the tests (the migrated SQLite `engine` comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from studio.playground import RunManager
from studio.settings import Settings


@pytest.fixture(autouse=True)
def no_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def make_manager(engine: Engine, tmp_path: Path) -> AsyncIterator[Callable[..., RunManager]]:
    """`make_manager(input_timeout_seconds=...)`: a run manager (a "server") over the test database."""
    managers: list[RunManager] = []

    def make(**settings: Any) -> RunManager:
        manager = RunManager(engine, Settings(home=tmp_path / "home", **settings))
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        await manager.aclose()


@pytest.fixture
def manager(make_manager: Callable[..., RunManager]) -> RunManager:
    return make_manager()
