"""The one isolation layer for code from a team: tool workers and code executors both start here.

Every process runs inside bubblewrap (`bwrap`): new PID, IPC, UTS, network and mount namespaces, its own
/proc and /dev, a read-only view of /usr and of the Python installation (nothing else of the machine: no
home directories, no studio home or database, no /proc of the host), a private tmpfs /tmp, a minimal /etc,
an environment holding only what the caller declares, a session of its own, and an unprivileged user:
  - server running as root: bwrap runs privileged (no user namespace) and `_launch.py` drops to a uid of
    its own for this sandbox (200000 and up), so RLIMIT_NPROC counts this sandbox's processes only;
  - server running as a user: bwrap creates a user namespace (`--unshare-user --uid 65534`) and
    `--disable-userns`; RLIMIT_NPROC counts processes of that namespace.
Limits (SandboxLimits): RLIMIT_AS per process plus a watchdog on the resident memory of the whole process
tree (cgroup v2 is not used: see `status()`), RLIMIT_NPROC, open files, file size, tmpfs size, CPU time per
call (tool workers) and wall time (the caller). The network is off unless `limits.network` is set: then it
is the host's whole network (naming hosts is refused, not silently widened). Killing a sandbox kills bwrap;
its PID namespace dies with it, `setsid` grandchildren included.

Where bwrap is missing or cannot create namespaces, nothing runs unless `allow_unsandboxed(True)` was
called (the studio does it for `STUDIO_ALLOW_UNSANDBOXED=1`): then processes run as before, with rlimits
(no process count), the memory watchdog, a scrubbed environment and a session of their own, which contains
accidents, not attacks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cancellation import CancellationToken

__all__ = [
    "Completed", "Isolated", "IsolationStatus", "SandboxLimits", "SandboxUnavailable", "allow_unsandboxed",
    "configure_sandbox", "get_sandbox_limits", "give_uid", "run", "start", "status", "take_uid",
    "unsandboxed_allowed",
]

BWRAP = "/usr/bin/bwrap"
LAUNCHER = str(Path(__file__).with_name("_launch.py"))
_MiB = 1024 * 1024
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "ssl", "ca-certificates",
        "nsswitch.conf", "mime.types", "debian_version", "os-release")
_ETC_NETWORK = ("hosts", "resolv.conf", "host.conf", "gai.conf")
_BASE_UID = 200_000
_WATCH_BUSY = 0.05  # seconds between two looks at the sandboxes' memory while one is running code
_WATCH_IDLE = 0.5  # ... while all of them wait (idle tool workers): a look costs ~2 ms per 100 processes


@dataclass(frozen=True)
class SandboxLimits:
    """Limits of one sandbox. `cpu_seconds=None` means the same budget as `timeout` (rounded up).

    `memory_mb` bounds the whole process tree (each process's address space, and the tree's resident total);
    `max_result_bytes` a tool's reply, `max_output_bytes` what a code executor keeps of stdout + stderr.
    """

    timeout: float = 30.0  # wall clock per call, enforced by the parent
    memory_mb: int = 1024
    cpu_seconds: float | None = None  # RLIMIT_CPU budget per tool call (whole seconds: rounded up)
    max_processes: int = 64  # RLIMIT_NPROC for the sandbox's user
    max_open_files: int = 256
    max_file_size_mb: int = 256  # RLIMIT_FSIZE: largest file a process may write
    tmp_size_mb: int = 256  # size of the private /tmp
    max_result_bytes: int = 16 * _MiB
    max_output_bytes: int = 1 * _MiB
    max_workers: int = 4  # concurrent calls of one tool instance (one worker each)
    network: bool = False  # True: the host's network; False: none (loopback of its own only)
    allowed_hosts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.allowed_hosts:
            raise ValueError(
                "allowed_hosts: the sandbox cannot limit the network to named hosts yet; its network is all or "
                "nothing (network=True gives the whole network)"
            )

    def spawn_key(self) -> tuple[Any, ...]:
        """The limits fixed when a process starts: workers are reused only for equal keys."""
        return (self.memory_mb, self.max_processes, self.max_open_files, self.max_file_size_mb, self.tmp_size_mb,
                self.max_result_bytes, self.network)


_limits = SandboxLimits()


def get_sandbox_limits() -> SandboxLimits:
    return _limits


def configure_sandbox(limits: SandboxLimits | None = None, **changes: Any) -> SandboxLimits:
    """Set the process-wide default limits (a whole `SandboxLimits`, or single fields by keyword)."""
    global _limits
    _limits = replace(limits or _limits, **changes)
    return _limits


class SandboxUnavailable(RuntimeError):
    """bwrap cannot run here and unsandboxed execution was not allowed."""


_allow_unsandboxed = False


def allow_unsandboxed(flag: bool) -> None:
    """Allow running code without bwrap where it cannot run (STUDIO_ALLOW_UNSANDBOXED)."""
    global _allow_unsandboxed
    _allow_unsandboxed = bool(flag)


def unsandboxed_allowed() -> bool:
    return _allow_unsandboxed


@dataclass(frozen=True)
class IsolationStatus:
    available: bool
    detail: str  # what is in force, or why bwrap cannot be used
    memory: str = "RLIMIT_AS per process and a watchdog on the resident memory of the whole process tree"

    def warning(self) -> str | None:
        """One line for start-up and Settings when tool and executor code cannot be sandboxed."""
        if self.available:
            return None
        if _allow_unsandboxed:
            action = "tool and code-executor code runs UNSANDBOXED (STUDIO_ALLOW_UNSANDBOXED is set)"
        else:
            action = ("tools and code executors will not run until bubblewrap is installed "
                      "(or STUDIO_ALLOW_UNSANDBOXED=1 is set)")
        return f"Tool sandbox unavailable: {self.detail}; {action}."


@lru_cache(maxsize=1)
def status() -> IsolationStatus:
    """Whether bwrap works here (checked once by running Python in a sandbox)."""
    if not os.path.exists(BWRAP):
        return IsolationStatus(False, f"{BWRAP} is missing (Debian package bubblewrap)")
    try:
        argv, fds, _ = _bwrap_argv([sys.executable, "-I", "-c", "pass"], SandboxLimits(), None, {}, (),
                                   uid=_BASE_UID - 1)
        try:
            done = subprocess.run(argv, pass_fds=fds, env=_BWRAP_ENV, capture_output=True, timeout=30)
        finally:
            for fd in fds:
                os.close(fd)
    except (OSError, subprocess.SubprocessError) as e:
        return IsolationStatus(False, f"bwrap could not start: {e}")
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        last = reason[-1] if reason else f"exit code {done.returncode}"
        return IsolationStatus(False, f"bwrap cannot create a sandbox here: {last}")
    who = "privileged bwrap, each sandbox its own uid" if os.geteuid() == 0 else "bwrap in a user namespace"
    return IsolationStatus(True, f"bubblewrap ({who})")


# -- building the sandbox ------------------------------------------------------------------------------

_BWRAP_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # bwrap's own environment: nothing of the server's


def _python_roots() -> list[str]:
    """Directories the Python running this server needs, read-only (the venv and its base installation)."""
    roots: list[str] = []
    exe = Path(sys.executable)
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                 str(exe.resolve().parent.parent)):
        for candidate in {os.path.abspath(path), os.path.realpath(path)}:
            roots.append(candidate)
    unique: list[str] = []
    for root in sorted(set(roots), key=len):
        if root in ("/", "/usr") or root.startswith("/usr/"):
            continue  # /usr is bound anyway
        if not any(root == u or root.startswith(u + "/") for u in unique):
            unique.append(root)
    return unique


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _memfd(name: str, text: str) -> int:
    fd = os.memfd_create(name, 0)
    os.write(fd, text.encode())
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _bwrap_argv(
    command: Sequence[str], limits: SandboxLimits, work_dir: str | None, env: Mapping[str, str],
    files: Iterable[str], *, uid: int, root: bool | None = None, python: str | None = None, cwd: str | None = None,
) -> tuple[list[str], list[int], dict[str, str]]:
    """bwrap's argv, the descriptors it must inherit, and the sandbox's environment. `root`: whether bwrap runs
    privileged (default: as this process does); `python`: the interpreter inside (default: this one); `cwd`:
    where the command starts (default: `work_dir`, else /tmp)."""
    root = os.geteuid() == 0 if root is None else root
    python = python or sys.executable
    args = [BWRAP, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if not limits.network:
        args.append("--unshare-net")
    if root:  # privileged bwrap: the launcher needs only these to drop to `uid`
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        inside_uid = uid
    else:
        args += ["--unshare-user", "--disable-userns", "--uid", "65534", "--gid", "65534"]
        inside_uid = 65534
    made: set[str] = {"/"}

    def mkdirs(path: str) -> None:
        for parent in _ancestors(path):
            if parent not in made:
                made.add(parent)
                args.extend(["--perms", "0755", "--dir", parent])

    def ro(src: str, dest: str | None = None) -> None:
        dest = dest or src
        mkdirs(dest)
        args.extend(["--ro-bind", src, dest])
        made.add(dest)

    ro("/usr")
    for link in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        target = f"/{link}"
        if os.path.islink(target):
            args.extend(["--symlink", os.readlink(target), target])
        elif os.path.isdir(target):
            ro(target)
    args.extend(["--perms", "0755", "--dir", "/etc"])
    made.add("/etc")
    for name in (*_ETC, *(_ETC_NETWORK if limits.network else ())):
        if os.path.exists(f"/etc/{name}"):
            args.extend(["--ro-bind", f"/etc/{name}", f"/etc/{name}"])
    fds = [
        _memfd("passwd", f"root:x:0:0::/:/usr/sbin/nologin\nsandbox:x:{inside_uid}:{inside_uid}::/tmp:/bin/sh\n"),
        _memfd("group", f"root:x:0:\nsandbox:x:{inside_uid}:\n"),
    ]
    args.extend(["--ro-bind-data", str(fds[0]), "/etc/passwd", "--ro-bind-data", str(fds[1]), "/etc/group"])
    args.extend(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(limits.tmp_size_mb * _MiB),
                 "--tmpfs", "/tmp"])
    made.add("/tmp")
    for path in _python_roots() if python == sys.executable else ():  # after /tmp: a venv may live under it
        if os.path.isdir(path):
            ro(path)
    for path in (LAUNCHER, *files):
        ro(path)
    if work_dir is not None:
        mkdirs(work_dir)
        args.extend(["--bind", work_dir, work_dir])
    home = work_dir or "/tmp"
    inner_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": home, "TMPDIR": "/tmp",
                 "MALLOC_ARENA_MAX": "2", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", **env}
    args.extend(["--chdir", "/", "--clearenv"])  # the launcher enters `cwd` as the sandbox's user
    for key, value in inner_env.items():
        args.extend(["--setenv", key, value])
    config = {**_launch_config(limits), "cwd": cwd or home}
    if root:
        config.update(uid=uid, gid=uid)
    args.extend(["--", python, "-I", LAUNCHER, json.dumps(config), *command])
    return args, fds, inner_env


def _launch_config(limits: SandboxLimits) -> dict[str, Any]:
    return {"as": limits.memory_mb * _MiB, "nproc": limits.max_processes, "nofile": limits.max_open_files,
            "fsize": limits.max_file_size_mb * _MiB}


# -- uids for sandboxes started as root ---------------------------------------------------------------

_uid_lock = threading.Lock()
_free_uids: list[int] = []
_next_uid = _BASE_UID


def take_uid() -> int | None:
    """A uid of its own for a sandbox owner that runs several sandboxes on one work dir (None unless root:
    users' sandboxes all map to 65534 in a user namespace). Give it back with `give_uid`."""
    return _take_uid() if os.geteuid() == 0 else None


def give_uid(uid: int | None) -> None:
    if uid is not None:
        _give_uid(uid)


def _take_uid() -> int:
    global _next_uid
    with _uid_lock:
        if _free_uids:
            return _free_uids.pop()
        _next_uid += 1
        return _next_uid - 1


def _give_uid(uid: int) -> None:
    with _uid_lock:
        _free_uids.append(uid)


# -- the memory watchdog ----------------------------------------------------------------------------


class _Watchdog:
    """One thread for all sandboxes: sums the resident memory of each sandbox's process tree and kills
    a sandbox over its budget. (RLIMIT_AS alone bounds each process, not a tree of them.)"""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: dict[int, Isolated] = {}  # bwrap pid -> sandbox
        self._thread: threading.Thread | None = None
        self._page = os.sysconf("SC_PAGE_SIZE")

    def watch(self, sandbox: Isolated) -> None:
        with self._lock:
            self._watched[sandbox.pid] = sandbox
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="studio-sandbox-watchdog", daemon=True)
                self._thread.start()

    def forget(self, sandbox: Isolated) -> None:
        with self._lock:
            self._watched.pop(sandbox.pid, None)

    def _loop(self) -> None:
        stop = threading.Event()
        while True:
            with self._lock:
                if not self._watched:
                    self._thread = None
                    return
                watched = dict(self._watched)
            self._check(watched)
            stop.wait(_WATCH_BUSY if any(s.busy for s in watched.values()) else _WATCH_IDLE)

    def _check(self, watched: dict[int, Isolated]) -> None:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid = int(name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * self._page
        for pid, sandbox in watched.items():
            total, stack = 0, [pid]
            while stack:
                current = stack.pop()
                total += rss.get(current, 0)
                stack.extend(children.get(current, ()))
            if total > sandbox.limits.memory_mb * _MiB:
                sandbox.reason = sandbox.reason or "memory"
                sandbox.kill()


_watchdog = _Watchdog()


# -- running -----------------------------------------------------------------------------------------


@dataclass(eq=False)
class Isolated:
    """A sandboxed process (bwrap, or the launcher when unsandboxed) and the tree it starts."""

    proc: asyncio.subprocess.Process
    limits: SandboxLimits
    sandboxed: bool
    uid: int | None = None
    temp_dir: str | None = None
    reason: str | None = None  # "memory" when the watchdog killed it
    killed: bool = False
    busy: bool = True  # running code now (a tool worker between calls is not): watched more closely
    released: bool = field(default=False, repr=False)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def kill(self) -> None:
        """SIGKILL the sandbox (its PID namespace dies with bwrap). Safe to call repeatedly, from any thread."""
        self.killed = True
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGKILL)

    def exit_description(self, code: int | None) -> tuple[int | None, bool]:
        """(signal number or None, killed by us) for an exit code: bwrap reports a signal as 128 + N."""
        if code is None:
            return None, self.killed
        if code < 0:
            return -code, self.killed
        if self.sandboxed and code > 128:
            return code - 128, self.killed
        return None, self.killed

    def release(self) -> None:
        """After the process is reaped: stop watching it, free its uid and temp dir."""
        if self.released:
            return
        self.released = True
        _watchdog.forget(self)
        if self.uid is not None:
            _give_uid(self.uid)
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


