"""Semantic checks beyond types: what would make a team fail to build or to run.

Each check reads the validated `Node` tree (falling back to raw data where a config is invalid, so
unrelated mistakes do not hide each other) and reports problems at JSON paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import ValidationError

from studio.runtime.agents.assistant import AssistantAgentConfigV1
from studio.runtime.teams.graph_flow import DiGraph

from .errors import UNSUPPORTED
from .validation import Node, unsupported

Report = Callable[..., None]
"""`report(path, message, severity, kind="")`."""
Check = Callable[[Node, Report], None]

TEAMS = "autogen_agentchat.teams."
ASSISTANT = "autogen_agentchat.agents.AssistantAgent"
USER_PROXY = "autogen_agentchat.agents.UserProxyAgent"
HANDOFF_TERMINATION = "autogen_agentchat.conditions.HandoffTermination"
OR, AND = "autogen_agentchat.base.OrTerminationCondition", "autogen_agentchat.base.AndTerminationCondition"


def _name(node: Node | None) -> str | None:
    name = node.raw_config.get("name") if node else None
    return name if isinstance(name, str) else None


def _members(team: Node) -> list[tuple[int, Node, str]]:
    return [(i, p, name) for i, p in enumerate(team.child_list("participants")) if p and (name := _name(p))]


def check_team(team: Node, report: Report) -> None:
    """Participants: at least one, unique names; a warning when nothing would ever stop the team."""
    raw = team.raw_config.get("participants")
    if isinstance(raw, list) and not raw:
        report(team.at("participants"), "a team needs at least one participant", "error")
    first: dict[str, int] = {}
    for i, participant, name in _members(team):
        if name in first:
            report(participant.at("name"), f"duplicate participant name {name!r} "
                   f"(also {team.at('participants', first[name])})", "error")
        first.setdefault(name, i)
    provider = team.provider or ""
    stops_itself = provider.endswith((".GraphFlow", ".MagenticOneGroupChat"))
    if not stops_itself and team.raw_config.get("termination_condition") is None \
            and team.raw_config.get("max_turns") is None:
        report(team.at("termination_condition"), "no termination condition and no max_turns: "
               "the team may never stop", "warning")


def check_selector(team: Node, report: Report) -> None:
    raw = team.raw_config.get("participants")
    if isinstance(raw, list) and len(raw) == 1:
        report(team.at("participants"), "a selector team needs at least two participants", "error")


def _handoff_stoppers(condition: Node | None) -> tuple[set[str], set[str]]:
    """Handoff targets whose HandoffTermination stops the run on its own (alone or in an Or), and
    targets that have one only inside an And."""
    if condition is None or condition.spec is None:
        return set(), set()
    if condition.provider == HANDOFF_TERMINATION:
        target = condition.raw_config.get("target")
        return ({target} if isinstance(target, str) else set()), set()
    sure: set[str] = set()
    maybe: set[str] = set()
    for child in condition.child_list("conditions"):
        child_sure, child_maybe = _handoff_stoppers(child)
        sure |= child_sure if condition.provider == OR else set()
        maybe |= child_maybe | (child_sure if condition.provider == AND else set())
    return sure, maybe - sure


def _handoffs(agent: Node) -> Iterator[tuple[int, str, str]]:
    """(index, target, name) of each handoff an assistant declares, read from raw data."""
    raw = agent.raw_config.get("handoffs")
    for j, item in enumerate(raw if isinstance(raw, list) else []):
        target = item if isinstance(item, str) else item.get("target") if isinstance(item, dict) else None
        name = item.get("name") if isinstance(item, dict) and item.get("name") else None
        if isinstance(target, str):
            yield j, target, name or f"transfer_to_{target}".lower()


def check_swarm(team: Node, report: Report) -> None:
    """The first speaker must be able to hand off, and every handoff must land somewhere.

    In AutoGen a Swarm handoff to a name that is not a participant (typically "user", to ask a human)
    makes the speaker selection fail, unless the run stops first: a `HandoffTermination` on that
    target stops it before a speaker is picked. So a non-participant target is
    - fine when a HandoffTermination on it can stop the run by itself (top level or inside an Or);
    - a warning when it appears only inside an And (it stops the run only if the other conditions
      were met too; otherwise the run fails when the handoff happens);
    - an error when there is none: the run is certain to fail the moment that handoff is used.
    """
    members = _members(team)
    participants = team.child_list("participants")
    first = participants[0] if participants else None
    if first and first.spec and first.provider not in (ASSISTANT, USER_PROXY):
        report(first.path, f"the first participant of a Swarm speaks first and must be able to hand off; "
               f"{first.spec.name} cannot (use an AssistantAgent or a UserProxyAgent)", "error")
    elif first and first.provider == ASSISTANT and not first.raw_config.get("handoffs"):
        report(first.at("handoffs"), "the first participant of a Swarm speaks first and must be able to hand "
               "off: give it at least one handoff", "error")
    names = {name for _, _, name in members}
    sure, maybe = _handoff_stoppers(team.child("termination_condition"))
    for _, agent, _ in members:
        if agent.provider != ASSISTANT:
            continue
        for j, target, _ in _handoffs(agent):
            if target in names or target in sure:
                continue
            where = agent.at("handoffs", j, "target")
            if target in maybe:
                report(where, f"handoff target {target!r} is not a participant, and its HandoffTermination is "
                       "inside an AndTerminationCondition: the run fails if the handoff happens before the "
                       "other conditions are met", "warning")
            else:
                report(where, f"handoff target {target!r} is not a participant of this Swarm; add a "
                       f"HandoffTermination with target {target!r} to stop the run there", "error")


def check_graph_flow(team: Node, report: Report) -> None:
    """Edges and nodes must name participants; the flow needs a start and an end; loops need exits."""
    try:
        graph = DiGraph.model_validate(team.raw_config.get("graph"))
    except ValidationError:
        return  # reported by the config model
    nodes = graph.nodes

    def at(*parts: str | int) -> str:
        return team.at("graph", *parts)

    names: dict[str, int] = {}
    for i, _, name in _members(team):
        names.setdefault(name, i)
    if not nodes:
        report(at("nodes"), "the graph has no nodes", "error")
        return
    groups: dict[tuple[str, str], str] = {}
    for key, node in nodes.items():
        if node.name != key:
            report(at("nodes", key, "name"), f"node name {node.name!r} differs from its key {key!r}", "error")
        if key not in names:
            report(at("nodes", key), f"node {key!r} is not a participant", "error")
        conditional = {edge.condition is not None for edge in node.edges}
        if len(conditional) == 2:
            report(at("nodes", key, "edges"), "mixes conditional and unconditional edges: make all edges "
                   "from this node conditional, or none", "error")
        for e, edge in enumerate(node.edges):
            if edge.target not in nodes:
                report(at("nodes", key, "edges", e, "target"), f"edge to unknown node {edge.target!r}", "error")
            seen = groups.setdefault((edge.target, edge.activation_group), edge.activation_condition)
            if seen != edge.activation_condition:
                report(at("nodes", key, "edges", e, "activation_condition"),
                       f"conflicts with another edge to {edge.target!r} in activation group "
                       f"{edge.activation_group!r} ({seen!r})", "error")
    for name, i in names.items():
        if name not in nodes:
            report(team.at("participants", i), f"participant {name!r} has no node in the graph and never speaks",
                   "warning")
    start = graph.default_start_node
    if start is not None and start not in nodes:
        report(at("default_start_node"), f"{start!r} is not a node of the graph", "error")
    targets = {edge.target for node in nodes.values() for edge in node.edges}
    if start is None and not nodes.keys() - targets:
        report(at(), "no start node: every node has an incoming edge; set default_start_node", "error")
    if all(node.edges for node in nodes.values()):
        report(at(), "no end node: every node has an outgoing edge, so the flow never completes", "error")
    cycles = graph.cycles()
    for cycle in cycles:
        if all(edge.condition is None for name in cycle for edge in nodes[name].edges):
            report(at(), f"cycle without an exit condition: {' -> '.join([*cycle, cycle[0]])}", "error")
    if cycles and team.raw_config.get("termination_condition") is None and team.raw_config.get("max_turns") is None:
        report(team.at("termination_condition"), "the graph has a cycle: set a termination condition or max_turns",
               "error")


def check_assistant(agent: Node, report: Report) -> None:
    raw = agent.raw_config
    redundant = isinstance(agent.config, AssistantAgentConfigV1) and agent.config.redundant_workbench()
    if raw.get("tools") and raw.get("workbench") and not redundant:
        report(agent.at("tools"), "tools cannot be used with a workbench: put the tools in the workbench", "error")
    tool_names = {_name(t) for t in agent.child_list("tools")}
    seen: set[str] = set()
    for j, target, name in _handoffs(agent):
        item = raw["handoffs"][j]
        if not name.isidentifier() and not (isinstance(item, dict) and item.get("name")):  # a name: the model
            report(agent.at("handoffs", j, "target"), f"the handoff to {target!r} is named {name!r}, which is not "
                   "a valid identifier: give it a name, or hand off to a valid agent name", "error")
        if name in seen:
            report(agent.at("handoffs", j, "name"), f"duplicate handoff name {name!r}", "error")
        if name in tool_names or target in tool_names:
            report(agent.at("handoffs", j), f"handoff {name!r} clashes with a tool of the same name", "error")
        seen.add(name)
    _unique_tool_names(agent, report)
    for field in ("memory", "structured_message_factory"):
        value = raw.get(field)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)] if value else []
        for i, item in items:
            where = agent.at(field) if i is None else agent.at(field, i)
            provider = item.get("provider") if isinstance(item, dict) else None
            problem = unsupported(where, provider if isinstance(provider, str) else field,
                                  f"{field} is not supported by the studio runtime yet")
            report(problem.path, problem.message, "error", UNSUPPORTED)


def _unique_tool_names(holder: Node, report: Report) -> None:
    """A workbench (an agent's tools are put in one) refuses two tools of the same name."""
    first: dict[str, int] = {}
    for i, tool in enumerate(holder.child_list("tools")):
        name = _name(tool)
        if tool is not None and tool.opaque is None and name is not None:
            if name in first:
                report(tool.at("name"), f"duplicate tool name {name!r} (also {holder.at('tools', first[name])})",
                       "error")
            first.setdefault(name, i)


def check_agent_name(agent: Node, report: Report) -> None:
    """AutoGen refuses an agent whose name is not a Python identifier (it names the agent's topic)."""
    name = agent.raw_config.get("name")
    if isinstance(name, str) and not name.isidentifier():
        report(agent.at("name"), f"{name!r} is not a valid agent name: use letters, digits and underscores, "
               "not starting with a digit (e.g. {})".format(repr(_identifier(name))), "error")


def _identifier(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in name.strip()) or "agent"
    return cleaned if cleaned.isidentifier() else f"agent_{cleaned}"


def check_user_proxy(agent: Node, report: Report) -> None:
    if agent.raw_config.get("input_func") is not None:
        report(agent.at("input_func"), "ignored: the studio asks the user through its own UI", "warning")


def check_function_tool(tool: Node, report: Report) -> None:
    source, name = tool.raw_config.get("source_code"), tool.raw_config.get("name")
    if isinstance(source, str) and isinstance(name, str):
        from studio.runtime.tools.schema import check_function_source

        for severity, message in check_function_source(source, name):
            report(tool.at("source_code"), message, severity)


def check_token_usage(condition: Node, report: Report) -> None:
    limits = ("max_total_token", "max_prompt_token", "max_completion_token")
    if condition.config is not None and all(getattr(condition.config, k) is None for k in limits):
        report(condition.at(), "set at least one of max_total_token, max_prompt_token, max_completion_token",
               "error")


CHECKS: dict[str, tuple[Check, ...]] = {
    f"{TEAMS}RoundRobinGroupChat": (check_team,),
    f"{TEAMS}SelectorGroupChat": (check_team, check_selector),
    f"{TEAMS}Swarm": (check_team, check_swarm),
    f"{TEAMS}GraphFlow": (check_team, check_graph_flow),
    f"{TEAMS}MagenticOneGroupChat": (check_team,),
    ASSISTANT: (check_assistant,),
    USER_PROXY: (check_user_proxy,),
    "autogen_core.tools.FunctionTool": (check_function_tool,),
    "autogen_core.tools.StaticWorkbench": (_unique_tool_names,),
    "autogen_core.tools.StaticStreamWorkbench": (_unique_tool_names,),
    "autogen_agentchat.conditions.TokenUsageTermination": (check_token_usage,),
}


def run_checks(root: Node, report: Report) -> None:
    """Run every check that applies to a component of the tree."""
    for node in root.walk():
        if node.opaque is not None or not isinstance(node.raw.get("config"), dict):
            continue
        if node.spec is not None and node.spec.component_type == "agent":
            check_agent_name(node, report)
        for check in CHECKS.get(node.provider or "", ()):
            check(node, report)
