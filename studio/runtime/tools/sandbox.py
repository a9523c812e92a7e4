"""Runs tool functions in persistent worker subprocesses, never in the server process.

A `Sandbox` is a small pool (default 4) of `python -I _worker.py` processes, started lazily and
shared by every tool on one event loop (`get_sandbox()`). Each worker has a scrubbed environment
(no API keys), its own temp dir as cwd/HOME/TMPDIR, and rlimits (address space, open files, file
size, no core dumps, CPU seconds per call). Calls speak length-prefixed JSON over the worker's
stdin/stdout pipes, so a round trip costs tens of microseconds instead of a process spawn.

Tool output on stdout/stderr is discarded (as in AutoGen it is never part of the result); it must
not reach the server's own log. This is containment, not a jail: a tool can still read files the
server user can read and open network connections.

Anything abnormal is handled the same way: the worker's process group is SIGKILLed and its pipes
closed, the call gets an error result (timeout, crash, out of memory) or CancelledError
(cancellation), and the next call starts a fresh worker. The pool closes itself when its event
loop shuts down (an async-generator finaliser), and an atexit hook kills anything left over.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..cancellation import CancellationToken

__all__ = ["Sandbox", "SandboxLimits", "ToolCode", "configure_sandbox", "get_sandbox", "get_sandbox_limits"]

_WORKER_SCRIPT = str(Path(__file__).with_name("_worker.py"))
_MiB = 1024 * 1024


@dataclass(frozen=True)
class SandboxLimits:
    """Limits for tool calls. `cpu_seconds=None` means the same budget as `timeout` (rounded up)."""

    timeout: float = 30.0  # wall clock per call, enforced by the parent
    memory_mb: int = 1024  # RLIMIT_AS of each worker
    cpu_seconds: float | None = None  # RLIMIT_CPU budget per call (whole seconds: rounded up)
    max_open_files: int = 256
    max_file_size_mb: int = 256  # RLIMIT_FSIZE: largest file a tool may write
    max_result_bytes: int = 16 * _MiB
    max_workers: int = 4  # concurrent tool calls per event loop

    def spawn_key(self) -> tuple[int, int, int, int]:
        """The limits fixed when a worker starts: workers are reused only for equal keys."""
        return (self.memory_mb, self.max_open_files, self.max_file_size_mb, self.max_result_bytes)


_limits = SandboxLimits()


def get_sandbox_limits() -> SandboxLimits:
    return _limits


def configure_sandbox(limits: SandboxLimits | None = None, **changes: Any) -> SandboxLimits:
    """Set the process-wide default limits (a whole `SandboxLimits`, or single fields by keyword)."""
    global _limits
    _limits = replace(limits or _limits, **changes)
    return _limits


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
    # Extra environment variables for this tool's worker only (its declared Settings variables): a worker
    # started with them serves no tool with other ones. They never go over the pipe or into a log.
    worker_env: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.key:
            blob = json.dumps([self.source, self.function_name, list(self.imports)], sort_keys=True, default=str)
            object.__setattr__(self, "key", hashlib.sha256(blob.encode()).hexdigest())

    def wire(self) -> dict[str, Any]:
        return {"src": self.source, "fn": self.function_name, "imp": list(self.imports)}


@dataclass(eq=False, slots=True)
class _Worker:
    proc: asyncio.subprocess.Process
    dir: str
    key: tuple[int | str, ...]  # SandboxLimits.spawn_key() it was started with, and _env_key(worker_env)
    known: set[str] = field(default_factory=set)  # ToolCode keys it has loaded
    killed: bool = False


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


def _env_key(worker_env: tuple[tuple[str, str], ...]) -> str:
    """Names a worker environment without holding its values."""
    return hashlib.sha256(json.dumps(sorted(worker_env)).encode()).hexdigest() if worker_env else ""


def _worker_env(home: str, extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """Only what a Python tool needs, plus its own `extra` variables: nothing inherited that could hold a
    secret (an extra variable never replaces one set here)."""
    return dict(extra) | {
        "PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "HOME": home, "TMPDIR": home,
        "MALLOC_ARENA_MAX": "2",  # keep glibc's per-thread arenas inside the address-space limit
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",  # so numpy & co. fit the limits too
    }


async def _read_frame(reader: asyncio.StreamReader, max_bytes: int) -> dict[str, Any]:
    head = await reader.readexactly(4)
    size = int.from_bytes(head, "big")
    if size > max_bytes + 4096:
        raise _WorkerDied(f"sent a {size}-byte reply, over the {max_bytes}-byte limit")
    return json.loads(await reader.readexactly(size))


def _frame(message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False, default=_jsonable).encode()
    return len(data).to_bytes(4, "big") + data


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _describe_exit(code: int | None, limits: SandboxLimits) -> str:
    if code is None:
        return "stopped responding"
    if code >= 0:
        return f"exited with code {code}"
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
    """A pool of tool worker processes bound to one event loop."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._count = 0  # workers alive or starting (pool slots in use)
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._reapers: set[asyncio.Task[None]] = set()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None  # set when shared via get_sandbox()
        self._guard: Any = None  # the async generator that closes this sandbox at loop shutdown

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
        limits = limits or _limits
        if token.is_cancelled():
            raise asyncio.CancelledError()
        call = _Call(sandbox=self)
        hook = _CancelHook(call)
        token.add_callback(hook)
        worker: _Worker | None = None
        try:
            worker = await self._acquire(limits, call, code.key, code.worker_env)
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
        worker.known.add(code.key)
        if reply.get("oom"):
            self._kill(worker)
            return f"Tool '{tool_name}' ran out of memory (limit {limits.memory_mb} MiB)", True
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
            except asyncio.TimeoutError:
                code = None
            detail = _describe_exit(code, limits)
        return f"Tool '{tool_name}' crashed: its sandbox worker {detail}"

    # -- the pool ---------------------------------------------------------------------------

    async def _acquire(self, limits: SandboxLimits, call: _Call, code_key: str,
                       worker_env: tuple[tuple[str, str], ...] = ()) -> _Worker:
        """An idle worker with these limits and environment, preferring one that already has this tool
        loaded, so a tool's module state carries from call to call (it is lost if that worker is busy or
        restarted)."""
        key = (*limits.spawn_key(), _env_key(worker_env))
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
                    return await self._spawn(limits, worker_env)
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

    async def _spawn(self, limits: SandboxLimits, worker_env: tuple[tuple[str, str], ...] = ()) -> _Worker:
        directory = tempfile.mkdtemp(prefix="studio-tool-")
        config = {"parent": os.getpid(), "memory": limits.memory_mb * _MiB, "nofile": limits.max_open_files,
                  "fsize": limits.max_file_size_mb * _MiB, "max_result": limits.max_result_bytes}
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-I", _WORKER_SCRIPT, json.dumps(config),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                cwd=directory, env=_worker_env(directory, worker_env), start_new_session=True,
            )
        except BaseException as e:
            shutil.rmtree(directory, ignore_errors=True)
            if isinstance(e, Exception):
                raise _WorkerDied(f"could not start a sandbox worker: {e}") from e
            raise
        worker = _Worker(proc=proc, dir=directory, key=(*limits.spawn_key(), _env_key(worker_env)))
        self._all.add(worker)
        _live_pids[proc.pid] = directory
        try:
            assert proc.stdout is not None
            hello = await asyncio.wait_for(_read_frame(proc.stdout, 4096), 30.0)
            if not hello.get("ready"):
                raise _WorkerDied("sandbox worker did not start properly")
        except BaseException as e:
            self._retire(worker, free_slot=False)  # the caller frees the slot it reserved
            if isinstance(e, (asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError)):
                raise _WorkerDied("sandbox worker failed to start") from e
            raise
        return worker

    def _kill(self, worker: _Worker) -> None:
        """SIGKILL the worker's process group and close its pipes; safe to call repeatedly."""
        if worker.killed:
            return
        worker.killed = True
        if worker.proc.returncode is None:
            try:
                os.killpg(worker.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                try:
                    worker.proc.kill()
                except ProcessLookupError:
                    pass
        if worker.proc.stdin is not None:
            worker.proc.stdin.close()
        transport = getattr(worker.proc, "_transport", None)
        pipe = transport.get_pipe_transport(1) if transport is not None else None
        if pipe is not None:
            pipe.close()  # EOF for a reader now, even if a forked grandchild holds the pipe

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
        except asyncio.TimeoutError:
            transport = getattr(worker.proc, "_transport", None)
            if transport is not None:
                transport.close()
        self._all.discard(worker)
        _live_pids.pop(worker.proc.pid, None)
        shutil.rmtree(worker.dir, ignore_errors=True)

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
        if self._loop is not None and _by_loop.get(self._loop) is self:
            del _by_loop[self._loop]
        if guard is not None:
            await guard.aclose()  # finishes at once: it only closes a sandbox that is still open


# -- one sandbox per event loop, closed when the loop shuts down ----------------------------------

_by_loop: dict[asyncio.AbstractEventLoop, Sandbox] = {}
_live_pids: dict[int, str] = {}  # pid -> temp dir, for the atexit sweep


async def _close_with_loop(sandbox: Sandbox) -> Any:
    """Suspended for the loop's lifetime; `loop.shutdown_asyncgens()` resumes it to close the pool."""
    try:
        yield None
    finally:
        if sandbox._guard is not None:  # not closed explicitly already
            sandbox._guard = None
            await sandbox.close()


def get_sandbox() -> Sandbox:
    """The sandbox shared by all tools on the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    sandbox = _by_loop.get(loop)
    if sandbox is None or sandbox.closed:
        sandbox = _by_loop[loop] = Sandbox()
        sandbox._loop = loop
        sandbox._guard = guard = _close_with_loop(sandbox)
        try:
            guard.asend(None).send(None)  # run to the yield: the loop now finalises it at shutdown
        except StopIteration:
            pass
    return sandbox


@atexit.register
def _kill_leftovers() -> None:
    """Last resort when a loop was closed without shutting down its async generators."""
    for pid, directory in list(_live_pids.items()):
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        shutil.rmtree(directory, ignore_errors=True)
