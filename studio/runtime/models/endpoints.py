"""Model endpoints and the one rule for which key goes where.

A key belongs to an endpoint: OpenAI's API, one OpenAI-compatible base URL, one Azure endpoint. A client
gets a key only when the endpoint it will call matches the key's exactly: same scheme, host (any case)
and port (default ports filled in), and the key's path is a prefix of the client's on whole segments
(`/v1` covers `/v1` and `/v1/x`, not `/v10`); trailing slashes and `.`/`..` segments are normalised
first. `api.openai.com.evil.test`, `api.openai.com@evil.test` and `http://api.openai.com` are other
endpoints.

The same rule covers the environment: `OPENAI_API_KEY` goes to OpenAI's API, or to `OPENAI_BASE_URL`
when that is set; `AZURE_OPENAI_API_KEY` (and `AZURE_OPENAI_AD_TOKEN`) only to `AZURE_OPENAI_ENDPOINT`.

A kind of endpoint is one `EndpointKind` entry in `KINDS` (Anthropic or Ollama would be one more).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

OPENAI_CLIENT = "autogen_ext.models.openai.OpenAIChatCompletionClient"
AZURE_CLIENT = "autogen_ext.models.openai.AzureOpenAIChatCompletionClient"
OPENAI_API = "https://api.openai.com/v1"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class EndpointKind:
    """One kind of endpoint a credential can be for.

    `client`: the model client provider that calls it; `url_field`: the client config field naming the
    endpoint; `fixed_url`: the endpoint itself when the kind has only one (OpenAI's API); `key_env` /
    `url_env`: the environment variables of its key and of its URL, under the rule above.
    """

    name: str
    label: str
    client: str
    url_field: str
    fixed_url: str | None = None
    key_env: str | None = None
    url_env: str | None = None
    placeholder: str = ""


KINDS: tuple[EndpointKind, ...] = (
    EndpointKind("openai", "OpenAI API", OPENAI_CLIENT, "base_url", fixed_url=OPENAI_API,
                 key_env="OPENAI_API_KEY"),
    EndpointKind("openai_compatible", "OpenAI-compatible server", OPENAI_CLIENT, "base_url",
                 key_env="OPENAI_API_KEY", url_env="OPENAI_BASE_URL", placeholder="http://localhost:11434/v1"),
    EndpointKind("azure", "Azure OpenAI", AZURE_CLIENT, "azure_endpoint", key_env="AZURE_OPENAI_API_KEY",
                 url_env="AZURE_OPENAI_ENDPOINT", placeholder="https://NAME.openai.azure.com/"),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
# Every environment variable the rule reads (tests clear them; Settings shows what they provide).
ENV_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN",
                 "AZURE_OPENAI_ENDPOINT")


class EndpointError(ValueError):
    """A URL that cannot be an endpoint (the message says why, without the URL's credentials)."""


@dataclass(frozen=True, order=True)
class Endpoint:
    """A normalised endpoint URL: compare with `covers`, show with `str`."""

    scheme: str
    host: str
    port: int
    path: tuple[str, ...]

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if _DEFAULT_PORTS.get(self.scheme) == self.port else f":{self.port}"
        path = "".join("/" + quote(segment, safe="@:+,;=!$&'()*~") for segment in self.path)
        return f"{self.scheme}://{host}{port}{path}"

    def covers(self, other: Endpoint) -> bool:
        """True when a key for this endpoint may be sent to `other`."""
        return (self.scheme, self.host, self.port) == (other.scheme, other.host, other.port) and \
            other.path[:len(self.path)] == self.path


def parse_endpoint(url: str) -> Endpoint:
    """The normalised endpoint of `url`; raises `EndpointError` for anything but a plain http(s) URL."""
    if not isinstance(url, str) or not url.strip():
        raise EndpointError("an endpoint URL is required")
    text = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise EndpointError("an endpoint URL cannot contain spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise EndpointError("not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise EndpointError("an endpoint URL starts with http:// or https://")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise EndpointError("an endpoint URL cannot carry a user name or password")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise EndpointError("an endpoint URL needs a host")
    if parts.query or parts.fragment:
        raise EndpointError("an endpoint URL has no query or fragment")
    return Endpoint(scheme, host, port if port is not None else _DEFAULT_PORTS[scheme], _segments(parts.path))


def try_endpoint(url: Any) -> Endpoint | None:
    """`parse_endpoint`, or None for a URL that is not a valid endpoint (it then matches no key)."""
    try:
        return parse_endpoint(url)
    except EndpointError:
        return None


def _segments(path: str) -> tuple[str, ...]:
    """Path segments, percent-decoded, with empty, `.` and `..` segments resolved (RFC 3986)."""
    out: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw)
        if segment in ("", "."):
            continue
        if segment == "..":
            if out:
                out.pop()
            continue
        out.append(segment)
    return tuple(out)


def covers(key_url: str, client_url: str) -> bool:
    """True when a key bound to `key_url` may be sent to a client calling `client_url`."""
    key, client = try_endpoint(key_url), try_endpoint(client_url)
    return key is not None and client is not None and key.covers(client)


def client_kinds(provider: str) -> tuple[EndpointKind, ...]:
    """The kinds of endpoint a client provider (canonical path) calls."""
    return tuple(kind for kind in KINDS if kind.client == provider)


def client_endpoint(provider: str, config: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """The URL a client with this config will call: its own field, else the environment's URL (as the
    `openai` package reads `OPENAI_BASE_URL`), else the kind's fixed URL. None: it names none."""
    kinds = client_kinds(provider)
    if not kinds:
        return None
    own = config.get(kinds[0].url_field)
    if isinstance(own, str) and own.strip():
        return own.strip()
    for kind in kinds:
        if kind.url_env and environ.get(kind.url_env):
            return environ[kind.url_env]
    return next((kind.fixed_url for kind in kinds if kind.fixed_url), None)


def environment_keys(environ: Mapping[str, str]) -> list[tuple[EndpointKind, str, str, str]]:
    """The keys the environment provides: (kind, endpoint URL, key, variable name), under the rule above.

    `OPENAI_API_KEY` is bound to `OPENAI_BASE_URL` when that is set, else to OpenAI's API; an Azure key
    without `AZURE_OPENAI_ENDPOINT` is bound to nothing."""
    found = []
    openai_url = environ.get("OPENAI_BASE_URL")
    key = environ.get("OPENAI_API_KEY")
    if key:
        kind = KINDS_BY_NAME["openai_compatible" if openai_url else "openai"]
        found.append((kind, openai_url or OPENAI_API, key, "OPENAI_API_KEY"))
    azure_url = environ.get("AZURE_OPENAI_ENDPOINT")
    for name in ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN"):
        if environ.get(name) and azure_url:
            found.append((KINDS_BY_NAME["azure"], azure_url, environ[name], name))
    return found


def environment_key(provider: str, url: str | None, environ: Mapping[str, str], variable: str) -> str | None:
    """The value of the environment key `variable` if the rule lets it go to `url`, else None."""
    if not url:
        return None
    for kind, bound_url, value, name in environment_keys(environ):
        if name == variable and kind.client == provider and covers(bound_url, url):
            return value
    return None


MISSING_PREFIX = "No credential for endpoint "
_MISSING = re.compile(re.escape(MISSING_PREFIX) + r"(\S+) \((Azure OpenAI|OpenAI) model '")


def missing_credential_message(url: str, model: str, *, azure: bool = False) -> str:
    """The error of a run whose client has no key for its endpoint (names the endpoint, never a key)."""
    if azure:
        env = "AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT"
    elif try_endpoint(url) == parse_endpoint(OPENAI_API):
        env = "OPENAI_API_KEY"
    else:
        env = "OPENAI_API_KEY with OPENAI_BASE_URL"
    return (f"{MISSING_PREFIX}{url} ({'Azure OpenAI' if azure else 'OpenAI'} model '{model}'): add a credential "
            f"for this endpoint in Settings (or set {env}), or give the model client its own api_key")


def missing_credential_endpoint(text: str) -> tuple[str, str] | None:
    """(endpoint URL, kind name) named by a `missing_credential_message` inside `text`, for a link to
    Settings' Add credential form; None when `text` is not one."""
    match = _MISSING.search(text or "")
    if match is None:
        return None
    url, who = match.groups()
    if who == "Azure OpenAI":
        return url, "azure"
    openai_api = try_endpoint(url) == parse_endpoint(OPENAI_API)
    return url, "openai" if openai_api else "openai_compatible"


__all__ = [
    "AZURE_CLIENT",
    "ENV_VARIABLES",
    "KINDS",
    "KINDS_BY_NAME",
    "OPENAI_API",
    "OPENAI_CLIENT",
    "Endpoint",
    "EndpointError",
    "EndpointKind",
    "client_endpoint",
    "client_kinds",
    "covers",
    "environment_key",
    "environment_keys",
    "missing_credential_endpoint",
    "missing_credential_message",
    "parse_endpoint",
    "try_endpoint",
]
