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
