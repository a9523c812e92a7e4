"""Settings says when tool and code-executor code cannot run in the bubblewrap sandbox here."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from studio.runtime import isolation


def test_settings_shows_no_note_when_the_sandbox_works(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "status", lambda: isolation.IsolationStatus(True, "bubblewrap"))
    assert 'id="sandbox-warning"' not in client.get("/settings").text


def test_settings_says_why_tools_will_not_run_without_bwrap(client: TestClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolation, "status", lambda: isolation.IsolationStatus(False, "/usr/bin/bwrap is missing"))
    monkeypatch.setattr(isolation, "_allow_unsandboxed", False)  # whatever this machine's suite set
    html = client.get("/settings").text
    note = html[html.index('id="sandbox-warning"'):]
    note = note[:note.index("</div>")]
    assert "/usr/bin/bwrap is missing" in note and "will not run" in note and "STUDIO_ALLOW_UNSANDBOXED=1" in note
    monkeypatch.setattr(isolation, "_allow_unsandboxed", True)
    assert "runs UNSANDBOXED" in client.get("/settings").text
