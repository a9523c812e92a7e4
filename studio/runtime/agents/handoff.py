"""Handoffs: an agent passes the conversation to another agent (or the user) by calling a special tool."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

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
    """A handoff; a bare string in a config means `{"target": <string>}`. Fields left empty get AutoGen's
    defaults (`handoff_defaults`)."""

    target: str = Field(description="The agent (or \"user\") this agent hands the conversation to. Empty: remove "
                        "the handoff.")
    description: str = Field("", description="Tells the model when to hand off. Empty: \"Handoff to <target>.\"")
    name: str = Field("", description="The name of the handoff tool the model calls. Empty: transfer_to_<target>.")
    message: str = Field("", description="The message recorded when the handoff happens. Empty: a standard "
                         "message.")

    @model_validator(mode="before")
    @classmethod
    def _from_target(cls, value: Any) -> Any:
        return {"target": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _defaults(self) -> Handoff:
        for field, default in handoff_defaults(self.target).items():
            if not getattr(self, field):
                setattr(self, field, default)
        return self

    @field_validator("name")
    @classmethod
    def _identifier(cls, name: str) -> str:
        """A name given must be an identifier (a default one is checked by the agent, and by validation with
        a hint: `studio.components.checks`)."""
        if name and not name.isidentifier():
            raise ValueError(f"handoff name must be a valid identifier: {name!r}")
        return name


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
