"""FunctionTool calls run in sandbox workers: results, failures, limits, cancellation, concurrency."""

from __future__ import annotations

import asyncio
import os

import pytest

from studio.runtime import isolation
from studio.runtime.cancellation import CancellationToken
from studio.runtime.tools import FunctionTool, SandboxLimits
from tests.support.waits import WAIT_SECONDS, until

SECRET = "sk-test-secret-0123456789"
FAST = SandboxLimits(timeout=1.0)
SLOW = SandboxLimits(timeout=WAIT_SECONDS * 2)  # a call the tests cancel never times out first


def tool(source: str, name: str, **kwargs: object) -> FunctionTool:
    return FunctionTool(source, name, f"the {name} tool", **kwargs)  # type: ignore[arg-type]


ADD = "def add(a: int, b: int = 2) -> int:\n    return a + b\n"


async def call(t: FunctionTool, args: dict[str, object] | None = None, token: CancellationToken | None = None):
    return await t.run_json(args or {}, token or CancellationToken(), call_id="c1")


async def test_normal_call_coerces_arguments() -> None:
    result = await call(tool(ADD, "add"), {"a": "40"})
    assert (result.name, result.content, result.is_error) == ("add", "42", False)


async def test_missing_argument_is_an_error_naming_it() -> None:
    result = await call(tool(ADD, "add"), {"b": 1})
    assert result.is_error and "validation error for addargs\na\n  Field required" in result.content


async def test_async_tool_and_cancellation_token_parameter() -> None:
    source = (
        "import asyncio\n"
        "async def twice(x: float, cancellation_token=None) -> str:\n"
        "    await asyncio.sleep(0.01)\n"
        "    return f'{x * 2} {cancellation_token.is_cancelled()}'\n"
    )
    result = await call(tool(source, "twice"), {"x": 2})
    assert (result.content, result.is_error) == ("4.0 False", False)


async def test_global_imports_and_pydantic_results() -> None:
    source = (
        "class Point(BaseModel):\n    x: int\n    y: int\n\n"
        "def point(x: int) -> 'Point':\n    return Point(x=x, y=len(dumps([x, x])) + int(m.sqrt(4)))\n"
    )
    imports = [{"module": "pydantic", "imports": ["BaseModel"]}, {"module": "json", "imports": ["dumps"]},
               {"name": "math", "alias": "m"}]
    result = await call(tool(source, "point", global_imports=imports), {"x": 1})
    assert (result.content, result.is_error) == ('{"x": 1, "y": 8}', False)


async def test_raising_tool_gives_autogen_error_text() -> None:
    source = "def boom(n: int) -> int:\n    raise ValueError(f'bad value {n}')\n"
    result = await call(tool(source, "boom"), {"n": 3})
    assert (result.content, result.is_error) == ("bad value 3", True)
    group = "def grp() -> None:\n    raise ExceptionGroup('g', [ValueError('a'), KeyError('b')])\n"
    assert (await call(tool(group, "grp"))).content == "a\n'b'"


async def test_load_problems_are_error_results() -> None:
    bad_import = await call(tool(ADD, "add", global_imports=["no_such_module_xyz"]), {"a": 1})
    assert bad_import.is_error
    assert bad_import.content == (
        "Failed to import import no_such_module_xyz: Module not found. Please ensure the module is installed."
    )
    syntax = await call(tool("def add(a: int\n", "add"), {"a": 1})
    assert syntax.is_error and syntax.content.startswith("Could not compile and load function: line 1:")


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


def busy_workers(t: FunctionTool) -> int:
    """How many of the tool's workers are running a call now."""
    return sum(worker.box.busy for worker in t.sandbox()._all)


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


async def test_tool_name_may_differ_from_the_function_name() -> None:
    renamed = FunctionTool(ADD, "adder", "adds")  # AutoGen loads the first function in the source
    assert renamed.schema["name"] == "adder"
    result = await call(renamed, {"a": 1})
    assert (result.name, result.content) == ("adder", "3")


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
