"""How the Component library is shown (builder/library_groups.py): the same component folds into one entry that
says where the gallery has it, names are unique, groups put the built-ins first."""

from __future__ import annotations

import json

from studio.builder.library import GROUPS, builtin_items, get_item, library_groups
from studio.builder.library_groups import fold, fold_key, grouped

from .conftest import gallery_item, template


def test_folding_ignores_labels_and_filled_in_defaults() -> None:
    builtin = get_item(builtin_items(), "builtin:termination:max-message")
    assert builtin is not None
    same = {"provider": "MaxMessageTermination", "component_type": "termination", "label": "Ten",
            "config": {"max_messages": 10}}  # an alias, another label, the default left out
    other = {**same, "config": {"max_messages": 11}}
    assert fold_key(same) == fold_key(builtin.component) != fold_key(other)
    folded = fold([builtin], [("Team A", gallery_item(same)), ("Team B", gallery_item(same)), ("Team B", gallery_item(other))])
    assert [(i.id, i.sources) for i in folded] == [(builtin.id, ("Team A", "Team B")), ("gallery:other", ("Team B",))]
    assert folded[0].source_note == "Also in 2 gallery templates"
    assert folded[1].source_note == "From Team B"


def test_nested_components_fold_by_their_config_too() -> None:
    agent = template("builtin:agent:assistant")
    relabelled = json.loads(json.dumps(agent))
    relabelled["config"]["model_client"]["label"] = "Another label"
    assert fold_key(agent) == fold_key(relabelled)
    relabelled["config"]["model_client"]["config"]["model"] = "gpt-4o"
    assert fold_key(agent) != fold_key(relabelled)


def test_names_are_unique_and_say_where_a_shared_label_comes_from() -> None:
    one, two = template("builtin:agent:assistant"), template("builtin:agent:assistant")
    one["config"]["name"] = two["config"]["name"] = "assistant"
    two["config"]["system_message"] = "Something else."
    found = [("Single assistant", gallery_item(one, "a")), ("Travel desk", gallery_item(two, "b")),
             ("Travel desk", gallery_item({**one, "config": {**one["config"], "description": "x"}}, "c"))]
    items = fold([], found)
    assert [i.name for i in items] == ["assistant (from Single assistant)", "assistant (from Travel desk)",
                                       "assistant (from Travel desk), 2"]
    assert [i.label for i in items] == ["assistant"] * 3  # the label (the item's accessible name) stays


def test_groups_put_builtins_first_and_fold_the_gallery_part() -> None:
    extra = template("builtin:agent:assistant")
    extra["config"]["name"] = "scout"
    items = fold(builtin_items(), [("Scouting", gallery_item(extra))])
    groups = library_groups(items)
    assert [g.title for g in groups] == list(GROUPS.values())
    agents = groups[1]
    assert [i.id for i in agents.builtins] == [i.id for i in builtin_items() if i.component_type == "agent"]
    assert [i.label for i in agents.gallery] == ["scout"] and not agents.gallery_open
    found = library_groups(items, "scout")
    assert [(g.title, [i.label for i in g.items], g.gallery_open) for g in found] == [("Agents", ["scout"], True)]
    only_gallery = grouped([gallery_item(extra)], GROUPS)
    assert only_gallery[0].gallery_open  # nothing built in to show first: the gallery part is open
