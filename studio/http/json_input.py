"""Untrusted JSON text read into Python values, refusing what would fail later with an error of its own.

    value = loads(body)          # raises JSONInputError(path, message)

Refused, each with the JSON path where it is (`config.participants[0].label`; `""` is the whole document):
NaN and Infinity (not JSON; Python reads them), integers over `MAX_INT_DIGITS` digits (Python refuses to
convert them), nesting deeper than `MAX_DEPTH` (Python's parser runs out of stack) and strings holding a
lone surrogate such as `\\ud800` (no UTF-8 encoder can write them, so no database or response can hold
them). Every JSON body and file the studio reads goes through here: `team_files.parse_json` and
`json_body.JSONBodyMiddleware`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 200
"""Deepest nesting of arrays and objects accepted: AutoGen teams need a few dozen levels at most."""
MAX_INT_DIGITS = 4000
"""Longest integer accepted (Python refuses to convert more than 4,300 digits)."""


class JSONInputError(ValueError):
    """Untrusted JSON that cannot be read or kept, at `path` (a JSON path; "" is the whole document)."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}" if path else message)


def join(path: str, key: str | int) -> str:
    """`path` extended by an object key or an array index, as the studio writes JSON paths."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    step = key if key.isidentifier() else f"[{json.dumps(key)}]"
    return path + step if not path or step.startswith("[") else f"{path}.{step}"


def join_path(prefix: str, path: str) -> str:
    """A JSON path relative to the value at `prefix`, made relative to the whole document."""
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix + path if path.startswith("[") else f"{prefix}.{path}"


def loads(text: str | bytes | bytearray) -> Any:
    """The value of a JSON text; `JSONInputError` for bad JSON or any value above."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JSONInputError("", "the file is not UTF-8 text") from None
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_int=_int)
    except _BigInteger as exc:
        raise JSONInputError(_path_at(text, exc.position(text)),
                             f"an integer of more than {MAX_INT_DIGITS:,} digits") from None
    except _Constant as exc:
        raise JSONInputError(_path_at(text, text.find(exc.name)),
                             f"{exc.name} is not a JSON number") from None
    except RecursionError:
        raise JSONInputError(_path_at(text, _too_deep_at(text)), f"nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise JSONInputError("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    check_value(value)
    return value


def check_value(value: Any, path: str = "") -> None:
    """`JSONInputError` when `value` (already parsed) nests too deep or holds a lone surrogate."""
    stack: list[tuple[str, Any, int]] = [(path, value, 0)]
    while stack:
        where, item, depth = stack.pop()
        if isinstance(item, str):
            if has_surrogate(item):
                raise JSONInputError(where, "the text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
        elif isinstance(item, (dict, list)):
            if depth >= MAX_DEPTH:
                raise JSONInputError(where, f"nested more than {MAX_DEPTH} levels deep")
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str) and has_surrogate(key):
                    raise JSONInputError(where, "a key holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
                stack.append((join(where, key), child, depth + 1))
        elif isinstance(item, float) and not math.isfinite(item):
            raise JSONInputError(where, "NaN and Infinity are not JSON numbers")


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


class _Constant(ValueError):
    def __init__(self, name: str) -> None:
        self.name = name


class _BigInteger(ValueError):
    def __init__(self, digits: str) -> None:
        self.digits = digits

    def position(self, text: str) -> int:
        return text.find(self.digits)


def _no_constant(name: str) -> Any:
    raise _Constant(name)


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _BigInteger(digits)
    return int(digits)


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _too_deep_at(text: str) -> int:
    """Where nesting first passes `MAX_DEPTH` (strings skipped), or -1."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return -1


def _path_at(text: str, position: int) -> str:
    """The JSON path of the value at character `position` of `text` (scanned, not parsed: works on text
    Python's parser cannot read)."""
    if position < 0:
        return ""
    # One frame per open container: [is_object, current key or index, expecting a key].
    frames: list[list[Any]] = []
    for match in _TOKENS.finditer(text, 0, position):
        token = match.group()
        if token.startswith('"'):
            if frames and frames[-1][0] and frames[-1][2]:
                try:
                    frames[-1][1] = json.loads(token)
                except ValueError:
                    frames[-1][1] = token.strip('"')
                frames[-1][2] = False
        elif token == "{":
            frames.append([True, None, True])
        elif token == "[":
            frames.append([False, 0, False])
        elif token in "]}":
            if frames:
                frames.pop()
        elif token == ",":
            if frames and frames[-1][0]:
                frames[-1][2] = True
            elif frames:
                frames[-1][1] += 1
    path = ""
    for is_object, key, expecting_key in frames:
        if key is None or (is_object and expecting_key):
            break
        path = join(path, key)
    return path


__all__ = ["MAX_DEPTH", "MAX_INT_DIGITS", "JSONInputError", "check_value", "has_surrogate", "join", "join_path",
           "loads"]
