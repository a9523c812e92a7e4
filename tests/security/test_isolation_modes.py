"""The sandbox as a server running as an ordinary user builds it (bwrap in a user namespace, the sandbox user
65534, RLIMIT_NPROC counted in that namespace), checked here by running it as `nobody`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.runtime import isolation

SYSTEM_PYTHON = "/usr/bin/python3"
pytestmark = pytest.mark.skipif(
    not (isolation.status().available and os.geteuid() == 0 and Path(SYSTEM_PYTHON).exists()),
    reason="needs bubblewrap, root (to run the sandbox as nobody) and the system's python3",
)

PROBE = """
import os, time
forked = 0
for _ in range(100):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    forked += 1
print(os.getuid(), os.getcwd(), sorted(os.listdir("/")), forked)
"""


@pytest.fixture
def work() -> Iterator[Path]:
    """A work dir `nobody` can reach (pytest's tmp_path is inside a 0700 directory of root's)."""
    path = Path(tempfile.mkdtemp(prefix="studio-usermode-", dir="/tmp"))
    os.chown(path, 65534, 65534)  # the user the server would run as owns its work dir
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_users_sandbox_runs_as_65534_in_a_user_namespace_with_its_process_count(work: Path) -> None:
    limits = isolation.SandboxLimits(max_processes=10)
    argv, fds, _ = isolation._bwrap_argv([SYSTEM_PYTHON, "-I", "-c", PROBE], limits, str(work), {}, (), uid=0,
                                         root=False, python=SYSTEM_PYTHON)
    assert "--unshare-user" in argv and "--disable-userns" in argv and "--cap-add" not in argv
    try:
        done = subprocess.run(argv, pass_fds=fds, user=65534, group=65534, extra_groups=[], capture_output=True,
                              text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    finally:
        for fd in fds:
            os.close(fd)
    assert done.returncode == 0, done.stderr
    head, forked = done.stdout.strip().rsplit(" ", 1)
    uid, cwd, listing = head.split(" ", 2)
    assert (uid, cwd) == ("65534", str(work))
    assert "root" not in listing and "home" not in listing
    assert int(forked) < 10
