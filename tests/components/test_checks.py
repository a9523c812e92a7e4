"""Semantic checks: team membership, swarm handoffs, graph structure, tool sources, agent options."""

from __future__ import annotations

import copy

import pytest

from .builders import (
    CODE_AGENT,
    CONDITIONS,
    GRAPH_FLOW,
    MAGENTIC,
    ROUND_ROBIN,
    SELECTOR,
    SWARM,
    USER_PROXY,
    assistant,
    env,
    fixture,
    handoff_termination,
    problems,
    replay,
    team,
    tool,
)


def _or(*conditions: dict) -> dict:
    return env("autogen_agentchat.base.OrTerminationCondition", conditions=list(conditions))


def _and(*conditions: dict) -> dict:
    return env("autogen_agentchat.base.AndTerminationCondition", conditions=list(conditions))


def test_duplicate_participant_names() -> None:
    doc = team(ROUND_ROBIN, assistant("a"), assistant("b"), assistant("a"))
    assert problems(doc) == [
        ("error", "config.participants[2].config.name", "duplicate participant name 'a' (also config.participants[0])")
    ]


def test_team_without_participants() -> None:
    assert problems(team(ROUND_ROBIN)) == [("error", "config.participants", "a team needs at least one participant")]


def test_selector_needs_two_participants() -> None:
    doc = team(SELECTOR, assistant("a"), model_client=replay())
    assert problems(doc) == [("error", "config.participants", "a selector team needs at least two participants")]


@pytest.mark.parametrize("provider", [ROUND_ROBIN, SWARM])
def test_team_that_may_never_stop_is_a_warning(provider: str) -> None:
    doc = team(provider, assistant("a", handoffs=["b"]), assistant("b", handoffs=["a"]), termination_condition=None)
    assert problems(doc) == [
        ("warning", "config.termination_condition",
         "no termination condition and no max_turns: the team may never stop")
    ]
    doc["config"]["max_turns"] = 4
    assert problems(doc) == []


# Swarm handoffs --------------------------------------------------------------------------------

def _swarm(termination: dict | None, *handoffs: object) -> dict:
    return team(SWARM, assistant("travel", handoffs=list(handoffs)), assistant("flights", handoffs=["travel"]),
                termination_condition=termination)


def test_swarm_handoffs_between_participants_are_fine() -> None:
    assert problems(_swarm(env(CONDITIONS + "TextMentionTermination", text="X"), "flights")) == []


def test_swarm_handoff_to_non_participant_without_handoff_termination_is_an_error() -> None:
    doc = _swarm(env(CONDITIONS + "TextMentionTermination", text="X"), "flights", {"target": "user"})
    assert problems(doc) == [
        ("error", "config.participants[0].config.handoffs[1].target",
         "handoff target 'user' is not a participant of this Swarm; add a HandoffTermination with target 'user' "
         "to stop the run there")
    ]


@pytest.mark.parametrize("termination", [
    handoff_termination("user"),
    _or(env(CONDITIONS + "TextMentionTermination", text="X"), handoff_termination("user")),
    _or(_or(handoff_termination("user")), env(CONDITIONS + "StopMessageTermination")),
])
def test_swarm_handoff_to_user_stopped_by_handoff_termination(termination: dict) -> None:
    assert problems(_swarm(termination, "user")) == []


def test_swarm_handoff_termination_inside_and_is_a_warning() -> None:
    doc = _swarm(_and(handoff_termination("user"), env(CONDITIONS + "MaxMessageTermination", max_messages=3)), "user")
    [(severity, path, message)] = problems(doc)
    assert (severity, path) == ("warning", "config.participants[0].config.handoffs[0].target")
    assert "inside an AndTerminationCondition" in message


def test_swarm_handoff_termination_on_another_target_does_not_count() -> None:
    assert [p[:2] for p in problems(_swarm(handoff_termination("boss"), "user"))] == [
        ("error", "config.participants[0].config.handoffs[0].target")
    ]


def test_swarm_first_participant_must_hand_off() -> None:
    coder = env(CODE_AGENT, name="coder", code_executor=env(
        "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor"))
    doc = team(SWARM, coder, assistant("a"))
    assert problems(doc) == [
        ("error", "config.participants[0]", "the first participant of a Swarm speaks first and must be able to hand "
         "off; CodeExecutorAgent cannot (use an AssistantAgent or a UserProxyAgent)")
    ]
    assert problems(team(SWARM, env(USER_PROXY, name="user"), assistant("a"))) == []


