"""Equipping agents: a model onto an agent or a selector team, tools into an assistant's workbench."""

from __future__ import annotations

from typing import Any, Literal

from ._base import ActionRefused, BaseAction, agent_at, done, expect, named
from ._refs import unique_name
from .draft import (
    ASSISTANT,
    SELECTOR,
    TEAM,
    Draft,
    canonical,
    config_of,
    name_of,
    team_provider,
)

AGENT_PROVIDERS_WITH_MODEL = (ASSISTANT, "autogen_agentchat.agents.CodeExecutorAgent")
STATIC_WORKBENCH = "autogen_core.tools.StaticWorkbench"


class SetModel(BaseAction):
    """Drop a model onto an agent, or onto a selector team (which picks speakers with it)."""

    type: Literal["set_model"] = "set_model"
    target: str
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        model = expect(self.component, "model")
        if self.target == TEAM:
            if team_provider(component) not in (SELECTOR, "autogen_agentchat.teams.MagenticOneGroupChat"):
                raise ActionRefused("Only a selector team uses a model; drop the model onto an agent.")
            config_of(component)["model_client"] = model
        else:
            _, agent = agent_at(component, self.target, what="A model")
            if canonical(agent.get("provider")) not in AGENT_PROVIDERS_WITH_MODEL:
                raise ActionRefused(f"{name_of(agent)} is a user proxy: it has no model.")
            config_of(agent)["model_client"] = model
        return done(draft, component, layout)


def _tool_lists(agent: dict[str, Any]) -> list[list[Any]]:
    config = config_of(agent)
    lists = [config["tools"]] if isinstance(config.get("tools"), list) else []
    benches = config.get("workbench")
    for bench in benches if isinstance(benches, list) else [benches] if isinstance(benches, dict) else []:
        tools = config_of(bench).setdefault("tools", [])
        if isinstance(tools, list):
            lists.append(tools)
    return lists


class AddTool(BaseAction):
    """Add a tool to an assistant's first workbench (a StaticWorkbench is made if it has none)."""

    type: Literal["add_tool"] = "add_tool"
    target: str
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        tool = expect(self.component, "tool")
        _, agent = agent_at(component, self.target, what="A tool")
        if canonical(agent.get("provider")) != ASSISTANT:
            raise ActionRefused(f"Only an assistant agent uses tools; {name_of(agent)} can't.")
        taken = {name_of(t) for tools in _tool_lists(agent) for t in tools}
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
    target: str
    name: str

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        _, agent = agent_at(component, self.target)
        for tools in _tool_lists(agent):
            for i, tool in enumerate(tools):
                if name_of(tool) == self.name:
                    del tools[i]
                    return done(draft, component, layout)
        raise ActionRefused(f"{name_of(agent)} has no tool named {self.name!r}.")


__all__ = ["AddTool", "RemoveTool", "SetModel"]
