"""The stdio transport, run in the tool sandbox: the server's stdout lines are JSON-RPC messages for the
ClientSession, the session's requests go to its stdin.

The `mcp` SDK's own `stdio_client` starts the server with part of the studio's environment and outside any
sandbox; this one starts it through `studio.runtime.isolation` (as tool workers and code executors are),
with only the variables the component declares, and ends the session with a clear reason when the server
exits, writes something that is not JSON-RPC, or sends a message over the size limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ... import isolation
from ...isolation import SandboxLimits
from .params import StdioServerParams

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from mcp.shared.message import SessionMessage

_OUTPUT_CLOSED = "closed its output"  # alive, but its output ended
_CHUNK = 1 << 16
_STDERR_KEPT = 2000  # characters of the server's stderr kept to explain a failure
_SHOWN = 120  # characters of a malformed line quoted in the error


@dataclass
class StdioState:
    """What the transport learnt about the server: why it ended, and the end of what it wrote on stderr."""

    failure: str | None = None
    stderr: deque[str] = field(default_factory=lambda: deque(maxlen=64))
    stderr_done: asyncio.Event = field(default_factory=asyncio.Event)

    def fail(self, reason: str) -> None:
        self.failure = self.failure or reason

    def stderr_tail(self) -> str:
        text = "".join(self.stderr).strip()
        return text[-_STDERR_KEPT:]


def server_env(params: StdioServerParams) -> dict[str, str]:
    """The server's environment: the variables it declares, nothing of the studio's. PATH starts with the
    directory of the studio's Python, so `python` means the interpreter (and packages) the studio runs with,
    as it does for AutoGen run from its virtual environment; a declared PATH replaces it."""
    path = f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin"
    return {"PATH": path, **(params.env or {})}


@contextlib.asynccontextmanager
async def sandboxed_stdio(
    params: StdioServerParams, limits: SandboxLimits, state: StdioState,
) -> AsyncIterator[tuple[MemoryObjectReceiveStream[SessionMessage | Exception], MemoryObjectSendStream[SessionMessage]]]:
    """Start the server in the sandbox and yield the ClientSession's (read, write) streams; the server is
    killed when the context exits. Raises `OSError`/`SandboxUnavailable` when it cannot start at all."""
    import anyio
    from mcp.shared.message import SessionMessage

    cwd = str(Path(params.cwd).resolve()) if params.cwd else None
    box = await isolation.start(
        [params.command, *params.args], limits=limits, env=server_env(params), files=[cwd] if cwd else [],
        cwd=cwd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    proc = box.proc
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stdin, stdout, stderr = proc.stdin, proc.stdout, proc.stderr
    read_writer, read_stream = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    write_stream, write_reader = anyio.create_memory_object_stream[SessionMessage](0)

    async def exited() -> str:
        """Why the server's output ended, with the end of its stderr."""
        try:
            code = await asyncio.wait_for(proc.wait(), 2.0)
        except TimeoutError:
            return _OUTPUT_CLOSED
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(state.stderr_done.wait(), 1.0)
        if box.reason == "memory":
            why = f"ran out of memory (limit {limits.memory_mb} MiB)"
        else:
            signum, _ = box.exit_description(code)
            why = f"was killed by signal {signum}" if signum is not None else f"exited with code {code}"
        tail = state.stderr_tail()
        return f"{why}: {tail}" if tail else why

    async def read_messages() -> None:
        from mcp import types

        partial: list[bytes] = []  # the start of a line not ended yet
        size = 0
        async with read_writer:
            while True:
                chunk = await stdout.read(_CHUNK)
                if not chunk:
                    state.fail(await exited())
                    return
                if b"\n" not in chunk:
                    partial.append(chunk)
                    size += len(chunk)
                    if size > limits.max_result_bytes:
                        state.fail(f"sent a message of more than {limits.max_result_bytes} bytes (the limit)")
                        return
                    continue
                *lines, rest = (b"".join(partial) + chunk).split(b"\n")
                partial, size = [rest], len(rest)
                for raw in lines:
                    if len(raw) > limits.max_result_bytes:
                        state.fail(f"sent a message of more than {limits.max_result_bytes} bytes (the limit)")
                        return
                    if not raw.strip():
                        continue
                    try:  # a decoding error (encoding_error_handler "strict") is malformed too
                        message = types.JSONRPCMessage.model_validate_json(
                            raw.decode(params.encoding, params.encoding_error_handler))
                    except ValueError:
                        line = raw.decode(params.encoding, "replace").strip()
                        shown = line if len(line) <= _SHOWN else line[:_SHOWN] + "..."
                        state.fail(f"sent a malformed JSON-RPC message: {shown!r}")
                        return
                    await read_writer.send(SessionMessage(message))

    async def write_messages() -> None:
        async with write_reader:
            async for message in write_reader:
                data = message.message.model_dump_json(by_alias=True, exclude_none=True) + "\n"
                try:
                    stdin.write(data.encode(params.encoding, params.encoding_error_handler))
                    await stdin.drain()
                except (ConnectionError, OSError):  # a server that exited says so, whichever side saw it first
                    why = await exited()
                    state.fail("stopped reading its input" if why == _OUTPUT_CLOSED else why)
                    await read_writer.aclose()
                    return

    async def keep_stderr() -> None:
        while chunk := await stderr.read(_CHUNK):
            state.stderr.append(chunk.decode("utf-8", "replace"))
        state.stderr_done.set()

    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(read_messages)
            tasks.start_soon(write_messages)
            tasks.start_soon(keep_stderr)
            try:
                yield read_stream, write_stream
            finally:
                tasks.cancel_scope.cancel()
    finally:
        box.kill()
        stdin.close()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(proc.wait(), 5.0)
        transport = getattr(proc, "_transport", None)
        if transport is not None:
            transport.close()
        box.release()
