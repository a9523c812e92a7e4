"""Hostile tools: each attack of issue 13 run as a FunctionTool (an AssistantAgent turn, and the Builder's
`Run tool` probe) and as code-executor code (CodeExecutorAgent), each asserted contained while the
"server" (this test process, and a loopback stand-in for the studio's HTTP API) keeps serving."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session

from studio.runtime import isolation
from studio.runtime.agents import CodeExecutorAgent
from studio.runtime.cancellation import CancellationToken
from studio.runtime.code_executors import CodeBlock, LocalCommandLineCodeExecutor
from studio.runtime.messages import ToolCallExecutionEvent
from studio.runtime.tools import FunctionTool, configure_sandbox, get_sandbox_limits
from studio.services.credentials import save_credential
from studio.services.probes import probe_tool
from studio.settings import Settings
from studio.store import crypto, make_engine, migrate
from studio.store.crypto import prepare_secrets
from tests.runtime.helpers import agent, run, tool_calls
from tests.support.waits import until

pytestmark = pytest.mark.skipif(
    not isolation.status().available, reason=f"needs the bubblewrap sandbox: {isolation.status().detail}"
)

PLANTED = "sk-planted-server-secret-0123456789"
SAVED = "sk-saved-in-the-database-abcdef9876"
MEMORY_MB = 512


@dataclass
class Server:
    """What the attacks aim at: this process (its pid, environment), a real studio home, a loopback API."""

    pid: int
    home: Path
    secret_key: str
    port: int
    connections: list[str]

    async def serves(self) -> bool:
        """The API stand-in still answers (and so does this process)."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(b"GET / HTTP/1.0\r\n\r\n")
        await writer.drain()
        answer = await reader.read()
        writer.close()
        return answer.endswith(b"studio-api")


@pytest.fixture
async def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    monkeypatch.setenv("OPENAI_API_KEY", PLANTED)
    home = tmp_path / "studio-home"
    settings = Settings(home=home)
    secret_key = settings.session_secret()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    monkeypatch.setattr(crypto, "_box", None)  # the process's secret box: this home's, restored afterwards
    prepare_secrets(engine, settings)
    with Session(engine) as db:
        save_credential(db, "openai", None, SAVED)
        db.commit()
    engine.dispose()
    assert b"fernet:" in (home / "studio.db").read_bytes()  # the attacks below would find it there, with its key
    assert (home / "encryption_key").is_file()
    connections: list[str] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(str(writer.get_extra_info("peername")))
        await reader.readline()
        writer.write(b"HTTP/1.0 200 OK\r\n\r\nstudio-api")
        await writer.drain()
        writer.close()

    api = await asyncio.start_server(answer, "127.0.0.1", 0)
    previous = get_sandbox_limits()
    configure_sandbox(memory_mb=MEMORY_MB, timeout=60, max_processes=32)
    try:
        yield Server(os.getpid(), home, secret_key, api.sockets[0].getsockname()[1], connections)
    finally:
        configure_sandbox(previous)
        api.close()
        await api.wait_closed()


def _resident_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _running(marker: str) -> bool:
    """Whether any process on the machine has `marker` in its command line."""
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as handle:
                    if marker.encode() in handle.read():
                        return True
            except OSError:
                continue
    return False


# --- the attacks: a function `attack() -> str` reporting what it reached ------------------------------

