from studio.runtime.conditions import MaxMessageTermination
from studio.runtime.models.replay import ReplayChatCompletionClient
from studio.runtime.models.types import SystemMessage, UserMessage
from studio.runtime.teams import SelectorGroupChat

from ..helpers import agent, replay, run


def team(selector_replies, **kwargs):
    participants = [
        agent("planner", "plan", "plan again", description="Plans the work."),
        agent("researcher", "facts", "more facts", description="Finds facts."),
        agent("analyst", "analysis", description="Analyses facts."),
    ]
    return SelectorGroupChat(participants, replay(*selector_replies), **kwargs)


async def test_the_model_picks_each_speaker():
    t = team(["planner", "researcher", "analyst"], termination_condition=MaxMessageTermination(4))
    items, result = await run(t, "task")
    assert [i.source for i in items] == ["user", "planner", "researcher", "analyst"]
    assert result.stop_reason.startswith("Maximum number of messages 4")


async def test_an_invalid_or_ambiguous_answer_is_retried_with_feedback():
    selector = ReplayChatCompletionClient(["nobody", "planner or analyst", "the analyst"])
    t = SelectorGroupChat(
        [agent("planner", "p"), agent("analyst", "a"), agent("critic", "c")], selector, max_turns=1
    )
    items, _ = await run(t)
    assert items[-1].source == "analyst"
    last_prompt = selector.create_calls[-1]["messages"]
    feedback = [m.content for m in last_prompt[1:] if isinstance(m, UserMessage)]
    assert feedback[0].startswith("No valid name was mentioned")
    assert feedback[1].startswith("Expected exactly one name")


async def test_repeated_speaker_is_excluded_unless_allowed():
    t = team(["planner", "planner", "researcher"], max_turns=2)
    items, _ = await run(t)
    # After planner spoke, the model's second "planner" is refused, then "researcher" accepted.
    assert [i.source for i in items] == ["user", "planner", "researcher"]

    t = team(["planner", "planner"], max_turns=2, allow_repeated_speaker=True)
    items, _ = await run(t)
    assert [i.source for i in items] == ["user", "planner", "planner"]


async def test_selector_prompt_gets_roles_candidates_and_history():
    selector = ReplayChatCompletionClient(["researcher"], model_info={
        "vision": False, "function_calling": True, "json_output": False, "family": "gpt-4o", "structured_output": False,
    })
    t = SelectorGroupChat(
        [agent("planner", "p", description="Plans."), agent("researcher", "r", description="Researches.")],
        selector,
        selector_prompt="Roles:\n{roles}\nPick from {participants}.\n{history}",
        max_turns=1,
        allow_repeated_speaker=True,
    )
    await run(t, "find x")
    prompt = selector.create_calls[0]["messages"][0]
    assert isinstance(prompt, SystemMessage)  # OpenAI families get the prompt as a system message
    assert "planner: Plans.\nresearcher: Researches." in prompt.content
    assert "['planner', 'researcher']" in prompt.content
    assert "user: find x" in prompt.content


async def test_fewer_than_two_participants_is_refused():
    import pytest

    with pytest.raises(ValueError, match="two participants"):
        SelectorGroupChat([agent("solo", "x")], replay("solo"))
