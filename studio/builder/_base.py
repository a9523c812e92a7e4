"""What every action shares: the refusal errors, the base model, and small lookups."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel, ConfigDict

from studio.components import Problem, canonical_form

from .draft import Draft, agent_names, config_of, find_agent, kind_of
from .node_id import NodeId

COMPONENT_WORDS = {"team": "a team", "agent": "an agent", "model": "a model", "tool": "a tool",
                   "workbench": "a workbench", "termination": "a termination"}


class ActionRefused(Exception):
    """An action that cannot be applied; `reason` is short and meant for the user."""

    def __init__(self, reason: str, problems: list[Problem] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problems = list(problems or [])


class NeedsConfirmation(ActionRefused):
    """Applying the action would lose something; send it again with `confirm=True`."""

    def __init__(self, what_would_be_dropped: list[str]) -> None:
        super().__init__("This would drop " + ", ".join(what_would_be_dropped) + ".")
        self.what_would_be_dropped = what_would_be_dropped


class BaseAction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def apply(self, draft: Draft) -> Draft:  # pragma: no cover - every action overrides it
        raise NotImplementedError


def word(component: Any) -> str:
    return COMPONENT_WORDS.get(str(kind_of(component)), "this component")


def expect(component: Any, kind: str) -> dict[str, Any]:
    """A copy of `component` if it is of `kind`, else a refusal ("A tool can't go here: ...")."""
    if not isinstance(component, dict) or not isinstance(component.get("provider"), str):
        raise ActionRefused(f"That is not a component ({{provider, config}}); this needs {COMPONENT_WORDS[kind]}.")
    if kind_of(component) != kind:
        raise ActionRefused(f"{word(component).capitalize()} can't go here: this needs {COMPONENT_WORDS[kind]}.")
    return copy.deepcopy(component)


def agent_at(component: dict[str, Any], node: NodeId, *, what: str = "") -> tuple[int, dict[str, Any]]:
    """The participant a node id names, or a refusal saying what `what` cannot be dropped onto."""
    if node.kind != "agent":
        target = {"team": "the team", "termination": "a termination", "edge": "an edge"}.get(node.kind, repr(str(node)))
        raise ActionRefused(f"{what or 'That'} can't be dropped onto {target}." if what
                            else f"{str(node)!r} is not an agent.")
    found = find_agent(component, node.name)
    if found is None:
        raise ActionRefused(f"There is no agent named {node.name!r}.")
    return found


def named(agent: dict[str, Any], name: str) -> dict[str, Any]:
    config_of(agent)["name"] = name
    return agent


def check_name(component: dict[str, Any], name: str, *, current: str | None = None) -> None:
    if not name.isidentifier():
        raise ActionRefused(f"{name!r} is not a valid agent name: use letters, digits and _ (not first).")
    if name != current and name in agent_names(component):
        raise ActionRefused(f"An agent named {name!r} already exists.")


def done(draft: Draft, component: dict[str, Any], layout: dict[str, Any], dropped: list[str] | None = None) -> Draft:
    """The draft an action makes: its component in canonical form (every action ends here, so the draft stays
    what every export writes: defaults filled in, handoffs as objects, AutoGen's required fields present)."""
    return Draft(canonical_form(component), layout, tuple(dropped or ()))


__all__ = ["COMPONENT_WORDS", "ActionRefused", "BaseAction", "NeedsConfirmation", "agent_at", "check_name",
           "done", "expect", "named", "word"]
