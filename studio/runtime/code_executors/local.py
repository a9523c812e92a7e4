"""LocalCommandLineCodeExecutor: AutoGen's local executor, run in the studio's sandbox.

Code blocks are written to files in the work dir (a temp dir when none is given) and run one after
another, as AutoGen does: output is stderr then stdout of each block, execution stops at the first
failing block, a timeout gives exit code 124 and "\\nTimeout". Unlike AutoGen each block runs in the
isolation layer (studio/runtime/isolation: no network, no view of the machine beyond a read-only system
and the work dir, an unprivileged user, limits on memory for the whole tree, processes and files, no
inherited environment), its whole process tree is killed when it ends, times out or is cancelled (exit
code 125), and its output is capped at `limits.max_output_bytes` (the rest is discarded and reported).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sys
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from pydantic import Field

from .. import isolation
from ..cancellation import CancellationToken
from ..config import ConfigModel, Configurable
from ..isolation import SandboxLimits, get_sandbox_limits

__all__ = ["CodeBlock", "CodeResult", "LocalCommandLineCodeExecutor", "LocalCommandLineCodeExecutorConfig",
           "extract_markdown_code_blocks"]

_PYTHON_VARIANTS = ("python", "Python", "py")
_SHELLS = ("bash", "shell", "sh")
_POWERSHELL = ("pwsh", "powershell", "ps1")


@dataclass
class CodeBlock:
    """A code block extracted from an agent message."""

    code: str
    language: str


@dataclass
class CodeResult:
    """Result of executing code blocks (AutoGen's CommandLineCodeResult)."""

    exit_code: int
    output: str
    code_file: str | None = None


def extract_markdown_code_blocks(text: str, languages: Sequence[str] = ("python", "sh")) -> list[CodeBlock]:
    """Fenced blocks in `text` whose language is one of `languages` (CodeExecutorAgent's rule).

    The language tag is matched case-insensitively and must be followed directly by a newline.
    """
    alternatives = "|".join(re.escape(lang) for lang in languages)
    pattern = re.compile(rf"```(?:\s*({alternatives}))\n([\s\S]*?)```", re.IGNORECASE)
    return [CodeBlock(code=code, language=lang.strip() if lang else "") for lang, code in pattern.findall(text)]


def _silence_pip(code: str, lang: str) -> str:
    """Add -qqq to `pip install` lines, as AutoGen does, to keep the output short."""
    if lang == "python":
        regex = re.compile(r"^! ?pip install")
    elif lang in (*_SHELLS, *_POWERSHELL):
        regex = re.compile(r"^pip install")
    else:
        return code
    lines = code.split("\n")
    for i, line in enumerate(lines):
        match = regex.search(line)
        if match and "-qqq" not in line:
            lines[i] = line.replace(match.group(0), match.group(0) + " -qqq")
    return "\n".join(lines)


def _filename_from_content(code: str, work_dir: Path) -> str | None:
    """A first line `# filename: x.py` names the file; raises ValueError when outside the work dir."""
    first = code.split("\n")[0]
    if not first.startswith("# filename:"):
        return None
    path = Path(first.split(":")[1].strip())
    if not path.is_absolute():
        path = work_dir / path
    return str(path.resolve().relative_to(work_dir.resolve()))


def _command(lang: str, file: Path) -> list[str]:
    if lang == "python":
        return [sys.executable, str(file)]
    if lang == "shell":
        return ["sh", str(file)]
    if lang in _POWERSHELL:
        program = shutil.which("pwsh") or shutil.which("powershell")
        if program is None:
            raise ValueError("Powershell or pwsh is not installed. Please install one of them.")
        return [program, "-NoProfile", "-ExecutionPolicy", "Bypass", "-File", str(file)]
    return [lang, str(file)]


class LocalCommandLineCodeExecutorConfig(ConfigModel):
    timeout: int = Field(60, ge=1, description="Seconds a code block may run before it is stopped.")
    work_dir: str | None = Field(None, description="The folder code runs in. Empty: a temporary folder.")
    functions_module: str = Field("functions", description="The module name under which helper functions are "
                                  "importable by the code.")
    cleanup_temp_files: bool = Field(True, description="Delete the files written for each code block after it "
                                     "runs.")


class LocalCommandLineCodeExecutor(Configurable):
    """Runs python and shell code blocks on this machine (the config of AutoGen's executor)."""

    component_config_schema = LocalCommandLineCodeExecutorConfig

    SUPPORTED_LANGUAGES = ("bash", "shell", "sh", "pwsh", "powershell", "ps1", "python")

    def __init__(
        self,
        timeout: int = 60,
        work_dir: str | Path | None = None,
        functions_module: str = "functions",
        cleanup_temp_files: bool = True,
        *,
        limits: SandboxLimits | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if timeout < 1:
            raise ValueError("Timeout must be greater than or equal to 1.")
        if not functions_module.isidentifier():
            raise ValueError("Module name must be a valid Python identifier")
        self.timeout = timeout
        self.work_dir = str(work_dir) if work_dir is not None else None
        self.functions_module = functions_module
        self.cleanup_temp_files = cleanup_temp_files
        self.limits = limits  # None: the process-wide sandbox limits (`configure_sandbox`)
        self.env = dict(env or {})  # the variables its code gets, and only those
        self._uid = isolation.take_uid()  # every block runs as one user, so it may change what earlier ones wrote
        weakref.finalize(self, isolation.give_uid, self._uid)
        self._temp_dir: str | None = None
        self._cleanup: weakref.finalize[..., LocalCommandLineCodeExecutor] | None = None
        if self.work_dir is not None:
            Path(self.work_dir).mkdir(exist_ok=True)

    def _dir(self) -> Path:
        if self.work_dir is not None:
            return Path(self.work_dir)
        if self._temp_dir is None:  # removed by stop(), or when the executor is garbage collected
            self._temp_dir = tempfile.mkdtemp(prefix="studio-code-")
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._temp_dir, ignore_errors=True)
        return Path(self._temp_dir)

    async def execute_code_blocks(
        self, code_blocks: Sequence[CodeBlock], cancellation_token: CancellationToken
    ) -> CodeResult:
        """Run the blocks in order; stop at the first failure, timeout, or cancellation."""
        work_dir = self._dir()
        logs = ""
        files: list[Path] = []
        exit_code = 0
        try:
            for block in code_blocks:
                lang = block.language.lower()
                code = _silence_pip(block.code, lang)
                if lang in _PYTHON_VARIANTS:
                    lang = "python"
                if lang not in self.SUPPORTED_LANGUAGES:
                    exit_code = 1
                    logs += "\n" + f"unknown language {lang}"
                    break
                try:
                    filename = _filename_from_content(code, work_dir)
                except ValueError:
                    return CodeResult(exit_code=1, output="Filename is not in the workspace", code_file=None)
                if filename is None:
                    ext = "py" if lang == "python" else "ps1" if lang in _POWERSHELL else lang
                    filename = f"tmp_code_{sha256(code.encode()).hexdigest()}.{ext}"
                file = (work_dir / filename).resolve()
                file.write_text(code, encoding="utf-8")
                files.append(file)
                try:
                    command = _command(lang, file)
                except ValueError as e:
                    exit_code = 1
                    logs += "\n" + str(e)
                    break
                exit_code, output = await self._run(command, work_dir, cancellation_token)
                logs += output
                if exit_code != 0:
                    break
        finally:
            if self.cleanup_temp_files:
                for file in files:
                    with contextlib.suppress(OSError):
                        file.unlink(missing_ok=True)
        return CodeResult(exit_code=exit_code, output=logs, code_file=str(files[0]) if files else None)

    async def _run(self, command: list[str], work_dir: Path, token: CancellationToken) -> tuple[int, str]:
        """One block: (exit code, stderr + stdout), or (124, "\\nTimeout") / (125, "\\nCancelled")."""
        if token.is_cancelled():
            return 125, "\nCancelled"
        limits = self.limits or get_sandbox_limits()
        try:
            done = await isolation.run(command, limits=limits, timeout=self.timeout, token=token, work_dir=work_dir,
                                      env=self.env, uid=self._uid)
        except isolation.SandboxUnavailable as e:
            return 1, f"\n{e}"
        except OSError as e:
            return 1, f"\n{e}"
        if done.timed_out:
            return 124, "\nTimeout"
        if done.cancelled:
            return 125, "\nCancelled"
        output = done.stderr.decode(errors="replace") + done.stdout.decode(errors="replace")
        if done.discarded:
            output += (f"\n[output truncated: {done.discarded} more bytes over the {limits.max_output_bytes}-byte "
                       "limit were discarded]")
        if done.out_of_memory:
            output += f"\nKilled: out of memory (limit {limits.memory_mb} MiB for all its processes)"
        return done.exit_code, output

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        """Remove the temp work dir (if this executor created one)."""
        if self._cleanup is not None:
            self._cleanup()
        self._temp_dir = self._cleanup = None

    async def restart(self) -> None:
        return None

    async def __aenter__(self) -> LocalCommandLineCodeExecutor:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
