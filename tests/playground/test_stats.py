"""A run's summary (playground/stats.py) and `_summary.html`: status, duration, tokens by agent, model and tool
calls, and no token figures when the models reported none."""

from __future__ import annotations

from datetime import timedelta

from studio.playground.stats import run_summary
from studio.runtime.messages import SelectSpeakerEvent, TextMessage, ToolCallRequestEvent
from studio.runtime.models.types import FunctionCall, RequestUsage
from tests.web.trace.trace_support import START, Elements, FakeRun, Recorder, render, tool_run


def test_run_summary_counts_and_renders() -> None:
    recorder = tool_run()
    recorder.add(SelectSpeakerEvent(source="SelectorGroupChatManager", content=["reviewer"]))
    recorder.add(TextMessage(source="reviewer", content="ok", models_usage=RequestUsage(prompt_tokens=20, completion_tokens=3)))
    run = FakeRun(status="complete", stop_reason="Text 'TERMINATE' mentioned", prompt_tokens=100,
                  completion_tokens=20, finished_at=START + timedelta(seconds=75))
    summary = run_summary(run, recorder.events)
    assert [(a.agent, a.prompt, a.completion, a.model_calls) for a in summary.tokens_by_agent] == [
        ("writer", 12, 7, 1), ("reviewer", 20, 3, 1)]
    assert (summary.model_calls, summary.selector_calls, summary.tool_calls, summary.tool_errors) == (3, 1, 2, 1)
    assert summary.total_tokens == 120 and summary.unattributed_tokens == 78
    html = render("playground/_summary.html", summary=summary)
    section = next(attrs for tag, attrs in Elements(html).tags if tag == "section")
    assert section["data-run-status"] == "complete"
    assert "Text &#39;TERMINATE&#39; mentioned" in html and "1 min 15 s" in html
    assert ('<tr data-agent="writer"><th scope="row">writer</th><td class="num">1</td><td class="num">12</td>'
            '<td class="num">7</td><td class="num">19</td></tr>') in html
    assert "(1 failed)" in html


def test_tokens_by_agent_numbers_line_up_under_their_headers() -> None:
    recorder = tool_run()
    recorder.add(SelectSpeakerEvent(source="SelectorGroupChatManager", content=["reviewer"]))
    run = FakeRun(status="complete", prompt_tokens=100, completion_tokens=20)
    html = render("playground/_summary.html", summary=run_summary(run, recorder.events))
    cells = [(tag, attrs) for tag, attrs in Elements(html).tags if tag in ("th", "td")]
    headers = [attrs.get("class") for tag, attrs in cells if attrs.get("scope") == "col"]
    assert headers == [None, "num", "num", "num", "num"]  # Agent reads left; the counts right, like their cells
    assert {attrs.get("class") for tag, attrs in cells if tag == "td"} == {"num"}


def test_summary_has_no_status_attribute_while_running() -> None:
    html = render("playground/_summary.html", summary=run_summary(FakeRun(status="running"), []))
    assert "data-run-status" not in html and "running" in html
    stopped = render("playground/_summary.html", summary=run_summary(FakeRun(status="interrupted"), []))
    assert 'data-run-status="interrupted"' in stopped


def test_a_run_whose_models_report_no_usage_shows_no_token_figures() -> None:
    """A replayed recording without usage (the swarm demo: every reply 0 + 0) must not show zeros as counts."""
    recorder = Recorder()
    recorder.add(ToolCallRequestEvent(source="triage_agent", content=[FunctionCall(id="c1", name="t", arguments="{}")],
                                      models_usage=RequestUsage(prompt_tokens=0, completion_tokens=0)))
    summary = run_summary(FakeRun(status="complete"), recorder.events)
    assert summary.model_calls == 1 and not summary.tokens_reported
    html = render("playground/_summary.html", summary=summary)
    assert 'data-tokens="none"' in html and "none reported" in html
    assert "Tokens by agent" not in html and "0 prompt" not in html
    counted = render("playground/_summary.html", summary=run_summary(FakeRun(status="complete", prompt_tokens=5), []))
    assert "none reported" not in counted and "5 prompt + 0 completion" in counted
