"""Browser tests: `studio ui` in a subprocess, driven by Playwright through Debian's Chromium.

See ../shared/docs/browser-tests.md. `base_url` points at the running studio, so tests write
`page.goto("/teams")`. Set STUDIO_SCREENSHOTS=DIR to keep screenshots of each state (tests/browser/shots.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.waits import wait_until

from .axe import AxeScan

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_READY = re.compile(r"Studio is running at (http://\S+)")


@dataclass
class StudioServer:
    url: str
    home: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API keeps an event loop running in the main thread
    until the session ends, and the asyncio tests cannot run their own loop beside it."""
    here = Path(__file__).parent
    items.sort(key=lambda item: here in item.path.parents)  # stable: the order within each group stays


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StudioServer]:
    """`studio ui` on a free port (`--port 0`) over a fresh home, stopped after the session."""
    with running_studio(tmp_path_factory.mktemp("studio-home")) as server:
        yield server


@contextmanager
def running_studio(home: Path, **env_vars: str) -> Iterator[StudioServer]:
    """`studio ui` over `home` with `env_vars` (e.g. STUDIO_AUTH_TOKEN) as the only STUDIO_ settings."""
    log = home / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")} | env_vars
    env["PYTHONUNBUFFERED"] = "1"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "studio.cli", "ui", "--port", "0", "--home", str(home)],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
        )
    try:
        url = _wait_until_ready(process, log)
        yield StudioServer(url=url, home=home, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(studio_server: StudioServer) -> str:
    return studio_server.url.rstrip("/")


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path) -> str:
    """The URL `studio ui` printed, once a request to it gets an answer."""

    def answering() -> str | None:
        if process.poll() is not None:
            pytest.fail(f"studio ui exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        found = _READY.search(log.read_text(errors="replace"))
        if not found:
            return None
        try:
            with urllib.request.urlopen(found.group(1) + "teams", timeout=5):
                return found.group(1)
        except urllib.error.HTTPError:
            return found.group(1)  # it answers, even if not with a page yet
        except OSError:
            return None

    return wait_until(answering, message=lambda: f"studio ui did not answer:\n{log.read_text(errors='replace')}")


@pytest.fixture
def axe() -> AxeScan:
    """Collects axe-core scans of page states (`axe.check(page, state)`); fails the test on any violation."""
    return AxeScan()
