"""Settings (JSON values) and secrets (never in a repr, a log line or an error message)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from studio.store import (
    Secret,
    delete_secret,
    delete_setting,
    get_secret,
    get_setting,
    list_secret_names,
    set_secret,
    set_setting,
)

PLANTED = "sk-planted-0123456789abcdef"


@pytest.mark.parametrize("value", [{"model": "gpt-4o", "temperature": 0.2}, ["a", 1], "text", 3, True])
def test_settings_hold_any_json_value(db: Session, value: object) -> None:
    assert get_setting(db, "k") is None
    assert get_setting(db, "k", "fallback") == "fallback"
    set_setting(db, "k", value)
    db.commit()
    db.expire_all()
    assert get_setting(db, "k") == value
    set_setting(db, "k", {"replaced": True})
    assert get_setting(db, "k") == {"replaced": True}
    assert delete_setting(db, "k") is True
    assert delete_setting(db, "k") is False


def test_secrets_set_get_replace_list_delete(db: Session) -> None:
    set_secret(db, "OPENAI_API_KEY", PLANTED)
    set_secret(db, "AZURE_OPENAI_API_KEY", "az")
    db.commit()
    db.expire_all()
    assert get_secret(db, "OPENAI_API_KEY") == PLANTED
    set_secret(db, "OPENAI_API_KEY", "sk-new")
    assert get_secret(db, "OPENAI_API_KEY") == "sk-new"
    assert list_secret_names(db) == ["AZURE_OPENAI_API_KEY", "OPENAI_API_KEY"]
    assert delete_secret(db, "AZURE_OPENAI_API_KEY") is True
    assert delete_secret(db, "AZURE_OPENAI_API_KEY") is False
    assert get_secret(db, "AZURE_OPENAI_API_KEY") is None


def test_a_secret_stays_out_of_reprs_logs_and_errors(
    engine: Engine, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    set_secret(db, "OPENAI_API_KEY", PLANTED)
    db.commit()
    row = db.get(Secret, "OPENAI_API_KEY")
    assert PLANTED not in repr(row) and PLANTED not in str(row)
    with Session(engine) as other, pytest.raises(IntegrityError) as error:
        other.add(Secret(name="OPENAI_API_KEY", value=PLANTED))  # a clash makes SQLAlchemy raise
        other.flush()
    assert PLANTED not in str(error.value)
    assert PLANTED not in caplog.text
