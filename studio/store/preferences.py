"""User preferences (any JSON value under a key), named secrets (variables for tools) and model
credentials (a key and the endpoint it is for).

Secret values are encrypted at rest (`studio.store.crypto`): the database holds `fernet:<token>`, and
these functions take and give plaintext. They never appear in a repr, and the engine keeps statement
parameters out of logs and error messages (`make_engine(hide_parameters=True)`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from . import crypto
from .crypto import SecretBox
from .models import Secret, Setting, StoredCredential
from .types import utcnow


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    """The value stored under `key`, or `default`."""
    row = session.get(Setting, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    """Store any JSON value under `key`, replacing what was there."""
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
    else:
        row.value = value
    session.add(row)
    session.flush()


def delete_setting(session: Session, key: str) -> bool:
    """Forget `key`; False when it was not set."""
    row = session.get(Setting, key)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def get_secret(session: Session, name: str) -> str | None:
    """The secret's value, or None when it is not set."""
    row = session.get(Secret, name)
    return None if row is None else crypto.box().open(row.value)


def set_secret(session: Session, name: str, value: str) -> None:
    """Store (or replace) a secret, encrypted."""
    sealed = crypto.box().seal(value)
    row = session.get(Secret, name)
    if row is None:
        row = Secret(name=name, value=sealed)
    else:
        row.value = sealed
        row.updated_at = utcnow()
    session.add(row)
    session.flush()


def delete_secret(session: Session, name: str) -> bool:
    """Forget a secret; False when it was not set."""
    row = session.get(Secret, name)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_secret_names(session: Session) -> list[str]:
    """The names of the stored secrets, sorted (never their values)."""
    return list(session.exec(select(Secret.name).order_by(col(Secret.name))))


def list_credentials(session: Session) -> list[tuple[StoredCredential, str]]:
    """Every saved credential with its key (decrypted), by kind then endpoint."""
    rows = session.exec(select(StoredCredential).order_by(col(StoredCredential.kind), col(StoredCredential.endpoint)))
    box = crypto.box()
    return [(row, box.open(row.value)) for row in rows]


def save_credential(session: Session, kind: str, endpoint: str, value: str) -> StoredCredential:
    """Store the key for (kind, endpoint), replacing the one saved for it before."""
    row = session.exec(select(StoredCredential).where(StoredCredential.kind == kind,
                                                      StoredCredential.endpoint == endpoint)).first()
    sealed = crypto.box().seal(value)
    if row is None:
        row = StoredCredential(kind=kind, endpoint=endpoint, value=sealed)
    else:
        row.value = sealed
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def delete_credential(session: Session, credential_id: int) -> StoredCredential | None:
    """Forget a credential; returns it (its value still encrypted), or None when there is no such id."""
    row = session.get(StoredCredential, credential_id)
    if row is not None:
        session.delete(row)
        session.flush()
    return row


def _sealed_rows(session: Session) -> list[Secret | StoredCredential]:
    return [*session.exec(select(Secret)), *session.exec(select(StoredCredential))]


def seal_plaintext(session: Session, box: SecretBox) -> int:
    """Encrypt the secrets saved before encryption; returns how many. Raises `SecretKeyError` (changing
    nothing) when an encrypted one does not decrypt with `box`: a wrong or missing key is never papered over."""
    rows = _sealed_rows(session)
    for row in rows:
        box.open(row.value)  # every encrypted value must decrypt before anything is written
    plain = [row for row in rows if not crypto.is_sealed(row.value)]
    for row in plain:
        row.value = box.seal(row.value)
        session.add(row)
    session.flush()
    return len(plain)


def reseal_all(session: Session, box: SecretBox) -> int:
    """Re-encrypt every secret with `box`'s first key (key rotation); returns how many."""
    rows = _sealed_rows(session)
    values = [box.open(row.value) for row in rows]  # all decrypt, or nothing changes
    for row, value in zip(rows, values, strict=True):
        row.value = box.seal(value)
        session.add(row)
    session.flush()
    return len(rows)


__all__ = [
    "delete_credential",
    "delete_secret",
    "delete_setting",
    "get_secret",
    "get_setting",
    "list_credentials",
    "list_secret_names",
    "reseal_all",
    "save_credential",
    "seal_plaintext",
    "set_secret",
    "set_setting",
]
