"""Every scenario team loaded by Studio and written back with `studio.dump_component` loads in AutoGen 0.7.5,
and runs there exactly like the original file (same stream, same stop reasons).

Also: an AssistantAgent written the agentchat-0.5 way (component_version 1 with a single `workbench`
object) — which AutoGen 0.7.5 itself refuses — is accepted by Studio, runs like the 0.7.5 form, and is
dumped in the canonical form AutoGen loads.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest

pytest.importorskip(
    "autogen_agentchat",
    reason="AutoGen round-trip tests need AutoGen 0.7.5: pip install -e '.[compat]'",
)

from tests.compat.harness import (
    SIDECAR,
    load_scenario,
    run_autogen,
    run_studio_isolated,
    scenario_files,
)

pytestmark = [
    pytest.mark.compat,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_core.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_agentchat.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_ext.*"),
]

SCENARIOS = {path.stem: path for path in scenario_files()}


def _studio_roundtrip(data: dict[str, Any]) -> dict[str, Any]:
    from studio import dump_component, load_component

    team = load_component(data)
    return dump_component(team)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_studio_dump_loads_in_autogen(name: str) -> None:
    from autogen_agentchat.base import Team

    data = load_scenario(SCENARIOS[name])
    try:
        dumped = _studio_roundtrip(data)
    except Exception as e:
        if type(e).__name__ == "ComponentValidationError" and "autogen_error" in data[SIDECAR]:
            pytest.skip(f"Studio refuses this team at load time (AutoGen fails at run time): {e}")
        raise
    assert dumped["provider"] == data["provider"]
    Team.load_component(dumped)  # raises if AutoGen cannot load Studio's dump

    # The dump keeps the behaviour: AutoGen runs it exactly as it runs the original.
    dumped[SIDECAR] = data[SIDECAR]
    original = await run_autogen(data)
    again = await run_autogen(dumped)
    assert [(r.items, r.stop_reason) for r in again] == [(r.items, r.stop_reason) for r in original]


def _as_agentchat_05(data: dict[str, Any], form: str) -> dict[str, Any]:
    """Rewrite the first participant as an agentchat-0.5 AssistantAgent (component_version 1): either its
    tools in a single `workbench` object (what 0.5.5+ dumped) or in a `tools[]` list (older dumps)."""
    old = copy.deepcopy(data)
    agent = old["config"]["participants"][0]
    agent["version"] = agent["component_version"] = 1
    tools = agent["config"].pop("tools")
    if form == "workbench":
        agent["config"]["workbench"] = {
            "provider": "autogen_core.tools.StaticWorkbench",
            "component_type": "workbench",
            "version": 1,
            "component_version": 1,
            "config": {"tools": tools},
        }
    else:
        agent["config"]["tools"] = tools
    return old


@pytest.mark.parametrize("form", ["workbench", "tools"])
async def test_assistant_v1_envelope(form: str) -> None:
    from autogen_agentchat.base import Team

    data = load_scenario(SCENARIOS["assistant_tools_list"])
    old = _as_agentchat_05(data, form)
    with pytest.raises(NotImplementedError):  # AutoGen 0.7.5 has no migration for AssistantAgent version 1
        Team.load_component(old)

    expected = await run_autogen(data)
    outcome = await asyncio.to_thread(run_studio_isolated, old)
    assert outcome.error is None and outcome.runs is not None, outcome
    actual = outcome.runs
    assert [(r.items, r.stop_reason) for r in actual] == [(r.items, r.stop_reason) for r in expected]

    dumped = _studio_roundtrip(old)
    assert dumped["config"]["participants"][0]["component_version"] == 2
    Team.load_component(dumped)
