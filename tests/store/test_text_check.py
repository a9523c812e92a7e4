"""Text bound for the database (store/text_check.py): a NUL or a lone surrogate anywhere in a row is refused
before the flush, naming the field and the JSON path inside it, on SQLite and PostgreSQL alike; what runs
produce is scrubbed instead."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from studio.store import create_team
from studio.store.text_check import UnstorableTextError, scrub, unstorable_at


def test_the_first_unstorable_text_is_found_at_its_path() -> None:
    assert unstorable_at({"config": {"participants": [{"name": "ok"}, {"name": "a\x00b"}]}}, "component") == (
        "component.config.participants[1].name", "the text holds a NUL character (\\u0000), which cannot be saved")
    assert unstorable_at({"bad\ud800key": 1}, "meta") == (
        "meta", "a key holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text")
    assert unstorable_at({"fine": ["text", 1, None]}, "x") is None


def test_scrub_replaces_what_no_database_holds_and_keeps_the_rest() -> None:
    assert scrub({"a\x00": ["b\ud800", 3]}) == {"a\ufffd": ["b\ufffd", 3]}
    clean = {"a": ["b"]}
    assert scrub(clean) == clean


def test_a_row_holding_one_fails_its_flush_naming_the_field(db: Session) -> None:
    with pytest.raises(UnstorableTextError) as refused:
        create_team(db, component={"provider": "x", "config": {"name": "w\x00"}}, label="T")
        db.flush()
    assert refused.value.path == "component.config.name"
    db.rollback()
