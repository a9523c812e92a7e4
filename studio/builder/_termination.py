"""The team's termination condition: set it (replace, or combine with OR / AND) and remove one part
of an OR / AND."""

from __future__ import annotations

from typing import Any, Literal

from ._base import ActionRefused, BaseAction, done, expect
from ._refs import combine_terminations
from .draft import AND, OR, Draft, canonical, config_of

Combine = Literal["replace", "or", "and"]


def termination_parts(condition: Any) -> list[Any] | None:
    """The conditions an OR / AND combines (the live list), or None for any other condition."""
    if not isinstance(condition, dict) or canonical(condition.get("provider")) not in (OR, AND):
        return None
    conditions = (condition.get("config") or {}).get("conditions")
    return conditions if isinstance(conditions, list) else None


class SetTermination(BaseAction):
    """Drop a termination onto the team: replace it, or combine with OR / AND (flattened)."""

    type: Literal["set_termination"] = "set_termination"
    component: dict[str, Any]
    combine: Combine = "replace"

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        condition = expect(self.component, "termination")
        config = config_of(component)
        existing = config.get("termination_condition")
        if self.combine != "replace" and isinstance(existing, dict):
            condition = combine_terminations(OR if self.combine == "or" else AND, existing, condition)
        config["termination_condition"] = condition
        return done(draft, component, layout)


class RemoveTerminationPart(BaseAction):
    """Remove part `index` of an OR / AND termination; the one part left replaces the combination."""

    type: Literal["remove_termination_part"] = "remove_termination_part"
    index: int

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        config = config_of(component)
        conditions = termination_parts(config.get("termination_condition"))
        if conditions is None:
            raise ActionRefused("The termination is not an OR / AND of several conditions.")
        if not 0 <= self.index < len(conditions):
            raise ActionRefused(f"The termination has no part {self.index + 1} (it has {len(conditions)}).")
        del conditions[self.index]
        if len(conditions) == 1:
            config["termination_condition"] = conditions[0]
        return done(draft, component, layout, [f"part {self.index + 1} of the termination"])


__all__ = ["Combine", "RemoveTerminationPart", "SetTermination", "termination_parts"]
