"""AutoGen Studio's gallery file format (services/gallery_files.py): every item read with its type, label and
why it cannot run, errors at their JSON paths in the file, keys masked both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.components import MASK
from studio.services.errors import TeamImportError
from studio.services.gallery_files import gallery_document, read_gallery_file, team_type

from .helpers import assistant, openai_client, round_robin

AGS = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "autogenstudio_default_gallery.json").read_text())


def test_autogen_studios_default_gallery_reads_with_its_web_surfer_kept_as_given() -> None:
    gallery = read_gallery_file(json.dumps(AGS))
    assert gallery.name == AGS["name"] and len(gallery.items) == 21
    surfer = next(i for i in gallery.items if i.where == "components.teams[2]")
    assert surfer.unsupported.startswith("config.participants[0]: ") and "MultimodalWebSurfer" in surfer.unsupported
    assert surfer.component == AGS["components"]["teams"][2]  # nothing rewritten
    assert [i.where for i in gallery.items if i.unsupported] == [  # the others run here
        "components.teams[2]", "components.agents[1]", "components.models[2]"]


def test_keys_are_masked_and_noted_and_problems_name_their_path_in_the_file() -> None:
    keyed = {"name": "Mine", "components": {"models": [openai_client(api_key="sk-live-secret")], "teams": []}}
    gallery = read_gallery_file(keyed)
    assert gallery.items[0].component["config"]["api_key"] == MASK
    assert [n.path for n in gallery.notices] == ["components.models[0].config.api_key"]
    broken = {"components": {"teams": [round_robin(assistant("x", {"config": {}}))], "agents": "nope"}}
    with pytest.raises(TeamImportError) as refused:
        read_gallery_file(broken)
    paths = [p.path for p in refused.value.problems]
    assert "components.agents" in paths and any(p.startswith("components.teams[0].config.participants[0]")
                                                for p in paths)
    with pytest.raises(TeamImportError, match="no components"):
        read_gallery_file({"components": {}})


def test_a_written_gallery_file_reads_back_with_its_keys_masked() -> None:
    team = round_robin(assistant("writer", openai_client(api_key="sk-live-secret")), label="Writers")
    document = gallery_document(gallery_id="g1", name="Mine", url="", metadata={"tags": ["demo"]},
                                items=[("team", team), ("model", openai_client())])
    assert document["url"] is None and document["metadata"]["tags"] == ["demo"]
    assert document["components"]["teams"][0]["config"]["participants"][0]["config"]["model_client"]["config"][
        "api_key"] == MASK
    items = read_gallery_file(document).items
    assert [(i.component_type, i.label) for i in items] == [("team", "Writers"), ("model", "OpenAIChatCompletionClient")]
    assert team_type(team) == "RoundRobinGroupChat"
