"""Model credentials bound to endpoints, variables for tools, and their injection into a team at run time.

A credential is a key and the endpoint it is for (`studio.runtime.models.endpoints`: OpenAI's API, an
OpenAI-compatible base URL, an Azure endpoint). At run time a key goes only to a model client whose
endpoint it covers (same scheme, host and port, path prefix); a client pointing anywhere else gets none,
and its run stops with an error naming the endpoint. The environment follows the same rule, applied by
the runtime's clients themselves (`OPENAI_API_KEY` for OpenAI's API or `OPENAI_BASE_URL`,
`AZURE_OPENAI_API_KEY` for `AZURE_OPENAI_ENDPOINT`); a saved credential wins over the environment's key
for the same endpoint. The Settings page lists both, with where each comes from.

Variables are named secrets for tools (`SERPAPI_KEY`): a FunctionTool receives only those its config
declares in `variables` (a list of names), in its own worker's environment, at run time; an HttpTool, in
the headers that name them (`${SERPAPI_KEY}`); an MCP server, those its params name as `${NAME}` in a header
or `env` value (`"Authorization": "Bearer ${GITHUB_TOKEN}"`). Values are filled in at run time; the file keeps
the reference (`studio.runtime.tools.variables` reads and fills references, for both).

Keys and variables are stored encrypted (`studio.store.crypto`). `inject_credentials` is for run time
only: it returns a copy, never written back to the database or to exports.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Session

from studio.components import MASK, SECRET_FIELDS, get_spec
from studio.runtime.models.endpoints import (
    AZURE_CLIENT,
    KINDS,
    KINDS_BY_NAME,
    OPENAI_CLIENT,
    EndpointError,
    EndpointKind,
    client_endpoint,
    environment_keys,
    parse_endpoint,
    try_endpoint,
)
from studio.runtime.tools.variables import references, substitute
from studio.store import preferences

Source = Literal["saved", "environment", "unset"]
OPENAI = OPENAI_CLIENT
AZURE = AZURE_CLIENT
FUNCTION_TOOL = "autogen_core.tools.FunctionTool"
MCP_SERVER_PARAMS = ("StdioServerParams", "SseServerParams", "StreamableHttpServerParams")
HTTP_TOOL = "autogen_ext.tools.http.HttpTool"
VARIABLE_READERS = (FUNCTION_TOOL, HTTP_TOOL)  # the tools that declare `variables` and get their values
DEFAULT_MODEL_SETTING = "credentials.default_model"
DEFAULT_MODEL_LABEL = "Default model"
# The environment variables whose URL decides where a client without its own URL goes.
_URL_ENV = tuple(kind.url_env for kind in KINDS if kind.url_env)


class CredentialError(ValueError):
    """A credential or variable that cannot be saved; `field` names the form field (and JSON key)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Credential:
    """A plain value and where it came from (the default model). `repr` never shows a secret."""

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
        return masked(self.value) if self.secret else (self.value or "")


@dataclass(frozen=True)
class EndpointKey:
    """A key and the endpoint it is for, saved (`id`) or from the environment (`env`). `repr` masks it."""

    kind: EndpointKind
    endpoint: str  # normalised; "" for a key saved before endpoints that never had one
    value: str = field(repr=False)
    source: Literal["saved", "environment"] = "saved"
    id: int | None = None
    env: str | None = None

    @property
    def display(self) -> str:
        return masked(self.value)

    @property
    def bound(self) -> bool:
        return try_endpoint(self.endpoint) is not None

    def covers(self, provider: str, url: str | None) -> bool:
        key, client = try_endpoint(self.endpoint), try_endpoint(url)
        return self.kind.client == provider and key is not None and client is not None and key.covers(client)


@dataclass(frozen=True)
class Variable:
    """A named secret for tools. `repr` masks it."""

    name: str
    value: str = field(repr=False)

    @property
    def display(self) -> str:
        return masked(self.value)


@dataclass(frozen=True)
class Credentials:
    """Every key (saved ones first), the default model, the variables, and the environment's endpoint URLs."""

    keys: tuple[EndpointKey, ...] = ()
    default_model: Credential = Credential()
    variables: tuple[Variable, ...] = ()
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def saved(self) -> list[EndpointKey]:
        return [k for k in self.keys if k.source == "saved"]

    @property
    def environment(self) -> list[EndpointKey]:
        return [k for k in self.keys if k.source == "environment"]

    def saved_key_for(self, provider: str, url: str | None) -> EndpointKey | None:
        """The saved key covering `url` for this client provider; the longest endpoint wins."""
        matches = [k for k in self.saved if k.covers(provider, url)]
        return max(matches, key=lambda k: len(parse_endpoint(k.endpoint).path), default=None)

    def variable_values(self) -> dict[str, str]:
        return {v.name: v.value for v in self.variables}

    def secret_values(self) -> list[str]:
        """Every key and variable value (for `redact`), longest first; values under 6 characters are not
        secrets worth masking everywhere."""
        values = {k.value for k in self.keys} | {v.value for v in self.variables}
        return sorted((v for v in values if len(v) >= 6), key=len, reverse=True)


