"""`canonical_form`: defaults filled in, what it cannot read kept verbatim, idempotent, pure, and the same as
the runtime's load + dump on every gallery team and fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.builder.library import builtin_items
from studio.components import (
    ComponentValidationError,
    canonical_form,
    dump_component,
    load_component,
    validate_component,
)
from studio.services.team_files import mask_secrets

from .builders import (
    ASSISTANT,
    CONDITIONS,
    FUNCTION_TOOL,
    MAGENTIC,
    OPENAI,
    ROUND_ROBIN,
    SELECTOR,
    SWARM,
    env,
    max_messages,
    replay,
)

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("gallery/teams/*.json"), *ROOT.glob("gallery/components/*/*.json"),
                *ROOT.glob("tests/fixtures/teams/*.json"), *ROOT.glob("tests/fixtures/autogen/*.json"),
                ROOT / "tests/fixtures/writer-critic.json"])
LOADS_NOT = {"error_swarm_bad_target.json": ComponentValidationError,  # invalid: a handoff to nobody
             "autogen_agentchat.teams.MagenticOneGroupChat.json": ComponentValidationError}  # an opaque node


def document(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def text(data: Any) -> str:
    """JSON with keys in document order: equal texts mean equal documents, key order included."""
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_it_equals_the_runtimes_load_and_dump(path: Path) -> None:
    doc = document(path)
    if path.name in LOADS_NOT:
        with pytest.raises(LOADS_NOT[path.name]):
            load_component(doc)
        return
    assert text(mask_secrets(canonical_form(doc))) == text(dump_component(load_component(doc)))


DOCUMENTS = [document(p) for p in FILES] + [i.component_copy() for i in builtin_items()]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda d: str(d.get("label") or d["provider"]))
def test_it_is_idempotent(doc: dict[str, Any]) -> None:
    once = canonical_form(doc)
    assert text(canonical_form(once)) == text(once)


def test_a_minimal_team_gets_every_default_and_every_field_autogen_requires() -> None:
    bare_assistant = env(ASSISTANT, name="a", model_client=replay())
    team = env(SELECTOR, participants=[bare_assistant, env(ASSISTANT, name="b", model_client=replay())],
               model_client=replay(), termination_condition=env(CONDITIONS + "TokenUsageTermination", max_total_token=9))
    found = [(p.path, p.severity) for p in validate_component(team) if "AutoGen 0.7.5 requires" in p.message]
    assert ("config.allow_repeated_speaker", "warning") in found and ("config.selector_prompt", "warning") in found
    assert ("config.participants[0].config.tool_call_summary_format", "warning") in found
    assert ("config.termination_condition.config.max_prompt_token", "warning") in found

    out = canonical_form(team)
    assert [p for p in validate_component(out) if "AutoGen 0.7.5 requires" in p.message] == []
    assert (out["provider"], out["label"], out["config"]["name"]) == (SELECTOR, "SelectorGroupChat", "SelectorGroupChat")
    assert out["config"]["allow_repeated_speaker"] is False
    assert out["config"]["selector_prompt"].startswith("You are in a role play game.")
    agent = out["config"]["participants"][0]
    assert (agent["version"], agent["component_version"], agent["component_type"]) == (2, 2, "agent")
    assert {k: agent["config"][k] for k in ("reflect_on_tool_use", "tool_call_summary_format", "metadata")} == \
        {"reflect_on_tool_use": False, "tool_call_summary_format": "{result}", "metadata": {}}
    assert agent["config"]["model_context"]["provider"] == "autogen_core.model_context.UnboundedChatCompletionContext"
    assert [w["config"] for w in agent["config"]["workbench"]] == [{"tools": [], "tool_overrides": {}}]
    assert out["config"]["termination_condition"]["config"] == {
        "max_total_token": 9, "max_prompt_token": None, "max_completion_token": None}  # AutoGen needs the keys


def test_null_means_the_default_and_a_null_autogen_needs_filled_is_reported() -> None:
    agent = env(ASSISTANT, name="a", model_client=replay(), description="An agent.", reflect_on_tool_use=False,
                tool_call_summary_format=None)
    assert [(p.path, p.severity) for p in validate_component(agent)] == [("config.tool_call_summary_format", "warning")]
    assert canonical_form(agent)["config"]["tool_call_summary_format"] == "{result}"


def test_handoffs_become_autogens_objects_and_loose_tools_go_into_a_workbench() -> None:
    tool = env(FUNCTION_TOOL, source_code="def add(a: int, b: int) -> int:\n    return a + b\n", name="add",
               description="Add.")
    agent = env(ASSISTANT, name="a", model_client=replay(), handoffs=["b"], tools=[tool])
    config = canonical_form(agent)["config"]
    assert config["handoffs"] == [{"target": "b", "description": "Handoff to b.", "name": "transfer_to_b",
                                   "message": "Transferred to b, adopting the role of b immediately."}]
    assert "tools" not in config
    [bench] = config["workbench"]
    assert bench["provider"] == "autogen_core.tools.StaticStreamWorkbench"
    assert [t["config"] for t in bench["config"]["tools"]] == [{
        "source_code": tool["config"]["source_code"], "name": "add", "description": "Add.", "global_imports": [],
        "has_cancellation_support": False}]


UNKNOWN = {"provider": "autogen_ext.agents.web_surfer.MultimodalWebSurfer", "component_type": "agent",
           "version": 1, "component_version": 1, "label": "Surfer", "weird": [1, 2.50, {"z": None, "a": 1}],
           "config": {"name": "surfer", "model_client": {"provider": "OpenAIChatCompletionClient",
                                                         "config": {"model": "gpt-4o", "api_key": "sk-inside"}},
                      "headless": True, "start_page": None}}


@pytest.mark.parametrize("opaque", [
    UNKNOWN,
    env(CONDITIONS + "MaxMessageTermination", max_messages="many", extra={"kept": True}),  # an invalid config
    {**env(ASSISTANT, name="future", model_client=replay()), "component_version": 3},  # newer than known
    {**env(ASSISTANT, name="odd", model_client=replay()), "component_version": "two"},
    {"provider": ROUND_ROBIN, "label": 7, "config": {"participants": []}},  # an invalid envelope
    env(MAGENTIC, participants=[env(ASSISTANT, name="a", model_client=replay())], model_client=replay()),
], ids=["unknown provider", "invalid config", "newer version", "odd version", "invalid envelope", "unsupported"])
def test_what_it_cannot_read_is_kept_verbatim_with_everything_inside(opaque: dict[str, Any]) -> None:
    team = env(ROUND_ROBIN, participants=[env(ASSISTANT, name="a", model_client=replay()), opaque],
               termination_condition=max_messages())
    out = canonical_form(team)
    assert text(out["config"]["participants"][1]) == text(opaque)  # nothing dropped, reordered or filled in
    assert out["config"]["participants"][0]["config"]["tool_call_summary_format"] == "{result}"  # the rest is
    assert text(canonical_form(opaque)) == text(opaque)
    assert out["config"]["participants"][1] is not opaque  # a copy: editing the result leaves the input alone


def test_secrets_are_kept_as_given_and_masked_by_whoever_writes_a_file() -> None:
    from studio.services.teams import export_component

    model = env(OPENAI, model="gpt-4o", api_key="sk-typed-in-the-builder")
    assert canonical_form(model)["config"]["api_key"] == "sk-typed-in-the-builder"
    assert export_component(model)["config"]["api_key"] == "**********"


def test_it_builds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading a code executor makes its work directory; the canonical form does not touch the disk."""
    monkeypatch.chdir(tmp_path)
    agent = env("autogen_agentchat.agents.CodeExecutorAgent", name="coder", code_executor=env(
        "autogen_ext.code_executors.local.LocalCommandLineCodeExecutor", work_dir="made_by_loading"))
    out = canonical_form(agent)
    assert out["config"]["code_executor"]["config"]["work_dir"] == "made_by_loading"
    assert not (tmp_path / "made_by_loading").exists()
    load_component(agent)
    assert (tmp_path / "made_by_loading").is_dir()