ATTACKS = {
    "environ": '''
def attack() -> str:
    import os
    out = []
    for pid in (SERVER_PID, os.getppid(), 1, os.getpid()):
        try:
            out.append("read:" + open("/proc/%d/environ" % pid, "rb").read().decode(errors="replace"))
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out) + " env:" + repr(dict(os.environ))
''',
    "proc_mem": '''
def attack() -> str:
    out = []
    for pid in (SERVER_PID, 1):
        try:
            start = int(open("/proc/%d/maps" % pid).readline().split("-")[0], 16)
            with open("/proc/%d/mem" % pid, "rb") as mem:
                mem.seek(start)
                out.append("read:" + mem.read(64).hex())
        except (OSError, ValueError) as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out)
''',
    "studio_home": '''
def attack() -> str:
    import os
    out = []
    for path in ("HOME_DIR/studio.db", "HOME_DIR/secret_key", "HOME_DIR/encryption_key"):
        try:
            out.append("read:" + open(path, "rb").read().decode("latin-1"))
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    for folder in ("HOME_DIR", os.path.dirname("HOME_DIR"), os.path.expanduser("~/.studio"), "/root", "/home"):
        try:
            out.append("list:" + ",".join(os.listdir(folder)))
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out)
''',
    "loopback_api": '''
def attack() -> str:
    import socket
    out = []
    for host in ("127.0.0.1", "localhost"):
        try:
            s = socket.create_connection((host, API_PORT), timeout=3)
            s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
            out.append("open:" + s.recv(100).decode(errors="replace"))
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out)
''',
    "fork_200": '''
def attack() -> str:
    import os, time
    forked = 0
    for _ in range(200):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        forked += 1
    return "forked:%d" % forked
''',
    "memory_across_children": '''
def attack() -> str:
    import os, time
    for _ in range(6):
        if os.fork() == 0:
            block = b"x" * (150 * 1024 * 1024)
            time.sleep(60)
            os._exit(0)
    time.sleep(60)
    return "all children kept their memory"
''',
    "setsid_sleeper": '''
def attack() -> str:
    import os
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "MARKER"])
        os._exit(0)
    os.wait()
    return "daemon started"
''',
    "kill_the_server": '''
def attack() -> str:
    import os, signal
    out = []
    for pid in (os.getppid(), SERVER_PID, -1):
        try:
            os.kill(pid, signal.SIGKILL)
            out.append("sent:%d" % pid)
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out)
''',
    "print_100_mb": '''
def attack() -> str:
    import sys
    chunk = "x" * (1024 * 1024)
    for _ in range(100):
        sys.stdout.write(chunk)
    sys.stdout.flush()
    return "printed"
''',
    "persist_for_others": '''
def attack() -> str:
    # A harmless stand-in for planting sitecustomize.py where the next sandbox (another team's) would load it.
    import os, sysconfig
    out = []
    for folder in PERSIST_FOLDERS:
        try:
            with open(os.path.join(folder, "PERSIST_NAME"), "x") as f:
                f.write("planted")
            out.append("wrote:" + folder)
        except OSError as e:
            out.append("blocked:" + type(e).__name__)
    return " ".join(out)
''',
}


PERSIST_NAME = f"studio-hostile-{uuid.uuid4().hex}.txt"


def _persist_folders() -> list[str]:
    import sysconfig

    return [sysconfig.get_paths()["purelib"], os.path.dirname(os.__file__), "/usr/lib/python3/dist-packages",
            "/usr/local/bin", "/etc"]


@pytest.fixture(autouse=True)
def _remove_planted_files() -> Iterator[None]:
    """Should the sandbox ever fail, the persistence attack must not leave its file in the real system."""
    yield
    for folder in _persist_folders():
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, PERSIST_NAME))


def source(name: str, server: Server, marker: str = "") -> str:
    return (ATTACKS[name].strip() + "\n").replace("PERSIST_FOLDERS", repr(_persist_folders())).replace(
        "PERSIST_NAME", PERSIST_NAME).replace("SERVER_PID", str(server.pid)).replace(
        "HOME_DIR", str(server.home)).replace("API_PORT", str(server.port)).replace("MARKER", marker)


