"""Trust in tool code: FunctionTool source from an imported gallery must be accepted before it runs.

Two sets of source hashes live in the preferences: `tools.imported` (code that arrived in an imported
gallery) and `tools.trusted` (code the user accepted, and all built-in code). A run is refused only for
code that is imported and not trusted, so code the user types in the builder is never blocked.

Such code is a problem of the team (`trust_problems`, kind `UNTRUSTED`) wherever a team is validated: the
Builder, `/api/teams/{id}/validate`, the playground's refusal. It is trusted on the gallery item's page, or
for a team on its review page (`review_url`), which shows exactly the code that will run and trusts only that
(`trust_hashes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from studio.components import UNTRUSTED, Problem, get_spec
from studio.store import preferences

from .team_files import components_in

TRUSTED_KEY = "tools.trusted"
IMPORTED_KEY = "tools.imported"
FUNCTION_TOOL = "autogen_core.tools.FunctionTool"
UNTRUSTED_MESSAGE = "This team has tool code from an imported gallery that you have not trusted yet"
TRUST_ACTION = "Review and trust the code"


def tool_code(component: Any, prefix: str = "") -> list[tuple[str, str]]:
    """(JSON path of the tool, its source code) of every FunctionTool in a component, at any depth."""
    found = []
    for path, envelope in components_in(component, prefix):
        spec = get_spec(envelope["provider"])
        source = envelope["config"].get("source_code")
        if spec is not None and spec.provider == FUNCTION_TOOL and isinstance(source, str):
            found.append((path, source))
    return found


def code_hash(source: str) -> str:
    """The identity of a tool's code: sha256 of its source, surrounding blank space ignored."""
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()


def hashes_of(component: Any) -> set[str]:
    return {code_hash(source) for _, source in tool_code(component)}


def _read(db: Session, key: str) -> set[str]:
    value = preferences.get_setting(db, key, default=[])
    return {h for h in value if isinstance(h, str)} if isinstance(value, list) else set()


def _add(db: Session, key: str, hashes: Iterable[str]) -> None:
    current = _read(db, key)
    merged = current | set(hashes)
    if merged != current:
        preferences.set_setting(db, key, sorted(merged))


def trust_code(db: Session, component: Any) -> None:
    """Accept every tool code in `component` (built-in items, or the user's decision)."""
    _add(db, TRUSTED_KEY, hashes_of(component))


def note_imported_code(db: Session, component: Any) -> None:
    """Remember the tool code of an imported component that is not trusted yet."""
    _add(db, IMPORTED_KEY, hashes_of(component) - _read(db, TRUSTED_KEY))


def blocked_tool_code(db: Session, component: Any) -> list[tuple[str, str]]:
    """(JSON path, source) of the tools in `component` whose code came from an import and is not trusted."""
    blocked = _read(db, IMPORTED_KEY) - _read(db, TRUSTED_KEY)
    return [(path, source) for path, source in tool_code(component) if code_hash(source) in blocked]


def trust_problems(db: Session, component: Any) -> list[Problem]:
    """An error at each tool whose imported code is not trusted yet: the run would refuse it."""
    return [Problem(path, "tool code from an imported gallery, not trusted yet: review it and trust it before "
                          "the team can run", "error", UNTRUSTED) for path, _ in blocked_tool_code(db, component)]


def review_url(team_id: int) -> str:
    """The page that shows a team's untrusted tool code and trusts it."""
    return f"/teams/{team_id}/trust"


def trust_hashes(db: Session, component: Any, hashes: Iterable[str]) -> int:
    """Trust the code the user reviewed: the `hashes` shown that are still blocked in `component` (code that
    changed since the page was shown stays blocked). Returns how many were trusted."""
    blocked = {code_hash(source) for _, source in blocked_tool_code(db, component)}
    chosen = blocked & set(hashes)
    _add(db, TRUSTED_KEY, chosen)
    return len(chosen)


__all__ = [
    "TRUST_ACTION",
    "UNTRUSTED_MESSAGE",
    "review_url",
    "trust_hashes",
    "trust_problems",
    "blocked_tool_code",
    "code_hash",
    "hashes_of",
    "note_imported_code",
    "tool_code",
    "trust_code",
]
