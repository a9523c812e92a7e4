"""schemathesis against the studio's JSON API (`/api`, in-process): examples generated from its OpenAPI
schema, kept few (CI has 2 cores); none may get a server error (5xx)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from tests.services.helpers import writer_critic

BOUNDED = settings(max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6")), deadline=None,
                   derandomize=True, database=None, suppress_health_check=list(HealthCheck))
"""Per operation: the whole API stays well under a minute on two cores, the same examples every run."""


def no_server_errors(schema: Any) -> list[str]:
    """Every operation of `schema`, `BOUNDED` examples each, valid and invalid ones (schemathesis' positive
    and negative modes): the operations whose examples all got answers (a 4xx refuses bad input; a 5xx
    fails, Hypothesis shrinking it to the smallest request that gets one)."""
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        valid_or_not = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                                 operation.as_strategy(GenerationMode.NEGATIVE))

        @BOUNDED
        @given(case=valid_or_not)
        def check(case: Any) -> None:
            response = case.call()
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}")

        check()
        checked.append(operation.label)
    return checked


def test_no_server_errors(make_app: Callable[..., FastAPI]) -> None:
    app = make_app()
    with TestClient(app) as client:  # the lifespan: database, run manager; one team with one version
        team = client.post("/api/teams", json={"component": writer_critic()}).json()
        client.patch(f"/api/teams/{team['id']}", json={"description": "a second version"})
        checked = no_server_errors(schemathesis.openapi.from_asgi("/api/openapi.json", app))
    assert {"POST /api/teams", "PATCH /api/teams/{team_id}", "POST /api/teams/import", "POST /api/validate",
            "POST /api/settings/credentials", "PUT /api/settings/variables/{name}",
            "POST /api/galleries/import"} <= set(checked)