def assert_contained(name: str, text: str, server: Server, *, executor: bool = False) -> None:
    """The attack's report shows it reached nothing it must not reach."""
    assert PLANTED not in text and SAVED not in text and server.secret_key not in text
    if name == "environ":
        assert text.startswith("read:") is False  # the server's /proc/PID/environ: not there
        declared = {"PATH", "LANG", "HOME", "TMPDIR", "PWD", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS",
                    "OPENBLAS_NUM_THREADS"}
        assert [k for k in os.environ if k not in declared and (f"{k}=" in text or f"'{k}'" in text)] == []
    elif name == "proc_mem":
        assert "read:" not in text and text.count("blocked:") == 2
    elif name == "studio_home":
        assert "read:" not in text and "studio.db" not in text and "secret_key" not in text
        assert text.count("blocked:") >= 3  # the two files and the home itself do not exist in the sandbox
    elif name == "loopback_api":
        assert "open:" not in text and "studio-api" not in text and text.count("blocked:") == 2
    elif name == "fork_200":
        forked = int(text.split("forked:")[1].split()[0])
        assert forked < 32  # max_processes counts the sandbox's own processes
    elif name == "memory_across_children":
        assert "all children kept their memory" not in text
        assert f"out of memory (limit {MEMORY_MB} MiB for all its processes)" in text
    elif name == "kill_the_server":
        assert f"sent:{server.pid}" not in text  # the server's pid does not exist in the sandbox
    elif name == "print_100_mb":
        if executor:
            assert len(text) < get_sandbox_limits().max_output_bytes + 1000
            assert "[output truncated: " in text and "limit were discarded]" in text
        else:
            assert text == "printed"
    elif name == "persist_for_others":
        assert "wrote:" not in text and text.count("blocked:") == 5


CONTAINED_AS_TEXT = [n for n in ATTACKS if n != "setsid_sleeper"]


async def _after(server: Server, before_rss: int) -> None:
    """The server keeps serving, nothing from the sandbox reached its API, and its memory stayed bounded."""
    assert await server.serves()
    assert len(server.connections) == 1  # only the check just made
    assert _resident_bytes() - before_rss < 64 * 1024 * 1024


# --- FunctionTool through an AssistantAgent turn (replay model) ------------------------------------


async def _tool_turn(tool: FunctionTool) -> tuple[str, bool]:
    assistant = agent("assistant", tool_calls(("attack", {})), "done", tools=[tool])
    try:
        items, _ = await run(assistant, "go")
    finally:
        await assistant.close()
    [execution] = [i for i in items if isinstance(i, ToolCallExecutionEvent)]
    [result] = execution.content
    return result.content, bool(result.is_error)


@pytest.mark.parametrize("name", CONTAINED_AS_TEXT)
async def test_tool_in_an_agent_turn_is_contained(name: str, server: Server) -> None:
    before = _resident_bytes()
    text, _ = await _tool_turn(FunctionTool(source(name, server), "attack", "An attack."))
    assert_contained(name, text, server)
    await _after(server, before)
    assert (await _tool_turn(FunctionTool("def attack() -> str:\n    return 'fine'\n", "attack", "ok")))[0] == "fine"


@pytest.mark.parametrize("name", CONTAINED_AS_TEXT)
async def test_tool_in_the_builder_probe_is_contained(name: str, server: Server) -> None:
    before = _resident_bytes()
    component = {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
                 "config": {"name": "attack", "description": "An attack.", "global_imports": [],
                            "has_cancellation_support": False, "source_code": source(name, server)}}
    probe = await probe_tool(component, {}, timeout=60)
    assert_contained(name, probe.result, server)
    await _after(server, before)


@pytest.mark.parametrize("name", CONTAINED_AS_TEXT)
async def test_code_executor_agent_code_is_contained(name: str, server: Server, tmp_path: Path) -> None:
    before = _resident_bytes()
    executor = LocalCommandLineCodeExecutor(timeout=60, work_dir=tmp_path / "work")
    runner = CodeExecutorAgent("runner", executor)
    code = source(name, server) + "\nprint(attack())\n"
    _, result = await run(runner, f"```python\n{code}```")
    text = result.messages[-1].content
    assert_contained(name, text, server, executor=True)
    await _after(server, before)


