"""The flow view: agents as nodes, counted turns as arrows, drawn as SVG with accessible links."""

from __future__ import annotations

from studio.runtime.messages import (
    HandoffMessage,
    SelectSpeakerEvent,
    TextMessage,
    ToolCallRequestEvent,
)
from studio.runtime.models.types import FunctionCall
from studio.web.trace.flow import flow
from tests.web.trace.trace_support import Elements, Recorder, render


def conversation() -> Recorder:
    recorder = Recorder()
    recorder.add(TextMessage(source="user", content="task"))
    for _ in range(3):
        recorder.add(SelectSpeakerEvent(source="SelectorGroupChatManager", content=["writer"]))
        recorder.add(ToolCallRequestEvent(source="writer", content=[FunctionCall(id="c", name="f", arguments="{}")]))
        recorder.add(HandoffMessage(source="writer", target="reviewer", content="review please"))
        recorder.add(TextMessage(source="reviewer", content="ok"))
    recorder.add(TextMessage(source="editor", content="final"))
    return recorder


def test_turns_are_counted_between_consecutive_speakers() -> None:
    result = flow(conversation().events)
    assert [node.name for node in result.nodes] == ["user", "writer", "reviewer", "editor"]
    assert [(e.source, e.target, e.count) for e in result.edges] == [
        ("user", "writer", 1), ("writer", "reviewer", 3), ("reviewer", "writer", 2), ("reviewer", "editor", 1)]
    assert result.turns == 7


def test_nodes_fit_the_drawing_and_arrows_start_and_end_at_nodes() -> None:
    result = flow(conversation().events)
    for node in result.nodes:
        assert result.node_radius <= node.x <= result.width - result.node_radius
        assert result.node_radius <= node.y <= result.height - result.node_radius
    edge = result.edges[0]
    assert edge.path.startswith("M ") and " Q " in edge.path
    there_and_back = {(e.source, e.target): e.path for e in result.edges}
    assert there_and_back["writer", "reviewer"] != there_and_back["reviewer", "writer"]


def test_svg_arrows_are_named_links_that_filter_the_trace() -> None:
    html = render("playground/_flow.html", flow=flow(conversation().events), flow_url="/playground/sessions/4",
                  active_turn="writer>reviewer")
    links = Elements(html).with_attr("data-flow-source")
    assert [(a["data-flow-source"], a["data-flow-target"], a["aria-label"]) for a in links] == [
        ("user", "writer", "user to writer, 1 turn"), ("writer", "reviewer", "writer to reviewer, 3 turns"),
        ("reviewer", "writer", "reviewer to writer, 2 turns"), ("reviewer", "editor", "reviewer to editor, 1 turn")]
    assert links[1]["href"] == "/playground/sessions/4?from=writer&to=reviewer"
    assert links[1]["data-turn"] == "writer>reviewer" and links[1]["aria-current"] == "true"
    assert "<svg" in html and html.count("<circle") == 4
    assert "Show all turns" in html


def test_names_are_escaped_in_the_svg() -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="a<script>", content="x"))
    recorder.add(TextMessage(source='b"onload="x', content="y"))
    html = render("playground/_flow.html", flow=flow(recorder.events))
    assert "<script" not in html
    assert not [n for _, attrs in Elements(html).tags for n in attrs if n.startswith("on")]


def test_a_run_without_agents_says_so() -> None:
    html = render("playground/_flow.html", flow=flow([]))
    assert "No agent has spoken yet." in html and "<svg" not in html
