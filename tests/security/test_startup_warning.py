"""`studio ui` says at start-up, in one line, when tool and code-executor code cannot be sandboxed here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.waits import wait_until

ROOT = Path(__file__).resolve().parents[2]
START = """
import sys
import studio.runtime.isolation as isolation
isolation.status = lambda: isolation.IsolationStatus(False, "/usr/bin/bwrap is missing (Debian package bubblewrap)")
from studio.cli import main
sys.exit(main(["ui", "--port", "0", "--home", sys.argv[1]]))
"""


def _start_up_output(tmp_path: Path, **env: str) -> str:
    log = tmp_path / "server.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")} | env
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-c", START, str(tmp_path / "home")], stdout=out,
                                   stderr=subprocess.STDOUT, cwd=ROOT, env=clean)
    try:
        def started() -> bool:
            assert process.poll() is None, log.read_text(errors="replace")
            return "Studio is running at" in log.read_text(errors="replace")

        wait_until(started, timeout=60, message=lambda: log.read_text(errors="replace"))
    finally:
        process.terminate()
        process.wait(timeout=10)
    return log.read_text(errors="replace")


def test_studio_ui_warns_in_one_line_when_bwrap_is_missing(tmp_path: Path) -> None:
    lines = [line for line in _start_up_output(tmp_path).splitlines() if "sandbox" in line.lower()]
    assert lines == ["studio ui: Tool sandbox unavailable: /usr/bin/bwrap is missing (Debian package bubblewrap); "
                     "tools and code executors will not run until bubblewrap is installed "
                     "(or STUDIO_ALLOW_UNSANDBOXED=1 is set)."]


def test_the_warning_says_when_code_runs_unsandboxed(tmp_path: Path) -> None:
    output = _start_up_output(tmp_path, STUDIO_ALLOW_UNSANDBOXED="1")
    assert re.search(r"^studio ui: Tool sandbox unavailable: .*runs UNSANDBOXED", output, re.MULTILINE)
