"""Studio: build multi-agent teams visually, run them anywhere. This is its Python API.

    from studio import load_component
    team = load_component("team.json")
    result = await team.run(task="Write a haiku")

Names are imported on first use, so `import studio.runtime` alone stays light.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "load_component": "studio.components",
    "dump_component": "studio.components",
    "validate_component": "studio.components",
    "ComponentValidationError": "studio.components",
    "CancellationToken": "studio.runtime.cancellation",
    "TaskResult": "studio.runtime.messages",
}
__all__ = [*_EXPORTS, "load_team"]


def __getattr__(name: str) -> Any:
    if name == "load_team":  # the name exported scripts use
        name = "load_component"
    if name not in _EXPORTS:
        raise AttributeError(f"module 'studio' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