def masked(value: str | None) -> str:
    """`sk-…abcd`: enough to recognise a key, never enough to use it."""
    if not value:
        return ""
    if len(value) < 12:
        return "…" + value[-2:] if len(value) > 6 else "…"
    prefix = value[:3] if value[2:3] == "-" else ""
    return f"{prefix}…{value[-4:]}"


# --- reading ---------------------------------------------------------------------------------


def load_credentials(session: Session, environ: Mapping[str, str] | None = None) -> Credentials:
    """Every credential: the saved ones, then the environment's (each bound as the runtime binds it)."""
    environ = os.environ if environ is None else environ
    saved = [EndpointKey(KINDS_BY_NAME[row.kind], row.endpoint, value, "saved", row.id)
             for row, value in preferences.list_credentials(session) if row.kind in KINDS_BY_NAME]
    env = [EndpointKey(kind, str(try_endpoint(url) or url), value, "environment", env=name)
           for kind, url, value, name in environment_keys(environ)]
    model = preferences.get_setting(session, DEFAULT_MODEL_SETTING)
    default_model = Credential(model, "saved") if isinstance(model, str) and model else Credential()
    variables = tuple(Variable(name, value) for name in preferences.list_secret_names(session)
                      if (value := preferences.get_secret(session, name)) is not None)
    urls = {name: environ[name] for name in _URL_ENV if environ.get(name)}
    return Credentials(tuple(saved + env), default_model, variables, urls)


# --- saving ----------------------------------------------------------------------------------


def normalise_endpoint(kind: EndpointKind, url: str | None) -> str:
    """The endpoint a credential of `kind` is saved for; raises `CredentialError` naming `endpoint`."""
    if kind.fixed_url:
        given = try_endpoint(url) if url and url.strip() else None
        if url and url.strip() and (given is None or given != parse_endpoint(kind.fixed_url)):
            raise CredentialError("endpoint", f"endpoint: {kind.label} is always {kind.fixed_url}; choose "
                                              f"{KINDS_BY_NAME['openai_compatible'].label} for another URL")
        return str(parse_endpoint(kind.fixed_url))
    try:
        return str(parse_endpoint(url or ""))
    except EndpointError as error:
        raise CredentialError("endpoint", f"endpoint: {error}") from None


def save_credential(session: Session, kind: str, endpoint: str | None, key: str) -> EndpointKey:
    """Save `key` for the endpoint (replacing the key saved for it before). Raises `CredentialError`."""
    found = KINDS_BY_NAME.get(kind)
    if found is None:
        raise CredentialError("kind", f"kind: unknown kind of endpoint {kind!r}; one of "
                                      + ", ".join(k.name for k in KINDS))
    url = normalise_endpoint(found, endpoint)
    key = (key or "").strip()
    if not key:
        raise CredentialError("api_key", "api_key: the key is empty")
    if any(ch.isspace() or ord(ch) < 32 for ch in key):
        raise CredentialError("api_key", "api_key: a key cannot contain spaces or control characters")
    row = preferences.save_credential(session, found.name, url, key)
    return EndpointKey(found, url, key, "saved", row.id)


def remove_credential(session: Session, credential_id: int) -> EndpointKey | None:
    """Forget a saved credential; returns what it was (key masked only when shown), or None."""
    row = preferences.delete_credential(session, credential_id)
    if row is None or row.kind not in KINDS_BY_NAME:
        return None
    return EndpointKey(KINDS_BY_NAME[row.kind], row.endpoint, "", "saved", row.id)


def save_default_model(session: Session, value: str | None) -> bool:
    """Save (or, empty, clear) the default model of new teams; True when it changed."""
    value = (value or "").strip()
    current = preferences.get_setting(session, DEFAULT_MODEL_SETTING)
    if value == (current or ""):
        return False
    if value:
        preferences.set_setting(session, DEFAULT_MODEL_SETTING, value)
    else:
        preferences.delete_setting(session, DEFAULT_MODEL_SETTING)
    return True


_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Set by the sandbox for every worker, or able to change how Python or the loader runs: not for tools.
_RESERVED = frozenset({"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "MALLOC_ARENA_MAX", "OMP_NUM_THREADS",
                       "OPENBLAS_NUM_THREADS", "PWD", "SHELL", "USER", "IFS"})
_RESERVED_PREFIXES = ("LD_", "PYTHON", "STUDIO_")


