"""Studio's settings: the STUDIO_ prefix, defaults, the database URL and the cookie key."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

import studio
from studio.settings import Settings, get_settings, is_loopback

REPO = Path(studio.__file__).parents[1]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No STUDIO_ variables from the outside, HOME in a temp dir, and a fresh cache."""
    import os

    for name in list(os.environ):
        if name.startswith("STUDIO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults(tmp_path: Path) -> None:
    settings = Settings()
    assert settings.home == tmp_path / "user" / ".studio"
    assert (settings.database_url, settings.host, settings.port) == (None, "127.0.0.1", 8081)
    assert settings.auth_token is None and settings.secret_key is None
    assert settings.max_body_bytes == 5 * 1024 * 1024
    assert settings.input_timeout_seconds == 600
    assert settings.gallery_dir == REPO / "gallery"
    assert (settings.gallery_dir / "teams" / "writer-critic.json").exists()
    assert settings.frontend_dir == REPO / "frontend"
    assert settings.requires_auth is False


def test_environment_variables_use_the_studio_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("STUDIO_PORT", "9000")
    monkeypatch.setenv("STUDIO_MAX_BODY_BYTES", "1024")
    monkeypatch.setenv("STUDIO_INPUT_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("STUDIO_GALLERY_DIR", "~/templates")
    monkeypatch.setenv("PORT", "1")  # unprefixed names are not ours
    settings = Settings()
    assert settings.home == tmp_path / "data"
    assert (settings.port, settings.max_body_bytes, settings.input_timeout_seconds) == (9000, 1024, 2.5)
    assert settings.gallery_dir == tmp_path / "user" / "templates"


def test_explicit_arguments_override_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_PORT", "9000")
    monkeypatch.setenv("STUDIO_DATABASE_URL", "postgresql://env@host/db")
    settings = Settings(home=tmp_path, database_url="sqlite:///elsewhere.db", port=8123)
    assert (settings.home, settings.port) == (tmp_path, 8123)
    assert settings.resolved_database_url == "sqlite:///elsewhere.db"


def test_database_url_defaults_to_sqlite_in_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert Settings(home=tmp_path).resolved_database_url == f"sqlite:///{tmp_path}/studio.db"
    monkeypatch.setenv("STUDIO_DATABASE_URL", "")  # empty counts as unset
    assert Settings(home=tmp_path).resolved_database_url == f"sqlite:///{tmp_path}/studio.db"
    monkeypatch.setenv("STUDIO_DATABASE_URL", "postgresql://postgres@127.0.0.1/studio")
    assert Settings(home=tmp_path).resolved_database_url == "postgresql://postgres@127.0.0.1/studio"


def test_secret_key_is_generated_once_private_and_reused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = Settings(home=tmp_path / "home").session_secret()
    path = tmp_path / "home" / "secret_key"
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(home=tmp_path / "home").session_secret() == first
    monkeypatch.chdir(tmp_path)
    assert Settings(home="home").home == tmp_path / "home"  # relative to where Studio starts
    assert Settings(home=tmp_path / "other").session_secret() != first
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["secret_key"]  # no temp files left


def test_a_configured_secret_key_wins_and_writes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_SECRET_KEY", "from-env")
    assert Settings(home=tmp_path).session_secret() == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_listening_off_loopback_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="STUDIO_AUTH_TOKEN"):
        Settings(host="0.0.0.0")
    settings = Settings(host="0.0.0.0", auth_token="t0ken")
    assert settings.requires_auth and settings.auth_token.get_secret_value() == "t0ken"
    for host in ("localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"):
        assert is_loopback(host) and Settings(host=host).host == host
    assert not is_loopback("192.168.1.10") and not is_loopback("example.com")


def test_secrets_stay_out_of_the_repr() -> None:
    settings = Settings(auth_token="tok-planted", secret_key="key-planted")
    assert "tok-planted" not in repr(settings) and "key-planted" not in repr(settings)


def test_get_settings_is_cached_until_cleared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_PORT", "9001")
    assert get_settings() is get_settings()
    assert get_settings().port == 9001
    monkeypatch.setenv("STUDIO_PORT", "9002")
    assert get_settings().port == 9001
    get_settings.cache_clear()
    assert get_settings().port == 9002


def test_every_setting_is_described_and_listed_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(STUDIO_[A-Z_]+)`", section))
    fields = Settings.model_fields
    assert listed == {f"STUDIO_{name.upper()}" for name in fields}
    for name, field in fields.items():
        assert field.description, f"{name} has no description"


def test_the_home_is_created_private(tmp_path: Path) -> None:
    home = tmp_path / "new" / "home"
    Settings(home=home).prepare_home()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_an_open_home_is_made_private_with_a_notice(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    settings = Settings(home=home)
    with caplog.at_level("WARNING", logger="studio"):
        settings.session_secret()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert [r.getMessage() for r in caplog.records] == [
        f"Studio home {home} was open to other users (mode 0755): made it private (0700)."]
    assert stat.S_IMODE((home / "secret_key").stat().st_mode) == 0o600
    caplog.clear()
    settings.prepare_home()
    assert caplog.records == []  # already private: nothing to say
