"""An exported replay test (`export_as_test`) loads in AutoGen 0.7.5 and replays the recorded Studio run there:
same events (type, source, content) and stop reason. Teams with a user proxy are left out: AutoGen's user
proxy reads stdin (the Studio CLI path for those is covered in tests/playground/test_replay.py)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip(
    "autogen_agentchat",
    reason="replaying an export in AutoGen needs AutoGen 0.7.5: pip install -e '.[compat]'",
)

from studio.playground.replay import export_as_test
from tests.playground.replay_teams import comparable
from tests.playground.scenarios import TASK, record

pytestmark = [
    pytest.mark.compat,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_core.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_agentchat.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_ext.*"),
]


@pytest.mark.parametrize("name", ["round_robin_tool", "selector", "swarm"])
async def test_export_replays_in_autogen(name: str, openai_server) -> None:
    from autogen_agentchat.base import Team

    recorded = await record(name, openai_server)
    exported = json.loads(export_as_test(recorded.component, recorded.recording, label=f"{name} replay"))

    team = Team.load_component(exported)
    items = [item async for item in team.run_stream(task=TASK)]

    keys, _, stop = comparable(items)
    recorded_keys, _, recorded_stop = recorded.trace
    assert keys == recorded_keys
    assert stop == recorded_stop