def test_a_handoff_keeps_its_own_texts() -> None:
    """Only the texts left out get AutoGen's defaults."""
    swarm = env(SWARM, participants=[env(ASSISTANT, name="a", model_client=replay(), handoffs=[{"target": "b",
                                                                                              "message": "Over."}]),
                                     env(ASSISTANT, name="b", model_client=replay())], max_turns=3)
    [handoff] = canonical_form(swarm)["config"]["participants"][0]["config"]["handoffs"]
    assert (handoff["message"], handoff["name"]) == ("Over.", "transfer_to_b")


def test_the_warning_says_whether_the_export_fills_the_field_in() -> None:
    agents = [env(ASSISTANT, name=name, model_client=replay()) for name in ("a", "b")]
    messages = {p.path: p.message for p in validate_component(env(SELECTOR, participants=agents,
                                                                  model_client=replay(), max_turns=2))}
    assert messages["config.allow_repeated_speaker"] == (
        "missing: AutoGen 0.7.5 requires it; Studio fills in the default false on import and in every export")
    newer = env(ASSISTANT, name="a", model_client=replay())
    newer["component_version"] = 99  # a newer version than Studio knows is exported as written
    messages = {p.path: p.message for p in validate_component(newer)}
    assert messages["config.tool_call_summary_format"] == (
        "missing: AutoGen 0.7.5 requires it, and this component is exported as written: set it")
