"""Keys and AutoGen 0.7.5: the exported AutoGen script reads the key from the environment (not the mask), and a
FunctionTool's `variables` declaration still loads there (AutoGen's config class ignores unknown keys)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("autogen_agentchat", reason="needs AutoGen 0.7.5: pip install -e '.[compat]'")

from studio.services.team_scripts import export_file
from tests.services.helpers import PLANTED_KEY, assistant, openai_client, round_robin
from tests.support.openai_server import OpenAIServer

pytestmark = [pytest.mark.compat, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
ENV_KEY = "sk-from-the-environment-0000wxyz"


def test_the_exported_autogen_script_sends_the_environment_key(openai_server: OpenAIServer, tmp_path: Path) -> None:
    team = round_robin(assistant("writer", openai_client(api_key=PLANTED_KEY, base_url=openai_server.base_url)))
    team["config"]["termination_condition"]["config"]["max_messages"] = 2
    script = export_file(team, label="Keyed", stem="keyed", format="autogen")
    assert PLANTED_KEY not in script.body and '"api_key": "**********"' in script.body
    path = tmp_path / script.filename
    path.write_text(script.body)
    openai_server.reply("Hello from the loopback model.")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "OPENAI_API_KEY": ENV_KEY}
    done = subprocess.run([sys.executable, str(path), "Say hello"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Hello from the loopback model." in done.stdout
    assert [r.headers["authorization"] for r in openai_server.chat_requests] == [f"Bearer {ENV_KEY}"]


def test_a_function_tool_declaring_variables_loads_and_runs_in_autogen() -> None:
    import asyncio

    from autogen_core import CancellationToken
    from autogen_core.tools import FunctionTool

    tool = FunctionTool.load_component({
        "provider": "autogen_core.tools.FunctionTool", "component_type": "tool", "version": 1,
        "component_version": 1,
        "config": {"name": "add", "description": "Adds.", "source_code": "def add(a: int) -> int:\n    return a + 1\n",
                   "global_imports": [], "has_cancellation_support": False, "variables": ["SERPAPI_KEY"]}})
    assert asyncio.run(tool.run_json({"a": 1}, CancellationToken())) == 2
