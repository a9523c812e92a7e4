import pytest

from studio.runtime.agents import Handoff, UserProxyAgent
from studio.runtime.conditions import HandoffTermination, TextMentionTermination
from studio.runtime.messages import HandoffMessage
from studio.runtime.teams import Swarm

from ..helpers import agent, run, tool_calls, trace


def travel_desk():
    desk = agent(
        "desk",
        tool_calls(("transfer_to_flights", {})),
        "All booked. TERMINATE",
        handoffs=["flights", Handoff(target="user", message="Need the user")],
    )
    flights = agent("flights", tool_calls(("transfer_to_desk", {})), handoffs=["desk"])
    return Swarm(
        [desk, flights], termination_condition=TextMentionTermination("TERMINATE") | HandoffTermination("user")
    )


async def test_handoffs_pass_the_turn_and_carry_the_transfer_message():
    items, result = await run(travel_desk(), "book a flight")
    assert trace(items) == [
        ("TextMessage", "user", "book a flight"),
        ("ToolCallRequestEvent", "desk", ["transfer_to_flights"]),
        ("ToolCallExecutionEvent", "desk", ["transfer_to_flights"]),
        ("HandoffMessage", "desk", "flights"),
        ("ToolCallRequestEvent", "flights", ["transfer_to_desk"]),
        ("ToolCallExecutionEvent", "flights", ["transfer_to_desk"]),
        ("HandoffMessage", "flights", "desk"),
        ("TextMessage", "desk", "All booked. TERMINATE"),
    ]
    assert items[3].content == "Transferred to flights, adopting the role of flights immediately."
    assert result.stop_reason == "Text 'TERMINATE' mentioned"


async def test_handoff_to_the_user_stops_and_a_handoff_task_resumes():
    desk = agent("desk", tool_calls(("transfer_to_user", {})), "Thanks, done TERMINATE", handoffs=["user"])
    team = Swarm([desk], termination_condition=HandoffTermination("user") | TextMentionTermination("TERMINATE"))
    items, result = await run(team, "help")
    assert result.stop_reason == "Handoff to user from desk detected."
    assert isinstance(items[-1], HandoffMessage) and items[-1].target == "user"

    # A plain task cannot resume: the last handoff points outside the team.
    _, result = await run(team, "more")
    assert result.stop_reason.startswith("Error: The existing handoff target user")
    items, result = await run(team, HandoffMessage(source="user", target="desk", content="here you go"))
    assert items[-1].content == "Thanks, done TERMINATE"


async def test_a_user_proxy_answers_a_handoff_back_to_the_asker():
    async def answer(prompt, token):
        assert prompt == "Handoff received from desk. Enter your response: "
        return "Paris"

    desk = agent("desk", tool_calls(("transfer_to_traveller", {})), "Going to Paris. TERMINATE", handoffs=["traveller"])
    team = Swarm([desk, UserProxyAgent("traveller", input_func=answer)], termination_condition=TextMentionTermination("TERMINATE"))
    items, _ = await run(team, "where to?")
    kinds = [(t, s) for t, s, _ in trace(items)]
    assert ("UserInputRequestedEvent", "traveller") in kinds
    reply = next(i for i in items if i.source == "traveller" and i.type == "HandoffMessage")
    assert (reply.content, reply.target) == ("Paris", "desk")


def test_the_first_participant_must_be_able_to_hand_off():
    with pytest.raises(ValueError, match="first participant"):
        Swarm([agent("plain", "x"), agent("other", "y", handoffs=["plain"])])
