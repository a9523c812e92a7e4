"""Exported scripts run the team: the Studio one on our runtime, the AutoGen one in autogen-agentchat."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from studio.components import MASK
from studio.services.team_scripts import autogen_script, export_file, studio_script
from studio.services.teams import export_component
from tests.services.helpers import PLANTED_KEY

ROOT = Path(__file__).resolve().parents[2]
TEAM = json.loads((ROOT / "tests" / "fixtures" / "writer-critic.json").read_text(encoding="utf-8"))


def run_script(path: Path, task: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(path), task], capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.parametrize("make", [studio_script, autogen_script])
def test_the_script_carries_the_exported_json(make) -> None:
    source = make(TEAM, label='A "quoted" \\ label', filename="team.py")
    tree = ast.parse(source)
    assigned = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "TEAM")  # type: ignore[attr-defined]
    assert json.loads(assigned.value.args[0].value) == export_component(TEAM)  # type: ignore[attr-defined]
    assert "A 'quoted' / label" in ast.get_docstring(tree)  # type: ignore[operator]


def test_json_that_would_end_a_raw_block_falls_back_to_an_exact_literal() -> None:
    team = json.loads(json.dumps(TEAM))
    team["description"] = "tricky ''' quotes \\ and a backslash"
    tree = ast.parse(studio_script(team, label="x", filename="x.py"))
    assigned = next(n for n in tree.body if isinstance(n, ast.Assign))
    assert json.loads(assigned.value.args[0].value) == export_component(team)  # type: ignore[attr-defined]


def test_the_studio_script_runs_the_team(tmp_path: Path) -> None:
    path = tmp_path / "team.py"
    path.write_text(studio_script(TEAM, label="Writer and critic", filename="team.py"), encoding="utf-8")
    done = run_script(path, "A haiku about the sea")
    assert done.returncode == 0, done.stderr
    assert "---------- TextMessage (writer) ----------" in done.stdout
    assert "Stop reason: " in done.stdout


@pytest.mark.compat
def test_the_autogen_script_runs_the_team_in_autogen(tmp_path: Path) -> None:
    pytest.importorskip("autogen_agentchat", reason="needs the compat extra (autogen-agentchat 0.7.5)")
    path = tmp_path / "team.py"
    path.write_text(autogen_script(TEAM, label="Writer and critic", filename="team.py"), encoding="utf-8")
    done = run_script(path, "A haiku about the sea")
    assert done.returncode == 0, done.stderr
    assert "---------- TextMessage (writer) ----------" in done.stdout  # AutoGen's Console prints this header


def _keyed() -> dict:
    """The team with a key written into its first agent's (OpenAI) model client."""
    keyed = json.loads(json.dumps(TEAM))
    keyed["config"]["participants"][0]["config"]["model_client"] = {
        "provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
        "config": {"model": "gpt-4o-mini", "api_key": PLANTED_KEY}}
    return keyed


@pytest.mark.parametrize(("format", "filename", "media_type"), [
    ("json", "writer-and-critic.json", "application/json"),
    ("python", "writer-and-critic.py", "text/x-python"),
    ("autogen", "writer-and-critic-autogen.py", "text/x-python"),
])
def test_an_export_file_is_named_by_format_and_never_holds_a_key(format: str, filename: str, media_type: str) -> None:
    keyed = _keyed()
    file = export_file(keyed, label="Writer and critic", stem="writer-and-critic", format=format)  # type: ignore[arg-type]
    assert (file.filename, file.media_type) == (filename, media_type)
    assert PLANTED_KEY not in file.body and MASK in file.body
    assert ("python " + filename) in file.body or format == "json"


def test_a_script_masks_keys_whoever_calls_it() -> None:
    keyed = _keyed()
    for script in (studio_script, autogen_script):
        assert PLANTED_KEY not in script(keyed, label="x", filename="x.py")


def test_the_autogen_script_installs_the_extras_the_team_uses() -> None:
    from studio.services.team_scripts import autogen_install

    assert autogen_install(TEAM) == 'pip install "autogen-agentchat==0.7.5" "autogen-ext==0.7.5"'  # replay models
    team = json.loads(json.dumps(TEAM))
    writer = team["config"]["participants"][0]["config"]
    writer["model_client"] = {"provider": "autogen_ext.models.openai.OpenAIChatCompletionClient",
                              "component_type": "model", "config": {"model": "gpt-4o-mini"}}
    writer["workbench"] = [{"provider": "autogen_ext.tools.mcp.McpWorkbench", "component_type": "workbench",
                            "config": {"server_params": {"type": "StdioServerParams", "command": "python"}}}]
    assert autogen_install(team) == 'pip install "autogen-agentchat==0.7.5" "autogen-ext[mcp,openai]==0.7.5"'
    assert '"autogen-ext[mcp,openai]==0.7.5"' in autogen_script(team, label="T", filename="t.py")
