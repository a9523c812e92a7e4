"""Opaque nodes in the builder: components the studio keeps as written but cannot run (`Problem.unsupported`,
found by validation). The canvas shows each where it sits, marked with its reason; its properties are its JSON,
edited whole (`EditOpaque`); every other action leaves it byte for byte as it was (`check_kept`)."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any, Literal

from studio.components import Problem, blocking, validate_component
from studio.components.validation import join

from ._base import ActionRefused, BaseAction, done
from .draft import Draft, has_item, split_path, value_at


def opaque_problems(problems: list[Problem]) -> dict[str, Problem]:
    """JSON path of each opaque node -> the problem that says why it cannot run here."""
    return {p.path: p for p in problems if p.unsupported}


def _texts(component: dict[str, Any], paths: Any) -> Counter[str]:
    return Counter(json.dumps(value_at(component, path) if path else component, ensure_ascii=False)
                   for path in paths)


def check_kept(before: dict[str, Any], before_paths: Any, after: dict[str, Any]) -> None:
    """Refuse (`ActionRefused`) an action whose result changed an opaque node: each one left in `after` must be
    byte-equal to one of `before` (moved, or deleted, is fine)."""
    kept = _texts(before, before_paths)
    for path in opaque_problems(validate_component(after, kind="team")):
        text = json.dumps(value_at(after, path) if path else after, ensure_ascii=False)
        if kept[text] <= 0:
            raise ActionRefused(f"That would change the unsupported component at {path or 'the team'}, which the "
                                "studio keeps as written: select it and edit its JSON instead.")
        kept[text] -= 1


class EditOpaque(BaseAction):
    """The JSON of an opaque node (at `path`) replaced whole; refused, with every error's path, when the new
    JSON has errors there (it may stay unsupported: that is kept)."""

    type: Literal["edit_opaque"] = "edit_opaque"
    path: str
    component: dict[str, Any]

    def apply(self, draft: Draft) -> Draft:
        component, layout = draft.editable()
        if not self.path:
            component = copy.deepcopy(self.component)
        else:
            try:
                *parents, last = split_path(self.path)
            except ValueError:
                raise ActionRefused(f"{self.path!r} is not a JSON path.") from None
            holder: Any = value_at(component, join("", *parents)) if parents else component
            if not has_item(holder, last):
                raise ActionRefused(f"There is nothing at {self.path} any more.")
            holder[last] = copy.deepcopy(self.component)
        errors = [p for p in blocking(validate_component(component, kind="team")) if _inside(p.path, self.path)]
        if errors:
            listed = "; ".join(str(p) for p in errors[:5]) + (f" (and {len(errors) - 5} more)" if len(errors) > 5 else "")
            raise ActionRefused(f"Nothing was applied: the JSON has {len(errors)} error"
                                f"{'s' if len(errors) > 1 else ''}: {listed}", errors)
        return done(draft, component, layout)


def _inside(path: str, root: str) -> bool:
    return not root or path == root or path.startswith((root + ".", root + "["))


__all__ = ["EditOpaque", "check_kept", "opaque_problems"]
