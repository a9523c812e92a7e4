"""The sandbox a tool's calls run in (runtime/tools/sandbox.py): persistent workers, one per concurrent call; a
timeout, the CPU or memory limit, a crash or a cancellation kill the worker, the call gets an error result (or
CancelledError) and the next call a fresh worker; workers stop with the tool or its event loop."""

from __future__ import annotations

import asyncio
import os

import pytest

from studio.runtime import isolation
from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools import SandboxLimits
from tests.support.waits import WAIT_SECONDS, until

from .tool_support import ADD, SECRET, SLOW, busy_workers, call, tool


async def test_prints_do_not_disturb_the_protocol() -> None:
    source = "import sys\ndef noisy() -> str:\n    print('x' * 100000)\n    sys.stdout.write('junk')\n    return 'ok'\n"
    assert (await call(tool(source, "noisy"))).content == "ok"


@pytest.mark.skipif(not isolation.status().available, reason=f"needs bubblewrap: {isolation.status().detail}")
async def test_environment_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    reader = tool("import os\ndef key() -> str:\n    return os.environ['OPENAI_API_KEY']\n", "key")
    result = await call(reader)
    assert (result.content, result.is_error) == ("'OPENAI_API_KEY'", True)
    dump = tool("import os\ndef env() -> str:\n    return repr(dict(os.environ)) + os.getcwd()\n", "env")
    result = await call(dump)
    assert not result.is_error and SECRET not in result.content and "OPENAI" not in result.content
    assert os.getcwd() not in result.content and "'HOME': '/tmp'" in result.content
    assert result.content.endswith("/tmp")  # its own private /tmp


async def test_infinite_loop_times_out_and_next_call_works() -> None:
    spin = tool("def spin() -> None:\n    while True:\n        pass\n", "spin", limits=SandboxLimits(timeout=0.5))
    result = await call(spin)
    assert (result.content, result.is_error) == ("Tool 'spin' timed out after 0.5 s", True)
    assert (await call(tool(ADD, "add"), {"a": 1})).content == "3"


async def test_cpu_limit_kills_a_busy_worker() -> None:
    spin = tool("def burn() -> None:\n    while True:\n        pass\n", "burn",
                limits=SandboxLimits(timeout=10, cpu_seconds=0.5))
    result = await call(spin)
    assert result.is_error and result.content.startswith("Tool 'burn' crashed: its sandbox worker exceeded its CPU")


async def test_memory_hog_is_contained() -> None:
    hog = tool("def hog() -> int:\n    return len(bytearray(2 * 1024 ** 3))\n", "hog")
    result = await call(hog)
    assert (result.content, result.is_error) == ("Tool 'hog' ran out of memory (limit 1024 MiB)", True)
    grow = tool("def grow() -> int:\n    xs = []\n    while True:\n        xs.append(' ' * 10**6)\n", "grow",
                limits=SandboxLimits(memory_mb=256))
    result = await call(grow)
    assert result.is_error and "256 MiB" in result.content
    assert (await call(tool(ADD, "add"), {"a": 1})).content == "3"


async def test_exiting_tool_reports_the_exit_and_sys_exit_is_an_error() -> None:
    result = await call(tool("import os\ndef die() -> None:\n    os._exit(3)\n", "die"))
    assert (result.content, result.is_error) == ("Tool 'die' crashed: its sandbox worker exited with code 3", True)
    result = await call(tool("import sys\ndef bye() -> None:\n    sys.exit(4)\n", "bye"))
    assert (result.content, result.is_error) == ("SystemExit: 4", True)
    assert (await call(tool(ADD, "add"), {"a": 1})).content == "3"


async def test_cancellation_kills_the_call_promptly() -> None:
    sleeper = tool("import time\ndef nap(seconds: float) -> None:\n    time.sleep(seconds)\n", "nap", limits=SLOW)
    assert not (await call(sleeper, {"seconds": 0})).is_error  # its worker is started and idle
    token = CancellationToken()
    task = asyncio.ensure_future(call(sleeper, {"seconds": SLOW.timeout}, token=token))
    await until(lambda: busy_workers(sleeper) == 1)  # the call has taken the worker
    pids = sleeper.sandbox().worker_pids()
    token.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, WAIT_SECONDS)  # long before the tool's own sleep would end
    assert not set(sleeper.sandbox().worker_pids()) & set(pids)  # the busy worker is gone
    with pytest.raises(asyncio.CancelledError):
        await call(tool(ADD, "add"), {"a": 1}, token=token)  # already cancelled: never starts
    assert (await call(tool(ADD, "add"), {"a": 1})).content == "3"


async def test_parallel_calls_of_one_tool_run_concurrently_in_workers_of_its_own() -> None:
    # Calls that never end by themselves: run one after the other, the second would never start.
    nap = tool("import time\ndef nap() -> None:\n    time.sleep(3600)\n", "nap", limits=SLOW)
    token = CancellationToken()
    calls = asyncio.gather(call(nap, token=token), call(nap, token=token), return_exceptions=True)
    await until(lambda: busy_workers(nap) == 2, message="the two calls never ran at once")
    assert len(nap.sandbox().worker_pids()) == 2
    token.cancel()
    results = await asyncio.wait_for(calls, WAIT_SECONDS)
    assert [type(r) for r in results] == [asyncio.CancelledError, asyncio.CancelledError]


async def test_more_calls_than_workers_queue_up() -> None:
    add = tool(ADD, "add")
    results = await asyncio.gather(*(call(add, {"a": i}) for i in range(10)))
    assert [r.content for r in results] == [str(i + 2) for i in range(10)]
    assert 1 <= len(add.sandbox().worker_pids()) <= 4


def test_workers_stop_when_the_event_loop_shuts_down() -> None:
    async def run() -> list[int]:
        add = tool(ADD, "add")
        assert (await call(add, {"a": 1})).content == "3"
        return add.sandbox().worker_pids()

    pids = asyncio.run(run())
    assert pids
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


async def test_explicit_close_is_idempotent() -> None:
    add = tool(ADD, "add")
    assert (await call(add, {"a": 1})).content == "3"
    sandbox = add.sandbox()
    pids = sandbox.worker_pids()
    await add.close()
    await sandbox.close()
    await add.close()
    assert sandbox.closed and sandbox.worker_pids() == [] and pids
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert (await call(add, {"a": 2})).content == "4"
    assert add.sandbox() is not sandbox


async def test_oversized_results_are_refused() -> None:
    big = tool("def big() -> str:\n    return 'x' * 5000\n", "big", limits=SandboxLimits(max_result_bytes=1000))
    result = await call(big)
    assert result.is_error and result.content.startswith("Tool result too large")


async def test_cancelling_the_calling_task_kills_the_worker() -> None:
    sleeper = tool("import time\ndef nap() -> None:\n    time.sleep(3600)\n", "nap", limits=SLOW)
    task = asyncio.ensure_future(call(sleeper))
    await until(lambda: busy_workers(sleeper) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sleeper.sandbox().worker_pids() == []
    assert (await call(tool(ADD, "add"), {"a": 1})).content == "3"