def test_handoffs_outside_a_swarm_are_not_checked() -> None:
    assert problems(team(ROUND_ROBIN, assistant("a", handoffs=["nobody"]))) == []


# GraphFlow -------------------------------------------------------------------------------------

def _flow(nodes: dict, names: tuple[str, ...] = ("a", "b"), **graph: object) -> dict:
    return team(GRAPH_FLOW, *(assistant(n) for n in names), termination_condition=None,
                graph={"nodes": nodes, **graph})


def _node(name: str, *targets: str, condition: str | None = None) -> dict:
    return {"name": name, "edges": [{"target": t, "condition": condition} for t in targets]}


def test_graph_flow_fixture_is_valid() -> None:
    assert problems(fixture(GRAPH_FLOW)) == []


def test_acyclic_graph_needs_no_termination() -> None:
    assert problems(_flow({"a": _node("a", "b"), "b": _node("b")})) == []


def test_graph_edge_to_unknown_node() -> None:
    doc = _flow({"a": _node("a", "b", "c"), "b": _node("b")})
    assert problems(doc) == [("error", "config.graph.nodes.a.edges[1].target", "edge to unknown node 'c'")]


def test_graph_node_that_is_not_a_participant() -> None:
    doc = _flow({"a": _node("a", "x"), "x": _node("x")}, names=("a",))
    assert problems(doc) == [("error", "config.graph.nodes.x", "node 'x' is not a participant")]


def test_graph_node_name_must_match_key() -> None:
    doc = _flow({"a": _node("a", "b"), "b": _node("B")})
    assert problems(doc) == [("error", "config.graph.nodes.b.name", "node name 'B' differs from its key 'b'")]


def test_participant_without_node_is_a_warning() -> None:
    doc = _flow({"a": _node("a")}, names=("a", "b"))
    assert problems(doc) == [
        ("warning", "config.participants[1]", "participant 'b' has no node in the graph and never speaks")
    ]


def test_graph_without_start_node() -> None:
    doc = _flow({"a": _node("a", "b", condition="GO"), "b": _node("b", "a", condition="BACK")},
                max_turns=None)
    doc["config"]["max_turns"] = 5
    assert ("error", "config.graph", "no start node: every node has an incoming edge; set default_start_node") in \
        problems(doc)
    doc["config"]["graph"]["default_start_node"] = "a"
    assert problems(doc) == [
        ("error", "config.graph", "no end node: every node has an outgoing edge, so the flow never completes")
    ]


def test_default_start_node_must_exist() -> None:
    doc = _flow({"a": _node("a", "b"), "b": _node("b")}, default_start_node="z")
    assert problems(doc) == [("error", "config.graph.default_start_node", "'z' is not a node of the graph")]


def test_graph_with_no_nodes() -> None:
    assert problems(_flow({}, names=("a",))) == [("error", "config.graph.nodes", "the graph has no nodes")]


def test_cycle_without_exit_and_without_termination() -> None:
    doc = _flow({"a": _node("a", "b"), "b": _node("b", "c"), "c": _node("c", "b")}, names=("a", "b", "c"))
    assert problems(doc) == [
        ("error", "config.graph", "no end node: every node has an outgoing edge, so the flow never completes"),
        ("error", "config.graph", "cycle without an exit condition: b -> c -> b"),
        ("error", "config.termination_condition", "the graph has a cycle: set a termination condition or max_turns"),
    ]


def test_mixed_conditional_edges_and_conflicting_activation() -> None:
    nodes = {"a": {"name": "a", "edges": [{"target": "b", "condition": "X"}, {"target": "c"}]},
             "b": {"name": "b", "edges": [{"target": "c", "activation_condition": "any"}]}, "c": _node("c")}
    assert problems(_flow(nodes, names=("a", "b", "c"))) == [
        ("error", "config.graph.nodes.a.edges",
         "mixes conditional and unconditional edges: make all edges from this node conditional, or none"),
        ("error", "config.graph.nodes.b.edges[0].activation_condition",
         "conflicts with another edge to 'c' in activation group 'c' ('all')"),
    ]


