"""Model credentials kept server-side, and their injection into a team at run time.

Keys are stored as secrets, the rest as settings (`studio.store.preferences`). The usual environment
variables work too; a value saved in Studio wins over the environment, since saving it is the more
deliberate act (remove it in Settings to fall back to the environment). The page shows where each
value comes from.

`inject_credentials` is for run time only (the playground and the CLI call it before
`load_component`): it returns a copy, never written back to the database or to exports.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from sqlmodel import Session

from studio.components import MASK, get_spec
from studio.store import preferences

Source = Literal["saved", "environment", "unset"]
OPENAI = "autogen_ext.models.openai.OpenAIChatCompletionClient"
AZURE = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"


@dataclass(frozen=True)
class CredentialField:
    """How one credential is stored, named and read from the environment."""

    name: str
    label: str
    secret: bool
    env: str | None
    placeholder: str = ""


FIELDS: tuple[CredentialField, ...] = (
    CredentialField("openai_api_key", "OpenAI API key", True, "OPENAI_API_KEY", "sk-..."),
    CredentialField("openai_base_url", "OpenAI-compatible base URL", False, "OPENAI_BASE_URL", "http://localhost:11434/v1"),
    CredentialField("azure_endpoint", "Azure endpoint", False, "AZURE_OPENAI_ENDPOINT", "https://NAME.openai.azure.com/"),
    CredentialField("azure_api_key", "Azure API key", True, "AZURE_OPENAI_API_KEY"),
    CredentialField("azure_api_version", "Azure API version", False, "OPENAI_API_VERSION", "2024-10-21"),
    CredentialField("default_model", "Default model", False, None, "gpt-4o-mini"),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
SETTING_PREFIX = "credentials."


@dataclass(frozen=True)
class Credential:
    """A value and where it came from. `repr` never shows a secret."""

    value: str | None = None
    source: Source = "unset"
    secret: bool = False

    def __bool__(self) -> bool:
        return bool(self.value)

    def __repr__(self) -> str:
        shown = masked(self.value) if self.secret else self.value
        return f"Credential({shown!r}, {self.source!r})"

    @property
    def display(self) -> str:
        """What a page may show: the value, or its masked form for a key."""
        return masked(self.value) if self.secret else (self.value or "")


@dataclass(frozen=True)
class Credentials:
    """Every credential, resolved (saved, else environment)."""

    openai_api_key: Credential = Credential(secret=True)
    openai_base_url: Credential = Credential()
    azure_endpoint: Credential = Credential()
    azure_api_key: Credential = Credential(secret=True)
    azure_api_version: Credential = Credential()
    default_model: Credential = Credential()

    def items(self) -> list[tuple[CredentialField, Credential]]:
        return [(FIELDS_BY_NAME[f.name], getattr(self, f.name)) for f in fields(self)]


def masked(value: str | None) -> str:
    """`sk-…abcd`: enough to recognise a key, never enough to use it."""
    if not value:
        return ""
    if len(value) < 12:
        return "…" + value[-2:] if len(value) > 6 else "…"
    prefix = value[:3] if value[2:3] == "-" else ""
    return f"{prefix}…{value[-4:]}"


def load_credentials(session: Session, environ: Mapping[str, str] | None = None) -> Credentials:
    """Every credential: the saved value if any, else the environment variable's."""
    environ = os.environ if environ is None else environ
    values: dict[str, Credential] = {}
    for f in FIELDS:
        saved = _read(session, f)
        if saved:
            values[f.name] = Credential(saved, "saved", f.secret)
        elif f.env and environ.get(f.env):
            values[f.name] = Credential(environ[f.env], "environment", f.secret)
        else:
            values[f.name] = Credential(None, "unset", f.secret)
    return Credentials(**values)


def save_credentials(session: Session, values: Mapping[str, str | None], *, remove: tuple[str, ...] = ()) -> list[str]:
    """Save the given values; returns the names changed.

    An empty key field keeps the saved key (the form never shows it); an empty plain field clears it.
    Names in `remove` are deleted (keys and plain values alike).
    """
    changed = []
    for name in remove:
        f = _field(name)
        if _read(session, f) is not None:
            _write(session, f, None)
            changed.append(name)
    for name, value in values.items():
        f = _field(name)
        if name in remove:
            continue
        value = (value or "").strip()
        if f.secret and not value:
            continue
        if value != (_read(session, f) or ""):
            _write(session, f, value or None)
            changed.append(name)
    return changed


def _field(name: str) -> CredentialField:
    try:
        return FIELDS_BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown credential {name!r}") from None


def _read(session: Session, f: CredentialField) -> str | None:
    value = preferences.get_secret(session, f.name) if f.secret else preferences.get_setting(session, SETTING_PREFIX + f.name)
    return value if isinstance(value, str) and value else None


def _write(session: Session, f: CredentialField, value: str | None) -> None:
    if f.secret:
        if value:
            preferences.set_secret(session, f.name, value)
        else:
            preferences.delete_secret(session, f.name)
    elif value:
        preferences.set_setting(session, SETTING_PREFIX + f.name, value)
    else:
        preferences.delete_setting(session, SETTING_PREFIX + f.name)


def inject_credentials(component: dict[str, Any], creds: Credentials) -> dict[str, Any]:
    """A copy of a team in which every OpenAI / Azure model client without a key gets the stored one.

    Any depth (agents, a selector's model, nested teams). A client "has no key" when `api_key` is
    absent, empty or AutoGen's mask. Such a client also gets the base URL (OpenAI) or the endpoint
    and API version (Azure) when it lacks them. Clients with their own key are left alone.
    """
    result = copy.deepcopy(component)
    _inject(result, creds)
    return result


def _inject(component: dict[str, Any], creds: Credentials) -> None:
    for canonical, config in model_clients(component):
        if config.get("api_key") not in (None, "", MASK):
            continue
        if canonical == OPENAI:
            _fill(config, "api_key", creds.openai_api_key, replace_mask=True)
            _fill(config, "base_url", creds.openai_base_url)
        else:
            _fill(config, "api_key", creds.azure_api_key, replace_mask=True)
            _fill(config, "azure_endpoint", creds.azure_endpoint)
            _fill(config, "api_version", creds.azure_api_version)


def model_clients(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(OPENAI or AZURE, its config) for each OpenAI / Azure model client at any depth of `node`, the config
    itself (not a copy), so a caller can fill it in."""
    if isinstance(node, list):
        for item in node:
            yield from model_clients(item)
        return
    if not isinstance(node, dict):
        return
    provider, config = node.get("provider"), node.get("config")
    if isinstance(provider, str) and isinstance(config, dict):
        spec = get_spec(provider)
        canonical = spec.provider if spec else provider
        if canonical in (OPENAI, AZURE):
            yield canonical, config
    for value in node.values():
        yield from model_clients(value)


def _fill(config: dict[str, Any], key: str, credential: Credential, *, replace_mask: bool = False) -> None:
    current = config.get(key)
    if credential.value and (current in (None, "") or (replace_mask and current == MASK)):
        config[key] = credential.value


__all__ = [
    "FIELDS",
    "FIELDS_BY_NAME",
    "Credential",
    "CredentialField",
    "Credentials",
    "inject_credentials",
    "load_credentials",
    "masked",
    "model_clients",
    "save_credentials",
]
