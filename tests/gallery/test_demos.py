"""Every template's demo recording runs to completion with Studio's runtime (no key, no live model), stops
for the expected reason, uses every scripted reply, and shows the events the template is there to teach."""

from __future__ import annotations

from typing import Any

import pytest

from studio.runtime.models.replay import ReplayChatCompletionClient

from .conftest import KEYS, demo, run_demo, template

STOP_REASONS = {
    "code-writer": "TERMINATE",
    "content-pipeline": "Digraph execution is complete",
    "debate-judge": "VERDICT",
    "human-in-the-loop": "TERMINATE",
    "local-model": "TERMINATE",
    "mcp-unit-converter": "TERMINATE",
    "parallel-review": "Digraph execution is complete",
    "research-selector": "TERMINATE",
    "review-loop": "Digraph execution is complete",
    "single-assistant": "TERMINATE",
    "tool-assistant": "TERMINATE",
    "travel-swarm": "Handoff to user",
    "writer-critic": "APPROVE",
}


def of_type(items: list[Any], name: str) -> list[Any]:
    return [item for item in items if type(item).__name__ == name]


def speakers(items: list[Any]) -> list[str]:
    return [m.source for m in of_type(items, "TextMessage") if m.source != "user"]


def test_every_template_has_a_labelled_demo_and_a_stop_reason() -> None:
    assert sorted(STOP_REASONS) == KEYS
    for key in KEYS:
        recording = demo(key)
        assert recording["demo"] is True and recording["label"].startswith("Demo:")
        assert recording["version"] == 1 and recording["task"].strip()
        assert set(recording) - {"ask_person"} == {"demo", "label", "task", "version", "models", "user"}
        assert set(recording.get("ask_person", [])) <= set(recording["user"]), key  # left to the person


@pytest.mark.parametrize("key", KEYS)
async def test_demo_runs_to_its_stop_reason_using_every_reply(key: str) -> None:
    team, items, result = await run_demo(key)
    assert STOP_REASONS[key] in (result.stop_reason or "")
    assert not of_type(items, "ErrorEvent")
    clients = {p.name: p.model_client for p in team.participants if hasattr(p, "model_client")}
    if getattr(team, "model_client", None) is not None:
        clients["__selector__"] = team.model_client
    for name, replies in demo(key)["models"].items():
        client = clients[name]
        assert isinstance(client, ReplayChatCompletionClient)
        assert len(client.create_calls) == len(replies), f"{name} did not use exactly its {len(replies)} replies"


async def test_tool_demo_calls_every_tool_without_errors() -> None:
    _, items, _ = await run_demo("tool-assistant")
    (request,) = of_type(items, "ToolCallRequestEvent")
    (execution,) = of_type(items, "ToolCallExecutionEvent")
    assert {call.name for call in request.content} == {"convert_units", "days_between", "calculator"}
    results = {r.name: r.content for r in execution.content}
    assert not any(r.is_error for r in execution.content)
    assert results["convert_units"] == "350 F = 176.67 C"
    assert results["days_between"].startswith("45 days")
    assert results["calculator"] == "100.0"


async def test_the_mcp_demo_calls_the_shipped_server_over_stdio() -> None:
    """The gallery's unit converter (gallery/mcp/unit_converter.py) runs offline, started by the workbench."""
    _, items, _ = await run_demo("mcp-unit-converter")
    (execution,) = of_type(items, "ToolCallExecutionEvent")
    assert not any(r.is_error for r in execution.content)
    assert [r.content for r in execution.content] == ["350 F = 176.7 C", "2 cup = 0.4732 l"]


async def test_swarm_demo_hands_off_between_agents_then_to_the_user() -> None:
    _, items, result = await run_demo("travel-swarm")
    assert [m.target for m in of_type(items, "HandoffMessage")] == ["flights_agent", "hotels_agent", "user"]
    called = [c.name for e in of_type(items, "ToolCallRequestEvent") for c in e.content]
    assert "search_flights" in called and "search_hotels" in called
    assert result.messages[-1].target == "user"


async def test_review_loop_demo_takes_the_reject_edge_then_the_approve_edge() -> None:
    _, items, _ = await run_demo("review-loop")
    assert speakers(items) == ["writer", "reviewer", "writer", "reviewer", "publisher"]
    verdicts = [m.content.split(":")[0] for m in of_type(items, "TextMessage") if m.source == "reviewer"]
    assert verdicts == ["REJECT", "APPROVE"]


async def test_fan_out_demo_joins_both_experts_before_the_synthesizer() -> None:
    _, items, _ = await run_demo("parallel-review")
    order = speakers(items)
    assert order[0] == "coordinator" and order[-1] == "synthesizer"
    assert sorted(order[1:3]) == ["cost_expert", "security_expert"]


async def test_selector_demo_follows_the_selector_model() -> None:
    _, items, _ = await run_demo("research-selector")
    assert speakers(items) == demo("research-selector")["models"]["__selector__"]


async def test_human_in_the_loop_demo_asks_the_user_and_uses_the_reply() -> None:
    _, items, _ = await run_demo("human-in-the-loop")
    assert [e.source for e in of_type(items, "UserInputRequestedEvent")] == ["user"]
    replies = [m.content for m in of_type(items, "TextMessage") if m.source == "user"][1:]  # [0] is the task
    assert replies == demo("human-in-the-loop")["user"]["user"]


async def test_code_demo_runs_the_code_and_shows_its_output() -> None:
    _, items, _ = await run_demo("code-writer")
    assert speakers(items) == ["coder", "executor", "coder"]
    output = [m.content for m in of_type(items, "TextMessage") if m.source == "executor"][0]
    assert "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]" in output and "88" in output


async def test_graph_demo_runs_each_step_once_in_order() -> None:
    _, items, _ = await run_demo("content-pipeline")
    assert speakers(items) == ["outliner", "drafter", "editor"]


def test_demo_agents_exist_in_their_template() -> None:
    for key in KEYS:
        names = {p["config"]["name"] for p in template(key)["config"]["participants"]}
        assert set(demo(key)["models"]) - {"__selector__"} <= names, key
        assert set(demo(key)["user"]) <= names, key
