"""The `studio` command, run as a real subprocess like a user would."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.support.waits import wait_until

ROOT = Path(__file__).resolve().parents[1]
GALLERY_TEAM = ROOT / "tests" / "fixtures" / "writer-critic.json"  # replay clients: runs offline


def studio(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studio.cli", *args], input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT
    )


def team_with_user_proxy() -> dict:
    return {
        "provider": "RoundRobinGroupChat",
        "config": {
            "participants": [
                {"provider": "UserProxyAgent", "config": {"name": "human"}},
                {
                    "provider": "AssistantAgent",
                    "config": {
                        "name": "echo",
                        "model_client": {
                            "provider": "autogen_ext.models.replay.ReplayChatCompletionClient",
                            "config": {"chat_completions": ["You said it."]},
                        },
                    },
                },
            ],
            "max_turns": 2,
        },
    }


def test_validate_accepts_a_gallery_team():
    done = studio("validate", str(GALLERY_TEAM))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


def test_validate_lists_every_problem_with_its_path(tmp_path):
    broken = json.loads(GALLERY_TEAM.read_text())
    del broken["config"]["participants"][1]["config"]["model_client"]
    broken["config"]["participants"][0]["provider"] = "autogen_agentchat.agents.AsistantAgent"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    done = studio("validate", str(path))
    assert done.returncode == 1
    assert "config.participants[1].config.model_client" in done.stdout
    assert "config.participants[0]: autogen_agentchat.agents.AsistantAgent cannot run here" in done.stdout
    assert "did you mean" in done.stdout.lower()


def test_run_prints_a_readable_trace_and_the_stop_reason():
    done = studio("run", str(GALLERY_TEAM), "--task", "Write a haiku")
    assert done.returncode == 0, done.stderr
    assert "---------- TextMessage (writer)" in done.stdout
    assert "stop reason: Text 'APPROVE' mentioned" in done.stdout


def test_run_jsonl_prints_autogen_objects_then_the_task_result():
    done = studio("run", str(GALLERY_TEAM), "--task", "Write a haiku", "--jsonl")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["type"] for line in lines[:-1]] == ["TextMessage"] * 5
    assert lines[0]["source"] == "user" and lines[0]["content"] == "Write a haiku"
    assert lines[-1]["type"] == "TaskResult"
    assert lines[-1]["stop_reason"] == "Text 'APPROVE' mentioned"
    assert len(lines[-1]["messages"]) == 5


def test_the_user_proxy_asks_on_stdin(tmp_path):
    path = tmp_path / "team.json"
    path.write_text(json.dumps(team_with_user_proxy()))
    done = studio("run", str(path), "--task", "hello", "--jsonl", stdin="my answer\n")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(m["type"], m["source"]) for m in lines[:-1]] == [
        ("TextMessage", "user"),
        ("UserInputRequestedEvent", "human"),
        ("TextMessage", "human"),
        ("TextMessage", "echo"),
    ]
    assert lines[2]["content"] == "my answer"


def test_ctrl_c_cancels_the_run_cleanly(tmp_path):
    path = tmp_path / "team.json"
    path.write_text(json.dumps(team_with_user_proxy()))
    process = subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "run", str(path), "--task", "hello", "--jsonl"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stdout is not None
    seen = []
    while not any('"UserInputRequestedEvent"' in line for line in seen):
        seen.append(process.stdout.readline())
    process.send_signal(signal.SIGINT)
    # Keep stdin open until the process has exited: closing it could answer the prompt with EOF first.
    watchdog = threading.Timer(20, process.kill)  # a hung process fails the test instead of hanging it
    watchdog.start()
    out = process.stdout.read()
    process.wait()
    watchdog.cancel()
    err = process.stderr.read()
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()
    result = json.loads(out.splitlines()[-1])
    assert result["type"] == "TaskResult" and result["stop_reason"] == "Run cancelled."
    assert process.returncode == 0
    assert "Traceback" not in err


def test_run_refuses_an_invalid_file_without_running(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"provider": "RoundRobinGroupChat", "config": {"participants": []}')
    done = studio("run", str(path), "--task", "x")
    assert done.returncode == 1
    assert "line 1" in done.stderr and "Traceback" not in done.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_runs_until_stopped(tmp_path):
    import urllib.request

    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "studio.cli", "serve", str(GALLERY_TEAM), "--port", str(port)],
                               cwd=ROOT, stderr=subprocess.PIPE, text=True)

    def health() -> dict | None:
        assert process.poll() is None, "studio serve exited"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                return json.load(response)
        except OSError:
            return None  # not listening yet

    try:
        assert wait_until(health, message="studio serve did not start")["teams"] == 1
        request = urllib.request.Request(f"http://127.0.0.1:{port}/teams/writer-critic/runs", method="POST",
                                         data=json.dumps({"task": "A haiku"}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = json.load(response)
        assert [m["source"] for m in body["messages"]][:3] == ["user", "writer", "critic"]
        assert body["stop_reason"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    assert "Serving writer-critic at http://127.0.0.1:" in err


async def test_serve_mcp_adds_the_teams_as_mcp_tools_at_mcp(tmp_path):
    """`studio serve --mcp`: the start-up line says where, and the `mcp` SDK's client lists and calls the team."""
    import urllib.request

    from tests.support.mcp_client import connected, outcome

    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "studio.cli", "serve", str(GALLERY_TEAM), "--port", str(port),
                                "--mcp", "--api-key", "k"], cwd=ROOT, stderr=subprocess.PIPE, text=True)

    def up() -> bool:
        assert process.poll() is None, "studio serve exited"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return True
        except OSError:
            return False  # not listening yet

    try:
        wait_until(up, message="studio serve did not start")  # nothing else runs on this event loop yet
        async with connected(f"http://127.0.0.1:{port}/mcp", "k") as mcp:
            assert [t.name for t in (await mcp.session.list_tools()).tools] == ["writer-critic"]
            assert outcome(await mcp.session.call_tool("writer-critic", {"task": "A haiku"}))["stop_reason"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    assert f"MCP at http://127.0.0.1:{port}/mcp" in err


def test_serve_refuses_invalid_teams_and_open_hosts_without_a_key(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"provider": "RoundRobinGroupChat", "config": {"participants": []}}')
    refused = studio("serve", str(bad))
    assert refused.returncode == 1 and "bad.json" in refused.stderr and "config.participants" in refused.stderr
    open_host = studio("serve", str(GALLERY_TEAM), "--host", "0.0.0.0")
    assert open_host.returncode == 2 and "needs an API key" in open_host.stderr


def test_export_prints_a_saved_team_as_json_or_scripts(tmp_path):
    from studio.services import teams
    from studio.store import make_engine, migrate, session

    engine = make_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    migrate(engine)
    with session(engine) as db:
        team = teams.import_team(db, GALLERY_TEAM.read_text())
        team_id, expected = team.id, teams.export_team(team)
    engine.dispose()

    exported = studio("export", str(team_id), "--home", str(tmp_path))
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == expected
    script = studio("export", str(team_id), "--home", str(tmp_path), "--format", "python")
    assert script.stdout.startswith("#!/usr/bin/env python3") and "from studio import TaskResult, load_team" in script.stdout
    autogen = studio("export", str(team_id), "--home", str(tmp_path), "--format", "autogen")
    assert "Team.load_component(unmasked(TEAM))" in autogen.stdout

    missing = studio("export", "999", "--home", str(tmp_path))
    assert missing.returncode == 1 and f"teams: {team_id} (Writer and critic)" in missing.stderr
    nowhere = studio("export", "1", "--home", str(tmp_path / "empty"))
    assert nowhere.returncode == 1 and "no studio database" in nowhere.stderr


def test_run_replays_a_gallery_demo_offline_with_its_task_and_user_replies():
    gallery = ROOT / "gallery"
    done = studio("run", str(gallery / "teams" / "human-in-the-loop.json"),
                  "--replay", str(gallery / "demos" / "human-in-the-loop.json"), "--jsonl")
    assert done.returncode == 0, done.stderr
    items = [json.loads(line) for line in done.stdout.splitlines()]
    demo = json.loads((gallery / "demos" / "human-in-the-loop.json").read_text())
    assert items[0]["content"] == demo["task"]  # the recording's task, as none was given
    replies = [i["content"] for i in items if i["type"] == "TextMessage" and i["source"] == "user"][1:]
    assert replies == demo["user"]["user"]  # the user proxy was answered from the recording, not stdin
    assert items[-1]["stop_reason"] == "Text 'TERMINATE' mentioned"


def test_run_needs_a_task_and_valid_json(tmp_path):
    assert "give a --task" in studio("run", str(GALLERY_TEAM)).stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    refused = studio("run", str(bad), "--task", "x")
    assert refused.returncode == 1 and "is not valid JSON" in refused.stderr
