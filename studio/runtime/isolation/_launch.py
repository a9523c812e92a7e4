"""Sandbox launcher: applies the limits, drops to the sandbox user, then execs the command.

Standalone and stdlib-only (it must never import `studio`): the parent runs it inside the sandbox as
`python -I _launch.py <config json> argv...`. Config: {"as": bytes (RLIMIT_AS), "nproc", "nofile",
"fsize", "cwd" (entered after dropping privileges), "uid", "gid" (set only when the sandbox starts as root
and must drop to that user), "parent" (a pid the launcher must be the child of, for unsandboxed runs: it
then asks to die with it)}.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

Config = dict[str, Any]  # the launcher's config, decoded from JSON

_LIMITS = (("as", resource.RLIMIT_AS), ("nproc", resource.RLIMIT_NPROC), ("nofile", resource.RLIMIT_NOFILE),
           ("fsize", resource.RLIMIT_FSIZE))


def _lower(kind: int, value: int) -> None:
    """Lower both soft and hard limits (never above the current hard limit)."""
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def apply(cfg: Config) -> None:
    _lower(resource.RLIMIT_CORE, 0)
    for name, kind in _LIMITS:
        if cfg.get(name):
            _lower(kind, int(cfg[name]))
    if cfg.get("uid") is not None:
        os.setgroups([])
        os.setgid(int(cfg["gid"]))
        os.setuid(int(cfg["uid"]))
        if os.getuid() == 0 or os.geteuid() == 0:
            raise SystemExit("sandbox launcher: could not drop root")
    if cfg.get("cwd"):
        os.chdir(cfg["cwd"])
    if cfg.get("parent"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
        except Exception:
            pass
        if os.getppid() != int(cfg["parent"]):
            os._exit(0)


def main() -> None:
    cfg: Config = json.loads(sys.argv[1])
    argv = sys.argv[2:]
    try:
        apply(cfg)
    except OSError as e:
        sys.stderr.write(f"sandbox launcher: {e}\n")
        os._exit(126)
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        sys.stderr.write(f"{argv[0]}: {e.strerror}\n")
        os._exit(127)


if __name__ == "__main__":
    main()
