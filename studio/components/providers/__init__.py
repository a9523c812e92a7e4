"""Factories and dumpers binding each provider's config schema to the studio runtime, by kind.

Imported on first use of the registry (`registry._table`), not with the package.
"""

from __future__ import annotations

from typing import Any


def all_specs() -> list[Any]:
    """Every `ProviderSpec`, in palette order: teams, agents, models, tools, contexts, conditions."""
    from . import agents, conditions, contexts, models, teams, tools

    return [*teams.SPECS, *agents.SPECS, *models.SPECS, *tools.SPECS, *contexts.SPECS, *conditions.SPECS]
