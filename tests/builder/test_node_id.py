"""NodeId: one text form per node (what the pages post and the layout keys), read back exactly; bad text refused."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from studio.builder import TEAM, TEAM_MODEL, TERMINATION, BadNodeId, NodeId

EVERY_KIND = [
    (TEAM, "team"),
    (TERMINATION, "termination"),
    (TEAM_MODEL, "team/model"),
    (NodeId.agent("writer"), "agent:writer"),
    (NodeId.model("writer"), "agent:writer/model"),
    (NodeId.tool("writer", "search"), "agent:writer/tool:search"),
    (NodeId.edge("writer", "critic"), "edge:writer->critic"),
    (NodeId.at("config.participants[0].config.workbench[0]"), "at:config.participants[0].config.workbench[0]"),
    (NodeId.agent("odd name"), "agent:odd name"),
    (NodeId.tool("writer", "a/b"), "agent:writer/tool:a/b"),
    (NodeId.edge("a", "b->c"), "edge:a->b->c"),
]


@pytest.mark.parametrize(("node", "text"), EVERY_KIND, ids=[text for _, text in EVERY_KIND])
def test_the_text_form_round_trips(node: NodeId, text: str) -> None:
    assert str(node) == text
    assert NodeId.parse(text) == node and NodeId.parse_or_none(text) == node
    assert repr(node) == f"NodeId({text!r})"


@pytest.mark.parametrize("text", ["", "x", "Team", "agent:", "agent:/model", "agent:writer/", "agent:writer/other",
                                  "agent:writer/tool:", "agent:writer/model/x", "edge:a", "edge:->b", "edge:a->",
                                  "at:", "tool:search", "model"])
def test_text_that_names_no_node_is_refused(text: str) -> None:
    assert NodeId.parse_or_none(text) is None
    with pytest.raises(BadNodeId, match="is not a node id") as refused:
        NodeId.parse(text)
    assert refused.value.text == text and isinstance(refused.value, ValueError)


def test_kind_names_and_owner() -> None:
    tool = NodeId.tool("writer", "search")
    assert (tool.kind, tool.name, tool.child, tool.agent_name) == ("tool", "writer", "search", "writer")
    assert NodeId.model("writer").agent_name == "writer" and NodeId.agent("writer").agent_name == "writer"
    assert TEAM.agent_name is None and NodeId.edge("a", "b").agent_name is None
    assert tool.owner == NodeId.model("writer").owner == NodeId.agent("writer")
    assert TEAM_MODEL.owner == TEAM
    for node in (TEAM, TERMINATION, NodeId.agent("writer"), NodeId.edge("a", "b"), NodeId.at("config")):
        assert node.owner == node


def test_renamed_follows_a_new_name_of_an_agent_or_a_tool() -> None:
    assert NodeId.agent("writer").renamed("author") == NodeId.agent("author")
    assert NodeId.tool("writer", "search").renamed("lookup") == NodeId.tool("writer", "lookup")
    assert NodeId.model("writer").renamed("author") == NodeId.model("writer")
    assert TEAM.renamed("x") == TEAM


def test_a_value_usable_as_a_key() -> None:
    assert {NodeId.agent("a"): 1}[NodeId.parse("agent:a")] == 1
    with pytest.raises(AttributeError):
        NodeId.agent("a").name = "b"  # type: ignore[misc]


class _Holder(BaseModel):
    node: NodeId


def test_in_a_pydantic_model_it_is_read_from_and_written_as_its_text() -> None:
    held = _Holder.model_validate_json('{"node": "agent:writer/model"}')
    assert held.node == NodeId.model("writer")
    assert _Holder(node=NodeId.edge("a", "b")).model_dump() == {"node": "edge:a->b"}
    assert held.model_dump_json() == '{"node":"agent:writer/model"}'
    assert _Holder.model_validate({"node": "team"}).node == TEAM
    with pytest.raises(ValidationError, match="is not a node id"):
        _Holder.model_validate({"node": "agent:"})
    with pytest.raises(ValidationError):
        _Holder.model_validate({"node": 3})
