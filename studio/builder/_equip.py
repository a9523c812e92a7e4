"""Equipping agents: a model onto an agent or a selector team, tools into an assistant's workbench, a workbench
(an MCP server's) onto an assistant."""

from __future__ import annotations

from typing import Any, Literal

from ._base import ActionRefused, BaseAction, agent_at, done, expect, named
from ._refs import unique_name
from .draft import (
    ASSISTANT,
    SELECTOR,
    Draft,
    canonical,
    config_of,
    name_of,
    team_provider,
    tool_lists,
)
from .node_id import TEAM, NodeId

AGENT_PROVIDERS_WITH_MODEL = (ASSISTANT, "autogen_agentchat.agents.CodeExecutorAgent")
STATIC_WORKBENCH = "autogen_core.tools.StaticWorkbench"
STATIC_WORKBENCHES = (STATIC_WORKBENCH, "autogen_core.tools.StaticStreamWorkbench")


class SetModel(BaseAction):
    """Drop a model onto an agent, or onto a selector team (which picks speakers with it); dropped on
    a model node (`agent:a/model`, `team/model`) it replaces that model."""

    type: Literal["set_model"] = "set_model"
    target: NodeId
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        model = expect(self.component, "model")
        target = self.target.owner
        if target == TEAM:
            if team_provider(component) not in (SELECTOR, "autogen_agentchat.teams.MagenticOneGroupChat"):
                raise ActionRefused("Only a selector team uses a model; drop the model onto an agent.")
            config_of(component)["model_client"] = model
        else:
            _, agent = agent_at(component, target, what="A model")
            if canonical(agent.get("provider")) not in AGENT_PROVIDERS_WITH_MODEL:
                raise ActionRefused(f"{name_of(agent)} is a user proxy: it has no model.")
            config_of(agent)["model_client"] = model
        return done(draft, component, layout)


class AddTool(BaseAction):
    """Add a tool to an assistant's first static workbench (a StaticWorkbench is made if it has none, after
    its other workbenches); `target` is the agent or one of its tools."""

    type: Literal["add_tool"] = "add_tool"
    target: NodeId
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        tool = expect(self.component, "tool")
        agent = _assistant_at(component, self.target, "A tool", "tools")
        taken = {name_of(t) for tools in tool_lists(agent) for t in tools}
        named(tool, unique_name(name_of(tool) or "tool", {t for t in taken if t}))
        config = config_of(agent)
        listed = _workbenches(config)
        static = next((b for b in listed if isinstance(b, dict) and canonical(b.get("provider")) in STATIC_WORKBENCHES),
                      None)
        if static is not None:
            tools = config_of(static).setdefault("tools", [])
        elif isinstance(config.get("tools"), list) or agent.get("component_version") == 1:
            tools = config.setdefault("tools", [])
        else:  # none yet, or only workbenches of other kinds (an MCP server's): a static one joins them
            tools = []
            config["workbench"] = [*listed, {"provider": STATIC_WORKBENCH, "component_type": "workbench", "version": 1,
                                             "component_version": 1, "label": "Tools", "config": {"tools": tools}}]
        tools.append(tool)
        return done(draft, component, layout)


class AddWorkbench(BaseAction):
    """Add a workbench (an MCP server's tools) to an assistant, after the ones it has; `target` is the agent
    or one of its tools."""

    type: Literal["add_workbench"] = "add_workbench"
    target: NodeId
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        bench = expect(self.component, "workbench")
        agent = _assistant_at(component, self.target, "A workbench", "workbenches")
        config = config_of(agent)
        if isinstance(config.get("tools"), list) or agent.get("component_version") == 1:
            raise ActionRefused(f"{name_of(agent)} is a version 1 agent with a tool list: it takes tools only.")
        config["workbench"] = [*_workbenches(config), bench]
        return done(draft, component, layout)


def _assistant_at(component: dict[str, Any], target: NodeId, what: str, uses: str) -> dict[str, Any]:
    """The assistant agent `target` (or its tool) belongs to; refused for another kind of agent."""
    _, agent = agent_at(component, target.owner, what=what)
    if canonical(agent.get("provider")) != ASSISTANT:
        raise ActionRefused(f"Only an assistant agent uses {uses}; {name_of(agent)} can't.")
    return agent


def _workbenches(config: dict[str, Any]) -> list[Any]:
    """An agent's workbenches as a list (version 2 lists them; version 1 has at most one)."""
    benches = config.get("workbench")
    return benches if isinstance(benches, list) else [benches] if isinstance(benches, dict) else []


class RemoveTool(BaseAction):
    """Remove the tool called `name` from an agent."""

    type: Literal["remove_tool"] = "remove_tool"
    target: NodeId
    name: str

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        _, agent = agent_at(component, self.target)
        for tools in tool_lists(agent):
            for i, tool in enumerate(tools):
                if name_of(tool) == self.name:
                    del tools[i]
                    return done(draft, component, layout)
        raise ActionRefused(f"{name_of(agent)} has no tool named {self.name!r}.")


__all__ = ["AddTool", "AddWorkbench", "RemoveTool", "SetModel"]
