"""Opaque nodes (builder/opaque.py): a component the studio cannot run is found where it sits, its JSON is
edited whole (refused when it has errors there), and no other change to it is allowed."""

from __future__ import annotations

import copy

import pytest

from studio.builder import ActionRefused, Draft
from studio.builder.opaque import EditOpaque, check_kept, opaque_problems
from studio.components import validate_component

from .conftest import template

SURFER = {"provider": "autogen_ext.agents.web_surfer.MultimodalWebSurfer", "component_type": "agent",
          "label": "Web surfer", "config": {"name": "surfer", "headless": True}}


@pytest.fixture
def mixed() -> Draft:
    """The built-in round robin with a web surfer as its third participant."""
    component = template("builtin:team:round-robin")
    component["config"]["participants"].append(copy.deepcopy(SURFER))
    return Draft(component)


def test_the_opaque_node_is_found_at_its_path_with_its_reason(mixed: Draft) -> None:
    found = opaque_problems(validate_component(mixed.component, kind="team"))
    assert list(found) == ["config.participants[2]"]
    assert "MultimodalWebSurfer cannot run here" in found["config.participants[2]"].message


def test_edit_opaque_replaces_the_node_whole_and_keeps_it_unsupported(mixed: Draft) -> None:
    edited = {**SURFER, "config": {"name": "surfer", "headless": False, "start_page": "https://example.org"}}
    draft = EditOpaque(path="config.participants[2]", component=edited).apply(mixed)
    assert draft.component["config"]["participants"][2] == edited
    assert mixed.component["config"]["participants"][2] == SURFER  # the input is left as it was


def test_edit_opaque_refuses_json_with_errors_there_and_a_path_that_is_gone(mixed: Draft) -> None:
    with pytest.raises(ActionRefused, match=r"Nothing was applied: the JSON has 1 error: config.participants\[2\]"):
        EditOpaque(path="config.participants[2]", component={"config": {}}).apply(mixed)  # no provider
    with pytest.raises(ActionRefused, match=r"There is nothing at config.participants\[5\] any more"):
        EditOpaque(path="config.participants[5]", component=SURFER).apply(mixed)


def test_check_kept_allows_moving_or_deleting_the_node_but_not_changing_it(mixed: Draft) -> None:
    before = mixed.component
    paths = opaque_problems(validate_component(before, kind="team"))
    moved = copy.deepcopy(before)
    participants = moved["config"]["participants"]
    participants.insert(0, participants.pop())
    check_kept(before, paths, moved)
    deleted = copy.deepcopy(before)
    deleted["config"]["participants"].pop()
    check_kept(before, paths, deleted)
    changed = copy.deepcopy(before)
    changed["config"]["participants"][2]["config"]["headless"] = False
    with pytest.raises(ActionRefused, match=r"change the unsupported component at config.participants\[2\]"):
        check_kept(before, paths, changed)
