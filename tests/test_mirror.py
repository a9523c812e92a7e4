"""The tests mirror the code: each module of `studio/` with logic has its test module at the mirrored path.

The rule (the README's "Layout" says it too):
- `studio/a/b.py` is tested in `tests/a/test_b.py`; a package's own code, `studio/a/__init__.py`, in
  `tests/a/test_a.py` (`studio/__init__.py` in `tests/test_studio.py`).
- A module has logic when a function or method in it does something: declarations (models, enums,
  constants, re-exports) and interfaces (abstract methods, bodies of only `...`, `pass`, `return None` or
  a docstring) need no test module of their own.
- A private module (`_name.py`) is a part of its package's public modules and is tested through them.
- Test modules that mirror nothing are the cross-cutting ones, named for what they check (journeys,
  hostile input, secrets never leaking; `tests/compat/`, `tests/security/`, `tests/browser/`).
- The deliberate exceptions are `EXCEPTIONS` below, each with its reason; the test fails when one is stale.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE, TESTS = ROOT / "studio", ROOT / "tests"

EXCEPTIONS: dict[str, str] = {
    "studio/runtime/isolation/__init__.py": "the sandbox is tested from outside, against hostile tools and code, in "
                                            "tests/security/ (and through every tool and executor test)",
    "studio/runtime/models/types.py": "AutoGen's LLM message shapes: declarations, and default_model_info(), a constant",
    "studio/store/models.py": "table declarations; tests/store/test_migrations.py checks them against the migrations",
    "studio/web/builder_view.py": "the Builder page's view-model, tested through the page: routes/test_builder.py",
    "studio/web/gallery_view.py": "the Gallery page's view-model, tested through the page: routes/test_gallery.py",
    "studio/web/playground_view.py": "the Playground's view-model, tested through the page: routes/test_playground.py",
    "studio/web/deps.py": "the FastAPI dependencies every route takes: every route test goes through them",
    "studio/web/downloads.py": "one Response helper: the export tests of each page that downloads check its header "
                               "(routes/test_teams.py, test_api_teams.py, test_builder.py, test_playground.py)",
    "studio/web/file_upload.py": "reads an API import's body or upload: tested by the import tests of "
                                 "routes/test_api_teams.py and routes/test_api_galleries.py",
    "studio/web/server.py": "`studio ui` starting up, tested by starting it: tests/security/test_startup_warning.py, "
                            "tests/web/test_auth.py and the browser tests' studio_server fixture",
}


def mirrored(module: Path) -> Path:
    """Where the tests of `module` (a path under studio/) live."""
    parts = module.relative_to(CODE).parts
    if parts[-1] == "__init__.py":
        package = parts[-2] if len(parts) > 1 else "studio"
        return TESTS.joinpath(*parts[:-1], f"test_{package}.py")
    return TESTS.joinpath(*parts[:-1], f"test_{parts[-1]}")


def _does_something(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if any(ast.unparse(d).endswith("abstractmethod") for d in function.decorator_list):
        return False
    return not all(_does_nothing(statement) for statement in function.body)


def _does_nothing(statement: ast.stmt) -> bool:
    """`pass`, `...`, a docstring, `return` or `return None`."""
    if isinstance(statement, ast.Return):
        return statement.value is None or (isinstance(statement.value, ast.Constant) and statement.value.value is None)
    return isinstance(statement, ast.Pass) or (isinstance(statement, ast.Expr) and isinstance(statement.value,
                                                                                               ast.Constant))


def has_logic(module: Path) -> bool:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return any(_does_something(node) for node in ast.walk(tree)
               if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def modules_needing_tests() -> list[str]:
    """Modules of studio/ the rule applies to, as paths relative to the checkout."""
    found = []
    for module in sorted(CODE.rglob("*.py")):
        if "migrations" in module.relative_to(CODE).parts or module.name.startswith("_") and module.name != "__init__.py":
            continue
        if has_logic(module):
            found.append(module.relative_to(ROOT).as_posix())
    return found


def test_every_module_with_logic_has_its_mirrored_test_module() -> None:
    missing = [f"{name} -> {mirrored(ROOT / name).relative_to(ROOT)}" for name in modules_needing_tests()
               if name not in EXCEPTIONS and not mirrored(ROOT / name).exists()]
    assert missing == [], "test modules missing (write one, move the module's tests there, or add an exception):\n" + \
        "\n".join(missing)


def test_the_exceptions_are_not_stale() -> None:
    needing = set(modules_needing_tests())
    stale = [name for name in EXCEPTIONS if name not in needing or mirrored(ROOT / name).exists()]
    assert stale == [], f"exceptions to remove (the module is gone, has no logic, or now has its test module): {stale}"


def test_the_rule_on_examples() -> None:
    assert mirrored(CODE / "playground" / "broker.py") == TESTS / "playground" / "test_broker.py"
    assert mirrored(CODE / "runtime" / "models" / "__init__.py") == TESTS / "runtime" / "models" / "test_models.py"
    assert mirrored(CODE / "__init__.py") == TESTS / "test_studio.py"
    assert has_logic(CODE / "playground" / "broker.py")
    assert not has_logic(CODE / "runtime" / "teams" / "__init__.py")  # re-exports
