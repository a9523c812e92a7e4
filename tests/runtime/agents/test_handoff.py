"""Handoffs (runtime/agents/handoff.py): AutoGen's defaults for what the model sees and what the handoff says,
and the tool the model calls to hand off."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from studio.runtime.agents import Handoff
from studio.runtime.agents.handoff import HandoffTool
from studio.runtime.cancellation import CancellationToken


def test_a_target_alone_gets_autogens_defaults_and_given_fields_are_kept() -> None:
    assert Handoff.model_validate("Critic").model_dump() == {
        "target": "Critic", "description": "Handoff to Critic.", "name": "transfer_to_critic",
        "message": "Transferred to Critic, adopting the role of Critic immediately."}
    custom = Handoff(target="critic", name="ask_critic", description="")
    assert (custom.name, custom.description) == ("ask_critic", "Handoff to critic.")


def test_a_given_tool_name_must_be_an_identifier() -> None:
    with pytest.raises(ValidationError, match="handoff name must be a valid identifier: 'my tool'"):
        Handoff(target="critic", name="my tool")
    assert Handoff(target="my critic").name == "transfer_to_my critic"  # a default one: the agent checks it


async def test_the_handoff_tool_takes_no_arguments_and_answers_its_message() -> None:
    tool = HandoffTool(Handoff(target="critic"))
    assert tool.schema["name"] == "transfer_to_critic" and tool.schema["parameters"]["properties"] == {}
    result = await tool.run_json({}, CancellationToken())
    assert (result.name, result.content) == ("transfer_to_critic", "Transferred to critic, adopting the role of "
                                                                   "critic immediately.")
