"""compare_runs pairs two runs' events by position; the compare partial shows them side by side."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from studio.playground.compare import compare_runs, event_key
from studio.runtime.messages import TextMessage
from studio.web.templating import make_environment

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


def text(source: str, content: str) -> dict:
    return {"type": "TextMessage", "source": source, "content": content, "models_usage": None}


def tool_call(source: str, arguments: str) -> dict:
    return {"type": "ToolCallRequestEvent", "source": source,
            "content": [{"id": "call_0", "name": "add", "arguments": arguments}]}


RUN = [text("user", "1+2?"), tool_call("a", '{"a": 1, "b": 2}'), text("a", "3"), text("b", "TERMINATE")]


def render(comparison, **context) -> str:
    return make_environment(TEMPLATES).get_template("playground/_compare.html").render(comparison=comparison, **context)


def start_tags(html: str, tag: str) -> list[dict[str, str | None]]:
    """The attributes of each `tag` start tag in `html` (stdlib parser: no HTML library in the venv)."""
    found: list[dict[str, str | None]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, name, attrs):  # type: ignore[no-untyped-def]
            if name == tag:
                found.append(dict(attrs))

    Collector().feed(html)
    return found


def test_identical_runs_match_everywhere() -> None:
    again = [dict(e, id="other-id", created_at="later") for e in RUN]  # ids and times do not matter
    comparison = compare_runs(RUN, again)
    assert comparison.same and comparison.first_difference is None
    assert [row.status for row in comparison.rows] == ["same"] * 4


def test_runs_differ_from_a_known_point() -> None:
    other = [RUN[0], tool_call("a", '{"a": 1, "b": 5}'), text("a", "6")]
    comparison = compare_runs(RUN, other)
    assert comparison.first_difference == 1
    assert [row.status for row in comparison.rows] == ["same", "different", "different", "only_a"]
    assert comparison.rows[3].b is None and comparison.rows[3].a.text == "TERMINATE"
    assert compare_runs(other, RUN).rows[3].status == "only_b"


def test_type_and_source_count_not_just_text() -> None:
    assert compare_runs([text("a", "hi")], [text("b", "hi")]).first_difference == 0
    stop = {"type": "StopMessage", "source": "a", "content": "hi"}
    assert compare_runs([text("a", "hi")], [stop]).first_difference == 0


def test_accepts_stored_rows_and_runtime_messages_and_skips_chunks() -> None:
    row = SimpleNamespace(type="TextMessage", source="a", data=text("a", "hello"))
    chunk = {"type": "ModelClientStreamingChunkEvent", "source": "a", "content": "hel"}
    comparison = compare_runs([row], [chunk, TextMessage(content="hello", source="a")])
    assert comparison.same and len(comparison.rows) == 1
    assert event_key(tool_call("a", "{}")).text.startswith('[{"arguments": "{}"')


def test_partial_marks_the_first_difference_and_escapes_model_output() -> None:
    evil = [RUN[0], text("a", "<script>alert(1)</script><img src=x onerror=alert(2)>")]
    html = render(compare_runs(RUN, evil), label_a="Run 1", label_b="Run 2")
    assert re.search(r"<thead>\s*<tr><th scope=\"col\">#</th><th scope=\"col\">Run 1</th><th scope=\"col\">Run 2</th>", html)
    marked = [attrs for attrs in start_tags(html, "tr") if attrs.get("id") == "first-difference"]
    assert len(marked) == 1 and marked[0]["data-status"] == "different"
    assert marked[0]["aria-label"] == "First difference: event 2"
    assert start_tags(html, "a") == [{"href": "#first-difference"}]
    assert start_tags(html, "script") == [] and start_tags(html, "img") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rows = re.findall(r"<tr class=\"compare-row.*?</tr>", html, flags=re.S)
    assert [row.count("<td>") for row in rows] == [2, 2, 2, 2]


def test_partial_for_matching_runs_has_no_marker() -> None:
    html = render(compare_runs(RUN, RUN))
    assert 'id="first-difference"' not in html
    assert 'data-compare="same"' in html and "Run A" in html
