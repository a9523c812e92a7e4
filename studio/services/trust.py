"""Trust in what a team executes: what arrived by import runs only after the user reviewed it.

What counts as executable (`executables`): a FunctionTool's source code with its `global_imports` and the
variables it reads; a code executor (it runs the code a model writes: CodeExecutorAgent's, or a
PythonCodeExecutionTool's); every command a component can spawn (an MCP stdio server's `command`, `args`,
`env` and `cwd`, with the variables from Settings it names); and every server that is sent variables from
Settings (an HttpTool's, an MCP server's over HTTP: its URL and headers, since an imported team could send
them anywhere). Each is known by
its `digest`, a hash of exactly what will run, so changing any of it (an import added, a variable read, an
argument) makes it new code.

Two sets of digests live in the preferences: `trust.imported` (what arrived in an imported team, gallery
or API body) and `trust.trusted` (what the user accepted, and everything built in). An executable is
blocked when it is imported and not trusted, so what the user types or pastes in the Builder is theirs and
never blocked. Every execution path asks `studio.services.admission.admit`, which refuses a blocked team;
the user trusts it on one page (`review_url`) that shows exactly what will run, and that page trusts only
what it showed (`trust_reviewed`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from studio.components import UNTRUSTED, Problem, get_spec
from studio.components.validation import join
from studio.store import preferences

from .credentials import FUNCTION_TOOL, HTTP_TOOL, MCP_SERVER_PARAMS, referenced_variables
from .team_files import components_in

TRUSTED_KEY = "trust.trusted"
IMPORTED_KEY = "trust.imported"
UNTRUSTED_MESSAGE = "This team runs imported code that you have not reviewed and trusted yet"

Kind = Literal["tool code", "code executor", "command", "server"]  # "server": sent variables from Settings


@dataclass(frozen=True)
class Executable:
    """One thing of a component that executes: where it is, what kind, and exactly what runs (`runs`)."""

    path: str
    kind: Kind
    provider: str
    runs: dict[str, Any]

    @property
    def digest(self) -> str:
        text = json.dumps({"kind": self.kind, **self.runs}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def source_code(self) -> str:
        return str(self.runs.get("source_code", ""))

    @property
    def variables(self) -> list[str]:
        return list(self.runs.get("variables") or [])

    @property
    def details(self) -> dict[str, Any]:
        """What runs besides source code and variables, for the review page."""
        return {k: v for k, v in self.runs.items() if k not in ("source_code", "variables")}


def executables(component: Any, prefix: str = "") -> list[Executable]:
    """Every executable of a component, at any depth, outermost first."""
    found = []
    for path, envelope in components_in(component, prefix):
        provider, config = envelope["provider"], envelope["config"]
        spec = get_spec(provider)
        if spec is not None and spec.provider == FUNCTION_TOOL and isinstance(config.get("source_code"), str):
            found.append(Executable(path, "tool code", spec.provider, {
                "source_code": config["source_code"].strip(), "global_imports": config.get("global_imports") or [],
                "variables": sorted(config.get("variables") or [])}))
        elif "code_executor" in (envelope.get("component_type"), spec and spec.component_type):
            found.append(Executable(path, "code executor", provider, {"config": config}))
        elif spec is not None and spec.provider == HTTP_TOOL and config.get("variables"):
            found.append(Executable(path, "server", spec.provider, _http_tool_server(config)))
        found += [Executable(at, kind, provider, runs) for at, kind, runs in _servers(config, join(path, "config"))]
    return found


def _http_tool_server(config: dict[str, Any]) -> dict[str, Any]:
    """Where an HttpTool sends the variables it reads, and how."""
    url = f"{config.get('scheme') or 'http'}://{config.get('host')}:{config.get('port')}{config.get('path') or '/'}"
    return {"method": config.get("method") or "POST", "url": url, "headers": config.get("headers") or {},
            "variables": sorted(v for v in config.get("variables") or [] if isinstance(v, str))}


def _servers(value: Any, path: str) -> Iterator[tuple[str, Kind, dict[str, Any]]]:
    """(JSON path, kind, what runs) of every MCP server in a component's config (not in its children's) that
    executes: a stdio server's command, or an HTTP server sent variables."""
    if isinstance(value, dict):
        if isinstance(value.get("provider"), str) and isinstance(value.get("config"), dict):
            return  # a child component: `executables` walks it on its own
        if value.get("type") in MCP_SERVER_PARAMS:
            variables = referenced_variables(value)
            if value["type"] == "StdioServerParams":
                runs = {k: value.get(k) for k in ("command", "args", "env", "cwd")}
                yield path, "command", runs | ({"variables": variables} if variables else {})
            elif variables:
                yield path, "server", {"url": value.get("url"), "headers": value.get("headers"), "variables": variables}
            return
        for key, item in value.items():
            yield from _servers(item, join(path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _servers(item, join(path, i))


def digests(component: Any) -> set[str]:
    return {e.digest for e in executables(component)}


def _read(db: Session, key: str) -> set[str]:
    value = preferences.get_setting(db, key, default=[])
    return {h for h in value if isinstance(h, str)} if isinstance(value, list) else set()


def _add(db: Session, key: str, hashes: Iterable[str]) -> None:
    current = _read(db, key)
    merged = current | set(hashes)
    if merged != current:
        preferences.set_setting(db, key, sorted(merged))


def trust_all(db: Session, component: Any) -> None:
    """Accept everything `component` executes (built-in items, or the user's decision on a gallery item)."""
    _add(db, TRUSTED_KEY, digests(component))


def note_imported(db: Session, component: Any) -> None:
    """Remember what an imported component executes, unless it is trusted already."""
    _add(db, IMPORTED_KEY, digests(component) - _read(db, TRUSTED_KEY))


def blocked(db: Session, component: Any) -> list[Executable]:
    """The executables of `component` that came from an import and are not trusted."""
    untrusted = _read(db, IMPORTED_KEY) - _read(db, TRUSTED_KEY)
    return [e for e in executables(component) if e.digest in untrusted]


def trust_problems(db: Session, component: Any) -> list[Problem]:
    """An error at each blocked executable: a run would be refused."""
    return [Problem(e.path, f"imported {e.kind}, not trusted yet: review it and trust it before the team can run",
                    "error", UNTRUSTED) for e in blocked(db, component)]


def review_url(team_id: int) -> str:
    """The page that shows what a team executes that is not trusted yet, and trusts it."""
    return f"/teams/{team_id}/trust"


def trust_reviewed(db: Session, component: Any, reviewed: Iterable[str]) -> int:
    """Trust what the user reviewed: the `reviewed` digests still blocked in `component` (what changed since
    the page was shown stays blocked). Returns how many were trusted."""
    chosen = {e.digest for e in blocked(db, component)} & set(reviewed)
    _add(db, TRUSTED_KEY, chosen)
    return len(chosen)


__all__ = [
    "UNTRUSTED_MESSAGE",
    "Executable",
    "blocked",
    "digests",
    "executables",
    "note_imported",
    "review_url",
    "trust_all",
    "trust_problems",
    "trust_reviewed",
]
