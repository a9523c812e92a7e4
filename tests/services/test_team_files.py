"""Reading team files (services/team_files.py): each accepted shape with the team's path in the file, keys
masked in documents and in text, a notice for each key written in a file, and every problem at its path."""

from __future__ import annotations

import pytest

from studio.components import MASK
from studio.services.errors import PayloadTooLargeError, TeamImportError
from studio.services.team_files import KEY_NOT_STORED, mask_secrets, read_team_file, redact_text

from .helpers import PLANTED_KEY, assistant, invalid_team, openai_client, round_robin, writer_critic


@pytest.mark.parametrize(("shape", "where"), [
    (lambda team: team, ""),
    (lambda team: {"id": 7, "component": team}, "component"),
    (lambda team: {"status": True, "data": [{"component": team}]}, "data[0].component"),
    (lambda team: {"components": {"teams": [team]}}, "components.teams[0]"),
    (lambda team: {"config": {"components": {"teams": [team]}}}, "config.components.teams[0]"),
])
def test_each_accepted_shape_gives_the_team_and_where_it_was(shape, where: str) -> None:
    [document] = read_team_file(shape(writer_critic()))
    assert (document.label, document.where) == (writer_critic()["label"], where)


def test_a_key_in_a_file_is_masked_and_noted_never_kept() -> None:
    team = round_robin(assistant("writer", openai_client(api_key=PLANTED_KEY)), label="Keyed")
    [document] = read_team_file(team)
    assert PLANTED_KEY not in str(document.component)
    key_notices = [(n.path, n.severity) for n in document.notices if n.message == KEY_NOT_STORED]
    assert key_notices == [("config.participants[0].config.model_client.config.api_key", "warning")]
    headers = openai_client(default_headers={"Authorization": "Bearer x", "X-Trace": "keep"})
    assert mask_secrets(headers)["config"]["default_headers"] == {"Authorization": MASK, "X-Trace": "keep"}
    assert redact_text('{"api_key": "sk-1", "model": "gpt-4o", "Authorization": "Bearer') == (
        f'{{"api_key": "{MASK}", "model": "gpt-4o", "Authorization": "{MASK}"')


def test_problems_name_their_path_in_the_file_and_nothing_is_read() -> None:
    with pytest.raises(TeamImportError) as refused:
        read_team_file({"components": {"teams": [writer_critic(), invalid_team()]}})
    assert refused.value.problems and all(p.path.startswith("components.teams[1]") for p in refused.value.problems)
    with pytest.raises(TeamImportError, match="the file is empty"):
        read_team_file(b"\xef\xbb\xbf  ")
    with pytest.raises(PayloadTooLargeError):
        read_team_file("{}" + " " * 100, max_bytes=50)
