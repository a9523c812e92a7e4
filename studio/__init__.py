"""Studio: build multi-agent teams visually, run them anywhere. This is its Python API.

    from studio import load_component
    team = load_component("team.json")
    result = await team.run(task="Write a haiku")

Names are imported on first use, so `import studio.runtime` alone stays light; type checkers see the real
definitions.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studio.components import ComponentValidationError, dump_component, load_component, validate_component
    from studio.runtime.cancellation import CancellationToken
    from studio.runtime.messages import TaskResult

    load_team = load_component

_EXPORTS = {
    "load_component": "studio.components",
    "dump_component": "studio.components",
    "validate_component": "studio.components",
    "ComponentValidationError": "studio.components",
    "CancellationToken": "studio.runtime.cancellation",
    "TaskResult": "studio.runtime.messages",
}
__all__ = [
    "CancellationToken",
    "ComponentValidationError",
    "TaskResult",
    "dump_component",
    "load_component",
    "load_team",
    "validate_component",
]


def __getattr__(name: str) -> Any:  # the lazy import; `TYPE_CHECKING` above gives each name its type
    if name == "load_team":  # the name exported scripts use
        name = "load_component"
    if name not in _EXPORTS:
        raise AttributeError(f"module 'studio' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
