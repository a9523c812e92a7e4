"""Endpoint matching: a key goes only where its endpoint covers the client's (scheme, host, port, path prefix)."""

from __future__ import annotations

import pytest

from studio.runtime.models.endpoints import (
    AZURE_CLIENT,
    OPENAI_API,
    OPENAI_CLIENT,
    EndpointError,
    client_endpoint,
    covers,
    environment_key,
    missing_credential_endpoint,
    missing_credential_message,
    parse_endpoint,
)


@pytest.mark.parametrize(("key", "client"), [
    ("https://api.openai.com/v1", "https://api.openai.com/v1"),
    ("https://api.openai.com/v1", "https://api.openai.com/v1/"),  # trailing slash
    ("https://api.openai.com/v1/", "https://API.OpenAI.com/v1"),  # host case
    ("https://api.openai.com/v1", "https://api.openai.com:443/v1"),  # default port
    ("http://localhost:80/v1", "http://localhost/v1"),
    ("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions"),  # a path below
    ("https://host.example", "https://host.example/anything"),
    ("https://res.openai.azure.com/", "https://res.openai.azure.com"),
    ("https://host.example/a/v1", "https://host.example/a/./v1//"),  # dot and empty segments
    ("http://[::1]:8080/v1", "http://[::1]:8080/v1"),
])
def test_covered(key: str, client: str) -> None:
    assert covers(key, client)


@pytest.mark.parametrize(("key", "client"), [
    ("https://api.openai.com/v1", "http://api.openai.com/v1"),  # scheme
    ("https://api.openai.com/v1", "https://api.openai.com:8443/v1"),  # port
    ("http://127.0.0.1:5000/v1", "http://127.0.0.1:5001/v1"),
    ("https://api.openai.com/v1", "https://api.openai.com.evil.test/v1"),  # lookalike hosts
    ("https://api.openai.com/v1", "https://evil.test/api.openai.com/v1"),
    ("https://api.openai.com/v1", "https://api.openai.com@evil.test/v1"),  # userinfo trick
    ("https://api.openai.com/v1", "https://evilapi.openai.com/v1"),
    ("https://api.openai.com/v1", "https://api.openai.com/v10"),  # prefix on whole segments only
    ("https://api.openai.com/v1", "https://api.openai.com/"),  # a shorter path
    ("https://host.example/team-a/v1", "https://host.example/team-a/v1/../../team-b/v1"),  # dot-dot escapes
    ("https://api.openai.com/v1", "https://api.openai.com/v1?x=1"),  # not a plain endpoint
    ("https://api.openai.com/v1", "ftp://api.openai.com/v1"),
    ("https://api.openai.com/v1", ""),
    ("https://api.openai.com/v1", "not a url"),
    ("", "https://api.openai.com/v1"),  # a key bound to nothing goes nowhere
])
def test_not_covered(key: str, client: str) -> None:
    assert not covers(key, client)


def test_normalised_form() -> None:
    assert str(parse_endpoint("HTTPS://API.OpenAI.com:443/v1/")) == OPENAI_API
    assert str(parse_endpoint("http://LocalHost:11434//v1")) == "http://localhost:11434/v1"
    assert str(parse_endpoint("https://res.openai.azure.com/")) == "https://res.openai.azure.com"
    for bad in ("", "localhost:11434", "https://", "https://u:p@host/v1", "https://host/v1#x", "http://ho st/"):
        with pytest.raises(EndpointError):
            parse_endpoint(bad)


def test_the_url_a_client_calls() -> None:
    assert client_endpoint(OPENAI_CLIENT, {"model": "m"}, {}) == OPENAI_API
    assert client_endpoint(OPENAI_CLIENT, {}, {"OPENAI_BASE_URL": "http://local:1/v1"}) == "http://local:1/v1"
    assert client_endpoint(OPENAI_CLIENT, {"base_url": "http://own/v1"}, {"OPENAI_BASE_URL": "x"}) == "http://own/v1"
    assert client_endpoint(AZURE_CLIENT, {}, {}) is None
    assert client_endpoint(AZURE_CLIENT, {}, {"AZURE_OPENAI_ENDPOINT": "https://r.azure"}) == "https://r.azure"


def test_environment_keys_follow_the_same_rule() -> None:
    env = {"OPENAI_API_KEY": "sk-env"}
    assert environment_key(OPENAI_CLIENT, OPENAI_API, env, "OPENAI_API_KEY") == "sk-env"
    assert environment_key(OPENAI_CLIENT, "http://127.0.0.1:9/v1", env, "OPENAI_API_KEY") is None
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1"  # then the key is for that URL only
    assert environment_key(OPENAI_CLIENT, "http://127.0.0.1:9/v1", env, "OPENAI_API_KEY") == "sk-env"
    assert environment_key(OPENAI_CLIENT, OPENAI_API, env, "OPENAI_API_KEY") is None
    azure = {"AZURE_OPENAI_API_KEY": "az-env"}
    assert environment_key(AZURE_CLIENT, "https://r.openai.azure.com", azure, "AZURE_OPENAI_API_KEY") is None
    azure["AZURE_OPENAI_ENDPOINT"] = "https://r.openai.azure.com/"
    assert environment_key(AZURE_CLIENT, "https://r.openai.azure.com", azure, "AZURE_OPENAI_API_KEY") == "az-env"
    assert environment_key(AZURE_CLIENT, "https://other.openai.azure.com", azure, "AZURE_OPENAI_API_KEY") is None
    assert environment_key(OPENAI_CLIENT, "https://r.openai.azure.com", azure, "AZURE_OPENAI_API_KEY") is None


def test_the_missing_credential_message_names_the_endpoint_for_a_link() -> None:
    text = "Error: " + missing_credential_message("http://127.0.0.1:9/v1", "gpt-4o")
    assert missing_credential_endpoint(text) == ("http://127.0.0.1:9/v1", "openai_compatible")
    assert missing_credential_endpoint(missing_credential_message(OPENAI_API, "m")) == (OPENAI_API, "openai")
    azure = missing_credential_message("https://r.openai.azure.com", "m", azure=True)
    assert missing_credential_endpoint(azure) == ("https://r.openai.azure.com", "azure")
    assert missing_credential_endpoint("OpenAI model 'm' request failed with HTTP 401") is None
