"""Validate, import and run agree: validate's errors are exactly what the import refuses (every error but the
opaque nodes, which it keeps) and exactly what a run refuses (all of them), at the same JSON paths. Checked on
every gallery team, the fixtures, AutoGen Studio's default gallery and a set of broken variants."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from studio.components import ComponentValidationError, load_component, validate_component
from studio.services.errors import TeamImportError
from studio.services.team_files import read_team_file
from tests.components.builders import (
    ASSISTANT,
    GRAPH_FLOW,
    ROUND_ROBIN,
    SELECTOR,
    SWARM,
    assistant,
    env,
    handoff_termination,
    team,
    tool,
)

ROOT = Path(__file__).resolve().parents[2]
AGS = json.loads((ROOT / "tests" / "fixtures" / "autogenstudio_default_gallery.json").read_text(encoding="utf-8"))


def files() -> list[Any]:
    found = [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f"gallery/{f.stem}")
             for f in sorted((ROOT / "gallery" / "teams").glob("*.json"))]
    found += [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f"fixtures/{f.stem}")
              for f in sorted((ROOT / "tests" / "fixtures" / "teams").glob("*.json"))]
    found += [pytest.param(json.loads(f.read_text(encoding="utf-8")), id=f"autogen/{f.stem}")
              for f in sorted((ROOT / "tests" / "fixtures" / "autogen").glob("autogen_agentchat.teams.*.json"))]
    found += [pytest.param(t, id=f"autogenstudio/{t['label']}") for t in AGS["components"]["teams"]]
    return found


def variants() -> list[Any]:
    wb = "autogen_core.tools.StaticWorkbench"
    broken = {
        "agent name with a space": team(ROUND_ROBIN, assistant("my agent")),
        "user proxy name": team(ROUND_ROBIN, env("autogen_agentchat.agents.UserProxyAgent", name="user 1")),
        "duplicate agents": team(ROUND_ROBIN, assistant("a"), assistant("a")),
        "duplicate tools": team(ROUND_ROBIN, assistant("a", tools=[tool("add"), tool("add")])),
        "duplicate workbench tools": team(ROUND_ROBIN, assistant("a", workbench=[env(wb, tools=[tool(), tool()])])),
        "handoff to a name with a space": team(SWARM, assistant("a", handoffs=["b c"]),
                                               termination_condition=handoff_termination("b c")),
        "swarm handoff nowhere": team(SWARM, assistant("a", handoffs=["nobody"])),
        "missing model": team(ROUND_ROBIN, env(ASSISTANT, name="a")),
        "selector of one": team(SELECTOR, assistant("a"), model_client=assistant("x")["config"]["model_client"]),
        "graph without nodes": team(GRAPH_FLOW, assistant("a"), graph={"nodes": {}}),
        "zero turns": team(ROUND_ROBIN, assistant("a"), max_turns=0),
        "bad label": {**team(ROUND_ROBIN, assistant("a")), "label": 7},
        "typo provider": team(ROUND_ROBIN, env("autogen_agentchat.agents.AssistantAgnet", name="a")),
        "anthropic model": team(ROUND_ROBIN, assistant("a", model_client=env(
            "autogen_ext.models.anthropic.AnthropicChatCompletionClient", model="claude"))),
        "mcp workbench without a server": team(ROUND_ROBIN, assistant("a", workbench=[
            env("autogen_ext.tools.mcp.McpWorkbench")])),
        "society of mind": team(ROUND_ROBIN, env("autogen_agentchat.agents.SocietyOfMindAgent", name="s")),
        "memory": team(ROUND_ROBIN, assistant("a", memory=[env("autogen_core.memory.ListMemory")])),
        "unsupported and broken": team(ROUND_ROBIN, env("x.Surfer", name="s"), env(ASSISTANT, name="b c")),
    }
    return [pytest.param(doc, id=name) for name, doc in broken.items()]


def errors(problems: list[Any]) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("document", files() + variants())
def test_validate_import_and_run_agree(document: dict[str, Any]) -> None:
    document = copy.deepcopy(document)
    validated = validate_component(document, kind="team")
    blocking = [(p.path, p.message) for p in validated if p.severity == "error" and not p.unsupported]
    opaque = [(p.path, p.message) for p in validated if p.unsupported]

    try:
        [imported] = read_team_file(document)
    except TeamImportError as exc:
        assert blocking, "import refused a team that validates"
        assert errors([p for p in exc.problems if not p.unsupported]) == blocking
    else:
        assert not blocking, "import kept a team with errors"
        assert errors(imported.notices) == opaque

    try:
        load_component(document, kind="team")
    except ComponentValidationError as exc:
        assert errors(exc.problems) == errors(validated)
    else:
        assert errors(validated) == [], "a team that does not validate loaded"


def test_the_variants_cover_both_sides() -> None:
    """Each broken variant has an error; some are kept on import (opaque only), some refused."""
    kept = refused = 0
    for param in variants():
        [document] = param.values
        problems = validate_component(document, kind="team")
        assert errors(problems), param.id
        only_opaque = all(p.unsupported for p in problems if p.severity == "error")
        kept, refused = kept + only_opaque, refused + (not only_opaque)
    assert kept >= 4 and refused >= 10
