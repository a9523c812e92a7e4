"""Builder actions on a 30-agent team: the time to apply one action (which puts the draft in canonical
form, `studio.components.canonical_form`) and validate the result, which is what the server does for each
edit in the builder (target: under 50 ms; single-digit ms in practice).

    python bench/builder.py              # 200 repetitions of each action
    python bench/builder.py --repeat 50
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from studio.builder import (
    AddEdge,
    AddParticipant,
    AddTool,
    AutoLayout,
    DeleteNode,
    Draft,
    MoveNode,
    NodeId,
    Rename,
    SetField,
    SetModel,
    SwitchTeamType,
)
from studio.builder.library import builtin_items, get_item
from studio.components import validate_component

AGENTS = 30


def item(item_id: str) -> dict[str, Any]:
    found = get_item(builtin_items(), item_id)
    assert found is not None
    return found.component_copy()


def team(provider: str) -> Draft:
    """`AGENTS` assistants (each with a tool), in a round robin or a sequential GraphFlow."""
    draft = Draft(item("builtin:team:round-robin"))
    draft = DeleteNode(node="agent:critic").apply(DeleteNode(node="agent:writer").apply(draft))
    for i in range(AGENTS):
        agent = item("builtin:agent:assistant")
        agent["config"]["name"] = f"agent_{i}"
        draft = AddParticipant(component=agent).apply(draft)
        draft = AddTool(target=f"agent:agent_{i}", component=item("builtin:tool:function")).apply(draft)
    if provider != "RoundRobinGroupChat":
        draft = SwitchTeamType(provider=provider, confirm=True).apply(draft)
    return AutoLayout().apply(draft)


def time_action(draft: Draft, make: Callable[[int], Any], repeat: int) -> tuple[float, float]:
    """Median and worst ms of apply + validate."""
    times = []
    for n in range(repeat):
        start = time.perf_counter()
        new = make(n).apply(draft)
        problems = validate_component(new.component, kind="team")
        times.append((time.perf_counter() - start) * 1000)
        assert not [p for p in problems if p.severity == "error"], problems[:3]
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    round_robin, graph = team("RoundRobinGroupChat"), team("GraphFlow")
    model, agent = item("builtin:model:ollama"), item("builtin:agent:assistant")
    cases: list[tuple[str, Draft, Callable[[int], Any]]] = [
        ("validate only (no action)", round_robin, lambda n: AutoLayout()),
        ("move_node", round_robin, lambda n: MoveNode(node=NodeId.agent("agent_7"), x=n, y=n)),
        ("set_field system_message", round_robin,
         lambda n: SetField(node="agent:agent_3", path="config.system_message", value=f"v{n}")),
        ("set_model", round_robin, lambda n: SetModel(target="agent:agent_12", component=model)),
        ("add_participant", round_robin, lambda n: AddParticipant(component=agent)),
        ("rename (graph, references)", graph, lambda n: Rename(node="agent:agent_15", new_name=f"renamed_{n}")),
        ("delete_node (graph)", graph, lambda n: DeleteNode(node=NodeId.agent("agent_20"))),
        ("add_edge (graph)", graph, lambda n: AddEdge(source="agent_0", target="agent_5")),
        ("auto_layout (graph)", graph, lambda n: AutoLayout()),
        ("switch to selector", round_robin, lambda n: SwitchTeamType(provider="SelectorGroupChat")),
    ]
    print(f"{AGENTS}-agent team, apply + validate, {args.repeat} runs each")
    print(f"{'action':32} {'median ms':>10} {'worst ms':>10}")
    for label, draft, make in cases:
        median, worst = time_action(draft, make, args.repeat)
        print(f"{label:32} {median:10.2f} {worst:10.2f}")
    median, worst = time_session(round_robin, args.repeat)
    print(f"{'DraftEditor.apply + commit':32} {median:10.2f} {worst:10.2f}  (SQLite file, history kept)")


def time_session(draft: Draft, repeat: int) -> tuple[float, float]:
    """What a builder request costs end to end below the web layer: load the draft row, apply,
    validate, push the snapshot to the history, commit."""
    import tempfile
    from pathlib import Path

    from studio.builder import DraftEditor
    from studio.services import teams as team_service
    from studio.store import make_engine, migrate, session

    with tempfile.TemporaryDirectory() as home:
        engine = make_engine(f"sqlite:///{Path(home) / 'bench.db'}")
        migrate(engine)
        with session(engine) as db:
            team_id = team_service.import_team(db, draft.component).id
        times = []
        for n in range(repeat):
            start = time.perf_counter()
            with session(engine) as db:
                builder = DraftEditor.open(db, team_id)
                builder.apply(SetField(node="agent:agent_3", path="config.system_message", value=f"v{n}"))
            times.append((time.perf_counter() - start) * 1000)
        engine.dispose()
    return statistics.median(times), max(times)


if __name__ == "__main__":
    main()