async def start(
    command: Sequence[str], *, limits: SandboxLimits, work_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None, files: Iterable[str] = (), stdin: int | None = subprocess.DEVNULL,
    stdout: int | None = subprocess.PIPE, stderr: int | None = subprocess.PIPE, uid: int | None = None,
    cwd: str | None = None,
) -> Isolated:
    """Start `command` in a sandbox. `files`: host files (or directories) it may read (bound read-only at the
    same path); `work_dir`: a host directory it may write (bound at the same path, its cwd unless `cwd` names
    another it sees); `uid`: one from `take_uid()` (else the sandbox gets a fresh one). Raises SandboxUnavailable."""
    state = await asyncio.to_thread(status)
    env = dict(env or {})
    work = str(Path(work_dir).resolve()) if work_dir is not None else None
    if not state.available:
        if not _allow_unsandboxed:
            raise SandboxUnavailable(state.warning() or state.detail)
        return await _start_unsandboxed(command, limits, work, env, stdin, stdout, stderr, cwd)
    own_uid = uid is None and os.geteuid() == 0
    if own_uid:
        uid = _take_uid()
    if uid is not None and work is not None:
        with contextlib.suppress(OSError):
            os.chown(work, uid, uid)  # the sandbox's user writes there
    argv, fds, _ = _bwrap_argv(command, limits, work, env, files, uid=uid or 0, cwd=cwd)
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv, stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=fds, env=_BWRAP_ENV,
            start_new_session=True, cwd="/",
        )
    except BaseException:
        if own_uid:
            give_uid(uid)
        raise
    finally:
        for fd in fds:
            os.close(fd)
    sandbox = Isolated(proc=proc, limits=limits, sandboxed=True, uid=uid if own_uid else None)
    _watchdog.watch(sandbox)
    return sandbox


