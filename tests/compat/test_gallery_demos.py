"""Every shipped gallery template, run on its demo recording (replay clients), gives the same run in AutoGen
0.7.5 and in Studio: the same (type, source, content, usage) sequence and the same stop reason."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("autogen_agentchat", reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'")

from studio.playground.recording import replay_component, replay_inputs
from studio.playground.replay import scripted_input
from tests.compat.harness import (
    Run,
    _collect,
    _stop_code_executors,
    first_difference,
    format_items,
)

pytestmark = [
    pytest.mark.compat,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_core.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_agentchat.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_ext.*"),
]

GALLERY = Path(__file__).resolve().parents[2] / "gallery"
KEYS = sorted(p.stem for p in (GALLERY / "teams").glob("*.json"))


def demo_team(key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    template = json.loads((GALLERY / "teams" / f"{key}.json").read_text(encoding="utf-8"))
    demo = json.loads((GALLERY / "demos" / f"{key}.json").read_text(encoding="utf-8"))
    return replay_component(template, demo), demo


def _user_proxies(team: Any) -> list[Any]:
    found = []
    for member in getattr(team, "participants", None) or getattr(team, "_participants", None) or []:
        if hasattr(member, "input_func"):
            found.append(member)
        found += _user_proxies(member)
    return found


@pytest.fixture(autouse=True)
def _python_of_the_venv(monkeypatch: pytest.MonkeyPatch) -> None:
    """AutoGen run from the studio's virtual environment, activated: a template's `python` (the MCP server's
    command) is that environment's, as the studio's sandbox makes it."""
    monkeypatch.setenv("PATH", f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ.get('PATH', '')}")


async def run_autogen(component: dict[str, Any], demo: dict[str, Any]) -> Run:
    from autogen_agentchat.base import Team

    team = Team.load_component(component)
    for proxy in _user_proxies(team):
        proxy.input_func = scripted_input(replay_inputs(demo).get(proxy.name, []))
        proxy._is_async = True  # AutoGen decides sync or async when the agent is made
    try:
        return await _collect(team.run_stream(task=demo["task"]), "autogen", catch=True)
    finally:
        await _stop_code_executors(team)
        for member in getattr(team, "_participants", []):
            for bench in getattr(member, "_workbench", []):
                await bench.stop()  # an MCP workbench's server, which AutoGen leaves running


async def run_studio(component: dict[str, Any], demo: dict[str, Any]) -> Run:
    from studio import load_component

    team = load_component(component)
    for proxy in _user_proxies(team):
        proxy.input_func = scripted_input(replay_inputs(demo).get(proxy.name, []))
    try:
        return await _collect(team.run_stream(task=demo["task"]), "studio")
    finally:
        await team.close()


@pytest.mark.parametrize("key", KEYS)
def test_the_demo_runs_the_same_in_autogen_and_in_studio(key: str) -> None:
    component, demo = demo_team(key)
    theirs = asyncio.run(run_autogen(component, demo))
    ours = asyncio.run(run_studio(component, demo))
    assert theirs.error is None, f"AutoGen failed on the demo: {theirs.error}"
    where = first_difference(theirs.items, ours.items)
    assert where is None, (f"{key}: first difference at item {where}\n"
                           f"AutoGen:\n{format_items(theirs.items[where:where + 3])}\n"
                           f"Studio:\n{format_items(ours.items[where:where + 3])}")
    assert ours.stop_reason == theirs.stop_reason