async def test_shell_code_is_contained_too(server: Server, tmp_path: Path) -> None:
    executor = LocalCommandLineCodeExecutor(timeout=60, work_dir=tmp_path / "work")
    script = (f"cat /proc/{server.pid}/environ {server.home}/secret_key {server.home}/studio.db 2>&1\n"
              f"ls {server.home} 2>&1\nkill -9 {server.pid} 2>&1\n"
              f"(exec 3<>/dev/tcp/127.0.0.1/{server.port}) 2>&1 || echo no-api\nid -u\n")
    _, result = await run(CodeExecutorAgent("runner", executor), f"```sh\n{script}```")
    text = result.messages[-1].content
    assert PLANTED not in text and SAVED not in text and server.secret_key not in text
    assert "No such file or directory" in text and "0\n" not in text.splitlines()[-1:]
    assert await server.serves() and len(server.connections) == 1


# --- a setsid daemon does not outlive its sandbox ------------------------------------------------------


async def test_setsid_daemon_of_a_tool_lives_only_as_long_as_the_run(server: Server) -> None:
    marker = f"{4000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}"
    tool = FunctionTool(source("setsid_sleeper", server, marker), "attack", "An attack.")
    assistant = agent("assistant", tool_calls(("attack", {})), tools=[tool])
    assert (await tool.run_json({}, CancellationToken())).content == "daemon started"  # called outside a run
    await until(lambda: _running(marker))  # ... it lives on with the tool's worker
    items, _ = await run(assistant, "go")  # a run calls it again, then ends
    assert [r.content for i in items if isinstance(i, ToolCallExecutionEvent) for r in i.content] == ["daemon started"]
    await until(lambda: not _running(marker))
    assert await server.serves()
    await assistant.close()


WAIT_FOR_THE_DAEMON = '''
import os, time

def daemon_running() -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if b"MARKER" in handle.read():
                    return True
        except OSError:
            pass
    return False

while not daemon_running():  # the block ends only once its daemon runs
    time.sleep(0.01)
print("daemon running")
'''


async def test_setsid_daemon_of_executor_code_is_gone_after_the_block(server: Server, tmp_path: Path) -> None:
    marker = f"{5000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}"
    code = source("setsid_sleeper", server, marker) + "\nprint(attack())\n" + WAIT_FOR_THE_DAEMON.replace("MARKER", marker)
    _, result = await run(CodeExecutorAgent("runner", LocalCommandLineCodeExecutor(timeout=60, work_dir=tmp_path)),
                          f"```python\n{code}```")
    assert result.messages[-1].content.split() == ["daemon", "started", "daemon", "running"]
    await until(lambda: not _running(marker))


async def test_setsid_daemon_of_a_probed_tool_is_gone_after_the_probe(server: Server) -> None:
    marker = f"{6000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}"
    component = {"provider": "autogen_core.tools.FunctionTool", "component_type": "tool",
                 "config": {"name": "attack", "description": "x", "global_imports": [], "has_cancellation_support":
                            False, "source_code": source("setsid_sleeper", server, marker)}}
    assert (await probe_tool(component, {}, timeout=30)).result == "daemon started"
    await until(lambda: not _running(marker))


# --- cross-team tampering ------------------------------------------------------------------------------

TAMPER = '''
def tamper() -> str:
    import builtins, math, sys
    state = "already patched" if sum([1, 2]) == 42 else "patched now"
    builtins.sum = lambda *a: 42
    math.sqrt = lambda x: -1.0
    sys.modules["statistics"] = None
    return "%s: sum=%d sqrt=%s" % (state, sum([1, 2]), math.sqrt(16))
'''
HONEST = '''
import math

def honest(numbers: list[int]) -> str:
    import statistics
    return "sum=%d sqrt=%s mean=%s" % (sum(numbers), math.sqrt(16), statistics.mean(numbers))
'''


