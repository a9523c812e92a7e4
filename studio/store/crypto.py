"""Secrets encrypted at rest (Fernet, from `cryptography`), with a key of their own.

The key is not the cookie-signing `secret_key`: it is `STUDIO_ENCRYPTION_KEY` when set, else a key
generated once and kept in `encryption_key` (mode 0600) in the studio home. `STUDIO_ENCRYPTION_KEY` may
list several keys, comma-separated: the first encrypts, every one decrypts (for rotation, see
`rotate`). A stored value is `fernet:<token>`; a value without that prefix is plaintext from before
encryption, sealed on start (`seal_plaintext`).

The process has one `SecretBox` (`use_box`, set when the app or the CLI opens its database; `box()`
reads it). A value that does not decrypt raises `SecretKeyError` with a one-line message: secrets are
never dropped or returned undecrypted.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from studio.settings import create_private_file

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from studio.settings import Settings

logger = logging.getLogger(__name__)

PREFIX = "fernet:"
KEY_FILE = "encryption_key"
KEY_ENV = "STUDIO_ENCRYPTION_KEY"


class SecretKeyError(RuntimeError):
    """The encryption key is missing, malformed, or not the one the secrets were saved with."""


class SecretBox:
    """Encrypts and decrypts stored secrets with the first of `keys`; decrypts with any of them."""

    def __init__(self, keys: list[str], where: str) -> None:
        if not keys:
            raise SecretKeyError(f"no encryption key in {where}")
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys])
        except (ValueError, TypeError):
            raise SecretKeyError(
                f"the encryption key in {where} is not a Fernet key (32 url-safe base64-encoded bytes); "
                "`studio rotate-key --generate` prints a new one"
            ) from None
        self.where = where

    @classmethod
    def generate(cls) -> SecretBox:
        """A box with a new random key (tests)."""
        return cls([new_key()], "a generated key")

    def seal(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode()).decode()

    def open(self, stored: str) -> str:
        if not is_sealed(stored):
            return stored  # plaintext from before encryption: `seal_plaintext` seals it on start
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise SecretKeyError(
                f"the saved secrets do not decrypt with the encryption key from {self.where}: "
                f"use the key they were saved with ({KEY_ENV} or the {KEY_FILE} file in the studio home)"
            ) from None

    def reseal(self, stored: str) -> str:
        """`stored` encrypted with the first key (plaintext sealed, other keys' tokens re-encrypted)."""
        return self.seal(self.open(stored))


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def new_key() -> str:
    return Fernet.generate_key().decode()


def load_box(settings: Settings) -> SecretBox:
    """The box for these settings: `STUDIO_ENCRYPTION_KEY`, else the home's key file (made if missing)."""
    if settings.encryption_key is not None:
        keys = [k for k in settings.encryption_key.get_secret_value().split(",") if k.strip()]
        return SecretBox(keys, KEY_ENV)
    path = settings.home / KEY_FILE
    existed = path.exists()
    keys = read_or_create_key(path).split()
    return SecretBox(keys, str(path) if existed else f"{path} (just generated: there was no key file)")


def read_or_create_key(path: Path) -> str:
    """The key in `path`, or a new one written there (0600) when the file does not exist."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    return key if create_private_file(path, key + "\n") else _read(path)


def rotate(engine: Engine, settings: Settings) -> tuple[int, str]:
    """Re-encrypt every saved secret with a new key; returns (how many, where the key now is).

    With `STUDIO_ENCRYPTION_KEY`: its first key is the new one (the caller put `NEW,OLD` there) and the
    others are only read. With the key file: a new key is generated and the file holds `NEW` and `OLD` (one a
    line) while the secrets are re-encrypted, then `NEW` alone; a crash at any point leaves every secret
    readable."""
    from .db import session
    from .preferences import reseal_all

    if settings.encryption_key is not None:
        current = use_box(load_box(settings))
        with session(engine) as db:
            return reseal_all(db, current), f"the first key of {KEY_ENV}"
    path = settings.home / KEY_FILE
    old = read_or_create_key(path).split()
    new = new_key()
    replace_key_file(path, "\n".join([new, *old]))
    current = use_box(SecretBox([new, *old], str(path)))
    with session(engine) as db:
        count = reseal_all(db, current)
    replace_key_file(path, new)
    use_box(SecretBox([new], str(path)))
    return count, str(path)


def replace_key_file(path: Path, key: str) -> None:
    """Write `key` (one or more, a line each) to `path` atomically (0600), replacing what was there."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise SecretKeyError(f"{path} is empty: restore the key the secrets were saved with")
    return key


_box: SecretBox | None = None


def use_box(box: SecretBox) -> SecretBox:
    """Make `box` the process's box (the app and the CLI call it when they open the database)."""
    global _box
    _box = box
    return box


def box() -> SecretBox:
    """The process's box; when none was set, the one of `get_settings()`."""
    if _box is None:
        from studio.settings import get_settings

        return use_box(load_box(get_settings()))
    return _box


def prepare_secrets(engine: Engine, settings: Settings) -> SecretBox:
    """On start, after migrating: the box of `settings` becomes the process's, every saved secret is
    checked to decrypt with it (`SecretKeyError` otherwise) and those saved before encryption are sealed."""
    from .db import session
    from .preferences import seal_plaintext

    current = use_box(load_box(settings))
    with session(engine) as db:
        sealed = seal_plaintext(db, current)
    if sealed:
        logger.info("encrypted %d secret(s) saved before encryption at rest", sealed)
    return current


__all__ = [
    "KEY_ENV",
    "KEY_FILE",
    "PREFIX",
    "SecretBox",
    "SecretKeyError",
    "box",
    "is_sealed",
    "load_box",
    "new_key",
    "prepare_secrets",
    "read_or_create_key",
    "replace_key_file",
    "rotate",
    "use_box",
]
