"""Server-Sent Events framing (web/sse.py): every line of the data its own field, so multi-line HTML arrives
whole, and the seq a reconnecting browser saw last."""

from __future__ import annotations

from studio.web.sse import last_event_id, sse_message


def test_a_message_carries_its_id_event_and_every_line_of_its_data() -> None:
    assert sse_message("<p>a</p>\r\n<p>b</p>\r<p>c</p>", event="event", id=7) == (
        "id: 7\nevent: event\ndata: <p>a</p>\ndata: <p>b</p>\ndata: <p>c</p>\n\n")
    assert sse_message("x", event="two\nlines") == "event: two lines\ndata: x\n\n"  # a name is one line
    assert sse_message("") == "data: \n\n"


def test_the_last_event_id_is_a_seq_or_counts_as_absent() -> None:
    assert last_event_id(" 12 ") == 12
    assert last_event_id(None, fallback=3) == last_event_id("abc", fallback=3) == last_event_id("-1", 3) == 3
