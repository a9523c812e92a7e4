"""Cost of the tool and code-executor sandbox (studio/runtime/isolation on bubblewrap).

Prints, as median and p95 over the runs:
  - spawn: a new FunctionTool's first call (the sandboxed worker starts, loads the tool, answers);
  - call: a round trip to a running worker (what every further call of that tool in the run costs);
  - executor block: one `print` block through LocalCommandLineCodeExecutor (a sandbox per block).

    python bench/sandbox.py                 # 20 spawns, 2,000 calls, 20 blocks
    python bench/sandbox.py --spawns 50 --calls 10000 --blocks 50
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from studio.runtime import isolation
from studio.runtime.cancellation import CancellationToken
from studio.runtime.code_executors import CodeBlock, LocalCommandLineCodeExecutor
from studio.runtime.tools import FunctionTool

ADD = "def add(a: int, b: int) -> int:\n    return a + b\n"


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"{name:<16} median {statistics.median(ms):8.3f} ms   p95 {p95:8.3f} ms   ({len(ms)} runs)"


async def bench(spawns: int, calls: int, blocks: int) -> None:
    token = CancellationToken()
    spawn_times = []
    for i in range(spawns):
        tool = FunctionTool(ADD, "add", "adds")
        started = time.perf_counter()
        result = await tool.run_json({"a": i, "b": 1}, token)
        spawn_times.append(time.perf_counter() - started)
        assert result.content == str(i + 1), result.content
        await tool.close()
    print(summary("spawn + 1st call", spawn_times))

    tool = FunctionTool(ADD, "add", "adds")
    await tool.run_json({"a": 0, "b": 0}, token)
    call_times = []
    for i in range(calls):
        started = time.perf_counter()
        await tool.run_json({"a": i, "b": 1}, token)
        call_times.append(time.perf_counter() - started)
    await tool.close()
    print(summary("call", call_times))

    executor = LocalCommandLineCodeExecutor(timeout=30)
    block_times = []
    for i in range(blocks):
        started = time.perf_counter()
        result = await executor.execute_code_blocks([CodeBlock(f"print({i})", "python")], token)
        block_times.append(time.perf_counter() - started)
        assert result.output == f"{i}\n", result.output
    await executor.stop()
    print(summary("executor block", block_times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spawns", type=int, default=20)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--blocks", type=int, default=20)
    args = parser.parse_args()
    state = isolation.status()
    print(f"sandbox: {state.detail}" if state.available else f"NOT SANDBOXED: {state.detail}")
    asyncio.run(bench(args.spawns, args.calls, args.blocks))


if __name__ == "__main__":
    main()
