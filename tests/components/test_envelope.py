"""The component envelope (components/envelope.py): AutoGen's keys, unknown ones ignored as AutoGen's loader
does, and written back without null metadata."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from studio.components.envelope import ComponentModel


def test_the_envelope_keeps_its_keys_ignores_others_and_writes_no_nulls() -> None:
    envelope = ComponentModel.model_validate({"provider": "autogen_agentchat.agents.AssistantAgent",
                                              "component_type": "agent", "label": "Writer", "config": {"name": "w"},
                                              "_studio_note": "ignored"})
    assert envelope.to_json() == {"provider": "autogen_agentchat.agents.AssistantAgent", "component_type": "agent",
                                  "label": "Writer", "config": {"name": "w"}}


def test_provider_and_config_are_required() -> None:
    with pytest.raises(ValidationError) as info:
        ComponentModel.model_validate({"component_type": "agent"})
    assert sorted(e["loc"][0] for e in info.value.errors()) == ["config", "provider"]
