"""The trace view-model and `_event.html`: attributes, pairing, tokens, timing."""

from __future__ import annotations

import re

from studio.runtime.messages import (
    CodeExecutionEvent,
    CodeExecutionResult,
    CodeGenerationEvent,
    ErrorEvent,
    HandoffMessage,
    SelectSpeakerEvent,
    StopMessage,
    TextMessage,
    ThoughtEvent,
    ToolCallExecutionEvent,
    ToolCallRequestEvent,
    UserInputRequestedEvent,
)
from studio.runtime.models.types import (
    FunctionCall,
    FunctionExecutionResult,
    RequestUsage,
)
from studio.web.trace.items import TraceBuilder, filter_items, trace_item, trace_items
from tests.web.trace.trace_support import (
    Elements,
    FakeRun,
    Recorder,
    render,
    render_items,
    tool_run,
)


def article(html: str, seq: int) -> dict[str, str | None]:
    return next(attrs for tag, attrs in Elements(html).tags if tag == "article" and attrs.get("data-seq") == str(seq))


def test_each_event_is_an_article_with_type_source_and_seq() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="user", content="Write a haiku"))
    recorder.add(TextMessage(source="writer", content="Autumn *moon*", models_usage=RequestUsage(prompt_tokens=30, completion_tokens=9)))
    html = render_items(trace_items(recorder.events, FakeRun()))
    first, second = article(html, 1), article(html, 2)
    assert (first["data-type"], first["data-source"], first["id"]) == ("TextMessage", "user", "event-1-1")
    assert (second["data-type"], second["data-source"]) == ("TextMessage", "writer")
    assert "<em>moon</em>" in html


def test_tokens_and_time_per_message() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="user", content="go"), after=0.5)
    recorder.add(TextMessage(source="writer", content="done", models_usage=RequestUsage(prompt_tokens=30, completion_tokens=9)), after=2.25)
    recorder.add(TextMessage(source="critic", content="ok", models_usage=RequestUsage(prompt_tokens=0, completion_tokens=0)))
    items = trace_items(recorder.events, FakeRun())
    assert items[0].elapsed == 0.5 and items[0].tokens is None  # from the run's start
    assert items[1].elapsed == 2.25 and items[1].tokens.total == 39
    assert items[2].tokens is None  # a client that reports 0 + 0 did not count: no "0 tokens"
    html = render_items(items)
    assert "+500 ms" in html and "+2.2 s" in html
    assert re.search(r'title="30 prompt \+ 9 completion tokens">39 tokens<', html)
    assert html.count(" tokens<") == 1


def test_tool_results_sit_with_their_calls_and_errors_are_marked() -> None:
    items = trace_items(tool_run().events)
    assert [item.type for item in items] == ["TextMessage", "ToolCallRequestEvent", "ToolCallSummaryMessage"]
    calls = items[1].calls
    assert [(c.name, c.result.content, c.result.is_error) for c in calls] == [
        ("add", "5", False), ("weather", "Error: service down", True)]
    html = render_items(items)
    results = Elements(html).with_attr("data-type", "ToolCallExecutionEvent")
    assert [(r["data-call-id"], r["data-seq"]) for r in results] == [("c1", "3"), ("c2", "3")]
    assert "tool-result--error" in results[1]["class"] and "tool-result--error" not in results[0]["class"]
    assert "event--error" in article(html, 2)["class"]
    assert "after 250 ms" in html


def test_long_arguments_are_pretty_printed_and_collapsed() -> None:
    recorder = Recorder()
    arguments = '{"rows": [' + ",".join(f'{{"id": {i}, "name": "row {i}"}}' for i in range(60)) + "]}"
    recorder.add(ToolCallRequestEvent(source="writer", content=[FunctionCall(id="c1", name="save", arguments=arguments)]))
    html = render_items(trace_items(recorder.events))
    assert '<details class="collapsible"><summary>Show the arguments' in html
    assert '\n  &#34;rows&#34;: [\n    {\n      &#34;id&#34;: 0,' in html


def test_results_without_a_known_call_are_shown_on_their_own() -> None:
    recorder = Recorder()
    recorder.add(ToolCallExecutionEvent(source="writer", content=[
        FunctionExecutionResult(call_id="gone", name="add", content="5", is_error=False)]))
    items = trace_items(recorder.events)
    assert [item.kind for item in items] == ["tool_results"]
    assert Elements(render_items(items)).with_attr("data-call-id", "gone")


def test_live_results_replace_their_call_element() -> None:
    events = tool_run().events
    item = trace_item(events[2], previous=events[1])
    assert item.seq == 2 and item.replaces == "event-1-2"
    html = render_items([item])
    assert 'hx-swap-oob="outerHTML"' in html and 'id="event-1-2"' in html
    assert 'hx-swap-oob' not in render_items(trace_items(events))