async def _start_unsandboxed(
    command: Sequence[str], limits: SandboxLimits, work: str | None, env: dict[str, str],
    stdin: int | None, stdout: int | None, stderr: int | None, cwd: str | None = None,
) -> Isolated:
    temp = None
    if work is None:
        work = temp = tempfile.mkdtemp(prefix="studio-tool-")
    inner_env = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "HOME": work, "TMPDIR": work,
                 "MALLOC_ARENA_MAX": "2", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", **env}
    # No process count: without a user of its own it would count all the server user's processes (and root's
    # are not counted at all).
    config = {**_launch_config(limits), "parent": os.getpid(), "nproc": 0}
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-I", LAUNCHER, json.dumps(config), *command, stdin=stdin, stdout=stdout,
            stderr=stderr, cwd=cwd or work, env=inner_env, start_new_session=True,
        )
    except BaseException:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
        raise
    sandbox = Isolated(proc=proc, limits=limits, sandboxed=False, temp_dir=temp)
    _watchdog.watch(sandbox)
    return sandbox


@dataclass
class Completed:
    """A finished command: exit code (124 timeout, 125 cancelled, 137 out of memory), its capped output."""

    exit_code: int
    stdout: bytes
    stderr: bytes
    discarded: int = 0  # bytes of output over `max_output_bytes`, read and thrown away
    timed_out: bool = False
    cancelled: bool = False
    out_of_memory: bool = False


