"""Runtime throughput: a 3-agent round robin with replay model clients.

Prints messages per second, µs per message and peak memory for 100 / 1,000 / 5,000 messages, plain and
with a tool call every turn (the tool runs in the sandbox worker), and the time to load a 3-agent team
JSON. Each size runs in a fresh process so peak memory is its own. With tools, "messages" counts every
message and event (request, execution, summary), so each size means the same number of items.

    python bench/runtime.py            # all sizes
    python bench/runtime.py --sizes 100 1000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
import tracemalloc

ADD_SOURCE = 'def add(a: int, b: int) -> int:\n    """Add two numbers."""\n    return a + b\n'


def team_json(messages: int, with_tools: bool) -> dict:
    """Three agents taking turns until `messages` messages (the task included) have been produced."""
    turns_per_agent = messages // 3 + 2

    def replies() -> list:
        if not with_tools:
            return [f"reply number {i} with a few words of text" for i in range(turns_per_agent)]
        call = {
            "finish_reason": "function_calls",
            "content": [{"id": "call_1", "name": "add", "arguments": '{"a": 1, "b": 2}'}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0},
            "cached": False,
        }
        return [call] * turns_per_agent

    def assistant(name: str) -> dict:
        config: dict = {
            "name": name,
            "model_client": {
                "provider": "autogen_ext.models.replay.ReplayChatCompletionClient",
                "component_type": "replay_chat_completion_client",
                "config": {"chat_completions": replies()},
            },
        }
        if with_tools:
            tool = {
                "provider": "autogen_core.tools.FunctionTool",
                "component_type": "tool",
                "config": {"name": "add", "description": "Add two numbers.", "source_code": ADD_SOURCE,
                           "global_imports": [], "has_cancellation_support": False},
            }
            config["workbench"] = [{"provider": "autogen_core.tools.StaticWorkbench", "component_type": "workbench",
                                    "config": {"tools": [tool]}}]
        return {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent", "config": config}

    return {
        "provider": "autogen_agentchat.teams.RoundRobinGroupChat",
        "component_type": "team",
        "config": {
            "participants": [assistant(n) for n in ("alice", "bob", "carol")],
            # With tools a turn is three items (request, execution, summary): count them all.
            "termination_condition": {
                "provider": "autogen_agentchat.conditions.MaxMessageTermination",
                "component_type": "termination",
                "config": {"max_messages": messages, "include_agent_event": with_tools},
            },
        },
    }


async def _run(messages: int, with_tools: bool) -> tuple[int, float]:
    from studio import load_component

    # A short warm-up run: imports, the tool worker's start-up and first-call costs are not message costs.
    warm_up = load_component(team_json(30, with_tools))
    await warm_up.run(task="warm up")
    await warm_up.close()
    team = load_component(team_json(messages, with_tools))
    start = time.perf_counter()
    result = await team.run(task="count")
    elapsed = time.perf_counter() - start
    await team.close()
    return len(result.messages), elapsed


def child(messages: int, with_tools: bool, trace_memory: bool) -> None:
    if trace_memory:
        tracemalloc.start()
    count, elapsed = asyncio.run(_run(messages, with_tools))
    peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "elapsed": elapsed, "traced_peak": peak, "max_rss_kb": rss_kb}))


def load_time() -> float:
    from studio import load_component

    data = team_json(3, with_tools=True)
    load_component(data)  # warm caches and imports
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        load_component(data)
    return (time.perf_counter() - start) / runs


def measure(messages: int, with_tools: bool, trace_memory: bool) -> dict:
    args = [sys.executable, __file__, "--child", str(messages), "--tools" if with_tools else "--plain"]
    if trace_memory:
        args.append("--trace-memory")
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 5000])
    parser.add_argument("--child", type=int)
    parser.add_argument("--tools", action="store_true")
    parser.add_argument("--plain", action="store_true")
    parser.add_argument("--trace-memory", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.tools, args.trace_memory)
        return

    print(f"{'scenario':<22}{'messages':>9}{'msg/s':>10}{'µs/msg':>9}{'py peak MB':>12}{'max RSS MB':>12}")
    for with_tools in (False, True):
        for size in args.sizes:
            timed = measure(size, with_tools, trace_memory=False)
            memory = measure(size, with_tools, trace_memory=True)
            rate = timed["count"] / timed["elapsed"]
            name = "tool call every turn" if with_tools else "plain messages"
            print(
                f"{name:<22}{timed['count']:>9}{rate:>10.0f}{1e6 / rate:>9.1f}"
                f"{memory['traced_peak'] / 2**20:>12.1f}{timed['max_rss_kb'] / 1024:>12.1f}"
            )
    print(f"load a 3-agent team JSON: {load_time() * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
