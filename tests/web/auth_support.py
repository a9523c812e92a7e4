"""Signing in to a studio with an access token, for the sign-in tests (the `token_client` fixture's studio)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

TOKEN = "correct horse battery staple"


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def sign_in(client: TestClient, token: str = TOKEN, next_path: str = "/") -> object:
    csrf = csrf_of(client.get("/login").text)
    data = {"token": token, "next": next_path, "csrf_token": csrf}
    return client.post("/login", data=data, follow_redirects=False)
