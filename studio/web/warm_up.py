"""Work the first requests of a new server would otherwise do while everyone else waits, done at start-up.

The runtime's classes are imported on first use (so `studio validate` stays light) and Jinja compiles a
template the first time it renders it. In a server both would land on the event loop in the middle of
the first runs: under `bench/playground.py`'s 50 concurrent runs, the first replies waited 200–350 ms
behind them. `studio ui` calls `warm_up` before it serves, then freezes what it built (`gc.freeze`).
"""

from __future__ import annotations

import importlib
import pkgutil

from jinja2 import Environment

import studio.playground
import studio.runtime


def warm_up(env: Environment) -> int:
    """Import every runtime and playground module and compile every template; returns how many templates."""
    for package in (studio.runtime, studio.playground):
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            importlib.import_module(module.name)
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        env.get_template(name)
    return len(names)


__all__ = ["warm_up"]