def check_variable_name(name: str) -> str:
    name = (name or "").strip()
    if not _VARIABLE_NAME.fullmatch(name):
        raise CredentialError("name", "name: letters, digits and _ (not first a digit), at most 64 characters")
    if name.upper() in _RESERVED or name.upper().startswith(_RESERVED_PREFIXES):
        raise CredentialError("name", f"name: {name} is reserved (the sandbox sets it, or it changes how "
                                      "Python runs)")
    return name


def save_variable(session: Session, name: str, value: str) -> Variable:
    """Save a variable for tools (replacing its value). Raises `CredentialError`."""
    name = check_variable_name(name)
    if not value:
        raise CredentialError("value", "value: the value is empty")
    if "\0" in value:
        raise CredentialError("value", "value: an environment variable cannot hold a NUL character")
    preferences.set_secret(session, name, value)
    return Variable(name, value)


def remove_variable(session: Session, name: str) -> bool:
    return preferences.delete_secret(session, name)


# --- run time --------------------------------------------------------------------------------


def inject_credentials(component: dict[str, Any], creds: Credentials) -> dict[str, Any]:
    """A copy of a team in which every OpenAI / Azure model client without a key of its own gets the saved
    key for its endpoint, if there is one, and every FunctionTool and HttpTool gets the values of the
    variables it declares (`variable_values`, never stored).

    Any depth (agents, a selector's model, nested teams). A client "has no key" when `api_key` is absent,
    empty or AutoGen's mask. A client whose endpoint no saved key covers is left as it is: the runtime then
    applies the environment's key under the same rule, or stops with an error naming the endpoint.
    """
    result = copy.deepcopy(component)
    for canonical, config in model_clients(result):
        if any(config.get(name) not in (None, "", MASK) for name in SECRET_FIELDS):
            continue
        key = creds.saved_key_for(canonical, client_endpoint(canonical, config, creds.environ))
        if key is not None:
            config["api_key"] = key.value
    values = creds.variable_values()
    for config in (c for provider in VARIABLE_READERS for c in _components(result, provider)):
        names = config.get("variables")
        config.pop("variable_values", None)  # only Settings provides values
        if isinstance(names, list) and names:
            config["variable_values"] = {n: values[n] for n in names if isinstance(n, str) and n in values}
    for params in mcp_server_params(result):
        for field_name in ("env", "headers"):
            mapping = params.get(field_name)
            if isinstance(mapping, dict):
                params[field_name] = {key: substitute(value, values) if isinstance(value, str) else value
                                      for key, value in mapping.items()}
    return result


def mcp_server_params(node: Any) -> Iterator[dict[str, Any]]:
    """Every MCP server params object (`type` one of the three kinds) at any depth, itself (not a copy)."""
    if isinstance(node, list):
        for item in node:
            yield from mcp_server_params(item)
    elif isinstance(node, dict):
        if node.get("type") in MCP_SERVER_PARAMS:
            yield node
            return
        for value in node.values():
            yield from mcp_server_params(value)


def referenced_variables(params: dict[str, Any]) -> list[str]:
    """The variables an MCP server's params name as `${NAME}` in their `env` or `headers` values, sorted."""
    names = {name for field_name in ("env", "headers") if isinstance(params.get(field_name), dict)
             for value in params[field_name].values() if isinstance(value, str)
             for name in references(value)}
    return sorted(names)


def redact(value: Any, secrets: tuple[str, ...] | list[str]) -> Any:
    """`value` (text or JSON-like data) with each of `secrets` replaced by the mask, at any depth: what a run
    stores (events, errors, recordings) never holds a key or variable, even one a server or tool echoes."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {key: redact(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item, secrets) for item in value]
    return value


def model_clients(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(OPENAI or AZURE, its config) for each OpenAI / Azure model client at any depth of `node`, the config
    itself (not a copy), so a caller can fill it in."""
    for canonical, config in _walk(node):
        if canonical in (OPENAI, AZURE):
            yield canonical, config


def _components(node: Any, provider: str) -> Iterator[dict[str, Any]]:
    for canonical, config in _walk(node):
        if canonical == provider:
            yield config


def _walk(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
        return
    if not isinstance(node, dict):
        return
    provider, config = node.get("provider"), node.get("config")
    if isinstance(provider, str) and isinstance(config, dict):
        spec = get_spec(provider)
        yield (spec.provider if spec else provider), config
    for value in node.values():
        yield from _walk(value)


__all__ = [
    "DEFAULT_MODEL_LABEL",
    "KINDS",
    "Credential",
    "CredentialError",
    "MCP_SERVER_PARAMS",
    "Credentials",
    "EndpointKey",
    "Variable",
    "check_variable_name",
    "inject_credentials",
    "load_credentials",
    "masked",
    "mcp_server_params",
    "model_clients",
    "normalise_endpoint",
    "redact",
    "referenced_variables",
    "remove_credential",
    "remove_variable",
    "save_credential",
    "save_default_model",
    "save_variable",
]
