"""Teams made with the builder's actions load in AutoGen 0.7.5 and run there as they do in Studio: the two
scenarios of the builder's issue, and every team type the library offers switched onto a small team."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

pytest.importorskip("autogen_agentchat", reason="differential tests need AutoGen 0.7.5: pip install -e '.[compat]'")

from studio.builder import SwitchTeamType
from studio.builder.library import builtin_items
from studio.components import load_component
from studio.services.teams import export_component
from tests.builder.test_scenarios import haiku_team, review_loop
from tests.compat.marks import AUTOGEN_LOADS

pytestmark = AUTOGEN_LOADS


async def _sources(team: Any, task: str) -> tuple[list[tuple[str, str]], str]:
    result = await team.run(task=task)
    return [(m.source, m.to_text()) for m in result.messages], result.stop_reason


@pytest.mark.parametrize(("build", "task"), [(haiku_team, "Write a haiku"), (review_loop, "Write a slogan")],
                         ids=["round-robin", "review-loop"])
def test_builder_scenarios_run_the_same_in_autogen(build: Any, task: str) -> None:
    from autogen_agentchat.base import Team

    component = export_component(build().component)  # what the builder's Export JSON gives
    assert asyncio.run(_sources(Team.load_component(component), task)) == asyncio.run(
        _sources(load_component(component), task))


@pytest.mark.parametrize("item", [i for i in builtin_items() if i.component_type == "team"], ids=lambda i: i.id)
def test_every_team_type_switched_to_in_the_builder_loads_in_autogen(item: Any) -> None:
    from autogen_agentchat.base import Team

    draft = SwitchTeamType(provider=item.provider, confirm=True).apply(haiku_team())
    team = Team.load_component(export_component(draft.component))
    assert type(team).__name__ == item.provider.rsplit(".", 1)[-1]
