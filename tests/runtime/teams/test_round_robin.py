from studio.runtime.conditions import MaxMessageTermination, TextMentionTermination
from studio.runtime.teams import RoundRobinGroupChat

from ..helpers import agent, run, trace


async def test_participants_speak_in_order_until_the_termination_fires():
    team = RoundRobinGroupChat(
        [agent("a", "a1", "a2"), agent("b", "b1", "b2 TERMINATE")],
        termination_condition=TextMentionTermination("TERMINATE"),
    )
    items, result = await run(team, "go")
    assert trace(items) == [
        ("TextMessage", "user", "go"),
        ("TextMessage", "a", "a1"),
        ("TextMessage", "b", "b1"),
        ("TextMessage", "a", "a2"),
        ("TextMessage", "b", "b2 TERMINATE"),
    ]
    assert result.stop_reason == "Text 'TERMINATE' mentioned"
    assert [m.content for m in result.messages] == ["go", "a1", "b1", "a2", "b2 TERMINATE"]


async def test_max_turns_stops_and_the_next_run_continues_with_the_next_speaker():
    a, b = agent("a", "a1", "a2"), agent("b", "b1")
    team = RoundRobinGroupChat([a, b], max_turns=2)
    items, result = await run(team, "first")
    assert result.stop_reason == "Maximum number of turns 2 reached."
    assert [i.source for i in items] == ["user", "a", "b"]

    items, result = await run(team, "second")
    assert [(i.source, i.content) for i in items][:2] == [("user", "second"), ("a", "a2")]
    # a's model saw the whole conversation, including b's reply it was not part of.
    sent = [m.content for m in await a.model_context.get_messages()]
    assert sent == ["first", "a1", "b1", "second", "a2"]


async def test_reset_starts_afresh():
    a = agent("a", "a1", "a2")
    team = RoundRobinGroupChat([a, agent("b", "b1", "b2")], max_turns=1)
    await run(team, "one")
    await team.reset()
    items, _ = await run(team, "two")
    assert [i.source for i in items] == ["user", "a"]
    assert [m.content for m in await a.model_context.get_messages()] == ["two", "a2"]


async def test_max_message_termination_counts_the_task():
    team = RoundRobinGroupChat([agent("a", "x", "y"), agent("b", "z")], termination_condition=MaxMessageTermination(3))
    items, result = await run(team)
    assert len(items) == 3
    assert result.stop_reason == "Maximum number of messages 3 reached, current message count: 3"


async def test_team_events_show_the_chosen_speaker():
    team = RoundRobinGroupChat([agent("a", "x"), agent("b", "y")], max_turns=2, emit_team_events=True)
    items, _ = await run(team)
    assert [(t, c) for t, _, c in trace(items) if t == "SelectSpeakerEvent"] == [
        ("SelectSpeakerEvent", ["a"]),
        ("SelectSpeakerEvent", ["b"]),
    ]


async def test_a_model_that_runs_out_of_replies_ends_the_run_with_an_error_event():
    team = RoundRobinGroupChat([agent("a", "only reply")], max_turns=5)
    items, result = await run(team)
    assert items[-1].type == "ErrorEvent" and items[-1].source == "a"
    assert result.stop_reason.startswith("Error: a: ")
    assert [i.content for i in items[:2]] == ["start", "only reply"]
