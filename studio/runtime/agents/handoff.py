"""Handoffs: an agent passes the conversation to another agent (or the user) by calling a special tool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, model_validator

from ..cancellation import CancellationToken
from ..models.types import ToolSchema
from ..tools.base import Tool, ToolResult


def handoff_defaults(target: str) -> dict[str, str]:
    """AutoGen's defaults for a handoff to `target`: tool `transfer_to_<target>`, a fixed transfer message."""
    return {
        "description": f"Handoff to {target}.",
        "name": f"transfer_to_{target}".lower(),
        "message": f"Transferred to {target}, adopting the role of {target} immediately.",
    }


class Handoff(BaseModel):
    target: str
    description: str = ""
    name: str = ""
    message: str = ""

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, values: Any) -> Any:
        if isinstance(values, str):
            values = {"target": values}
        if isinstance(values, dict) and "target" in values:
            values = {**values, **{k: v for k, v in handoff_defaults(values["target"]).items() if not values.get(k)}}
            if not str(values["name"]).isidentifier():
                raise ValueError(f"Handoff name must be a valid identifier: {values['name']}")
        return values


class HandoffTool(Tool):
    """The tool the model calls to hand off; runs in-process because it is ours, not user code."""

    def __init__(self, handoff: Handoff) -> None:
        self.handoff = handoff
        self.name = handoff.name
        self.description = handoff.description

    @property
    def schema(self) -> ToolSchema:
        return ToolSchema(
            name=self.name,
            description=self.description,
            parameters={"type": "object", "properties": {}, "required": [], "additionalProperties": False},
            strict=True,
        )

    async def run_json(
        self, args: Mapping[str, Any], cancellation_token: CancellationToken, call_id: str | None = None
    ) -> ToolResult:
        return ToolResult(name=self.name, content=self.handoff.message)