class _Capped:
    """Output of both streams kept up to one shared budget; the rest is read and discarded."""

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.discarded = 0

    async def drain(self, stream: asyncio.StreamReader | None, into: bytearray) -> None:
        if stream is None:
            return
        while chunk := await stream.read(1 << 16):
            keep = chunk[: max(self.left, 0)]
            into += keep
            self.left -= len(keep)
            self.discarded += len(chunk) - len(keep)


async def run(
    command: Sequence[str], *, limits: SandboxLimits, timeout: float, token: CancellationToken | None = None,
    work_dir: str | Path | None = None, env: Mapping[str, str] | None = None, files: Iterable[str] = (),
    uid: int | None = None,
) -> Completed:
    """Run `command` to the end in a sandbox (no stdin), killing the whole tree at the deadline or on cancel."""
    sandbox = await start(command, limits=limits, work_dir=work_dir, env=env, files=files, uid=uid)
    out, err = bytearray(), bytearray()
    capped = _Capped(limits.max_output_bytes)
    reading = asyncio.ensure_future(asyncio.gather(capped.drain(sandbox.proc.stdout, out),
                                                   capped.drain(sandbox.proc.stderr, err), sandbox.proc.wait()))
    if token is not None:
        token.link_future(reading)
    timed_out = cancelled = False
    try:
        await asyncio.wait_for(asyncio.shield(reading), timeout)
    except TimeoutError:
        timed_out = True
    except asyncio.CancelledError:
        if token is None or not token.is_cancelled():
            raise  # the caller's task was cancelled: the tree is still killed below
        cancelled = True
    finally:
        sandbox.kill()  # whatever is left of the tree (a daemon it started) goes now
        await _finish(sandbox, reading)
    code = sandbox.proc.returncode if sandbox.proc.returncode is not None else -signal.SIGKILL
    result = Completed(exit_code=code, stdout=bytes(out), stderr=bytes(err), discarded=capped.discarded)
    if sandbox.reason == "memory":
        result.exit_code, result.out_of_memory = 137, True
    elif timed_out:
        result.exit_code, result.timed_out = 124, True
    elif cancelled:
        result.exit_code, result.cancelled = 125, True
    return result


async def _finish(sandbox: Isolated, reading: asyncio.Future[Any]) -> None:
    """Reap the sandbox; close its pipes if a stray holder keeps them open."""
    with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
        await asyncio.wait_for(asyncio.shield(sandbox.proc.wait()), 5.0)
    transport = getattr(sandbox.proc, "_transport", None)
    with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError, Exception):
        await asyncio.wait_for(asyncio.shield(reading), 1.0)
    if not reading.done():
        reading.cancel()
        if transport is not None:
            transport.close()
    sandbox.release()
