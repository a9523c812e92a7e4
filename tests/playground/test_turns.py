"""Turns (playground/turns.py): a turn starts when an agent other than the last speaker speaks; the team's
managers and their speaker choices are not speakers."""

from __future__ import annotations

from studio.playground.turns import TurnTracker, is_speaker, turn_key


def test_managers_and_their_events_are_not_speakers() -> None:
    assert is_speaker("writer", "TextMessage")
    assert not is_speaker("SelectorGroupChatManager", "TextMessage")
    assert not is_speaker("writer", "SelectSpeakerEvent") and not is_speaker("", "TextMessage")


def test_a_turn_is_the_previous_speaker_and_the_new_one() -> None:
    tracker = TurnTracker()
    seen = [tracker.see(source, type_) for source, type_ in [
        ("user", "TextMessage"), ("writer", "ToolCallRequestEvent"), ("writer", "ToolCallExecutionEvent"),
        ("RoundRobinGroupChatManager", "SelectSpeakerEvent"), ("critic", "TextMessage"), ("writer", "TextMessage")]]
    assert seen == [None, ("user", "writer"), None, None, ("writer", "critic"), ("critic", "writer")]
    assert (tracker.speaker, tracker.turn) == ("writer", ("critic", "writer"))
    assert turn_key(*tracker.turn) == "critic>writer"
