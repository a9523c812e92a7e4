"""The app's routers (web/routes/__init__.py): every module of the package is included, once."""

from __future__ import annotations

from pathlib import Path

from studio.web import routes


def test_every_route_module_is_included_once() -> None:
    modules = {path.stem for path in Path(routes.__file__).parent.glob("*.py") if path.stem != "__init__"}
    assert sorted(routes.ROUTER_MODULES) == sorted(modules)  # a module left out would serve nothing
