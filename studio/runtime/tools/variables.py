"""Variables for tools (Settings' named secrets) as tools use them: `${NAME}` references in text, their
substitution at call time, and their values kept out of what a tool returns.

A tool declares the variables it reads (`variables`, a list of names) and gets their values at run time only
(`variable_values`, never written); a FunctionTool reads them from its environment, an HttpTool's headers
name them as `${NAME}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["MASK", "hide_values", "missing_message", "references", "substitute"]

MASK = "**********"
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SHORTEST_HIDDEN = 6  # shorter values would mask ordinary words in a tool's output


def references(text: str) -> list[str]:
    """The variable names `text` refers to as `${NAME}`, in order, each once."""
    return list(dict.fromkeys(_REFERENCE.findall(text)))


def substitute(text: str, values: Mapping[str, str]) -> str:
    """`text` with each `${NAME}` replaced by its value (a name without a value stays as written)."""
    return _REFERENCE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def hide_values(text: str, values: Iterable[str]) -> str:
    """`text` with each variable value (of 6 characters or more) masked: a tool echoing its key does not put
    it into events or traces."""
    for value in values:
        if len(value) >= _SHORTEST_HIDDEN:
            text = text.replace(value, MASK)
    return text


def missing_message(tool: str, missing: list[str]) -> str:
    """The error a tool call gets when Settings holds no value for variables the tool reads."""
    return (f"Tool '{tool}' needs the variable{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
            "add it under Variables for tools in Settings")
