"""Running a served team (serve/runner.py): a fresh team per request, at most `max_concurrent` at once, each
cancelled after `timeout_seconds`, and a team that asks a human ends with an error saying so."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from studio.runtime.messages import TaskResult, TextMessage
from studio.serve import RunLimits, TeamCatalog, create_serve_app
from studio.serve.runner import Busy, TeamRunner, final_answer

from .conftest import TEST_HOSTS, replay_team, write_team


def test_a_run_over_the_time_limit_is_cancelled_with_that_reason(tmp_path: Path) -> None:
    slow = {"provider": "autogen_agentchat.teams.RoundRobinGroupChat", "component_type": "team", "config": {
        "participants": [{"provider": "autogen_agentchat.agents.CodeExecutorAgent", "component_type": "agent",
                          "config": {"name": "coder", "code_executor": {
                              "provider": "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor",
                              "component_type": "code_executor", "config": {"timeout": 30}}}}],
        "termination_condition": {"provider": "autogen_agentchat.conditions.MaxMessageTermination",
                                  "component_type": "termination", "config": {"max_messages": 2}}}}
    write_team(tmp_path, "slow", slow)
    app = create_serve_app(TeamCatalog.from_path(tmp_path), extra_hosts=TEST_HOSTS,
                           limits=RunLimits(timeout_seconds=0.5))
    body = TestClient(app).post("/teams/slow/runs", json={"task": "```python\nimport time\ntime.sleep(20)\n```"}).json()
    assert body["stop_reason"] == "Timeout: the run took longer than 0.5 seconds."


def test_a_team_that_asks_a_human_ends_with_an_error_saying_so(tmp_path: Path) -> None:
    team = replay_team("Hi TERMINATE")
    team["config"]["participants"].insert(0, {"provider": "autogen_agentchat.agents.UserProxyAgent",
                                              "component_type": "agent", "config": {"name": "human"}})
    write_team(tmp_path, "asks", team)
    client = TestClient(create_serve_app(TeamCatalog.from_path(tmp_path), extra_hosts=TEST_HOSTS))
    body = client.post("/teams/asks/runs", json={"task": "x"}).json()
    assert body["stop_reason"].startswith("Error:")
    assert "asks a human for input, which a served team cannot do" in body["stop_reason"]


async def test_a_run_holds_its_slot_until_its_stream_ends() -> None:
    runner = TeamRunner(RunLimits(max_concurrent=1))
    stream = runner.start(replay_team("Hello TERMINATE"), "hi")
    assert runner.active == 1
    with pytest.raises(Busy, match="All 1 run slots are busy"):
        runner.start(replay_team("x"), "hi")
    items = [item async for item in stream]
    assert runner.active == 0 and isinstance(items[-1], TaskResult)
    assert final_answer(await runner.result(replay_team("Again TERMINATE"), "hi")) == "Again TERMINATE"


def test_the_answer_is_the_last_message_not_from_the_user() -> None:
    said = [TextMessage(content="task", source="user"), TextMessage(content="answer", source="writer")]
    assert final_answer(TaskResult(messages=said)) == "answer"
    assert final_answer(TaskResult(messages=said[:1])) == ""