def test_graph_checks_still_run_when_a_participant_is_invalid() -> None:
    doc = _flow({"a": _node("a", "b", "z"), "b": _node("b")})
    del doc["config"]["participants"][1]["config"]["model_client"]
    assert [p[1] for p in problems(doc)] == [
        "config.participants[1].config.model_client", "config.graph.nodes.a.edges[1].target"]


# Agents, tools, conditions ---------------------------------------------------------------------

def test_function_tool_source_that_does_not_parse() -> None:
    doc = assistant("a", tools=[tool(source="def add(a: int, b: int) -> int\n    return a + b\n")])
    [(severity, path, message)] = problems(doc)
    assert (severity, path) == ("error", "config.tools[0].config.source_code")
    assert "line 1" in message


def test_function_tool_source_without_the_named_function() -> None:
    doc = tool(name="add", source="x = 1\n")
    [(severity, path, message)] = problems(doc)
    assert (severity, path) == ("error", "config.source_code") and "'add'" in message


def test_function_tool_named_differently_from_its_function_is_a_warning() -> None:
    # AutoGen runs the function the source defines under the tool's name, so this still loads.
    doc = tool(name="add", source="def plus(a: int, b: int) -> int:\n    return a + b\n")
    assert problems(doc) == [
        ("warning", "config.source_code", "does not define a function named 'add': 'plus' will run under that name")
    ]


def test_function_tool_fixture_is_valid() -> None:
    assert problems(fixture("autogen_core.tools.FunctionTool")) == []


def test_tools_and_workbench_together() -> None:
    workbench = env("autogen_core.tools.StaticWorkbench", tools=[])
    doc = assistant("a", tools=[tool()], workbench=[workbench])
    assert problems(doc) == [
        ("error", "config.tools", "tools cannot be used with a workbench: put the tools in the workbench")
    ]


def test_handoff_names_must_be_unique_and_differ_from_tools() -> None:
    doc = assistant("a", tools=[tool("b")], handoffs=["c", {"target": "d", "name": "transfer_to_c"}, "b"])
    assert problems(doc) == [
        ("error", "config.handoffs[1].name", "duplicate handoff name 'transfer_to_c'"),
        ("error", "config.handoffs[2]", "handoff 'transfer_to_b' clashes with a tool of the same name"),
    ]


def test_handoff_name_must_be_an_identifier() -> None:
    doc = assistant("a", handoffs=[{"target": "b", "name": "not valid"}])
    assert problems(doc) == [
        ("error", "config.handoffs[0].name", "handoff name must be a valid identifier: 'not valid'")
    ]


def test_user_proxy_input_func_is_ignored_with_a_warning() -> None:
    assert problems(env(USER_PROXY, name="user", input_func="input")) == [
        ("warning", "config.input_func", "ignored: the studio asks the user through its own UI")
    ]


def test_assistant_memory_is_an_opaque_node() -> None:
    doc = assistant("a", memory=[env("autogen_core.memory.ListMemory")])
    assert problems(doc) == [
        ("error", "config.memory[0]", "autogen_core.memory.ListMemory cannot run here: memory is not supported by "
         "the studio runtime yet; it is kept as written")
    ]


def test_token_usage_needs_a_limit() -> None:
    unset = {"max_total_token": None, "max_prompt_token": None, "max_completion_token": None}
    assert problems(env(CONDITIONS + "TokenUsageTermination", **unset)) == [
        ("error", "config", "set at least one of max_total_token, max_prompt_token, max_completion_token")
    ]
    assert problems(env(CONDITIONS + "TokenUsageTermination", **{**unset, "max_total_token": 10})) == []


def test_magentic_one_is_an_opaque_node_validated_only_as_an_envelope() -> None:
    assert problems(fixture(MAGENTIC)) == [
        ("error", "", f"{MAGENTIC} cannot run here: not supported by the studio runtime yet; it is kept as written")
    ]
    broken = copy.deepcopy(fixture(MAGENTIC))
    del broken["config"]["model_client"]
    assert problems(broken) == problems(fixture(MAGENTIC))
    broken["label"] = 3
    assert ("error", "label", "input should be a valid string") in problems(broken)
