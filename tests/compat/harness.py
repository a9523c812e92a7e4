"""Run a scenario team JSON through AutoGen 0.7.5 and through Studio, and normalise what each yields.

A scenario file (tests/fixtures/teams/*.json) is an AutoGen team envelope plus a sidecar key
`x-studio-test` (see make_teams.py) naming the task of each run. Both sides get the same JSON; each
run's stream is reduced to comparable tuples:

    (type, source, content, extra)

- text-like content (TextMessage, StopMessage, ThoughtEvent, SelectorEvent, ...) is kept as is;
- ToolCallRequestEvent content becomes [(call_id, name, arguments)] (the call ids come from the replay
  script on both sides, so they are kept);
- ToolCallExecutionEvent content becomes [(call_id, name, content, is_error)];
- HandoffMessage keeps its target and its context (LLM messages, normalised);
- ToolCallSummaryMessage keeps its tool calls and results;
- consecutive ModelClientStreamingChunkEvents of one source are merged into one ("chunks", source, the
  list of chunk texts) item;
- `models_usage` is compared as (prompt_tokens, completion_tokens) or None.

This module imports neither AutoGen nor Studio at import time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SIDECAR = "x-studio-test"
TEAMS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "teams"


def scenario_files() -> list[Path]:
    return sorted(TEAMS_DIR.glob("*.json"))


def load_scenario(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


@dataclass
class Run:
    """What one `run_stream` call produced, normalised."""

    label: str
    items: list[tuple[Any, ...]] = field(default_factory=list)
    result_messages: list[tuple[Any, ...]] = field(default_factory=list)
    stop_reason: str | None = None
    raw: list[Any] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (type, to_text()) of each item
    dumps: list[dict[str, Any]] = field(default_factory=list)  # each item's dump(), ids and times removed
    error: str | None = None  # AutoGen only: the run raised this ("Type: message")


@dataclass
class Outcome:
    """All runs of one scenario on one side, and what each model client was asked."""

    runs: list[Run]
    model_calls: dict[str, list[Any]]


def planned_runs(data: dict[str, Any]) -> list[tuple[str, bool, Any]]:
    """(label, reset_first, task) for each run the sidecar asks for."""
    spec = data[SIDECAR]
    runs: list[tuple[str, bool, Any]] = [("run 1", False, spec["task"])]
    for i, task in enumerate(spec.get("continue_with", []), start=2):
        runs.append((f"run {i} (continued)", False, task))
    if "after_reset" in spec:
        runs.append((f"run {len(runs) + 1} (after reset)", True, spec["after_reset"]))
    return runs


# -- normalisation (works on AutoGen's and Studio's objects alike: same field names) ---------------------


def _usage(item: Any) -> tuple[int, int] | None:
    usage = getattr(item, "models_usage", None)
    if usage is None:
        return None
    return (usage.prompt_tokens, usage.completion_tokens)


def _call(fc: Any) -> tuple[str, str, str]:
    return (fc.id, fc.name, fc.arguments)


def _result(r: Any) -> tuple[str, str, Any, bool]:
    return (r.call_id, r.name, r.content, bool(r.is_error))


def _llm_message(m: Any) -> tuple[Any, ...]:
    """An LLM message of a handoff context: (kind, source, content)."""
    kind = type(m).__name__
    content = getattr(m, "content", None)
    if isinstance(content, list):
        content = [
            _call(c) if hasattr(c, "arguments") else _result(c) if hasattr(c, "call_id") else repr(c) for c in content
        ]
    return (kind, getattr(m, "source", None), content, getattr(m, "thought", None))


def normalise(item: Any) -> tuple[Any, ...]:
    kind = getattr(item, "type", type(item).__name__)
    source = item.source
    usage = _usage(item)
    if kind == "ToolCallRequestEvent":
        return (kind, source, [_call(c) for c in item.content], usage)
    if kind == "ToolCallExecutionEvent":
        return (kind, source, [_result(r) for r in item.content], usage)
    if kind == "ToolCallSummaryMessage":
        return (kind, source, item.content, usage,
                {"tool_calls": [_call(c) for c in item.tool_calls], "results": [_result(r) for r in item.results]})
    if kind == "HandoffMessage":
        return (kind, source, item.content, usage,
                {"target": item.target, "context": [_llm_message(m) for m in item.context]})
    if kind == "SelectSpeakerEvent":
        return (kind, source, list(item.content), usage)
    if kind == "CodeExecutionEvent":
        return (kind, source, (item.result.exit_code, item.result.output), usage)
    if kind == "MultiModalMessage":
        return (kind, source, [_part(p) for p in item.content], usage)
    content = item.content
    if not isinstance(content, str):
        content = repr(content)
    return (kind, source, content, usage)


def _part(part: Any) -> Any:
    """A multimodal part: text as is, an image as ("image", base64) (AutoGen's Image has to_base64())."""
    if isinstance(part, str):
        return part
    if hasattr(part, "to_base64"):
        return ("image", part.to_base64())
    if isinstance(part, dict) and "data" in part:  # Studio keeps images in LLM messages as {"data": ...}
        return ("image", part["data"])
    return ("image", getattr(part, "data", repr(part)))


def normalise_stream(items: list[Any]) -> list[tuple[Any, ...]]:
    """Normalise a run's stream, merging runs of streaming chunks of one source."""
    out: list[tuple[Any, ...]] = []
    for item in items:
        kind = getattr(item, "type", type(item).__name__)
        if kind == "ModelClientStreamingChunkEvent":
            if out and out[-1][0] == "chunks" and out[-1][1] == item.source:
                out[-1][2].append(item.content)
            else:
                out.append(("chunks", item.source, [item.content]))
            continue
        out.append(normalise(item))
    return out


# -- running ---------------------------------------------------------------------------------------------


def _autogen_task(task: Any) -> Any:
    if task is None or isinstance(task, str):
        return task
    from autogen_agentchat.messages import MessageFactory

    factory = MessageFactory()
    if isinstance(task, dict):
        return factory.create(dict(task))
    return [factory.create(dict(m)) for m in task]


def _studio_task(task: Any) -> Any:
    if task is None or isinstance(task, str):
        return task
    from studio.runtime.messages import load_message

    if isinstance(task, dict):
        return load_message(dict(task))
    return [load_message(dict(m)) for m in task]


async def _collect(stream: Any, label: str, catch: bool = False) -> Run:
    run = Run(label=label)
    try:
        async for item in stream:
            if type(item).__name__ == "TaskResult":
                run.stop_reason = item.stop_reason
                run.result_messages = [normalise(m) for m in item.messages]
            else:
                run.raw.append(item)
    except Exception as e:  # AutoGen raises where Studio reports an ErrorEvent
        if not catch:
            raise
        run.error = f"{type(e).__name__}: {e}"
    run.items = normalise_stream(run.raw)
    run.texts = [(getattr(m, "type", type(m).__name__), m.to_text()) for m in run.raw]
    run.dumps = [_comparable_dump(m.dump()) for m in run.raw]
    return run


_VOLATILE = {"id", "created_at", "full_message_id"}


def _comparable_dump(value: Any) -> Any:
    """A message's dump() without the fields that differ between any two runs (ids, timestamps)."""
    if isinstance(value, dict):
        return {k: _comparable_dump(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_comparable_dump(v) for v in value]
    return value


# -- what each model was asked (the replay clients record their create() calls) ---------------------------


def _clients(node: Any, prefix: str = "") -> dict[str, Any]:
    """Every replay model client in a team, keyed by a path ("agent", "team/<selector>", "agent/<tool>", ...).

    Works on AutoGen's objects (private attributes) and Studio's (public ones)."""
    out: dict[str, Any] = {}
    participants = getattr(node, "_participants", None) or getattr(node, "participants", None)
    if participants is not None:
        client = getattr(node, "_model_client", None) or getattr(node, "model_client", None)
        if client is not None:
            out[f"{prefix}<selector>"] = client
        for p in participants:
            name = getattr(p, "name", "?")
            sub = _clients(p, f"{prefix}{name}/")
            if sub:
                out.update(sub)
        return out
    client = getattr(node, "_model_client", None) or getattr(node, "model_client", None)
    if client is not None:
        out[prefix.rstrip("/") or getattr(node, "name", "?")] = client
    for bench in getattr(node, "_workbench", None) or getattr(node, "workbench", None) or []:
        for tool in getattr(bench, "_tools", None) or getattr(bench, "tools", None) or []:
            runner = getattr(tool, "_task_runner", None) or getattr(tool, "task_runner", None)  # AgentTool, TeamTool
            if runner is not None:
                out.update(_clients(runner, f"{prefix or getattr(node, 'name', '?') + '/'}{tool.name}/"))
    return out


def _llm(m: Any) -> tuple[Any, ...]:
    kind = getattr(m, "type", type(m).__name__)
    content = getattr(m, "content", None)
    if isinstance(content, list):
        content = [
            _call(c) if hasattr(c, "arguments") else _result(c) if hasattr(c, "call_id") else _part(c)
            for c in content
        ]
    return (kind, getattr(m, "source", None), content, getattr(m, "thought", None))


def _tool_schema(tool: Any) -> dict[str, Any]:
    schema = tool.schema if hasattr(tool, "schema") else tool
    return json.loads(json.dumps(dict(schema), default=str))


def model_calls(team: Any) -> dict[str, list[Any]]:
    """What each model client was asked by create() (create_stream() is not recorded by either side)."""
    calls: dict[str, list[Any]] = {}
    for path, client in _clients(team).items():
        recorded = getattr(client, "create_calls", None)
        if recorded is None:
            continue
        calls[path] = [
            {
                "messages": [_llm(m) for m in call["messages"]],
                "tools": [_tool_schema(t) for t in call.get("tools") or []],
                "json_output": call.get("json_output"),
            }
            for call in recorded
        ]
    return calls


async def run_autogen_full(data: dict[str, Any]) -> Outcome:
    from autogen_agentchat.base import Team

    team = Team.load_component(data)
    runs: list[Run] = []
    for label, reset_first, task in planned_runs(data):
        if reset_first:
            await team.reset()
        runs.append(await _collect(team.run_stream(task=_autogen_task(task)), label, catch=True))
        if runs[-1].error is not None:
            break
    await _stop_code_executors(team)
    return Outcome(runs=runs, model_calls=model_calls(team))


async def _stop_code_executors(node: Any) -> None:
    """Stop AutoGen's code executors, so their temporary work dirs are removed now (not by a finalizer that
    warns with a ResourceWarning during some later test)."""
    for participant in getattr(node, "_participants", None) or []:
        await _stop_code_executors(participant)
    for workbench in getattr(node, "_workbench", None) or []:  # PythonCodeExecutionTool's, and inner agents'
        for tool in getattr(workbench, "_tools", None) or []:
            await _stop_code_executors(tool)
    inner = getattr(node, "_task_runner", None)  # AgentTool, TeamTool
    if inner is not None:
        await _stop_code_executors(inner)
    executor = getattr(node, "_code_executor", None) or getattr(node, "_executor", None)
    if executor is not None:
        await executor.stop()


async def run_studio_full(data: dict[str, Any]) -> Outcome:
    from studio import load_component

    team = load_component(data)
    runs: list[Run] = []
    try:
        for label, reset_first, task in planned_runs(data):
            if reset_first:
                await team.reset()
            runs.append(await _collect(team.run_stream(task=_studio_task(task)), label))
    finally:
        close = getattr(team, "close", None)
        if close is not None:
            await close()
    return Outcome(runs=runs, model_calls=model_calls(team))


async def run_autogen(data: dict[str, Any]) -> list[Run]:
    return (await run_autogen_full(data)).runs


async def run_studio(data: dict[str, Any]) -> list[Run]:
    return (await run_studio_full(data)).runs


@dataclass
class StudioOutcome:
    """Studio's runs of one scenario, run on a private event loop in a helper thread."""

    runs: list[Run] | None = None
    model_calls: dict[str, list[Any]] | None = None
    error: BaseException | None = None
    timed_out: bool = False  # the runs did not finish in time
    shutdown_hung: bool = False  # the runs finished, but the event loop could not shut down


def run_studio_isolated(data: dict[str, Any], timeout: float = 30.0, shutdown_timeout: float = 5.0) -> StudioOutcome:
    """Run the Studio side with `asyncio.run` in a daemon thread, so that a run or a loop shutdown that
    hangs (tasks that cannot be cancelled) fails one test instead of hanging the whole session."""
    import asyncio
    import threading

    outcome = StudioOutcome()
    have_runs = threading.Event()

    async def main() -> None:
        try:
            full = await run_studio_full(data)
            outcome.runs, outcome.model_calls = full.runs, full.model_calls
        except BaseException as e:  # noqa: BLE001 - reported by the caller
            outcome.error = e
        finally:
            have_runs.set()

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as e:  # noqa: BLE001
            if outcome.error is None and outcome.runs is None:
                outcome.error = e
        finally:
            have_runs.set()

    thread = threading.Thread(target=target, name="studio-run", daemon=True)
    thread.start()
    if not have_runs.wait(timeout):
        outcome.timed_out = True
        return outcome
    thread.join(shutdown_timeout)
    outcome.shutdown_hung = thread.is_alive()
    return outcome


def format_items(items: list[tuple[Any, ...]]) -> str:
    return "\n".join(f"  [{i}] {item!r}" for i, item in enumerate(items))


def first_difference(a: list[Any], b: list[Any]) -> int | None:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return None if len(a) == len(b) else min(len(a), len(b))


def _main() -> None:  # pragma: no cover - a debugging aid
    """Print the normalised trace of scenarios: python -m tests.compat.harness NAME... [--studio]"""
    import asyncio
    import sys

    side = run_studio if "--studio" in sys.argv else run_autogen
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    for name in names:
        data = load_scenario(TEAMS_DIR / f"{name}.json")
        print(f"== {name} ({side.__name__})")
        for run in asyncio.run(side(data)):
            print(f"-- {run.label}: stop_reason={run.stop_reason!r}")
            print(format_items(run.items))


if __name__ == "__main__":
    _main()
