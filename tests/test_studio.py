"""The Python API (studio/__init__.py): its names, imported on first use (`load_team` is the name exported
scripts use for `load_component`), and a clear error for any other."""

from __future__ import annotations

import pytest

import studio
from studio import components
from studio.runtime.cancellation import CancellationToken
from studio.runtime.messages import TaskResult
from tests.services.helpers import writer_critic


def test_the_api_names_are_the_packages_own() -> None:
    assert studio.load_team is studio.load_component is components.load_component
    assert (studio.dump_component, studio.validate_component) == (components.dump_component,
                                                                  components.validate_component)
    assert (studio.CancellationToken, studio.TaskResult) == (CancellationToken, TaskResult)
    assert sorted(studio.__all__) == sorted([*studio._EXPORTS, "load_team"])


async def test_a_loaded_team_runs() -> None:
    result = await studio.load_team(writer_critic()).run(task="A haiku")
    assert result.stop_reason and [m.source for m in result.messages][:2] == ["user", "writer"]


def test_other_names_are_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'studio' has no attribute 'run_team'"):
        studio.run_team  # noqa: B018
