"""Builders for the FunctionTool and sandbox tests: a tool from its source, one call of it, its busy workers."""

from __future__ import annotations

from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools import FunctionTool, SandboxLimits
from tests.support.waits import WAIT_SECONDS

SECRET = "sk-test-secret-0123456789"
SLOW = SandboxLimits(timeout=WAIT_SECONDS * 2)  # a call the tests cancel never times out first


def tool(source: str, name: str, **kwargs: object) -> FunctionTool:
    return FunctionTool(source, name, f"the {name} tool", **kwargs)  # type: ignore[arg-type]


ADD = "def add(a: int, b: int = 2) -> int:\n    return a + b\n"


async def call(t: FunctionTool, args: dict[str, object] | None = None, token: CancellationToken | None = None):
    return await t.run_json(args or {}, token or CancellationToken(), call_id="c1")


def busy_workers(t: FunctionTool) -> int:
    """How many of the tool's workers are running a call now."""
    return sum(worker.box.busy for worker in t.sandbox()._all)
