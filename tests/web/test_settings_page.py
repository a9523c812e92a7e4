"""The Settings page and credentials API: labelled fields, keys masked after saving, where values come from."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services.credentials import load_credentials

KEY = "sk-settings-test-key-0000abcd"
LABELS = ("OpenAI API key", "OpenAI-compatible base URL", "Azure endpoint", "Azure API key", "Azure API version",
          "Default model")


def _field(html: str, name: str) -> str:
    start = html.index(f'data-setting="{name}"')
    return html[start:html.index("</div>\n    </div>", start)]


def test_every_field_has_a_label(client: TestClient) -> None:
    html = client.get("/settings").text
    for label in LABELS:
        match = re.search(rf'<label for="([^"]+)">{re.escape(label)}</label>', html)
        assert match, label
        assert f'id="{match.group(1)}"' in html
    assert ">Save settings</button>" in html
    assert "not set" in _field(html, "openai_api_key")


def test_saved_key_is_masked_and_never_in_the_page(client: TestClient, db: Session) -> None:
    page = client.post("/settings", data={"openai_api_key": KEY, "openai_base_url": "http://localhost:11434/v1",
                                          "default_model": "llama3.2"})
    assert page.status_code == 200
    assert "Saved: OpenAI API key, OpenAI-compatible base URL, Default model." in page.text
    assert KEY not in page.text
    field = _field(page.text, "openai_api_key")
    assert 'value=""' in field and "sk-…abcd" in field and "saved" in field
    assert ">Remove<" in field and 'formaction="/settings/remove/openai_api_key"' in field
    assert 'value="http://localhost:11434/v1"' in page.text
    assert load_credentials(db, environ={}).openai_api_key.value == KEY


def test_an_empty_key_field_keeps_the_saved_key(client: TestClient, db: Session) -> None:
    client.post("/settings", data={"openai_api_key": KEY})
    page = client.post("/settings", data={"openai_api_key": "", "default_model": ""}).text
    assert "Nothing changed." in page
    assert load_credentials(db, environ={}).openai_api_key.value == KEY


def test_remove(client: TestClient, db: Session) -> None:
    client.post("/settings", data={"azure_api_key": "azure-secret-value-9876"})
    page = client.post("/settings/remove/azure_api_key", data={"azure_api_key": ""}).text
    assert "Removed the saved Azure API key." in page
    assert load_credentials(db, environ={}).azure_api_key.source == "unset"
    assert client.post("/settings/remove/nope").status_code == 404


@pytest.mark.parametrize(("name", "value"), [("openai_base_url", "http://localhost:11434/v1"),
                                           ("azure_endpoint", "https://me.openai.azure.com/"),
                                           ("azure_api_version", "2024-10-21"), ("default_model", "llama3.2")])
def test_a_saved_plain_value_has_a_remove_like_the_keys(client: TestClient, db: Session, name: str, value: str) -> None:
    assert ">Remove<" not in _field(client.get("/settings").text, name)  # nothing saved: nothing to remove
    field = _field(client.post("/settings", data={name: value}).text, name)
    assert f'formaction="/settings/remove/{name}"' in field and ">Remove<" in field
    assert getattr(load_credentials(db, environ={}), name).source == "saved"
    page = client.post(f"/settings/remove/{name}").text
    assert "Removed the saved" in page and f'formaction="/settings/remove/{name}"' not in page
    assert getattr(load_credentials(db, environ={}), name).source == "unset"


def test_environment_values_are_shown_as_such(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-wxyz")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env.azure.example/")
    html = client.get("/settings").text
    assert "sk-from-the-environment-wxyz" not in html
    field = _field(html, "openai_api_key")
    assert "environment" in field and "sk-…wxyz" in field and "OPENAI_API_KEY" in field
    assert 'placeholder="https://env.azure.example/"' in html
    assert "from <code>AZURE_OPENAI_ENDPOINT</code>" in _field(html, "azure_endpoint")


def test_api_get_and_put(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-02-01")
    initial = client.get("/api/settings/credentials").json()
    assert initial["openai_api_key"] == {"label": "OpenAI API key", "value": None, "source": "unset",
                                         "secret": True, "env": "OPENAI_API_KEY"}
    assert initial["azure_api_version"]["source"] == "environment"

    saved = client.put("/api/settings/credentials", json={"openai_api_key": KEY, "default_model": "gpt-4o"})
    assert saved.status_code == 200
    assert KEY not in saved.text
    assert saved.json()["openai_api_key"]["value"] == "sk-…abcd"
    assert saved.json()["default_model"] == {"label": "Default model", "value": "gpt-4o", "source": "saved",
                                             "secret": False, "env": None}

    kept = client.put("/api/settings/credentials", json={"default_model": "gpt-4.1"}).json()
    assert kept["openai_api_key"]["source"] == "saved"
    removed = client.put("/api/settings/credentials", json={"openai_api_key": None}).json()
    assert removed["openai_api_key"]["source"] == "unset"
    assert client.put("/api/settings/credentials", json={"password": "x"}).status_code == 422


def test_default_model_is_used_by_new_teams(client: TestClient) -> None:
    client.post("/settings", data={"default_model": "llama3.2"})
    team = client.post("/api/teams", json={"label": "Local"}).json()
    model = team["component"]["config"]["participants"][0]["config"]["model_client"]["config"]["model"]
    assert model == "llama3.2"