async def test_a_tool_that_patches_its_worker_cannot_touch_another_teams_tool(server: Server) -> None:
    # Team A's tool patches builtins and modules, and is called twice in one run, then again in a new run.
    team_a = agent("a", tool_calls(("tamper", {})), tool_calls(("tamper", {})), tool_calls(("tamper", {})), "done",
                   tools=[FunctionTool(TAMPER, "tamper", "Patches builtins and modules.")], max_tool_iterations=2)
    team_b = agent("b", tool_calls(("honest", {"numbers": [1, 2]})), tools=[FunctionTool(HONEST, "honest", "Sums.")])

    def results(items: list) -> list[str]:
        return [r.content for i in items if isinstance(i, ToolCallExecutionEvent) for r in i.content]

    first_run, _ = await run(team_a, "tamper twice")
    other_team, _ = await run(team_b, "count")
    next_run, _ = await run(team_a, "tamper again")
    assert results(first_run) == ["patched now: sum=42 sqrt=-1.0", "already patched: sum=42 sqrt=-1.0"]
    assert results(other_team) == ["sum=3 sqrt=4.0 mean=1.5"]
    assert results(next_run) == ["patched now: sum=42 sqrt=-1.0"]  # module state lasts one run
    await team_a.close()
    await team_b.close()


# --- the whole-tree memory limit and the process count, stated -----------------------------------------


def test_status_says_what_is_in_force() -> None:
    state = isolation.status()
    assert state.available and "bubblewrap" in state.detail and state.warning() is None
    assert "whole process tree" in state.memory


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(isolation, "status", lambda: isolation.IsolationStatus(False, "/usr/bin/bwrap is missing"))
    yield
    isolation.allow_unsandboxed(False)


async def test_without_bwrap_nothing_runs_unless_allowed(no_bwrap: None, tmp_path: Path) -> None:
    tool = FunctionTool("def f() -> str:\n    return 'ran'\n", "f", "x")
    result = await tool.run_json({}, CancellationToken())
    assert result.is_error and "STUDIO_ALLOW_UNSANDBOXED=1" in result.content and "bwrap is missing" in result.content
    executor = LocalCommandLineCodeExecutor(timeout=10, work_dir=tmp_path)
    _, done = await run(CodeExecutorAgent("runner", executor), "```python\nprint('ran')\n```")
    assert "ran\n" not in done.messages[-1].content and "STUDIO_ALLOW_UNSANDBOXED" in done.messages[-1].content
    isolation.allow_unsandboxed(True)
    tool = FunctionTool("def f() -> str:\n    return 'ran'\n", "f", "x")
    assert (await tool.run_json({}, CancellationToken())).content == "ran"
    await tool.close()


async def test_a_tool_and_an_executor_get_the_variables_they_declare_and_nothing_else(
        server: Server, tmp_path: Path) -> None:
    reader = ("import os\ndef env() -> str:\n"
              "    return repr(sorted((k, v[::-1] if k == 'SEARCH_API_KEY' else v) for k, v in os.environ.items()))\n")
    tool = FunctionTool(reader, "env", "x", variables=["SEARCH_API_KEY"],
                        variable_values={"SEARCH_API_KEY": "sk-search-123"})
    # reversed: a tool's result that echoes its variable as it is gets it masked (checked elsewhere)
    text = (await tool.run_json({}, CancellationToken())).content.replace("321-hcraes-ks", "sk-search-123")
    await tool.close()
    executor = LocalCommandLineCodeExecutor(timeout=30, work_dir=tmp_path, env={"SEARCH_API_KEY": "sk-search-123"})
    block = await executor.execute_code_blocks(
        [CodeBlock("import os\nprint(sorted(os.environ.items()))", "python")], CancellationToken())
    for seen in (text, block.output):
        assert "('SEARCH_API_KEY', 'sk-search-123')" in seen and PLANTED not in seen and "OPENAI" not in seen
