"""The envelope every component is wrapped in, at every depth of a file."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MASK = "**********"
"""What AutoGen (and the studio) write in place of a secret such as `api_key`."""


class ComponentModel(BaseModel):
    """`{provider, component_type, version, component_version, label, description, config}`.

    `provider` is the identity (a dotted class path); the other metadata is informative. Unknown
    top-level keys are ignored, as AutoGen's loader does.
    """

    model_config = ConfigDict(extra="ignore")

    provider: str
    component_type: str | None = None
    version: int | None = None
    component_version: int | None = None
    description: str | None = Field(None, description="A note about this component for people reading the file. "
                                    "Agents and teams have their own description field below, which the other "
                                    "agents do see.")
    label: str | None = Field(None, description="A display name for this component in the studio and in exported "
                              "files. It does not change how the component behaves.")
    config: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The envelope as JSON data, without null metadata (AutoGen's form for nested components)."""
        return self.model_dump(mode="json", exclude_none=True)
