"""The Settings API (web/routes/api_settings.py): credentials per endpoint, the default model and variables, all
masked when answered; bad input named by field."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .test_settings import KEY, LOCAL


def test_api(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert client.get("/api/settings").json() == {"credentials": [], "default_model": None, "variables": {}}
    saved = client.post("/api/settings/credentials", json={"kind": "openai_compatible", "endpoint": LOCAL,
                                                           "api_key": KEY})
    assert saved.status_code == 201 and KEY not in saved.text
    [cred] = saved.json()["credentials"]
    assert cred == {"id": cred["id"], "kind": "openai_compatible", "endpoint": LOCAL, "key": "sk-…abcd",
                    "source": "saved", "env": None}
    bad = client.post("/api/settings/credentials", json={"kind": "openai_compatible", "endpoint": "nope",
                                                         "api_key": KEY})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "endpoint"]
    assert client.post("/api/settings/credentials", json={"kind": "x", "api_key": KEY}).status_code == 422
    assert client.put("/api/settings/default-model", json={"default_model": "gpt-4.1"}).json()["default_model"] == \
        "gpt-4.1"
    variables = client.put("/api/settings/variables/SERPAPI_KEY", json={"value": "serp-secret-value-0042"}).json()
    assert variables["variables"] == {"SERPAPI_KEY": "…0042"}
    assert client.put("/api/settings/variables/PATH", json={"value": "x"}).json()["detail"][0]["loc"] == [
        "body", "name"]
    assert client.delete(f"/api/settings/credentials/{cred['id']}").json()["credentials"] == []
    assert client.delete(f"/api/settings/credentials/{cred['id']}").status_code == 404
    assert client.delete("/api/settings/variables/SERPAPI_KEY").json()["variables"] == {}
