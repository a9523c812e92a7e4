"""Replaying a recording reproduces the run: same events (type, source, content), usage and stop reason.

Runs are recorded against the loopback OpenAI server (the real `openai` client path), then replayed from
`replay_component` with no server at all, and through `studio run` on the exported file.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from studio.components import load_component, validate_component
from studio.playground.replay import (
    REPLAY_PROVIDER,
    export_as_test,
    replay_component,
    replay_inputs,
)
from studio.services.teams import export_component, pretty_json
from tests.playground.replay_teams import (
    API_KEY,
    assistant,
    comparable,
    openai_model,
    run_items,
    team,
)
from tests.playground.scenarios import SCENARIOS, TASK, feed_user_replies, record

ROOT = Path(__file__).resolve().parents[2]
STUDIO = ROOT / ".venv" / "bin" / "studio"


def models_of(component: dict) -> list[dict]:
    """Every model client envelope in a team component (selector's first, then the agents', depth first)."""
    config = component["config"]
    found = [config["model_client"]] if "model_client" in config else []
    for p in config["participants"]:
        if p["component_type"] == "team":
            found += models_of(p)
        elif "model_client" in p["config"]:
            found.append(p["config"]["model_client"])
    return found


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_replay_reproduces_the_recorded_run(name: str, openai_server) -> None:
    recorded = await record(name, openai_server)
    replayed = load_component(replay_component(recorded.component, recorded.recording))
    feed_user_replies(replayed, replay_inputs(recorded.recording))
    calls = len(openai_server.chat_requests)

    items = await run_items(replayed, TASK)

    assert comparable(items) == recorded.trace
    assert len(openai_server.chat_requests) == calls  # the replay never called the server


async def test_the_scenarios_exercise_what_they_claim(openai_server) -> None:
    """Guards the determinism test: each scenario really has a tool call, selector, handoffs, user reply."""
    kinds = {}
    for name in SCENARIOS:
        recorded = await record(name, openai_server)
        kinds[name] = {key.type for key in recorded.trace[0]}
        sources = [key.source for key in recorded.trace[0]]
        if name == "selector":
            assert sources == ["user", "b", "c", "a"]
        if name == "selector":
            assert len(recorded.recording["models"]["__selector__"]) == 3
        if name == "user_proxy":
            assert recorded.recording["user"] == {"user": ["yes please"]}
    assert {"ToolCallRequestEvent", "ToolCallExecutionEvent"} <= kinds["round_robin_tool"]
    assert "HandoffMessage" in kinds["swarm"]
    assert "UserInputRequestedEvent" in kinds["user_proxy"]


async def test_replay_component_swaps_models_keeps_info_and_drops_secrets(openai_server) -> None:
    recorded = await record("selector", openai_server)
    original = json.dumps(recorded.component)

    replayed = replay_component(recorded.component, recorded.recording)

    assert json.dumps(recorded.component) == original  # the input is left alone
    assert [p for p in validate_component(replayed) if p.severity == "error"] == []
    text = json.dumps(replayed)
    assert API_KEY not in text and "api_key" not in text and "base_url" not in text
    models = models_of(replayed)
    assert [m["provider"] for m in models] == [REPLAY_PROVIDER] * 4
    selector_model, agent_a = models[0]["config"], models[1]["config"]
    assert [r["content"] for r in selector_model["chat_completions"]] == ["b", "c", "a"]
    assert agent_a["chat_completions"] == [{"finish_reason": "stop", "content": "a reviews", "cached": False,
                                            "usage": {"prompt_tokens": 5, "completion_tokens": 2}}]
    # gpt-4o's known capabilities (vision, function calling) survive, so the same checks apply on replay.
    loaded = load_component(openai_model("http://x", model="gpt-4o"), kind="model")
    assert selector_model["model_info"] == {k: v for k, v in loaded.model_info.items()}
    assert selector_model["model_info"]["vision"] is True


def test_replay_keeps_function_calls_thoughts_and_fills_unrecorded_clients() -> None:
    component = team("RoundRobinGroupChat", [assistant("a", openai_model("http://x"), tools=True),
                                             assistant("idle", openai_model("http://x"))])
    call = {"finish_reason": "function_calls", "usage": {"prompt_tokens": 3, "completion_tokens": 1},
            "content": [{"id": "c1", "name": "add", "arguments": '{"a": 1, "b": 1}'}], "cached": False,
            "logprobs": None, "thought": "I should add"}
    replayed = replay_component(component, {"version": 1, "models": {"a": [call]}, "user": {}})
    a, idle = models_of(replayed)
    assert a["config"]["chat_completions"] == [{k: v for k, v in call.items() if v is not None}]
    assert idle["config"]["chat_completions"] == []
    assert [p for p in validate_component(replayed) if p.severity == "error"] == []


def test_nested_team_models_are_found_by_path() -> None:
    inner = team("SelectorGroupChat", [assistant("x", openai_model("http://x")), assistant("y", openai_model("http://x"))],
                 model_client=openai_model("http://x"), name="inner")
    component = team("RoundRobinGroupChat", [assistant("x", openai_model("http://x")), inner])
    models = {"x": ["outer x"], "inner/x": ["inner x"], "inner/__selector__": ["y"]}
    replayed = replay_component(component, {"models": models})
    assert [m["config"]["chat_completions"] for m in models_of(replayed)] == [["outer x"], ["y"], ["inner x"], []]


def test_replay_inputs_are_copies() -> None:
    recording = {"user": {"user": ["a", "b"]}}
    inputs = replay_inputs(recording)
    inputs["user"].pop()
    assert recording["user"]["user"] == ["a", "b"] and replay_inputs({}) == {}


def run_cli(path: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(STUDIO), "run", "--jsonl", str(path), "--task", TASK], input=stdin,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("name", ["round_robin_tool", "user_proxy"])
async def test_exported_file_reproduces_the_run_through_the_cli(name: str, openai_server, tmp_path) -> None:
    recorded = await record(name, openai_server)
    exported = export_as_test(recorded.component, recorded.recording, label="calc test", task=TASK)
    assert exported == export_as_test(recorded.component, recorded.recording, label="calc test", task=TASK)
    assert API_KEY not in exported and exported.endswith("}\n")
    data = json.loads(exported)
    assert data["label"] == "calc test" and TASK in data["description"]
    assert exported == pretty_json(export_component(data))  # what every export writes: canonical, same format
    path = tmp_path / "replay.json"
    path.write_text(exported)

    # A user proxy still asks: its recorded replies go to the CLI's stdin, one a line.
    stdin = "".join(r + "\n" for r in replay_inputs(recorded.recording).get("user", [])) if recorded.user_replies else None
    done = run_cli(path, stdin)

    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert comparable(lines) == recorded.trace


def test_cli_without_the_user_replies_stops_with_an_error(tmp_path) -> None:
    from tests.playground.replay_teams import user_proxy

    component = team("RoundRobinGroupChat", [assistant("helper", openai_model("http://x")), user_proxy()])
    path = tmp_path / "replay.json"
    path.write_text(export_as_test(component, {"models": {"helper": ["Question?"]}}, label="t"))
    done = run_cli(path, stdin="")
    assert done.returncode == 1
    assert json.loads(done.stdout.splitlines()[-1])["stop_reason"].startswith("Error")


def test_models_of_agents_and_teams_run_as_tools_are_found_under_their_agent() -> None:
    inner_team = team("RoundRobinGroupChat", [assistant("w", openai_model("http://x"))])
    boss = assistant("boss", openai_model("http://x"))
    helper = assistant("helper", openai_model("http://x"))
    boss["config"]["workbench"] = [{"provider": "autogen_core.tools.StaticStreamWorkbench", "config": {"tools": [
        {"provider": "autogen_agentchat.tools.AgentTool", "config": {"agent": helper}},
        {"provider": "autogen_agentchat.tools.TeamTool", "config": {"name": "crew", "description": "A crew.",
                                                                    "team": inner_team}}]}}]
    models = {"boss": ["b"], "boss/helper": ["h"], "boss/crew/w": ["w"]}
    replayed = replay_component(team("RoundRobinGroupChat", [boss]), {"models": models})
    tools = replayed["config"]["participants"][0]["config"]["workbench"][0]["config"]["tools"]
    clients = [replayed["config"]["participants"][0]["config"]["model_client"],
               tools[0]["config"]["agent"]["config"]["model_client"],
               tools[1]["config"]["team"]["config"]["participants"][0]["config"]["model_client"]]
    assert [(c["provider"], c["config"]["chat_completions"]) for c in clients] == [
        (REPLAY_PROVIDER, ["b"]), (REPLAY_PROVIDER, ["h"]), (REPLAY_PROVIDER, ["w"])]
