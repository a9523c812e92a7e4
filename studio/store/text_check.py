"""One check of the text bound for the database, whatever the table: no NUL characters (PostgreSQL
refuses them in text and JSON) and no lone surrogates (no UTF-8 encoder writes them). Run before
every flush, so a row that holds one fails with `UnstorableTextError` naming the field and the JSON
path inside it, on SQLite and PostgreSQL alike, instead of a driver error on one of them.

What people send is refused (they can fix it); what runs produce (model replies, tool output, errors) is
recorded with such characters replaced by U+FFFD (`scrub`), so a run is never lost to one byte."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session

from studio.http.json_input import join

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class UnstorableTextError(ValueError):
    """A value the database cannot keep, at `path` (`label`, `component.config.participants[0].name`)."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


def unstorable_at(value: Any, path: str) -> tuple[str, str] | None:
    """(path, why) of the first text in `value` (a string, or JSON) the database cannot keep, or None."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            found = _UNSTORABLE.search(item)
            if found:
                return where, _why(found.group())
        elif isinstance(item, dict):
            for key, child in item.items():
                found = _UNSTORABLE.search(key) if isinstance(key, str) else None
                if found:
                    return where, "a key " + _why(found.group()).removeprefix("the text ")
                stack.append((join(where, key), child))
        elif isinstance(item, (list, tuple)):
            stack.extend((join(where, i), child) for i, child in enumerate(item))
    return None


def scrub(value: Any) -> Any:
    """`value` (text, or JSON) with every NUL and lone surrogate replaced by U+FFFD; unchanged when clean."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def check_row(row: Any) -> None:
    """`UnstorableTextError` for the first column value of `row` the database cannot keep."""
    state = inspect(row)
    for attribute in state.mapper.column_attrs:
        found = unstorable_at(state.dict.get(attribute.key), attribute.key)
        if found:
            raise UnstorableTextError(*found)


def _why(char: str) -> str:
    if char == "\x00":
        return "the text holds a NUL character (\\u0000), which cannot be saved"
    return "the text holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for row in (*session.dirty, *session.new):  # a change to an existing row explains the rows it adds
        check_row(row)


__all__ = ["UnstorableTextError", "check_row", "scrub", "unstorable_at"]
