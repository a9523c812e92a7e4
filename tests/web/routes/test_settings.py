"""The Settings page: credentials per endpoint (masked, Remove, Add credential), the default model,
variables for tools; labelled fields; bad input named by field, never a 500."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from studio.services.credentials import load_credentials

KEY = "sk-settings-test-key-0000abcd"
LOCAL = "http://localhost:11434/v1"
LABELS = ("Kind of endpoint", "Endpoint URL", "API key", "Default model", "Variable name", "Value")


def _row(html: str, attr: str, value: str) -> str:
    start = html.index(f'{attr}="{value}"')
    return html[start:html.index("</tr>", start)]


def test_every_field_has_a_label(client: TestClient) -> None:
    html = client.get("/settings").text
    for label in LABELS:
        match = re.search(rf'<label for="([^"]+)">{re.escape(label)}</label>', html)
        assert match, label
        assert f'id="{match.group(1)}"' in html
    for button in ("Add credential", "Save settings", "Add variable"):
        assert f">{button}</button>" in html
    assert 'data-empty="credentials"' in html and 'data-empty="variables"' in html


def test_a_credential_is_listed_with_its_endpoint_and_masked_key(client: TestClient, db: Session) -> None:
    page = client.post("/settings/credentials", data={"kind": "openai_compatible", "endpoint": LOCAL + "/",
                                                      "api_key": KEY})
    assert page.status_code == 200
    assert f"Saved a key for {LOCAL} (OpenAI-compatible server)." in page.text
    assert KEY not in page.text
    row = _row(page.text, "data-endpoint", LOCAL)
    assert f"<code>{LOCAL}</code>" in row and "sk-…abcd" in row and "saved" in row
    assert f'aria-label="Remove the credential for {LOCAL}"' in row and ">Remove</button>" in row
    [saved] = load_credentials(db, environ={}).saved
    assert (saved.endpoint, saved.value) == (LOCAL, KEY)

    removed = client.post(f"/settings/credentials/{saved.id}/remove").text
    assert f"Removed the key for {LOCAL}." in removed and 'data-empty="credentials"' in removed
    assert client.post(f"/settings/credentials/{saved.id}/remove").status_code == 404
    assert client.post(f"/settings/credentials/{'9' * 30}/remove").status_code == 404


def test_the_openai_api_needs_no_url(client: TestClient) -> None:
    page = client.post("/settings/credentials", data={"kind": "openai", "endpoint": "", "api_key": KEY}).text
    assert "Saved a key for https://api.openai.com/v1 (OpenAI API)." in page


@pytest.mark.parametrize(("data", "message", "invalid"), [
    ({"kind": "openai_compatible", "endpoint": "localhost:11434", "api_key": KEY},
     "endpoint: an endpoint URL starts with http:// or https://", "credential-endpoint"),
    ({"kind": "openai_compatible", "endpoint": LOCAL, "api_key": ""}, "api_key: the key is empty", "credential-key"),
    ({"kind": "ollama", "endpoint": LOCAL, "api_key": KEY}, "kind: unknown kind of endpoint", None),
])
def test_bad_credentials_are_a_422_naming_the_field(client: TestClient, data: dict, message: str,
                                                    invalid: str | None) -> None:
    page = client.post("/settings/credentials", data=data)
    assert page.status_code == 422
    assert message in page.text and KEY not in page.text
    assert f'value="{data["endpoint"]}"' in page.text  # kept for fixing (never the key)
    if invalid:
        assert re.search(rf'id="{invalid}"[^>]*aria-invalid="true"', page.text)


def test_an_error_link_opens_the_form_filled_for_that_endpoint(client: TestClient) -> None:
    html = client.get("/settings", params={"kind": "azure", "endpoint": "https://res.openai.azure.com"}).text
    assert 'value="https://res.openai.azure.com"' in html
    assert re.search(r'<option value="azure" selected>', html)
    html = client.get("/settings", params={"endpoint": "http://127.0.0.1:9/v1"}).text
    assert re.search(r'<option value="openai_compatible" selected>', html)


def test_environment_keys_are_listed_with_their_endpoint(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-wxyz")
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "azure-from-the-environment-1234")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://env.azure.example/")
    html = client.get("/settings").text
    assert "sk-from-the-environment-wxyz" not in html and "azure-from-the-environment-1234" not in html
    openai = _row(html, "data-credential", "OPENAI_API_KEY")
    assert "<code>https://api.openai.com/v1</code>" in openai and "sk-…wxyz" in openai and "environment" in openai
    assert ">Remove</button>" not in openai  # the environment's: not removable here
    assert "<code>https://env.azure.example</code>" in _row(html, "data-credential", "AZURE_OPENAI_API_KEY")


def test_default_model(client: TestClient) -> None:
    assert "Saved: Default model." in client.post("/settings", data={"default_model": "llama3.2"}).text
    assert "Nothing changed." in client.post("/settings", data={"default_model": "llama3.2"}).text
    team = client.post("/api/teams", json={"label": "Local"}).json()
    model = team["component"]["config"]["participants"][0]["config"]["model_client"]["config"]["model"]
    assert model == "llama3.2"


def test_variables(client: TestClient, db: Session) -> None:
    page = client.post("/settings/variables", data={"name": "SERPAPI_KEY", "value": "serp-secret-value-0042"})
    assert "Saved the variable SERPAPI_KEY." in page.text and "serp-secret-value-0042" not in page.text
    assert "…0042" in _row(page.text, "data-variable", "SERPAPI_KEY")
    bad = client.post("/settings/variables", data={"name": "LD_PRELOAD", "value": "x"})
    assert bad.status_code == 422 and "name: LD_PRELOAD is reserved" in bad.text
    assert re.search(r'id="variable-name"[^>]*aria-invalid="true"', bad.text)
    assert "Removed the variable SERPAPI_KEY." in client.post("/settings/variables/SERPAPI_KEY/remove").text
    assert client.post("/settings/variables/SERPAPI_KEY/remove").status_code == 404
