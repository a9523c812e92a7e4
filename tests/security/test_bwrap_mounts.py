"""The order of the sandbox's mounts: what a later mount would hide must come after it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from studio.runtime import isolation


def test_a_python_installation_under_tmp_is_bound_after_the_private_tmp(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    venv = tmp_path / "clone" / ".venv"  # a checkout (and its venv) under /tmp, as a CI clone may be
    venv.mkdir(parents=True)
    monkeypatch.setattr(isolation, "_python_roots", lambda: [str(venv)])
    argv, fds, _ = isolation._bwrap_argv([sys.executable, "-c", "pass"], isolation.SandboxLimits(), None, {}, (),
                                         uid=200000, root=True)
    for fd in fds:
        os.close(fd)
    assert str(tmp_path).startswith("/tmp/")
    tmpfs = argv.index("--tmpfs")
    bound = [i for i, arg in enumerate(argv) if arg == "--ro-bind" and argv[i + 1] == str(venv)]
    assert argv[tmpfs + 1] == "/tmp" and bound and bound[0] > tmpfs  # else the tmpfs hides the interpreter



async def test_a_directory_given_as_cwd_is_where_the_command_starts_and_it_is_read_only(tmp_path: Path) -> None:
    """How an MCP stdio server with a `cwd` runs: there, seeing its files, writing none of them."""
    if not isolation.status().available:
        pytest.skip("bwrap is not available here")
    (tmp_path / "server.py").write_text("print('hello')\n")
    tmp_path.chmod(0o755)  # the sandbox's user is not the owner: it may read and enter, as a project directory
    probe = ("import os\nprint(os.getcwd())\nprint(open('server.py').read().strip())\n"
             "try:\n    open('new.txt', 'w')\nexcept OSError as e:\n    print(type(e).__name__)\n")
    box = await isolation.start([sys.executable, "-c", probe], limits=isolation.SandboxLimits(), files=[str(tmp_path)],
                                cwd=str(tmp_path))
    out, err = await box.proc.communicate()
    box.release()
    assert out.decode().splitlines() == [str(tmp_path), "print('hello')", "OSError"], err.decode()
    assert not (tmp_path / "new.txt").exists()
