"""Work the first requests of a new server would otherwise do while everyone else waits, done at start-up.

The `openai` package is imported when the first OpenAI client is built (so `studio validate` stays light)
and Jinja compiles a template the first time it renders it. In a server both would land on the event loop in the middle of
the first runs: under `bench/playground.py`'s 50 concurrent runs, the first replies waited 200–350 ms
behind them. `studio ui` calls `warm_up` before it serves, then freezes what it built (`gc.freeze`).
"""

from __future__ import annotations

import importlib
import pkgutil

from jinja2 import Environment

import studio.playground
import studio.runtime

IMPORTED_ON_FIRST_USE = ("openai",)
"""What the runtime imports only when it first needs it (the OpenAI clients' `openai`)."""


def warm_up(env: Environment) -> int:
    """Import every runtime and playground module (and what they import on first use) and compile every
    template; returns how many templates."""
    for package in (studio.runtime, studio.playground):
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            importlib.import_module(module.name)
    for name in IMPORTED_ON_FIRST_USE:
        importlib.import_module(name)
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        env.get_template(name)
    return len(names)


__all__ = ["warm_up"]
