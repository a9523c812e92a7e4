"""The gate before anything of a team runs (services/admission.py): imported code not trusted yet is refused,
naming where it is and the page that reviews it; a team it admits gets the saved keys and variables."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from studio.services import trust
from studio.services.admission import NotTrusted, admit
from studio.services.credentials import save_credential, save_variable
from tests.components.builders import env, team, tool

ROUND_ROBIN = "autogen_agentchat.teams.RoundRobinGroupChat"
TOOL_PATH = "config.participants[0].config.tools[0]"


def with_tool() -> dict:
    return team(ROUND_ROBIN, env("autogen_agentchat.agents.AssistantAgent", name="calc", tools=[tool("add")]))


def test_imported_code_not_trusted_is_refused_with_its_review_page(db: Session) -> None:
    component = with_tool()
    trust.note_imported(db, component)
    with pytest.raises(NotTrusted) as refused:
        admit(db, component, team_id=7)
    assert refused.value.status_code == 403 and refused.value.review_url == trust.review_url(7)
    assert [p.path for p in refused.value.problems] == [TOOL_PATH]
    assert f"({TOOL_PATH})" in str(refused.value) and f"({trust.review_url(7)})" in str(refused.value)
    with pytest.raises(NotTrusted, match="on its team's review page"):
        admit(db, component)  # no team to point to


def test_an_admitted_team_gets_the_saved_keys_and_variables(db: Session) -> None:
    save_credential(db, "openai", None, "sk-saved-0123456789")
    save_variable(db, "CITY", "Paris")
    component = with_tool()  # typed here, never imported: the user's own
    credentials = admit(db, component)
    assert [k.value for k in credentials.saved] == ["sk-saved-0123456789"]
    assert [(v.name, v.value) for v in credentials.variables] == [("CITY", "Paris")]
    trust.note_imported(db, component)
    trust.trust_all(db, component)
    assert admit(db, component).saved  # trusted since: admitted again
