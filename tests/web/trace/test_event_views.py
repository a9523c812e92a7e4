"""The displayable parts of single events (playground/event_views.py): JSON pretty-printed when it helps, tool
calls and results, images only when they are what they say, and a hint after an error."""

from __future__ import annotations

import base64

import pytest

from studio.web.trace.event_views import (
    content_parts,
    error_hint,
    image_type,
    is_long,
    memory_results,
    pretty_json_text,
    tool_calls,
    tool_results,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()
SVG = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').decode()


def test_json_text_is_indented_unless_it_fits_a_short_line() -> None:
    assert pretty_json_text('{"a": 1}') == '{"a": 1}'
    long = '{"city": "Zürich", "days": [' + ", ".join(str(d) for d in range(30)) + "]}"
    assert pretty_json_text(long).startswith('{\n  "city": "Zürich",\n  "days": [\n    0,')
    assert pretty_json_text("[not json" + " " * 100) == "[not json" + " " * 100
    assert pretty_json_text("plain words") == "plain words"
    assert is_long("x\n" * 20) and is_long("x" * 1201) and not is_long("x" * 1200)


def test_tool_calls_and_results_keep_their_ids_and_where_they_came_from() -> None:
    calls = tool_calls({"content": [{"id": "c1", "name": "add", "arguments": '{"a": 2, "b": 3}'}]})
    assert [(c.id, c.name, c.arguments, c.result) for c in calls] == [("c1", "add", '{"a": 2, "b": 3}', None)]
    results = tool_results({"content": [{"call_id": "c1", "name": "add", "content": "5", "is_error": False},
                                        {"call_id": "c2", "content": "Error: down", "is_error": True}]}, 3, "calc")
    assert [(r.call_id, r.name, r.content, r.is_error, r.seq, r.source) for r in results] == [
        ("c1", "add", "5", False, 3, "calc"), ("c2", "", "Error: down", True, 3, "calc")]
    with pytest.raises(TypeError):  # an unexpected shape: the trace shows the event as plain JSON instead
        tool_calls({"content": "not a list"})


def test_images_show_only_when_their_bytes_are_a_known_image_type() -> None:
    text, image, data_uri, svg, lying = content_parts({"content": [
        "**Look**", {"data": PNG}, {"data": f"data:image/png;base64,{PNG}"},
        {"data": SVG, "mime": "image/svg+xml"}, {"data": PNG, "mime": "image/jpeg"}]})
    assert text.kind == "text" and "<strong>Look</strong>" in text.html
    assert image.kind == data_uri.kind == "image" and image.src == data_uri.src == f"data:image/png;base64,{PNG}"
    assert (svg.kind, svg.note) == ("refused", "attachment not shown (not a PNG, JPEG, GIF or WebP image: image/svg+xml)")
    assert lying.kind == "refused"
    assert image_type(PNG) == "image/png" and image_type(SVG) is None and image_type("not base64!") is None


@pytest.mark.parametrize(("error", "hint"), [
    ("OpenAI model 'gpt-4o' request failed with HTTP 401: Incorrect API key provided", "Check the API key"),
    ("HTTP 429: Rate limit reached", "rate limiting"),
    ("could not connect to http://127.0.0.1:9", "base URL"),
    ("The model `gpt-9` does not exist", "model name"),
    ("No reply within 300 s: timed out", "reply timeout"),
    ("ValueError: boom", "See the message above"),
])
def test_an_error_gets_a_hint_of_what_to_check(error: str, hint: str) -> None:
    assert hint in error_hint(error)


def test_memories_show_text_as_it_is_and_other_content_as_json() -> None:
    views = memory_results({"content": [{"content": "likes tea", "mime_type": "text/plain"}, {"content": {"a": 1}}]})
    assert [(v.content, v.mime_type) for v in views] == [("likes tea", "text/plain"), ('{\n  "a": 1\n}', "")]
