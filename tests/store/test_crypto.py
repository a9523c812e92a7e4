"""Secrets at rest: Fernet with a key of their own (file 0600 or STUDIO_ENCRYPTION_KEY), plaintext sealed on
start, a wrong or missing key refused in one line without changing anything, rotation."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from studio.cli import main
from studio.settings import Settings
from studio.store import get_secret, list_credentials, save_credential, set_secret
from studio.store.crypto import (
    KEY_FILE,
    SecretBox,
    SecretKeyError,
    load_box,
    new_key,
    prepare_secrets,
    rotate,
    use_box,
)

KEY = "sk-secret-at-rest-0000abcd"


def _raw(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [row[0] for table in ("secret", "credential")
                for row in conn.execute(text(f"SELECT value FROM {table}"))]


def _settings(tmp_path: Path, key: str | None = None) -> Settings:
    return Settings(home=tmp_path / "home", database_url=None, encryption_key=key)


def test_the_key_file_is_made_once_and_private(tmp_path: Path) -> None:
    box = load_box(_settings(tmp_path))
    path = tmp_path / "home" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = box.seal(KEY)
    assert token.startswith("fernet:") and KEY not in token
    assert load_box(_settings(tmp_path)).open(token) == KEY  # the same key next time
    assert (tmp_path / "home" / "secret_key").exists() is False  # not the cookie key


def test_a_wrong_or_malformed_key_is_one_clear_line(tmp_path: Path) -> None:
    token = SecretBox([new_key()], "x").seal(KEY)
    with pytest.raises(SecretKeyError) as info:
        SecretBox([new_key()], "STUDIO_ENCRYPTION_KEY").open(token)
    assert "do not decrypt with the encryption key from STUDIO_ENCRYPTION_KEY" in str(info.value)
    assert "\n" not in str(info.value) and KEY not in str(info.value)
    with pytest.raises(SecretKeyError, match="is not a Fernet key"):
        load_box(_settings(tmp_path, "not-a-key"))


def test_plaintext_is_sealed_on_start_and_a_wrong_key_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    with engine.begin() as conn:  # as an older version left them
        conn.execute(text("INSERT INTO secret (name, value, updated_at) VALUES ('SERPAPI_KEY', :v, '2025-01-01')"),
                     {"v": KEY})
    key = new_key()
    engine_url_settings = Settings(home=tmp_path, database_url=str(engine.url), encryption_key=key)
    prepare_secrets(engine, engine_url_settings)
    sealed = _raw(engine)
    assert len(sealed) == 1 and sealed[0].startswith("fernet:") and KEY not in sealed[0]
    with Session(engine) as db:
        assert get_secret(db, "SERPAPI_KEY") == KEY
    with pytest.raises(SecretKeyError):
        prepare_secrets(engine, Settings(home=tmp_path, database_url=str(engine.url), encryption_key=new_key()))
    assert _raw(engine) == sealed  # nothing rewritten, nothing dropped


def test_rotation_with_the_key_file(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", database_url=str(engine.url))
    old = use_box(load_box(settings))
    with Session(engine) as db:
        save_credential(db, "openai", "https://api.openai.com/v1", KEY)
        set_secret(db, "SERPAPI_KEY", "serp-value-0000")
        db.commit()
    before = _raw(engine)
    count, where = rotate(engine, settings)
    assert count == 2 and where == str(tmp_path / "home" / KEY_FILE)
    after = _raw(engine)
    assert all(v.startswith("fernet:") for v in after) and not set(after) & set(before)
    assert len((tmp_path / "home" / KEY_FILE).read_text().split()) == 1
    with pytest.raises(SecretKeyError):
        old.open(after[0])
    use_box(load_box(settings))
    with Session(engine) as db:
        assert [v for _, v in list_credentials(db)] == [KEY] and get_secret(db, "SERPAPI_KEY") == "serp-value-0000"


def test_rotation_with_the_environment_and_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    old, new = new_key(), new_key()
    monkeypatch.setenv("STUDIO_ENCRYPTION_KEY", old)
    from studio.store import make_engine, migrate

    engine = make_engine(f"sqlite:///{home / 'studio.db'}")
    migrate(engine)
    prepare_secrets(engine, Settings(home=home))
    with Session(engine) as db:
        set_secret(db, "SERPAPI_KEY", "serp-value-0000")
        db.commit()

    monkeypatch.setenv("STUDIO_ENCRYPTION_KEY", new)  # the wrong key alone: a clear line, exit 1
    assert main(["rotate-key", "--home", str(home)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "do not decrypt" in err and "Traceback" not in err
    assert main(["ui", "--home", str(home), "--port", "0"]) == 1  # `studio ui` refuses to start the same way
    assert "studio ui: the saved secrets do not decrypt" in capsys.readouterr().err

    monkeypatch.setenv("STUDIO_ENCRYPTION_KEY", f"{new},{old}")
    assert main(["rotate-key", "--home", str(home)]) == 0
    assert "Re-encrypted 1 secret(s) with the first key of STUDIO_ENCRYPTION_KEY." in capsys.readouterr().out
    use_box(SecretBox([new], "new"))
    with Session(engine) as db:
        assert get_secret(db, "SERPAPI_KEY") == "serp-value-0000"
    engine.dispose()
    assert main(["rotate-key", "--generate"]) == 0
    SecretBox([capsys.readouterr().out.strip()], "printed")  # a valid key


def test_a_missing_key_file_is_named_as_such(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", database_url=str(engine.url))
    use_box(load_box(settings))
    with Session(engine) as db:
        set_secret(db, "SERPAPI_KEY", "serp-value-0000")
        db.commit()
    (tmp_path / "home" / KEY_FILE).unlink()  # lost
    with pytest.raises(SecretKeyError, match=r"\(just generated: there was no key file\)"):
        prepare_secrets(engine, settings)
    assert _raw(engine)[0].startswith("fernet:")  # still there, for when the key is restored
