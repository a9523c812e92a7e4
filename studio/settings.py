"""Studio's one settings object, read from `STUDIO_*` environment variables.

    settings = get_settings()                       # cached, from the environment
    settings = Settings(home=tmp, database_url=url)  # explicit overrides (tests, the CLI)

Every field is listed in the README's Settings table; keep the two in step.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import stat
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger("studio")
_REPO = Path(__file__).resolve().parents[1]
SECRET_KEY_FILE = "secret_key"


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Where Studio keeps its data and how `studio ui` serves it."""

    model_config = SettingsConfigDict(env_prefix="STUDIO_", extra="ignore", validate_default=True)

    home: Path = Field(
        default=Path("~/.studio"),
        description="Directory for Studio's data: the SQLite database and the generated secret key (kept private: "
        "mode 0700, its files 0600).",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy database URL, e.g. `postgresql://user@host/db`. "
            "Unset: a SQLite file `studio.db` in the home directory."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `studio ui` listens on.")
    port: int = Field(default=8081, ge=0, le=65535, description="Port `studio ui` listens on.")
    auth_token: SecretStr | None = Field(
        default=None,
        description="Password or token to sign in; required when the host is not a loopback address.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key that signs session cookies. Unset: generated once and kept in `secret_key` "
            "(mode 0600) in the home directory."
        ),
    )
    encryption_key: SecretStr | None = Field(
        default=None,
        description=(
            "Key that encrypts saved secrets (a Fernet key; several, comma-separated, while rotating). "
            "Unset: generated once and kept in `encryption_key` (mode 0600) in the home directory."
        ),
    )
    trust_proxy_headers: bool = Field(
        default=False,
        description="The studio is behind a reverse proxy on this machine: take the client's address and scheme "
        "from its `X-Forwarded-For` / `X-Forwarded-Proto` (sign-in limits per client, `Secure` cookies over https).",
    )
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024, gt=0, description="Largest request body accepted, in bytes (imports)."
    )
    input_timeout_seconds: float = Field(
        default=600, gt=0, description="How long a run waits for a user's reply before giving up."
    )
    live_conversations: int = Field(
        default=100, gt=0,
        description="Playground sessions whose team stays loaded between runs; past that the least recently "
        "used one starts its next run afresh.",
    )
    serve_api_key: SecretStr | None = Field(
        default=None, description="Bearer key that `studio serve` requires (its `--api-key` wins). Unset: none."
    )
    serve_max_concurrent_runs: int = Field(
        default=8, gt=0, description="Runs `studio serve` takes at once; more are refused with a 429."
    )
    serve_run_timeout_seconds: float = Field(
        default=300, gt=0, description="A run of `studio serve` is cancelled after this long."
    )
    allow_unsandboxed: bool = Field(
        default=False,
        description="Run tool and code-executor code without the bubblewrap sandbox where `bwrap` cannot run. "
        "Unset: such code does not run there.",
    )
    gallery_allow_private_urls: bool = Field(
        default=False,
        description="Let gallery import from a URL reach loopback, private and link-local addresses (refused by "
        "default: a URL must not reach services inside this machine or network).",
    )
    gallery_dir: Path = Field(
        default=_REPO / "gallery", description="Directory of team templates seeded into the gallery."
    )
    frontend_dir: Path = Field(
        default=_REPO / "frontend", description="Directory holding the web templates and static files."
    )

    @field_validator("home", "gallery_dir", "frontend_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("database_url", "auth_token", "secret_key", "encryption_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _require_auth_off_loopback(self) -> Settings:
        if not is_loopback(self.host) and self.auth_token is None:
            raise ValueError(
                f"host {self.host!r} is reachable from other machines, so STUDIO_AUTH_TOKEN "
                "must be set (or listen on 127.0.0.1)"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL in use: `database_url`, or the SQLite file in `home`."""
        return self.database_url or f"sqlite:///{self.home / 'studio.db'}"

    @property
    def requires_auth(self) -> bool:
        """True when sign-in is needed: listening off loopback, or a token is configured."""
        return self.auth_token is not None or not is_loopback(self.host)

    def configure_runtime(self) -> None:
        """Pass the settings the runtime needs (it never reads them itself: it runs alone)."""
        from studio.runtime.isolation import allow_unsandboxed

        allow_unsandboxed(self.allow_unsandboxed)

    def prepare_home(self) -> Path:
        """The home directory, created private (0700); one found open to others is made private, with a
        one-line notice (it holds the database and the signing key)."""
        home = self.home
        if not home.is_dir():
            home.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = stat.S_IMODE(home.stat().st_mode)
        if mode & 0o077:
            home.chmod(mode & 0o700)
            logger.warning("Studio home %s was open to other users (mode %04o): made it private (%04o).",
                           home, mode, mode & 0o700)
        return home

    def session_secret(self) -> str:
        """The cookie-signing key: `secret_key`, else one generated once and kept in `home`."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.home / SECRET_KEY_FILE
        try:
            return _read_key(path)
        except FileNotFoundError:
            pass
        self.prepare_home()
        key = secrets.token_urlsafe(32)
        return key if create_private_file(path, key + "\n") else _read_key(path)


def create_private_file(path: Path, text: str) -> bool:
    """Write `text` to a new file `path`, mode 0600: a private temp file linked into place, so readers never
    see a partial file, and when two processes race the first link wins. False if `path` already exists."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)
    return True


def _read_key(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"{path} is empty; delete it to generate a new key")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, built once (`get_settings.cache_clear()` to re-read)."""
    return Settings()


__all__ = ["Settings", "get_settings", "is_loopback"]
