"""Equipping agents: a model onto an agent or a selector team, tools into an assistant's workbench."""

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
    """Add a tool to an assistant's first workbench (a StaticWorkbench is made if it has none);
    `target` is the agent or one of its tools."""

    type: Literal["add_tool"] = "add_tool"
    target: NodeId
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        tool = expect(self.component, "tool")
        _, agent = agent_at(component, self.target.owner, what="A tool")
        if canonical(agent.get("provider")) != ASSISTANT:
            raise ActionRefused(f"Only an assistant agent uses tools; {name_of(agent)} can't.")
        taken = {name_of(t) for tools in tool_lists(agent) for t in tools}
        named(tool, unique_name(name_of(tool) or "tool", {t for t in taken if t}))
        config = config_of(agent)
        benches = config.get("workbench")
        if isinstance(benches, list) and benches and isinstance(benches[0], dict):
            tools = config_of(benches[0]).setdefault("tools", [])
        elif isinstance(benches, dict):  # a version 1 agent's single workbench
            tools = config_of(benches).setdefault("tools", [])
        elif isinstance(config.get("tools"), list) or agent.get("component_version") == 1:
            tools = config.setdefault("tools", [])
        else:
            tools = []
            config["workbench"] = [{"provider": STATIC_WORKBENCH, "component_type": "workbench", "version": 1,
                                    "component_version": 1, "label": "Tools", "config": {"tools": tools}}]
        tools.append(tool)
        return done(draft, component, layout)


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


__all__ = ["AddTool", "RemoveTool", "SetModel"]
