"""Trust in tool code (services/tool_trust.py): code from an imported gallery is a problem of every team that
holds it until the user trusts exactly that code; code typed in the Builder is never blocked."""

from __future__ import annotations

import copy

from sqlmodel import Session

from studio.components import UNTRUSTED
from studio.services.tool_trust import (
    code_hash,
    note_imported_code,
    tool_code,
    trust_code,
    trust_hashes,
    trust_problems,
)

from .helpers import assistant, openai_client, round_robin

SOURCE = "def add(a: int, b: int) -> int:\n    return a + b\n"


def with_tool(source: str = SOURCE) -> dict:
    agent = assistant("calc", openai_client())
    agent["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticWorkbench", "component_type": "workbench",
                                     "config": {"tools": [{"provider": "autogen_core.tools.FunctionTool",
                                                           "component_type": "tool",
                                                           "config": {"source_code": source, "name": "add",
                                                                      "description": "Adds.", "global_imports": [],
                                                                      "has_cancellation_support": False}}]}}]
    return round_robin(agent)


TOOL_PATH = "config.participants[0].config.workbench[0].config.tools[0]"


def test_every_function_tool_is_found_at_its_path_and_its_code_known_by_its_hash() -> None:
    assert tool_code(with_tool()) == [(TOOL_PATH, SOURCE)]
    assert code_hash(SOURCE) == code_hash(f"\n{SOURCE}  \n") != code_hash(SOURCE.replace("+", "-"))


def test_imported_code_is_a_problem_until_trusted(db: Session) -> None:
    team = with_tool()
    assert trust_problems(db, team) == []  # typed in the Builder: never blocked
    note_imported_code(db, team)
    problems = trust_problems(db, team)
    assert [(p.path, p.kind, p.severity) for p in problems] == [(TOOL_PATH, UNTRUSTED, "error")]
    trust_code(db, team)
    assert trust_problems(db, team) == []


def test_the_review_trusts_only_the_code_it_showed(db: Session) -> None:
    shown, changed = with_tool(), with_tool(SOURCE.replace("a + b", "a * b"))
    note_imported_code(db, shown)
    note_imported_code(db, changed)
    assert trust_hashes(db, copy.deepcopy(changed), [code_hash(SOURCE)]) == 0  # what was shown is not what runs
    assert trust_problems(db, changed) and trust_hashes(db, shown, [code_hash(SOURCE)]) == 1
    assert trust_problems(db, shown) == [] and trust_problems(db, changed) != []
