"""MagenticOneGroupChat's config: it validates AutoGen's own file (the team is kept, not run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from studio.runtime.config import autogen_required_fields
from studio.runtime.teams.magentic_one import MagenticOneGroupChatConfig

FIXTURE = Path(__file__).parents[2] / "fixtures" / "autogen" / "autogen_agentchat.teams.MagenticOneGroupChat.json"


def test_autogens_file_validates_and_its_defaults_are_written() -> None:
    config = json.loads(FIXTURE.read_text())["config"]
    assert MagenticOneGroupChatConfig.model_validate(config).to_json() == config
    trimmed = {k: v for k, v in config.items() if k not in ("max_stalls", "final_answer_prompt")}
    written = MagenticOneGroupChatConfig.model_validate(trimmed).to_json()
    assert (written["max_stalls"], written["final_answer_prompt"]) == (3, None)
    assert set(autogen_required_fields(MagenticOneGroupChatConfig)) == {"max_stalls", "final_answer_prompt"}


def test_the_orchestrator_needs_a_model() -> None:
    config = json.loads(FIXTURE.read_text())["config"]
    del config["model_client"]
    with pytest.raises(ValidationError, match="model_client"):
        MagenticOneGroupChatConfig.model_validate(config)