def test_handoff_selector_thought_question_stop_and_code() -> None:
    recorder = Recorder()
    recorder.add(SelectSpeakerEvent(source="SelectorGroupChatManager", content=["writer"]))
    recorder.add(ThoughtEvent(source="writer", content="I should *plan*"))
    recorder.add(HandoffMessage(source="writer", target="reviewer", content="Please review"))
    recorder.add(UserInputRequestedEvent(source="reviewer", request_id="r1"))
    recorder.add(CodeGenerationEvent(source="coder", content="```python\nprint(1)\n```",
                                     code_blocks=[{"code": "print(1)", "language": "python"}]))
    recorder.add(CodeExecutionEvent(source="coder", result=CodeExecutionResult(exit_code=1, output="Traceback <boom>")))
    recorder.add(StopMessage(source="reviewer", content="TERMINATE"))
    html = render_items(trace_items(recorder.events))
    assert "Selector chose: <strong>writer</strong>" in html
    assert "<em>plan</em>" in html and 'data-type="ThoughtEvent"' in html
    assert re.search(r"<span>writer</span> <span aria-label=\"hands off to\">→</span> <span>reviewer</span>", html)
    assert "<strong>reviewer</strong> asks for your input." in html
    assert "<pre>print(1)</pre>" in html
    assert 'code-exit code-exit--failed">Exit code <strong>1</strong>' in html
    assert "Traceback &lt;boom&gt;" in html
    assert "The agent asked the team to stop." in html


def test_errors_say_what_to_check() -> None:
    recorder = Recorder()
    recorder.add(ErrorEvent(source="writer", content="OpenAI model 'gpt-4o' request failed with HTTP 401: bad key"))
    recorder.add(ErrorEvent(source="writer", content="could not connect to http://127.0.0.1:9"))
    html = render_items(trace_items(recorder.events))
    assert "event--error" in article(html, 1)["class"]
    assert "Check the API key in Settings" in html
    assert "base URL" in html


def test_unknown_and_malformed_events_show_as_escaped_json() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="writer", content="x"))
    recorder.events[0].type = "FancyNewEvent"
    recorder.events[0].data = {"type": "FancyNewEvent", "content": "<script>alert(1)</script>"}
    recorder.add(TextMessage(source="writer", content="y"))
    recorder.events[1].data["content"] = {"not": "text"}  # a TextMessage of the wrong shape
    items = trace_items(recorder.events)
    assert [item.kind for item in items] == ["unknown", "unknown"]
    html = render_items(items)
    assert "&#34;content&#34;: &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in html
    assert 'data-type="FancyNewEvent"' in html and "<script" not in html


def test_older_text_is_shown_as_typed_in_long_traces() -> None:
    recorder = Recorder()
    for i in range(5):
        recorder.add(TextMessage(source="writer", content=f"**item {i}** <b>"))
    items = trace_items(recorder.events, formatted_last=2)
    assert [item.formatted for item in items] == [False, False, False, True, True]
    html = render_items(items)
    assert '<div class="plain-text">**item 0** &lt;b&gt;</div>' in html
    assert "<strong>item 4</strong> &lt;b&gt;" in html


def test_turns_mark_items_and_filter() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="user", content="task"))
    for _ in range(2):
        recorder.add(TextMessage(source="writer", content="draft"))
        recorder.add(SelectSpeakerEvent(source="SelectorGroupChatManager", content=["reviewer"]))
        recorder.add(TextMessage(source="reviewer", content="ok"))
        recorder.add(TextMessage(source="reviewer", content="more"))
    items = trace_items(recorder.events)
    assert [item.turn for item in items] == [None, "user>writer", None, "writer>reviewer", "writer>reviewer",
                                             "reviewer>writer", None, "writer>reviewer", "writer>reviewer"]
    assert [item.seq for item in filter_items(items, "writer", "reviewer")] == [4, 5, 8, 9]
    assert 'data-turn="writer&gt;reviewer"' in render_items(items)


def test_a_live_builder_matches_the_whole_trace() -> None:
    events = tool_run().events
    builder = TraceBuilder(FakeRun())
    live = [builder.add_live(event) for event in events]
    assert [(i.seq, i.replaces) for i in live] == [(1, None), (2, None), (2, "event-1-2"), (4, None)]
    whole = trace_items(events, FakeRun())
    assert render_items([live[0], live[2], live[3]]).replace(' hx-swap-oob="outerHTML"', "") == render_items(whole)


def test_chunk_placeholder_is_what_the_final_message_settles() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="writer", content="hello"))
    html = render("playground/_chunk.html", run_id=1, source="writer")
    placeholder = next(attrs for tag, attrs in Elements(html).tags if tag == "article")
    assert placeholder["data-type"] == "ModelClientStreamingChunkEvent"
    assert article(render_items(trace_items(recorder.events)), 1)["data-settles"] == placeholder["id"]
    assert 'id="stream-1-writer-text"' in html


def test_the_task_box_marks_run_unavailable_while_a_run_is_going() -> None:
    idle = render("playground/_task_form.html", conversation_id=7, busy=False, csrf_field="")
    busy = render("playground/_task_form.html", conversation_id=7, busy=True, csrf_field="")
    run_idle = next(a for t, a in Elements(idle).tags if t == "button" and "data-run-button" in a)
    run_busy = next(a for t, a in Elements(busy).tags if t == "button" and "data-run-button" in a)
    assert "aria-disabled" not in run_idle and "aria-describedby" not in run_idle
    assert run_busy["aria-disabled"] == "true" and run_busy["aria-describedby"] == "task-busy"
    note = next(a for t, a in Elements(busy).tags if t == "p" and a.get("id") == "task-busy")
    assert "hidden" not in note and "hidden" in next(a for t, a in Elements(idle).tags if a.get("id") == "task-busy")
