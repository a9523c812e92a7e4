"""Runs tool functions in persistent sandboxed worker processes, never in the server process.

A `Sandbox` holds the workers of ONE tool instance (FunctionTool owns one): nothing is shared between
tools, teams, sessions or users. A worker is `python -I _worker.py` started through the isolation layer
(studio/runtime/isolation: bubblewrap namespaces, a read-only system, no network, no view of the studio
home or of other processes, an unprivileged user, limits on memory for the whole tree, processes, files and
CPU per call). It starts on the tool's first call and keeps the tool's module state from call to call until
the run ends (`Tool.end_run`, called by the team or agent), the tool is closed, it crashes, or its event
loop shuts down; concurrent calls
of the same tool get extra workers, up to `max_workers`. Calls speak length-prefixed JSON over the worker's
stdin/stdout pipes, so a round trip costs well under a millisecond; a spawn costs tens (bench/sandbox.py).

Tool output on stdout/stderr is discarded (as in AutoGen it is never part of the result); the reply is
capped at `max_result_bytes`.

Anything abnormal is handled the same way: the worker's sandbox is SIGKILLed (its PID namespace, and with
it every process the tool started, dies) and its pipes closed, the call gets an error result (timeout,
crash, out of memory) or CancelledError (cancellation), and the next call starts a fresh worker. A sandbox
closes itself when its event loop shuts down (an async-generator finaliser), and an atexit hook kills
anything left over.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import json
import signal
import sys
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import isolation
from ..cancellation import CancellationToken
from ..isolation import SandboxLimits, configure_sandbox, get_sandbox_limits

__all__ = ["Sandbox", "SandboxLimits", "ToolCode", "configure_sandbox", "get_sandbox_limits"]

_WORKER_SCRIPT = str(Path(__file__).with_name("_worker.py"))
_MiB = 1024 * 1024


@dataclass(frozen=True)
class ToolCode:
    """What a worker needs to load a tool: source, function name, global imports (JSON-able).

    `key` names this loaded copy of the function in the workers. Give each tool instance its own (as
    FunctionTool does) so module-level state is never shared between tools, teams or users, like AutoGen,
    where each loaded tool has its own copy of the function.
    """

    source: str
    function_name: str
    imports: tuple[Any, ...] = ()
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            blob = json.dumps([self.source, self.function_name, list(self.imports)], sort_keys=True, default=str)
            object.__setattr__(self, "key", hashlib.sha256(blob.encode()).hexdigest())

    def wire(self) -> dict[str, Any]:
        return {"src": self.source, "fn": self.function_name, "imp": list(self.imports)}


@dataclass(eq=False, slots=True)
class _Worker:
    box: isolation.Isolated
    key: tuple[int, ...]  # SandboxLimits.spawn_key() it was started with
    known: set[str] = field(default_factory=set)  # ToolCode keys it has loaded
    killed: bool = False

    @property
    def proc(self) -> asyncio.subprocess.Process:
        return self.box.proc


@dataclass(eq=False, slots=True)
class _Call:
    """One in-flight call: what it runs on, and why it was interrupted (if it was)."""

    sandbox: Sandbox
    worker: _Worker | None = None
    waiter: asyncio.Future[None] | None = None
    reason: str | None = None  # "timeout" | "cancel"

    def interrupt(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        if self.worker is not None:
            self.sandbox._kill(self.worker)
        elif self.waiter is not None and not self.waiter.done():
            self.waiter.cancel()


class _CancelHook:
    """Token callback holding only a droppable reference (tokens cannot unregister callbacks)."""

    __slots__ = ("call",)

    def __init__(self, call: _Call) -> None:
        self.call: _Call | None = call

    def __call__(self) -> None:
        if self.call is not None:
            self.call.interrupt("cancel")


class _WorkerDied(Exception):
    pass


async def _read_frame(reader: asyncio.StreamReader, max_bytes: int) -> dict[str, Any]:
    head = await reader.readexactly(4)
    size = int.from_bytes(head, "big")
    if size > max_bytes + 4096:
        raise _WorkerDied(f"sent a {size}-byte reply, over the {max_bytes}-byte limit")
    frame: dict[str, Any] = json.loads(await reader.readexactly(size))
    return frame


def _frame(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False, default=_jsonable).encode()
    return len(data).to_bytes(4, "big") + data


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _describe_exit(code: int | None, limits: SandboxLimits, box: isolation.Isolated) -> str:
    if box.reason == "memory":
        return f"ran out of memory (limit {limits.memory_mb} MiB for all its processes)"
    if code is None:
        return "stopped responding"
    signum, _ = box.exit_description(code)
    if signum is None:
        return f"exited with code {code}"
    code = -signum
    if -code == signal.SIGXCPU:
        return f"exceeded its CPU time limit ({_cpu_budget(limits)} s)"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = " (out of memory?)" if -code == signal.SIGKILL else ""
    return f"was killed by {name}{hint}"


def _cpu_budget(limits: SandboxLimits) -> float:
    """CPU seconds a call may use; the worker rounds its limit up to a whole second."""
    return float(limits.cpu_seconds if limits.cpu_seconds is not None else limits.timeout)


class Sandbox:
    """The worker processes of one tool instance, bound to the running event loop (closed with it)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.env = dict(env or {})  # the variables the tool declares, and only those
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._count = 0  # workers alive or starting (pool slots in use)
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._reapers: set[asyncio.Task[None]] = set()
        self._closed = False
        self.loop = asyncio.get_running_loop()
        self._guard: Any = _close_with_loop(self)  # closes this sandbox at loop shutdown
        with contextlib.suppress(StopIteration):
            self._guard.asend(None).send(None)  # run to the yield: the loop now finalises it at shutdown

    @property
    def closed(self) -> bool:
        return self._closed

    def worker_pids(self) -> list[int]:
        """Pids of the live workers (for diagnostics and tests)."""
        return [w.proc.pid for w in self._all if not w.killed]

    async def run(
        self, code: ToolCode, args: dict[str, Any], token: CancellationToken, tool_name: str,
        limits: SandboxLimits | None = None,
    ) -> tuple[str, bool]:
        """Call the tool: (text, is_error). Raises CancelledError when `token` is cancelled."""
        limits = limits or get_sandbox_limits()
        if token.is_cancelled():
            raise asyncio.CancelledError()
        call = _Call(sandbox=self)
        hook = _CancelHook(call)
        token.add_callback(hook)
        worker: _Worker | None = None
        try:
            worker = await self._acquire(limits, call, code.key)
            if call.reason == "cancel":
                raise asyncio.CancelledError()
            return await self._exchange(worker, code, args, limits, call, tool_name)
        except _WorkerDied as e:
            return f"Tool '{tool_name}' could not run: {e}", True
        finally:
            hook.call = None
            if worker is not None:
                self._release(worker)

    async def _exchange(
        self, worker: _Worker, code: ToolCode, args: dict[str, Any], limits: SandboxLimits, call: _Call,
        tool_name: str,
    ) -> tuple[str, bool]:
        request: dict[str, Any] = {"k": code.key, "a": args, "c": _cpu_budget(limits)}
        if code.key not in worker.known:
            request["code"] = code.wire()
        call.worker = worker
        worker.box.busy = True
        timer = asyncio.get_running_loop().call_later(limits.timeout, call.interrupt, "timeout")
        reader, writer = worker.proc.stdout, worker.proc.stdin
        assert reader is not None and writer is not None
        try:
            try:
                writer.write(_frame(request))
                await writer.drain()
                reply = await _read_frame(reader, limits.max_result_bytes)
                if reply.get("missing"):  # the worker evicted this tool from its cache
                    request["code"] = code.wire()
                    writer.write(_frame(request))
                    await writer.drain()
                    reply = await _read_frame(reader, limits.max_result_bytes)
            except (asyncio.IncompleteReadError, ConnectionError, _WorkerDied, ValueError) as e:
                detail = str(e) if isinstance(e, _WorkerDied) else None
                self._kill(worker)
                return await self._failure(worker, call, limits, tool_name, detail), True
        except BaseException:
            self._kill(worker)  # cancelled while the tool runs: stop it now
            raise
        finally:
            timer.cancel()
            call.worker = None
            worker.box.busy = False
        worker.known.add(code.key)
        if reply.get("oom"):
            self._kill(worker)
            return f"Tool '{tool_name}' ran out of memory (limit {limits.memory_mb} MiB)", True
        if worker.box.reason == "memory":  # the watchdog killed it as the reply came
            return f"Tool '{tool_name}' ran out of memory (limit {limits.memory_mb} MiB for all its processes)", True
        if reply.get("ok"):
            return str(reply.get("r", "")), False
        return str(reply.get("e", "")), True

    async def _failure(
        self, worker: _Worker, call: _Call, limits: SandboxLimits, tool_name: str, detail: str | None
    ) -> str:
        if call.reason == "cancel":
            raise asyncio.CancelledError()
        if call.reason == "timeout":
            return f"Tool '{tool_name}' timed out after {float(limits.timeout)} s"
        if self._closed:
            return f"Tool '{tool_name}' was stopped: the tool sandbox was closed"
        if detail is None:
            try:
                code = await asyncio.wait_for(asyncio.shield(worker.proc.wait()), 2.0)
            except TimeoutError:
                code = None
            detail = _describe_exit(code, limits, worker.box)
        return f"Tool '{tool_name}' crashed: its sandbox worker {detail}"

    # -- the pool ---------------------------------------------------------------------------

    async def _acquire(self, limits: SandboxLimits, call: _Call, code_key: str) -> _Worker:
        """An idle worker with these limits, preferring one that already has this tool loaded, so a tool's
        module state carries from call to call (it is lost if that worker is busy or restarted)."""
        key = limits.spawn_key()
        while True:
            if self._closed:
                raise _WorkerDied("the tool sandbox is closed")
            for i, worker in enumerate(self._idle):
                if code_key in worker.known and worker.key == key and worker.proc.returncode is None:
                    return self._idle.pop(i)
            for i in range(len(self._idle) - 1, -1, -1):
                if self._idle[i].proc.returncode is not None:  # died while idle (a tool's stray thread?)
                    self._retire(self._idle.pop(i))
                elif self._idle[i].key == key:
                    return self._idle.pop(i)
            if self._count < max(1, limits.max_workers):
                self._count += 1
                try:
                    return await self._spawn(limits)
                except BaseException:
                    self._count -= 1
                    self._wake()
                    raise
            if self._idle:  # a worker with other limits is idle: replace it
                self._retire(self._idle.pop(0))
                continue
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            call.waiter = waiter
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # pass on a wake-up this call can no longer use
                raise
            finally:
                call.waiter = None
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _release(self, worker: _Worker) -> None:
        if worker.killed or self._closed:
            self._retire(worker)
        else:
            self._idle.append(worker)
            self._wake()

    async def _spawn(self, limits: SandboxLimits) -> _Worker:
        config = {"max_result": limits.max_result_bytes}
        try:
            box = await isolation.start(
                [sys.executable, "-I", _WORKER_SCRIPT, json.dumps(config)], limits=limits, files=[_WORKER_SCRIPT], env=self.env,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
            )
        except isolation.SandboxUnavailable as e:
            raise _WorkerDied(str(e)) from e
        except Exception as e:
            raise _WorkerDied(f"could not start a sandbox worker: {e}") from e
        worker = _Worker(box=box, key=limits.spawn_key())
        self._all.add(worker)
        _live[box.pid] = box
        try:
            assert box.proc.stdout is not None
            hello = await asyncio.wait_for(_read_frame(box.proc.stdout, 4096), 30.0)
            if not hello.get("ready"):
                raise _WorkerDied("sandbox worker did not start properly")
        except BaseException as e:
            self._retire(worker, free_slot=False)  # the caller frees the slot it reserved
            if isinstance(e, (asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError)):
                raise _WorkerDied("sandbox worker failed to start") from e
            raise
        return worker

    def _kill(self, worker: _Worker) -> None:
        """SIGKILL the worker's sandbox and close its pipes; safe to call repeatedly."""
        if worker.killed:
            return
        worker.killed = True
        worker.box.kill()
        if worker.proc.stdin is not None:
            worker.proc.stdin.close()
        transport = getattr(worker.proc, "_transport", None)
        pipe = transport.get_pipe_transport(1) if transport is not None else None
        if pipe is not None:
            pipe.close()  # EOF for a reader now

    def _retire(self, worker: _Worker, free_slot: bool = True) -> None:
        """Kill the worker, free its pool slot, reap it and remove its temp dir in the background."""
        self._kill(worker)
        if free_slot:
            self._count -= 1
            self._wake()
        task = asyncio.get_running_loop().create_task(self._reap(worker))
        self._reapers.add(task)
        task.add_done_callback(self._reapers.discard)

    async def _reap(self, worker: _Worker) -> None:
        if worker not in self._all:
            return
        try:
            await asyncio.wait_for(worker.proc.wait(), 5.0)
        except TimeoutError:
            transport = getattr(worker.proc, "_transport", None)
            if transport is not None:
                transport.close()
        self._all.discard(worker)
        _live.pop(worker.box.pid, None)
        worker.box.release()

    async def close(self) -> None:
        """Stop every worker and wait for them to be reaped. Idempotent."""
        self._closed = True
        guard, self._guard = self._guard, None
        for waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        self._waiters.clear()
        self._idle.clear()
        for worker in list(self._all):
            self._kill(worker)
        reaps = [*self._reapers, *(self._reap(w) for w in list(self._all))]
        await asyncio.gather(*reaps, return_exceptions=True)
        if guard is not None:
            await guard.aclose()  # finishes at once: it only closes a sandbox that is still open


# -- closed when the loop shuts down; killed at exit at the latest -------------------------------------

_live: dict[int, isolation.Isolated] = {}  # bwrap pid -> sandbox, for the atexit sweep


async def _close_with_loop(sandbox: Sandbox) -> Any:
    """Suspended for the loop's lifetime; `loop.shutdown_asyncgens()` resumes it to close the sandbox."""
    try:
        yield None
    finally:
        if sandbox._guard is not None:  # not closed explicitly already
            sandbox._guard = None
            await sandbox.close()


@atexit.register
def _kill_leftovers() -> None:
    """Last resort when a loop was closed without shutting down its async generators."""
    for box in list(_live.values()):
        box.kill()
        box.release()
